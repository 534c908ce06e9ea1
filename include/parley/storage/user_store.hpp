#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace parley::storage {

// A person who linked an account. Open-ended: backends keep `attributes` as a JSON document.
struct User {
  std::string id{};
  std::string email{};
  // Backends keep it to the millisecond (floor); finer parts are dropped on the way in.
  std::chrono::system_clock::time_point created_at{};
  boost::json::object attributes{};

  friend bool operator==(const User&, const User&) = default;
};

// Broken infrastructure (disk full, database unreachable, throttled past the retry budget).
// Thrown by every backend and caught at one boundary per entry point; the skill answers with a
// spoken "try again later".
class StorageError : public std::runtime_error {
 public:
  enum class Kind { kUnavailable, kTimeout, kThrottled, kCorrupt, kInternal };
  StorageError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// Users by id. Implementations are thread-safe; calls may block (run them off the I/O threads).
// Ids are compared byte for byte (case-sensitive).
class UserStore {
 public:
  virtual ~UserStore() = default;
  virtual std::optional<User> get(std::string_view id) = 0;
  // Stores `user` unless its id exists already; returns false (and changes nothing) then.
  virtual bool create(const User& user) = 0;
  // Stores `user`, replacing any user with the same id.
  virtual void put(const User& user) = 0;
  // Deletes the user; false when there was none.
  virtual bool remove(std::string_view id) = 0;
};

}  // namespace parley::storage
