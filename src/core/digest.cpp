#include "parley/core/digest.hpp"

#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <sodium.h>

#include "parley/core/sodium.hpp"

namespace parley::core {
namespace {

// The MAC of `data` from a keyed context, which is zeroed afterwards (it holds the key's pads).
Sha256Digest finish(hmac_sha256_ctx& context, std::string_view data) {
  hmac_sha256_update(&context, data.size(), bytesOf(data).data());
  Sha256Digest mac{};
  hmac_sha256_digest(&context, mac.size(), mac.data());
  sodium_memzero(&context, sizeof context);
  return mac;
}

}  // namespace

Sha256Digest sha256(std::string_view data) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, data.size(), bytesOf(data).data());
  Sha256Digest digest{};
  sha256_digest(&context, digest.size(), digest.data());
  return digest;
}

Sha256Digest hmacSha256(std::span<const std::uint8_t> key, std::string_view data) {
  hmac_sha256_ctx context;
  hmac_sha256_set_key(&context, key.size(), key.data());
  return finish(context, data);
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
  hmac_sha256_ctx keyed{};
};

HmacSha256Key::HmacSha256Key(std::span<const std::uint8_t> key)
    : state_(std::make_unique<State>()) {
  hmac_sha256_set_key(&state_->keyed, key.size(), key.data());
}

HmacSha256Key::~HmacSha256Key() { sodium_memzero(&state_->keyed, sizeof state_->keyed); }

Sha256Digest HmacSha256Key::mac(std::string_view data) const {
  hmac_sha256_ctx context = state_->keyed;  // the prepared key stays untouched
  return finish(context, data);
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
