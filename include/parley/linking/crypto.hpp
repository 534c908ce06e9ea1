#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "parley/core/random.hpp"

namespace parley::linking {

// Lower-case hex SHA-256: how every token, code, handle, CSRF token, cookie value and client
// secret is stored and looked up (R7, R67).
std::string sha256Hex(std::string_view data);

// Base64url without padding (RFC 4648 §5).
std::string base64Url(std::span<const std::uint8_t> bytes);

// Constant-time equality for digests (R69). Lengths are not secret: different lengths → false.
bool constantTimeEqual(std::string_view a, std::string_view b);

// 32 CSPRNG bytes as `<prefix>_<base64url>` (R64–R66), or bare base64url when prefix is empty.
std::string randomToken(core::Random& random, std::string_view prefix = {});

// BASE64URL(SHA-256(verifier)): the S256 code challenge of a PKCE verifier (RFC 7636 §4.2).
std::string pkceChallenge(std::string_view verifier);

}  // namespace parley::linking
