#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::aws {

// AWS credentials. `session_token` is empty for long-term keys; temporary credentials (Lambda,
// containers) carry one and an expiration.
struct Credentials {
  std::string access_key_id{};
  std::string secret_access_key{};
  std::string session_token{};
  std::optional<std::chrono::system_clock::time_point> expiration{};
};

using Header = std::pair<std::string, std::string>;

// The parts of an HTTP request that Signature Version 4 covers. Every header in `headers` is
// signed (Host must be among them); headers the transport adds later (Content-Length,
// User-Agent) stay unsigned, which AWS allows.
struct SigningRequest {
  std::string_view method{"POST"};
  std::string_view path{"/"};  // as on the request line, without the query
  std::string_view query{};    // as on the request line, without '?'
  std::span<const Header> headers{};
  std::string_view body{};
};

struct SigningOptions {
  std::string_view region{};
  std::string_view service{};
  // Remove "." and ".." segments and repeated slashes before encoding (every service but S3).
  bool normalize_path{true};
  // Add and sign `x-amz-content-sha256` with the payload hash.
  bool sign_body_hash{false};
  // Sign X-Amz-Security-Token; false adds it after signing (a few services want that).
  bool sign_session_token{true};
};

// What signing produced: `headers` go onto the request as they are (X-Amz-Date, the session
// token when there is one, the payload hash when asked for, Authorization). The intermediate
// strings are kept for tests and debugging; they contain no secret.
struct SignedRequest {
  std::vector<Header> headers{};
  std::string canonical_request{};
  std::string string_to_sign{};
  std::string signature{};
};

using SigningKey = std::array<unsigned char, 32>;

// The derived signing key changes once a day per secret, region and service; caching it saves
// four of the five HMACs per request. Thread-safe. Holds the secret's derived key only.
class SigningKeyCache {
 public:
  SigningKey get(std::string_view secret, std::string_view date, std::string_view region,
                 std::string_view service);

 private:
  std::mutex mutex_;
  std::string scope_{};         // date/region/service the key belongs to
  SigningKey secret_digest_{};  // SHA-256 of the secret, to notice a rotated secret
  SigningKey key_{};
  bool valid_{false};
};

// Signs `request` at time `now`. Pure apart from the optional cache: same inputs, same output.
SignedRequest signV4(const SigningRequest& request, const Credentials& credentials,
                     const SigningOptions& options, std::chrono::system_clock::time_point now,
                     SigningKeyCache* key_cache = nullptr);

// `now` as SigV4's basic ISO-8601 form, e.g. "20150830T123600Z".
std::string amzDate(std::chrono::system_clock::time_point now);

}  // namespace parley::aws
