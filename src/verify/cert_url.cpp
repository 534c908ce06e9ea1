#include "parley/verify/cert_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <string>
#include <vector>

#include "parley/verify/error.hpp"

namespace parley::verify {
namespace {

constexpr std::string_view kHost = "s3.amazonaws.com";
constexpr std::string_view kPathPrefix = "/echo.api/";

// RFC 3986 dot-segment removal over segments split on every '/', so that empty segments (from
// duplicate slashes) disappear before ".." is applied, as os.path.normpath does.
std::string normalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  bool trailing_slash = false;
  while (!path.empty()) {
    auto slash = path.find('/');
    auto segment = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    trailing_slash = segment.empty() || segment == "." || segment == "..";
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string out;
  for (auto segment : segments) {
    out += '/';
    out += segment;
  }
  if (out.empty() || trailing_slash) out += '/';
  return out;
}

}  // namespace

boost::system::result<std::string> normalizeCertChainUrl(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return Error::kInvalidCertChainUrl;
  boost::urls::url url(*parsed);
  // Collapse slashes before normalize() applies its own dot-segment removal, which would let
  // "/echo.api//../x" keep its prefix; then normalize() lower-cases scheme and host and decodes
  // needless escapes (%2E -> '.'), and the path is normalized again to handle decoded dots.
  url.set_encoded_path(normalizePath(url.encoded_path()));
  url.normalize();
  if (url.scheme() != "https") return Error::kInvalidCertChainUrl;
  if (!url.has_authority() || url.has_userinfo()) return Error::kInvalidCertChainUrl;
  if (url.host_type() != boost::urls::host_type::name || url.encoded_host() != kHost) {
    return Error::kInvalidCertChainUrl;
  }
  if (url.has_port()) {
    if (url.port() != "443") return Error::kInvalidCertChainUrl;
    url.remove_port();
  }
  auto path = normalizePath(url.encoded_path());
  if (!std::string_view(path).starts_with(kPathPrefix)) return Error::kInvalidCertChainUrl;
  url.set_encoded_path(path);
  return std::string(url.buffer());
}

}  // namespace parley::verify
