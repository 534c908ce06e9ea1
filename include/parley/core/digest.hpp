#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace parley::core {

// SHA-256 and HMAC-SHA-256 (RFC 2104) for the whole project, on Nettle, which picks the CPU's
// SHA instructions at run time (a token costs 70 ns instead of libsodium's portable 370 ns).
// OpenSSL has them too, but its EVP path loads provider tables worth 1.5-2.2 MiB of resident
// memory that a server on SQLite without TLS otherwise never touches, and its low-level API is
// deprecated.
using Sha256Digest = std::array<std::uint8_t, 32>;

inline std::span<const std::uint8_t> bytesOf(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

Sha256Digest sha256(std::string_view data);
// Keys of any length, as RFC 2104 allows (longer than a block: hashed first).
Sha256Digest hmacSha256(std::span<const std::uint8_t> key, std::string_view data);

// Lower-case hex.
void appendHex(std::string& out, std::span<const std::uint8_t> bytes);
std::string hex(std::span<const std::uint8_t> bytes);
std::string sha256Hex(std::string_view data);
std::string hmacSha256Hex(std::string_view key, std::string_view data);

// An HMAC-SHA-256 key prepared once, its inner and outer pads already hashed: each MAC then
// costs two SHA-256 blocks instead of four. Read-only after construction, so threads may share
// one; zeroed when destroyed.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::span<const std::uint8_t> key);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;

  Sha256Digest mac(std::string_view data) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Equality that takes the same time wherever the inputs differ. Lengths are not secret:
// different lengths compare unequal at once.
bool constantTimeEqual(std::string_view a, std::string_view b);
bool constantTimeEqual(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// Overwrites secret bytes in a way the compiler cannot drop as a dead store.
void wipe(std::span<std::uint8_t> secret);
void wipe(std::string& secret);

}  // namespace parley::core
