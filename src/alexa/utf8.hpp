#pragma once

// Minimal UTF-8 decoding and byte-run scanning shared by the SSML checks, the reply writer and
// the response limits.

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

// Questions about eight bytes at once, each answered exactly for "is there such a byte": nonzero
// when some byte of `word` has its high bit set / is below n (n <= 128) / equals c.
namespace word {
inline constexpr std::uint64_t kOnes = 0x0101010101010101;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080;
constexpr std::uint64_t highBit(std::uint64_t word) { return word & kHighBits; }
constexpr std::uint64_t below(std::uint64_t word, std::uint64_t n) {
  return (word - n * kOnes) & ~word & kHighBits;
}
constexpr std::uint64_t equal(std::uint64_t word, unsigned char c) {
  return below(word ^ (c * kOnes), 1);
}
}  // namespace word

// The end of the run from `pos` of bytes `stops` does not flag, eight bytes at a time while
// `word_stops` (its counterpart over a whole word) finds none.
template <class WordStops, class Stops>
std::size_t runEnd(std::string_view text, std::size_t pos, WordStops word_stops, Stops stops) {
  for (; pos + 8 <= text.size(); pos += 8) {
    std::uint64_t bytes = 0;
    std::memcpy(&bytes, text.data() + pos, 8);
    if (word_stops(bytes) != 0) break;
  }
  while (pos < text.size() && !stops(static_cast<unsigned char>(text[pos]))) ++pos;
  return pos;
}

// The end of the run of ASCII bytes starting at `pos`.
inline std::size_t asciiRunEnd(std::string_view text, std::size_t pos) {
  return runEnd(text, pos, word::highBit, [](unsigned char c) { return c >= 0x80; });
}

// Number of code points; invalid bytes count as one each.
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
