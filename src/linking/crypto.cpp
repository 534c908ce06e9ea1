#include "parley/linking/crypto.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace parley::linking {
namespace {

void ensureSodium() {
  static const bool ready = sodium_init() >= 0;  // idempotent and thread-safe in libsodium
  if (!ready) throw std::runtime_error("libsodium initialisation failed");
}

std::array<std::uint8_t, crypto_hash_sha256_BYTES> sha256(std::string_view data) {
  ensureSodium();
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return digest;
}

// Digests are not secret once computed (they are what the database stores), so a table lookup
// is fine here; sodium_bin2hex is constant-time and several times slower on every token lookup.
template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(N * 2, '\0');
  for (std::size_t i = 0; i < N; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0F];
  }
  return out;
}

const unsigned char* bytesOf(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// The MAC of `data` from a keyed state, which is zeroed afterwards.
std::string finishHmac(crypto_auth_hmacsha256_state& state, std::string_view data) {
  crypto_auth_hmacsha256_update(&state, bytesOf(data), data.size());
  std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return hex(mac);
}

}  // namespace

std::string sha256Hex(std::string_view data) { return hex(sha256(data)); }

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
  ensureSodium();
  // The init/update/final API takes keys of any length, as RFC 2104 does.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytesOf(key), key.size());
  return finishHmac(state, data);
}

struct TokenDigest::Keyed {
  crypto_auth_hmacsha256_state state{};
  ~Keyed() { sodium_memzero(&state, sizeof state); }
};

TokenDigest::TokenDigest(std::string_view pepper) {
  if (pepper.size() != kPepperBytes) {
    throw std::invalid_argument("the token pepper must have 32 bytes");
  }
  ensureSodium();
  auto keyed = std::make_shared<Keyed>();
  crypto_auth_hmacsha256_init(&keyed->state, bytesOf(pepper), pepper.size());
  keyed_ = std::move(keyed);
}

std::string TokenDigest::hash(std::string_view token) const {
  if (!keyed_) return sha256Hex(token);
  crypto_auth_hmacsha256_state state = keyed_->state;
  return finishHmac(state, token);
}

std::string base64Url(std::span<const std::uint8_t> bytes) {
  ensureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool constantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  ensureSodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string randomToken(core::Random& random, std::string_view prefix) {
  std::array<std::uint8_t, 32> bytes{};
  random.fill(bytes);
  std::string token;
  if (!prefix.empty()) {
    token.append(prefix);
    token.push_back('_');
  }
  token += base64Url(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return token;
}

std::string pkceChallenge(std::string_view verifier) { return base64Url(sha256(verifier)); }

}  // namespace parley::linking
