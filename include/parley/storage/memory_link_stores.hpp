#pragma once

// In-memory linking stores for tests and single-process development servers. Each store owns its
// mutex; nothing survives a restart. Like the other backends, creating a record whose key exists
// throws StorageError and keeps the first record.

#include <algorithm>
#include <map>
#include <mutex>

#include "parley/storage/account_store.hpp"
#include "parley/storage/alexa_user_store.hpp"
#include "parley/storage/client_store.hpp"
#include "parley/storage/grant_store.hpp"
#include "parley/storage/pending_request_store.hpp"
#include "parley/storage/throttle_store.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::storage {

namespace memory_detail {
template <typename Map, typename Record>
void insertNew(Map& map, const std::string& key, const Record& record) {
  if (!map.emplace(key, record).second) {
    throw StorageError(StorageError::Kind::kInternal, "a record with this key exists already");
  }
}
}  // namespace memory_detail

class MemoryPendingRequestStore final : public PendingRequestStore {
 public:
  void create(const PendingRequest& request) override {
    std::lock_guard lock{mutex_};
    memory_detail::insertNew(requests_, request.handle_hash, request);
  }
  std::optional<PendingRequest> find(std::string_view handle_hash) override {
    std::lock_guard lock{mutex_};
    auto it = requests_.find(handle_hash);
    if (it == requests_.end()) return std::nullopt;
    return it->second;
  }
  bool replaceCsrf(std::string_view handle_hash, std::string_view csrf_hash) override {
    std::lock_guard lock{mutex_};
    auto it = requests_.find(handle_hash);
    if (it == requests_.end() || it->second.consumed) return false;
    it->second.csrf_hash = csrf_hash;
    return true;
  }
  bool consume(std::string_view handle_hash, std::chrono::system_clock::time_point now) override {
    std::lock_guard lock{mutex_};
    auto it = requests_.find(handle_hash);
    if (it == requests_.end() || it->second.consumed || it->second.expires_at <= now) return false;
    it->second.consumed = true;
    return true;
  }
  std::size_t sweep(std::chrono::system_clock::time_point now) override {
    std::lock_guard lock{mutex_};
    return std::erase_if(requests_,
                         [now](const auto& entry) { return entry.second.expires_at < now; });
  }
  std::size_t size() const {
    std::lock_guard lock{mutex_};
    return requests_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, PendingRequest, std::less<>> requests_;
};

class MemoryClientStore final : public ClientStore {
 public:
  std::optional<OAuthClient> find(std::string_view id) override {
    std::lock_guard lock{mutex_};
    auto it = clients_.find(id);
    if (it == clients_.end()) return std::nullopt;
    return it->second;
  }
  void put(const OAuthClient& client) override {
    std::lock_guard lock{mutex_};
    clients_.insert_or_assign(client.id, client);
  }
  bool remove(std::string_view id) override {
    std::lock_guard lock{mutex_};
    auto it = clients_.find(id);
    if (it == clients_.end()) return false;
    clients_.erase(it);
    return true;
  }
  std::vector<OAuthClient> list() override {
    std::lock_guard lock{mutex_};
    std::vector<OAuthClient> out;
    for (const auto& [id, client] : clients_) out.push_back(client);
    return out;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, OAuthClient, std::less<>> clients_;
};

class MemoryAccountStore final : public AccountStore {
 public:
  std::optional<Account> findByEmail(std::string_view email) override {
    std::lock_guard lock{mutex_};
    auto it = accounts_.find(email);
    if (it == accounts_.end()) return std::nullopt;
    return it->second;
  }
  bool create(const Account& account) override {
    std::lock_guard lock{mutex_};
    return accounts_.emplace(account.email, account).second;
  }
  void updatePasswordHash(std::string_view email, std::string_view password_hash) override {
    std::lock_guard lock{mutex_};
    if (auto it = accounts_.find(email); it != accounts_.end())
      it->second.password_hash = password_hash;
  }
  bool remove(std::string_view email, std::string_view user_id) override {
    std::lock_guard lock{mutex_};
    auto it = accounts_.find(email);
    if (it == accounts_.end() || it->second.user_id != user_id) return false;
    accounts_.erase(it);
    return true;
  }
  std::size_t size() const {
    std::lock_guard lock{mutex_};
    return accounts_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Account, std::less<>> accounts_;
};

class MemoryGrantStore final : public GrantStore {
 public:
  void createFamily(const GrantFamily& family) override {
    std::lock_guard lock{mutex_};
    memory_detail::insertNew(families_, family.id, family);
  }
  std::optional<GrantFamily> findFamily(std::string_view id) override {
    std::lock_guard lock{mutex_};
    return lookup(families_, id);
  }
  bool revokeFamily(std::string_view id, TimePoint now) override {
    std::lock_guard lock{mutex_};
    auto it = families_.find(id);
    if (it == families_.end() || it->second.revoked_at) return false;
    it->second.revoked_at = now;
    return true;
  }
  std::size_t revokeFamiliesOf(std::string_view user_id, std::string_view client_id,
                               TimePoint now) override {
    std::lock_guard lock{mutex_};
    std::size_t revoked = 0;
    for (auto& [id, family] : families_) {
      if (family.user_id != user_id || family.revoked_at) continue;
      if (!client_id.empty() && family.client_id != client_id) continue;
      family.revoked_at = now;
      ++revoked;
    }
    return revoked;
  }
  void createCode(const AuthorizationCode& code) override {
    std::lock_guard lock{mutex_};
    memory_detail::insertNew(codes_, code.hash, code);
  }
  std::optional<AuthorizationCode> findCode(std::string_view hash) override {
    std::lock_guard lock{mutex_};
    return lookup(codes_, hash);
  }
  bool consumeCode(std::string_view hash, TimePoint now) override {
    std::lock_guard lock{mutex_};
    auto it = codes_.find(hash);
    if (it == codes_.end() || it->second.consumed_at) return false;
    it->second.consumed_at = now;
    return true;
  }
  void createAccessToken(const AccessToken& token) override {
    std::lock_guard lock{mutex_};
    memory_detail::insertNew(access_, token.hash, token);
  }
  std::optional<AccessToken> findAccessToken(std::string_view hash) override {
    std::lock_guard lock{mutex_};
    return lookup(access_, hash);
  }
  std::optional<AccessGrant> findAccessGrant(std::string_view hash) override {
    std::lock_guard lock{mutex_};
    auto token = lookup(access_, hash);
    if (!token) return std::nullopt;
    auto family = lookup(families_, token->family_id);
    if (!family) return std::nullopt;
    return AccessGrant{.token = std::move(*token), .family = std::move(*family)};
  }
  bool revokeAccessToken(std::string_view hash) override {
    std::lock_guard lock{mutex_};
    auto it = access_.find(hash);
    if (it == access_.end() || it->second.revoked) return false;
    it->second.revoked = true;
    return true;
  }
  void createRefreshToken(const RefreshToken& token) override {
    std::lock_guard lock{mutex_};
    memory_detail::insertNew(refresh_, token.hash, token);
  }
  std::optional<RefreshToken> findRefreshToken(std::string_view hash) override {
    std::lock_guard lock{mutex_};
    return lookup(refresh_, hash);
  }
  void updateRefreshToken(const RefreshToken& token) override {
    std::lock_guard lock{mutex_};
    auto it = refresh_.find(token.hash);
    if (it == refresh_.end()) return;
    it->second.first_used_at = token.first_used_at;
    it->second.revoke_after = token.revoke_after;
    it->second.revoked = token.revoked;
  }
  std::vector<RefreshToken> refreshChildren(std::string_view parent_hash) override {
    std::lock_guard lock{mutex_};
    std::vector<RefreshToken> children;
    for (const auto& [hash, token] : refresh_) {
      if (token.parent_hash == parent_hash) children.push_back(token);
    }
    std::sort(children.begin(), children.end(),
              [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
    return children;
  }
  std::size_t sweep(TimePoint now, TimePoint revoked_before) override {
    std::lock_guard lock{mutex_};
    auto dead = [&](std::string_view family_id) {
      auto it = families_.find(family_id);
      return it == families_.end() ||
             (it->second.revoked_at && *it->second.revoked_at < revoked_before);
    };
    std::size_t removed = 0;
    removed += std::erase_if(codes_, [&](const auto& e) { return e.second.expires_at < now; });
    removed += std::erase_if(access_, [&](const auto& e) {
      return (e.second.expires_at && *e.second.expires_at < now) || dead(e.second.family_id);
    });
    removed += std::erase_if(refresh_, [&](const auto& e) { return dead(e.second.family_id); });
    removed += std::erase_if(families_, [&](const auto& e) {
      return e.second.revoked_at && *e.second.revoked_at < revoked_before;
    });
    return removed;
  }

 private:
  template <typename Map>
  static std::optional<typename Map::mapped_type> lookup(const Map& map, std::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) return std::nullopt;
    return it->second;
  }

  std::mutex mutex_;
  std::map<std::string, GrantFamily, std::less<>> families_;
  std::map<std::string, AuthorizationCode, std::less<>> codes_;
  std::map<std::string, AccessToken, std::less<>> access_;
  std::map<std::string, RefreshToken, std::less<>> refresh_;
};

class MemoryAlexaUserStore final : public AlexaUserStore {
 public:
  std::optional<AlexaUser> find(std::string_view alexa_user_id) override {
    std::lock_guard lock{mutex_};
    auto it = alexa_users_.find(alexa_user_id);
    if (it == alexa_users_.end()) return std::nullopt;
    return it->second;
  }
  void put(const AlexaUser& alexa_user) override {
    std::lock_guard lock{mutex_};
    alexa_users_.insert_or_assign(alexa_user.alexa_user_id, alexa_user);
  }
  bool remove(std::string_view alexa_user_id) override {
    std::lock_guard lock{mutex_};
    auto it = alexa_users_.find(alexa_user_id);
    if (it == alexa_users_.end()) return false;
    alexa_users_.erase(it);
    return true;
  }
  std::size_t removeLinksTo(std::string_view user_id) override {
    std::lock_guard lock{mutex_};
    return std::erase_if(alexa_users_,
                         [user_id](const auto& entry) { return entry.second.user_id == user_id; });
  }

 private:
  std::mutex mutex_;
  std::map<std::string, AlexaUser, std::less<>> alexa_users_;
};

class MemoryThrottleStore final : public ThrottleStore {
 public:
  ThrottleCounter hit(std::string_view key, std::chrono::seconds window, ThrottleWindow kind,
                      std::chrono::system_clock::time_point now) override {
    std::lock_guard lock{mutex_};
    auto [it, fresh] = counters_.try_emplace(std::string{key});
    auto& counter = it->second;
    auto since = kind == ThrottleWindow::kFixed ? counter.window_start : counter.last;
    if (fresh || now - since >= window) counter = ThrottleCounter{0, now, now};
    ++counter.count;
    counter.last = now;
    return counter;
  }
  std::optional<ThrottleCounter> get(std::string_view key) override {
    std::lock_guard lock{mutex_};
    auto it = counters_.find(key);
    if (it == counters_.end()) return std::nullopt;
    return it->second;
  }
  void reset(std::string_view key) override {
    std::lock_guard lock{mutex_};
    if (auto it = counters_.find(key); it != counters_.end()) counters_.erase(it);
  }
  std::size_t sweep(std::chrono::system_clock::time_point before) override {
    std::lock_guard lock{mutex_};
    return std::erase_if(counters_, [before](const auto& e) { return e.second.last < before; });
  }

 private:
  std::mutex mutex_;
  std::map<std::string, ThrottleCounter, std::less<>> counters_;
};

}  // namespace parley::storage
