#pragma once

// Minimal UTF-8 decoding shared by the SSML checks and the response limits.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace parley::alexa::utf8 {

struct Decoded {
  char32_t code_point{};
  std::size_t length{1};
  bool valid{};
};

// The code point starting at text[pos] (pos < text.size()). Overlong forms, surrogates and
// values above U+10FFFF are invalid; an invalid sequence has length 1.
inline Decoded decode(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t length = 0;
  char32_t code_point = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return {};
  }
  if (text.size() - pos < length) return {};
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) return {};
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return {};
  }
  return {code_point, length, true};
}

// Characters XML 1.0 allows in a document.
inline bool isXmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// Number of code points; invalid bytes count as one each.
// The end of the run of ASCII bytes starting at `pos`, eight bytes at a time.
inline std::size_t asciiRunEnd(std::string_view text, std::size_t pos) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080;
  for (; pos + 8 <= text.size(); pos += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + pos, 8);
    if ((word & kHighBits) != 0) break;
  }
  while (pos < text.size() && static_cast<unsigned char>(text[pos]) < 0x80) ++pos;
  return pos;
}

inline std::size_t length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto ascii_end = asciiRunEnd(text, pos);
    count += ascii_end - pos;
    pos = ascii_end;
    if (pos == text.size()) break;
    pos += decode(text, pos).length;
    ++count;
  }
  return count;
}

}  // namespace parley::alexa::utf8
