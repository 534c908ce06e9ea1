#pragma once

#include <array>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

// SHA-256 and HMAC-SHA-256 on OpenSSL, the one implementation behind token digests (linking) and
// request signing (aws); OpenSSL uses SHA-NI or AVX2 where the CPU has them. Thread-safe.
namespace parley::crypto {

using Sha256Digest = std::array<unsigned char, 32>;

std::span<const unsigned char> bytesOf(std::string_view text);

// SHA-256 (FIPS 180-4) of the parts, concatenated.
Sha256Digest sha256(std::initializer_list<std::span<const unsigned char>> parts);
Sha256Digest sha256(std::string_view data);
// HMAC-SHA-256 (RFC 2104) of `data` under a key of any length.
Sha256Digest hmacSha256(std::span<const unsigned char> key, std::string_view data);

// Lower-case hex.
std::string hex(std::span<const unsigned char> bytes);
void appendHex(std::string& out, std::span<const unsigned char> bytes);

std::string sha256Hex(std::string_view data);
std::string hmacSha256Hex(std::string_view key, std::string_view data);

}  // namespace parley::crypto
