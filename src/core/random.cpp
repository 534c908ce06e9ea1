#include "parley/core/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

namespace parley::core {

std::uint64_t Random::next() {
  std::uint8_t bytes[8];
  fill(bytes);
  std::uint64_t value = 0;
  for (auto byte : bytes) value = (value << 8) | byte;
  return value;
}

void SecureRandom::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t got = ::getrandom(out.data() + done, out.size() - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");
    }
    done += static_cast<std::size_t>(got);
  }
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
  for (auto& byte : out) {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    byte = static_cast<std::uint8_t>(z ^ (z >> 31));
  }
}

std::string randomHex(Random& random, std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::vector<std::uint8_t> raw(bytes);
  random.fill(raw);
  std::string hex;
  hex.reserve(bytes * 2);
  for (auto byte : raw) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xf]);
  }
  return hex;
}

}  // namespace parley::core
