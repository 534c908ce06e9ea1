#include "parley/linking/encoding.hpp"

#include <iterator>

#include "parley/core/ascii.hpp"

namespace parley::linking {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decodeComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hexValue(text[i + 1]);
      int low = hexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

bool isFormContentType(std::string_view content_type) {
  auto media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return core::equalsIgnoringAsciiCase(media, "application/x-www-form-urlencoded");
}

std::optional<Params> parseUrlEncoded(std::string_view text) {
  Params params;
  while (!text.empty()) {
    auto amp = text.find('&');
    std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (piece.empty()) continue;
    auto eq = piece.find('=');
    auto name = decodeComponent(piece.substr(0, eq));
    auto value =
        decodeComponent(eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    params.emplace(std::move(*name), std::move(*value));
  }
  return params;
}

std::optional<std::string> param(const Params& params, std::string_view name) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

bool anyRepeated(const Params& params) {
  for (auto it = params.begin(); it != params.end();) {
    auto next = params.upper_bound(it->first);
    if (std::distance(it, next) > 1) return true;
    it = next;
  }
  return false;
}

std::optional<std::string> formDecode(std::string_view text) { return decodeComponent(text); }

std::string formEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                      (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                      byte == '~';
    if (unreserved) {
      out.push_back(c);
    } else if (byte == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  return out;
}

std::string encodeParams(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += formEncode(name);
    out.push_back('=');
    out += formEncode(value);
  }
  return out;
}

std::string appendToRedirect(std::string_view redirect_uri,
                             const std::vector<std::pair<std::string, std::string>>& params,
                             bool fragment) {
  std::string out{redirect_uri};
  if (fragment) {
    out.push_back('#');
  } else {
    out.push_back(redirect_uri.find('?') == std::string_view::npos ? '?' : '&');
  }
  out += encodeParams(params);
  return out;
}

std::string originOf(std::string_view uri) {
  auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  auto authority_end = uri.find_first_of("/?#", scheme_end + 3);
  return std::string{uri.substr(0, authority_end)};
}

}  // namespace parley::linking
