#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "parley/storage/user_store.hpp"

namespace parley::fakes {

// An in-memory UserStore. `fail_with` makes every call throw, as a broken database would.
class MemoryUserStore final : public storage::UserStore {
 public:
  std::optional<storage::User> get(std::string_view id) override {
    const std::lock_guard lock(mutex_);
    fail();
    ++gets_;
    const auto found = users_.find(std::string(id));
    if (found == users_.end()) return std::nullopt;
    return found->second;
  }
  bool create(const storage::User& user) override {
    const std::lock_guard lock(mutex_);
    fail();
    return users_.emplace(user.id, user).second;
  }
  void put(const storage::User& user) override {
    const std::lock_guard lock(mutex_);
    fail();
    users_[user.id] = user;
  }
  bool remove(std::string_view id) override {
    const std::lock_guard lock(mutex_);
    fail();
    return users_.erase(std::string(id)) == 1;
  }

  void failWith(std::optional<storage::StorageError::Kind> kind) {
    const std::lock_guard lock(mutex_);
    fail_with_ = kind;
  }
  int gets() const {
    const std::lock_guard lock(mutex_);
    return gets_;
  }
  std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return users_.size();
  }

 private:
  void fail() const {
    if (fail_with_) throw storage::StorageError(*fail_with_, "memory store told to fail");
  }

  mutable std::mutex mutex_;
  std::map<std::string, storage::User, std::less<>> users_;
  std::optional<storage::StorageError::Kind> fail_with_;
  int gets_ = 0;
};

}  // namespace parley::fakes
