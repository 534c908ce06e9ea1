#pragma once

#include <chrono>
#include <string>

#include "parley/storage/account_store.hpp"
#include "parley/storage/alexa_user_store.hpp"
#include "parley/storage/client_store.hpp"
#include "parley/storage/grant_store.hpp"
#include "parley/storage/pending_request_store.hpp"
#include "parley/storage/sqlite/connection_pool.hpp"
#include "parley/storage/throttle_store.hpp"

namespace parley::storage::sqlite {

// A file path (usually the same file as the users table), or ":memory:" for tests.
using LinkStoreOptions = PoolOptions;

// The linking tables (pending requests, clients, accounts, grants, throttle counters, Alexa
// users) in one SQLite file, WAL mode, created or migrated on construction (schema component
// "linking"). Thread-safe through a ConnectionPool; the atomic operations (consume, consumeCode,
// hit) are single conditional statements or immediate transactions, so they stay atomic across
// connections and processes sharing the file. Every store below borrows this database, which
// must outlive them.
class LinkDatabase {
 public:
  explicit LinkDatabase(const LinkStoreOptions& options);
  LinkDatabase(const LinkDatabase&) = delete;
  LinkDatabase& operator=(const LinkDatabase&) = delete;

  template <typename Work>
  auto run(Work&& work) {
    return pool_.run(std::forward<Work>(work));
  }
  const std::string& path() const { return pool_.path(); }

  static constexpr std::string_view kSchemaComponent = "linking";

 private:
  ConnectionPool pool_;
};

class SqlitePendingRequestStore final : public PendingRequestStore {
 public:
  explicit SqlitePendingRequestStore(LinkDatabase& db) : db_(db) {}
  void create(const PendingRequest& request) override;
  std::optional<PendingRequest> find(std::string_view handle_hash) override;
  bool replaceCsrf(std::string_view handle_hash, std::string_view csrf_hash) override;
  bool consume(std::string_view handle_hash, std::chrono::system_clock::time_point now) override;
  std::size_t sweep(std::chrono::system_clock::time_point now) override;

 private:
  LinkDatabase& db_;
};

class SqliteClientStore final : public ClientStore {
 public:
  explicit SqliteClientStore(LinkDatabase& db) : db_(db) {}
  std::optional<OAuthClient> find(std::string_view id) override;
  void put(const OAuthClient& client) override;
  bool remove(std::string_view id) override;
  std::vector<OAuthClient> list() override;

 private:
  LinkDatabase& db_;
};

class SqliteAccountStore final : public AccountStore {
 public:
  explicit SqliteAccountStore(LinkDatabase& db) : db_(db) {}
  std::optional<Account> findByEmail(std::string_view email) override;
  bool create(const Account& account) override;
  void updatePasswordHash(std::string_view email, std::string_view password_hash) override;
  bool remove(std::string_view email, std::string_view user_id) override;

 private:
  LinkDatabase& db_;
};

class SqliteGrantStore final : public GrantStore {
 public:
  explicit SqliteGrantStore(LinkDatabase& db) : db_(db) {}
  void createFamily(const GrantFamily& family) override;
  std::optional<GrantFamily> findFamily(std::string_view id) override;
  bool revokeFamily(std::string_view id, TimePoint now) override;
  std::size_t revokeFamiliesOf(std::string_view user_id, std::string_view client_id,
                               TimePoint now) override;
  void createCode(const AuthorizationCode& code) override;
  std::optional<AuthorizationCode> findCode(std::string_view hash) override;
  bool consumeCode(std::string_view hash, TimePoint now) override;
  void createAccessToken(const AccessToken& token) override;
  std::optional<AccessToken> findAccessToken(std::string_view hash) override;
  std::optional<AccessGrant> findAccessGrant(std::string_view hash) override;
  // One statement when `users` is a SqliteUserStore on this database's file.
  std::optional<AccessGrantWithUser> findAccessGrantWithUser(std::string_view hash,
                                                             UserStore& users,
                                                             TimePoint now) override;
  bool revokeAccessToken(std::string_view hash) override;
  void createRefreshToken(const RefreshToken& token) override;
  std::optional<RefreshToken> findRefreshToken(std::string_view hash) override;
  void updateRefreshToken(const RefreshToken& token) override;
  std::vector<RefreshToken> refreshChildren(std::string_view parent_hash) override;
  std::size_t sweep(TimePoint now, TimePoint revoked_before) override;

 private:
  LinkDatabase& db_;
};

class SqliteAlexaUserStore final : public AlexaUserStore {
 public:
  explicit SqliteAlexaUserStore(LinkDatabase& db) : db_(db) {}
  std::optional<AlexaUser> find(std::string_view alexa_user_id) override;
  void put(const AlexaUser& alexa_user) override;
  bool remove(std::string_view alexa_user_id) override;
  std::size_t removeLinksTo(std::string_view user_id) override;

 private:
  LinkDatabase& db_;
};

class SqliteThrottleStore final : public ThrottleStore {
 public:
  explicit SqliteThrottleStore(LinkDatabase& db) : db_(db) {}
  ThrottleCounter hit(std::string_view key, std::chrono::seconds window, ThrottleWindow kind,
                      std::chrono::system_clock::time_point now) override;
  std::optional<ThrottleCounter> get(std::string_view key) override;
  void reset(std::string_view key) override;
  std::size_t sweep(std::chrono::system_clock::time_point before) override;

 private:
  LinkDatabase& db_;
};

}  // namespace parley::storage::sqlite
