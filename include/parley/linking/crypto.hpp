#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "parley/core/digest.hpp"
#include "parley/core/random.hpp"

namespace parley::linking {

// How access tokens, refresh tokens and authorization codes are stored and looked up (R67):
// HMAC-SHA-256(pepper, token) with a 32-byte pepper held outside the database, so a copy of the
// database alone cannot test guesses offline; SHA-256(token) when no pepper is configured. Both
// are 64 lower-case hex characters. Another pepper matches none of the stored digests: changing
// it invalidates every issued token and code (users link again).
//
// Values a pepper would not protect or must not depend on are stored as plain core::sha256Hex:
// the sign-in page's handle, CSRF token and binding cookie (random, bound to one browser, dead
// after minutes), the e-mail throttle key (the accounts table holds the e-mail itself) and client
// secrets (random 256 bits, and a new pepper must not invalidate the secret typed into the Alexa
// console).
class TokenDigest {
 public:
  static constexpr std::size_t kPepperBytes = 32;

  TokenDigest() = default;  // no pepper: plain SHA-256
  // Throws std::invalid_argument unless `pepper` has kPepperBytes bytes.
  explicit TokenDigest(std::string_view pepper);

  std::string hash(std::string_view token) const;
  bool peppered() const { return keyed_ != nullptr; }

 private:
  // The pepper prepared once as an HMAC key; copies and threads share it, and it is zeroed when
  // the last copy goes.
  std::shared_ptr<const core::HmacSha256Key> keyed_{};
};

// Base64url without padding (RFC 4648 §5).
std::string base64Url(std::span<const std::uint8_t> bytes);

// 32 CSPRNG bytes as `<prefix>_<base64url>` (R64–R66), or bare base64url when prefix is empty.
std::string randomToken(core::Random& random, std::string_view prefix = {});

// BASE64URL(SHA-256(verifier)): the S256 code challenge of a PKCE verifier (RFC 7636 §4.2).
std::string pkceChallenge(std::string_view verifier);

}  // namespace parley::linking
