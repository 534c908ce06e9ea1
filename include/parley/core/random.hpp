#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace parley::core {

// Source of randomness; injected so that tests are deterministic.
class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
  std::uint64_t next();
};

// The kernel CSPRNG (getrandom(2)): for ids, tokens, codes and CSRF values.
class SecureRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

// Deterministic generator (splitmix64) for tests and seeded view variants; never for secrets.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  void fill(std::span<std::uint8_t> out) override;

 private:
  std::uint64_t state_;
};

// `bytes` random bytes as lower-case hex (2 * bytes characters).
std::string randomHex(Random& random, std::size_t bytes);

}  // namespace parley::core
