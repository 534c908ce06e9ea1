#include "parley/core/digest.hpp"

#include <sodium.h>

#include <stdexcept>

namespace parley::core {
namespace {

void ensureSodium() {
  static const bool ready = sodium_init() >= 0;  // idempotent and thread-safe in libsodium
  if (!ready) throw std::runtime_error("libsodium initialisation failed");
}

Sha256Digest finish(crypto_auth_hmacsha256_state& state, std::string_view data) {
  crypto_auth_hmacsha256_update(&state, bytesOf(data).data(), data.size());
  Sha256Digest mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

}  // namespace

Sha256Digest sha256(std::string_view data) {
  ensureSodium();
  Sha256Digest digest{};
  crypto_hash_sha256(digest.data(), bytesOf(data).data(), data.size());
  return digest;
}

Sha256Digest hmacSha256(std::span<const std::uint8_t> key, std::string_view data) {
  ensureSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  return finish(state, data);
}

// Digests are not secret once computed (they are what databases store and requests carry), so a
// table lookup is fine; sodium_bin2hex is constant-time and several times slower.
void appendHex(std::string& out, std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto start = out.size();
  out.resize(start + bytes.size() * 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[start + 2 * i] = kDigits[bytes[i] >> 4];
    out[start + 2 * i + 1] = kDigits[bytes[i] & 0x0F];
  }
}

std::string hex(std::span<const std::uint8_t> bytes) {
  std::string out;
  appendHex(out, bytes);
  return out;
}

std::string sha256Hex(std::string_view data) { return hex(sha256(data)); }

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
  return hex(hmacSha256(bytesOf(key), data));
}

struct HmacSha256Key::State {
  crypto_auth_hmacsha256_state keyed{};
};

HmacSha256Key::HmacSha256Key(std::span<const std::uint8_t> key)
    : state_(std::make_unique<State>()) {
  ensureSodium();
  crypto_auth_hmacsha256_init(&state_->keyed, key.data(), key.size());
}

HmacSha256Key::~HmacSha256Key() { sodium_memzero(&state_->keyed, sizeof state_->keyed); }

Sha256Digest HmacSha256Key::mac(std::string_view data) const {
  crypto_auth_hmacsha256_state state = state_->keyed;  // the prepared key stays untouched
  return finish(state, data);
}

bool constantTimeEqual(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  if (a.size() != b.size()) return false;
  ensureSodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool constantTimeEqual(std::string_view a, std::string_view b) {
  return constantTimeEqual(bytesOf(a), bytesOf(b));
}

void wipe(std::span<std::uint8_t> secret) { sodium_memzero(secret.data(), secret.size()); }

void wipe(std::string& secret) { sodium_memzero(secret.data(), secret.size()); }

}  // namespace parley::core
