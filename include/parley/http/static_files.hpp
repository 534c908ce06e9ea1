#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "parley/http/router.hpp"

namespace parley::http {

struct StaticOptions {
  std::filesystem::path root{};  // e.g. www/static
  std::string prefix{"/static/"};
  std::string cache_control{"public, max-age=300"};
};

// A GET handler serving regular files under `root` for paths under `prefix`, with a content
// type by extension. Anything that could leave `root` (.., encoded or not, absolute paths,
// backslashes, NUL, symlinks pointing out) is a 404. Register it with
// `router.prefix(Verb::get, options.prefix, staticFiles(options))`.
Router::Handler staticFiles(StaticOptions options);

// "text/css; charset=utf-8" for "x.css"; application/octet-stream when unknown.
std::string_view contentTypeFor(const std::filesystem::path& file);

struct SecurityHeaders {
  std::string content_security_policy{"default-src 'self'; frame-ancestors 'none'"};
  std::string frame_options{"DENY"};
  std::string referrer_policy{"no-referrer"};
  // Strict-Transport-Security value, sent only in answer to HTTPS requests (Request::https();
  // browsers ignore it over HTTP, RFC 6797 §8.1); empty (the default) omits it.
  std::string strict_transport_security{};
};

// An after-hook adding these headers (and X-Content-Type-Options: nosniff) to every response
// that does not set them itself; an empty field is left out.
Router::AfterHook securityHeaders(SecurityHeaders headers);

}  // namespace parley::http
