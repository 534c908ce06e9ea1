#include "parley/aws/sigv4.hpp"

#include <algorithm>
#include <cstdint>

#include "parley/core/digest.hpp"

namespace parley::aws {

using core::appendHex;
using core::bytesOf;
using core::hex;
using core::hmacSha256;
using core::sha256;

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool isUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// RFC 3986 encoding as SigV4 wants it: only unreserved characters stay literal (and '/' in paths).
void appendEncoded(std::string& out, std::string_view text, bool keep_slash) {
  static constexpr std::string_view kUpperHex = "0123456789ABCDEF";
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (isUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kUpperHex[c >> 4]);
      out.push_back(kUpperHex[c & 0x0f]);
    }
  }
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Query components arrive either encoded or raw; decoding first makes both encode the same way.
std::string percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int high = hexValue(text[i + 1]);
      int low = hexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string canonicalPath(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  std::string out;
  out.reserve(path.size() + 8);
  if (!normalize) {
    appendEncoded(out, path, true);
    return out;
  }
  std::vector<std::string_view> segments;
  bool trailing_slash = false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    bool last = end == path.size();
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (last) trailing_slash = segment.empty() || segment == "." || segment == "..";
    start = end + 1;
  }
  for (std::string_view segment : segments) {
    out.push_back('/');
    appendEncoded(out, segment, false);
  }
  if (segments.empty() || trailing_slash) out.push_back('/');
  return out;
}

std::string canonicalQuery(std::string_view query) {
  if (query.empty()) return {};
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view param = query.substr(start, end - start);
    if (!param.empty()) {
      std::size_t equals = param.find('=');
      std::string name;
      std::string value;
      appendEncoded(name, percentDecode(param.substr(0, equals)), false);
      if (equals != std::string_view::npos) {
        appendEncoded(value, percentDecode(param.substr(equals + 1)), false);
      }
      params.emplace_back(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

// Trims the value and collapses inner runs of blanks to one space.
void appendTrimmed(std::string& out, std::string_view value) {
  bool pending_space = false;
  bool started = false;
  for (char c : value) {
    if (isBlank(c)) {
      pending_space = started;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    started = true;
    out.push_back(c);
  }
}

struct CanonicalHeader {
  std::string name;
  std::string_view value;
};

}  // namespace

std::string amzDate(std::chrono::system_clock::time_point now) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  auto days = std::chrono::floor<std::chrono::days>(seconds);
  std::chrono::year_month_day date{days};
  std::chrono::hh_mm_ss time{seconds - days};
  std::string out(16, '0');
  auto put = [&out](std::size_t at, std::size_t width, long long value) {
    for (std::size_t i = 0; i < width; ++i) {
      out[at + width - 1 - i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, 4, static_cast<int>(date.year()));
  put(4, 2, static_cast<unsigned>(date.month()));
  put(6, 2, static_cast<unsigned>(date.day()));
  out[8] = 'T';
  put(9, 2, time.hours().count());
  put(11, 2, time.minutes().count());
  put(13, 2, time.seconds().count());
  out[15] = 'Z';
  return out;
}

namespace {

SigningKey deriveKey(std::string_view secret, std::string_view date, std::string_view region,
                     std::string_view service) {
  std::string prefixed;
  prefixed.reserve(4 + secret.size());
  prefixed.append("AWS4").append(secret);
  SigningKey key = hmacSha256(bytesOf(prefixed), date);
  core::wipe(prefixed);
  key = hmacSha256(key, region);
  key = hmacSha256(key, service);
  return hmacSha256(key, "aws4_request");
}

}  // namespace

SigningKey SigningKeyCache::get(std::string_view secret, std::string_view date,
                                std::string_view region, std::string_view service) {
  std::string scope;
  scope.reserve(date.size() + region.size() + service.size() + 2);
  scope.append(date).append("/").append(region).append("/").append(service);
  SigningKey secret_digest = sha256(secret);
  std::lock_guard lock(mutex_);
  if (!valid_ || scope != scope_ || !core::constantTimeEqual(secret_digest, secret_digest_)) {
    key_ = deriveKey(secret, date, region, service);
    scope_ = std::move(scope);
    secret_digest_ = secret_digest;
    valid_ = true;
  }
  return key_;
}

SignedRequest signV4(const SigningRequest& request, const Credentials& credentials,
                     const SigningOptions& options, std::chrono::system_clock::time_point now,
                     SigningKeyCache* key_cache) {
  SignedRequest signed_request;
  const std::string date_time = amzDate(now);
  const std::string_view date = std::string_view(date_time).substr(0, 8);
  const std::string payload_hash = core::sha256Hex(request.body);
  const bool has_token = !credentials.session_token.empty();

  std::vector<CanonicalHeader> headers;
  headers.reserve(request.headers.size() + 3);
  for (const auto& [name, value] : request.headers) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
      return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    });
    headers.push_back({std::move(lower), value});
  }
  headers.push_back({"x-amz-date", date_time});
  if (has_token && options.sign_session_token) {
    headers.push_back({"x-amz-security-token", credentials.session_token});
  }
  if (options.sign_body_hash) headers.push_back({"x-amz-content-sha256", payload_hash});
  std::stable_sort(
      headers.begin(), headers.end(),
      [](const CanonicalHeader& a, const CanonicalHeader& b) { return a.name < b.name; });

  std::string canonical_headers;
  std::string signed_headers;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    bool same_as_previous = i > 0 && headers[i].name == headers[i - 1].name;
    if (same_as_previous) {
      canonical_headers.push_back(',');
    } else {
      if (i > 0) {
        canonical_headers.push_back('\n');
        signed_headers.push_back(';');
      }
      canonical_headers += headers[i].name;
      canonical_headers.push_back(':');
      signed_headers += headers[i].name;
    }
    appendTrimmed(canonical_headers, headers[i].value);
  }
  canonical_headers.push_back('\n');

  std::string& canonical = signed_request.canonical_request;
  canonical.reserve(256 + canonical_headers.size());
  canonical += request.method;
  canonical.push_back('\n');
  canonical += canonicalPath(request.path, options.normalize_path);
  canonical.push_back('\n');
  canonical += canonicalQuery(request.query);
  canonical.push_back('\n');
  canonical += canonical_headers;
  canonical.push_back('\n');
  canonical += signed_headers;
  canonical.push_back('\n');
  canonical += payload_hash;

  std::string scope;
  scope.reserve(64);
  scope.append(date).append("/").append(options.region).append("/");
  scope.append(options.service).append("/aws4_request");

  std::string& to_sign = signed_request.string_to_sign;
  to_sign.reserve(160);
  to_sign.append(kAlgorithm).append("\n").append(date_time).append("\n");
  to_sign.append(scope).append("\n");
  appendHex(to_sign, sha256(canonical));

  SigningKey key =
      key_cache != nullptr
          ? key_cache->get(credentials.secret_access_key, date, options.region, options.service)
          : deriveKey(credentials.secret_access_key, date, options.region, options.service);
  signed_request.signature = hex(hmacSha256(key, to_sign));
  core::wipe(key);

  std::string authorization;
  authorization.reserve(200);
  authorization.append(kAlgorithm).append(" Credential=").append(credentials.access_key_id);
  authorization.append("/").append(scope).append(", SignedHeaders=").append(signed_headers);
  authorization.append(", Signature=").append(signed_request.signature);

  signed_request.headers.reserve(4);
  signed_request.headers.emplace_back("X-Amz-Date", date_time);
  if (has_token)
    signed_request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  if (options.sign_body_hash)
    signed_request.headers.emplace_back("X-Amz-Content-Sha256", payload_hash);
  signed_request.headers.emplace_back("Authorization", std::move(authorization));
  return signed_request;
}

}  // namespace parley::aws
