#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::storage {

struct ThrottleCounter {
  std::uint32_t count{};
  std::chrono::system_clock::time_point window_start{};
  std::chrono::system_clock::time_point last{};

  friend bool operator==(const ThrottleCounter&, const ThrottleCounter&) = default;
};

// How a counter starts over: `kFixed` once `window` has passed since its first hit, `kIdle` once
// `window` has passed since its last hit.
enum class ThrottleWindow { kFixed, kIdle };

// Rate-limit counters keyed by strings such as "ip:192.0.2.1" (spec §2.3, R62, R63).
// Thread-safe; failures throw StorageError.
class ThrottleStore {
 public:
  virtual ~ThrottleStore() = default;
  // Atomically adds one hit and returns the counter after it.
  virtual ThrottleCounter hit(std::string_view key, std::chrono::seconds window,
                              ThrottleWindow kind, std::chrono::system_clock::time_point now) = 0;
  virtual std::optional<ThrottleCounter> get(std::string_view key) = 0;
  virtual void reset(std::string_view key) = 0;
  // Deletes counters last hit before `before`; returns how many.
  virtual std::size_t sweep(std::chrono::system_clock::time_point before) = 0;
};

}  // namespace parley::storage
