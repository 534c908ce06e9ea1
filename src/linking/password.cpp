#include "parley/linking/password.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>
#include <thread>

#include "parley/core/sodium.hpp"

namespace parley::linking {
namespace {

unsigned defaultConcurrency(unsigned configured) {
  if (configured != 0) return configured;
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

bool acceptablePassword(std::string_view password) {
  if (password.size() > 512) return false;
  std::size_t characters = 0;
  for (char c : password) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++characters;  // skip continuation bytes
  }
  return characters >= 8 && characters <= 128;
}

// Holds one of the bounded Argon2 slots for the duration of a computation.
class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher& owner)
      : owner_(owner), held_(owner.slots_.try_acquire_for(owner.options_.queue_wait)) {}
  ~Slot() {
    if (held_) owner_.slots_.release();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  bool held() const { return held_; }

 private:
  PasswordHasher& owner_;
  bool held_;
};

PasswordHasher::PasswordHasher(PasswordOptions options)
    : options_(options),
      slots_(static_cast<std::ptrdiff_t>(defaultConcurrency(options.max_concurrent))) {
  core::ensureSodium();
}

std::optional<std::string> PasswordHasher::hash(std::string_view password) {
  Slot slot{*this};
  if (!slot.held()) return std::nullopt;
  ++runs_;
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), options_.iterations,
                            options_.memory_kib * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return std::string{out.data()};
}

std::optional<bool> PasswordHasher::verify(std::string_view phc, std::string_view password) {
  Slot slot{*this};
  if (!slot.held()) return std::nullopt;
  ++runs_;
  std::string terminated{phc};  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::optional<bool> PasswordHasher::verifyDummy(std::string_view password) {
  std::call_once(dummy_once_, [this] {
    std::array<std::uint8_t, 32> secret{};
    randombytes_buf(secret.data(), secret.size());
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str_alg(out.data(), reinterpret_cast<const char*>(secret.data()),
                              secret.size(), options_.iterations, options_.memory_kib * 1024,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
      throw std::runtime_error("argon2id: out of memory");
    }
    dummy_ = out.data();
  });
  auto matched = verify(dummy_, password);
  if (!matched) return std::nullopt;
  return false;
}

bool PasswordHasher::needsRehash(std::string_view phc) const {
  std::string terminated{phc};
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), options_.iterations,
                                        options_.memory_kib * 1024) != 0;
}

}  // namespace parley::linking
