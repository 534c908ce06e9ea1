#include "parley/linking/crypto.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "parley/core/sodium.hpp"

namespace parley::linking {

TokenDigest::TokenDigest(std::string_view pepper) {
  if (pepper.size() != kPepperBytes) {
    throw std::invalid_argument("the token pepper must have 32 bytes");
  }
  keyed_ = std::make_shared<const core::HmacSha256Key>(core::bytesOf(pepper));
}

std::string TokenDigest::hash(std::string_view token) const {
  return keyed_ ? core::hex(keyed_->mac(token)) : core::sha256Hex(token);
}

std::string base64Url(std::span<const std::uint8_t> bytes) {
  core::ensureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
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
  core::wipe(bytes);
  return token;
}

std::string pkceChallenge(std::string_view verifier) { return base64Url(core::sha256(verifier)); }

}  // namespace parley::linking
