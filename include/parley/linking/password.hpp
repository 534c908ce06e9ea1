#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

namespace parley::linking {

// Argon2id parameters (R53: OWASP's 19 MiB, 2 iterations, parallelism 1) and the bound on
// concurrent computations (R55).
struct PasswordOptions {
  std::size_t memory_kib{19456};
  std::uint64_t iterations{2};
  unsigned max_concurrent{0};  // 0: the number of CPU cores
  std::chrono::milliseconds queue_wait{2000};
};

// R54: 8–128 characters and at most 512 UTF-8 bytes; checked before any hashing.
bool acceptablePassword(std::string_view password);

// Argon2id via libsodium, PHC strings ($argon2id$v=19$m=…,t=…,p=1$salt$hash; 16-byte salt,
// 32-byte hash). Thread-safe. Every call waits at most `queue_wait` for a free slot and returns
// nullopt when none frees up (the caller answers 503).
class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordOptions options = {});

  std::optional<std::string> hash(std::string_view password);
  // The parameters are read back from `phc`, so older hashes keep verifying (R53).
  std::optional<bool> verify(std::string_view phc, std::string_view password);
  // Verifies against a fixed dummy hash so that unknown e-mails cost as much as wrong passwords
  // (R56). Always false unless it timed out (nullopt).
  std::optional<bool> verifyDummy(std::string_view password);
  bool needsRehash(std::string_view phc) const;
  // Argon2 computations so far (tests assert that rejected input never reaches hashing).
  std::uint64_t runs() const { return runs_.load(); }

 private:
  class Slot;
  PasswordOptions options_;
  std::counting_semaphore<4096> slots_;
  std::atomic<std::uint64_t> runs_{0};
  std::once_flag dummy_once_;
  std::string dummy_;
};

}  // namespace parley::linking
