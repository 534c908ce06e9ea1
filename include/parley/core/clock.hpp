#pragma once

#include <chrono>

namespace parley::core {

// Time source; injected so that tests control expiry, timestamps and signatures.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

// A clock that moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start) {}
  std::chrono::system_clock::time_point now() const override { return now_; }
  void advance(std::chrono::system_clock::duration by) { now_ += by; }
  void set(std::chrono::system_clock::time_point to) { now_ = to; }

 private:
  std::chrono::system_clock::time_point now_;
};

}  // namespace parley::core
