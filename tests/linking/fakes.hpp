#pragma once

#include <map>
#include <mutex>

#include "parley/storage/user_store.hpp"

namespace parley::testing {

// Users in a map; `creates` counts successful creates so tests can assert "nothing stored".
class MemoryUserStore final : public storage::UserStore {
 public:
  std::optional<storage::User> get(std::string_view id) override {
    std::lock_guard lock{mutex_};
    auto it = users_.find(id);
    if (it == users_.end()) return std::nullopt;
    return it->second;
  }
  bool create(const storage::User& user) override {
    std::lock_guard lock{mutex_};
    return users_.emplace(user.id, user).second;
  }
  void put(const storage::User& user) override {
    std::lock_guard lock{mutex_};
    users_.insert_or_assign(user.id, user);
  }
  bool remove(std::string_view id) override {
    std::lock_guard lock{mutex_};
    auto it = users_.find(id);
    if (it == users_.end()) return false;
    users_.erase(it);
    return true;
  }
  std::size_t size() {
    std::lock_guard lock{mutex_};
    return users_.size();
  }

 private:
  std::mutex mutex_;
  std::map<std::string, storage::User, std::less<>> users_;
};

}  // namespace parley::testing
