#include "parley/http/static_files.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <utility>

#include "parley/core/ascii.hpp"

namespace parley::http {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileSize = 16 * 1024 * 1024;

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percentDecode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      out += encoded[i];
      continue;
    }
    if (i + 2 >= encoded.size()) return std::nullopt;
    int high = hexValue(encoded[i + 1]);
    int low = hexValue(encoded[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// A relative path of plain segments only: no "..", ".", empty segments, backslashes or NUL.
bool isSafeRelative(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return false;
  }
  while (!path.empty()) {
    auto slash = path.find('/');
    auto segment = path.substr(0, slash);
    if (segment.empty() || segment == "." || segment == "..") return false;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return true;
}

bool isInside(const fs::path& root, const fs::path& file) {
  auto [root_end, _] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return root_end == root.end();
}

}  // namespace

std::string_view contentTypeFor(const fs::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".mp3", "audio/mpeg"},
  }};
  const auto extension = core::asciiLowercase(file.extension().string());
  for (const auto& [ext, type] : kTypes) {
    if (ext == extension) return type;
  }
  return "application/octet-stream";
}

Router::Handler staticFiles(StaticOptions options) {
  std::error_code ec;
  auto root = fs::weakly_canonical(fs::absolute(options.root), ec);
  if (ec) root = options.root;
  return [root = std::move(root), options = std::move(options)](const Request& request) {
    auto path = request.path();
    if (!path.starts_with(options.prefix)) return Response::error(404);
    auto relative = percentDecode(path.substr(options.prefix.size()));
    if (!relative || !isSafeRelative(*relative)) return Response::error(404);
    std::error_code error;
    // Resolves symlinks, so a link inside root pointing elsewhere is refused too.
    auto file = fs::weakly_canonical(root / *relative, error);
    if (error || !isInside(root, file) || !fs::is_regular_file(file, error)) {
      return Response::error(404);
    }
    auto size = fs::file_size(file, error);
    if (error || size > kMaxFileSize) return Response::error(404);
    std::ifstream in(file, std::ios::binary);
    std::string body(static_cast<std::size_t>(size), '\0');
    if (!in.read(body.data(), static_cast<std::streamsize>(size))) return Response::error(404);
    Response response(200, std::move(body), contentTypeFor(file));
    if (!options.cache_control.empty()) response.setHeader("Cache-Control", options.cache_control);
    return response;
  };
}

Router::AfterHook securityHeaders(SecurityHeaders headers) {
  // Checked once here, so a bad configured value fails at startup rather than per response.
  DefaultFields plain;
  auto add = [&](std::string_view name, const std::string& value) {
    if (!value.empty()) plain.add(name, value);
  };
  add("Content-Security-Policy", headers.content_security_policy);
  add("X-Frame-Options", headers.frame_options);
  add("Referrer-Policy", headers.referrer_policy);
  plain.add("X-Content-Type-Options", "nosniff");
  DefaultFields secure = plain;
  if (!headers.strict_transport_security.empty()) {
    secure.add("Strict-Transport-Security", headers.strict_transport_security);
  }
  return [plain = std::move(plain), secure = std::move(secure)](const Request& request,
                                                                Response& response) {
    response.addMissing(request.https() ? secure : plain);
  };
}

}  // namespace parley::http
