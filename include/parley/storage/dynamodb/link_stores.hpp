#pragma once

#include <string>

#include "parley/aws/dynamodb.hpp"
#include "parley/storage/account_store.hpp"
#include "parley/storage/alexa_user_store.hpp"
#include "parley/storage/client_store.hpp"
#include "parley/storage/grant_store.hpp"
#include "parley/storage/pending_request_store.hpp"
#include "parley/storage/throttle_store.hpp"

// The account-linking stores on DynamoDB, one table per entity (tables.hpp), every item keyed by
// the string `id`: the hex digest for requests, codes and tokens (so a lookup by hash is one
// strongly consistent GetItem), the client id, the normalized e-mail, the family id or the
// throttle key, the Alexa user id. Times are epoch milliseconds (N); expiring items also carry
// `ttl` (epoch seconds) for DynamoDB's TTL, which deletes late, so expiry is always checked
// against the clock as in the SQLite stores.
//
// Atomicity without transactions (dynalite has none): creates are conditional puts
// (attribute_not_exists(id)), so an id is never overwritten; consume and consumeCode are
// conditional updates that also write a random `consumedBy`, so a caller whose write landed but
// whose answer was lost (and retried into ConditionalCheckFailed) still learns it won; throttle
// hits are conditional ADD updates, restarted by a conditional put when the window is over.
// Queries on the GSIs (grants and Alexa users by userId, refresh tokens by parentHash) are
// eventually consistent on AWS: revokeFamiliesOf may miss a family created a moment before,
// refreshChildren a child created a moment before, and removeLinksTo an Alexa user linked a
// moment before. ClientStore::list() and the sweeps Scan their tables; they are operator tasks
// (`skill clients list`), on AWS TTL does the sweeping.
//
// Failures after the client's retries throw StorageError. Thread-safe as the client is; the
// client must outlive the stores.
namespace parley::storage::dynamodb {

struct LinkStoreOptions {
  std::string table_prefix{"parley-"};
};

class DynamoDbPendingRequestStore final : public PendingRequestStore {
 public:
  DynamoDbPendingRequestStore(aws::DynamoDbClient& client, const LinkStoreOptions& options);
  void create(const PendingRequest& request) override;
  std::optional<PendingRequest> find(std::string_view handle_hash) override;
  bool replaceCsrf(std::string_view handle_hash, std::string_view csrf_hash) override;
  bool consume(std::string_view handle_hash, std::chrono::system_clock::time_point now) override;
  std::size_t sweep(std::chrono::system_clock::time_point now) override;

 private:
  aws::DynamoDbClient& client_;
  std::string table_;
};

class DynamoDbClientStore final : public ClientStore {
 public:
  DynamoDbClientStore(aws::DynamoDbClient& client, const LinkStoreOptions& options);
  std::optional<OAuthClient> find(std::string_view id) override;
  void put(const OAuthClient& client) override;
  bool remove(std::string_view id) override;
  std::vector<OAuthClient> list() override;

 private:
  aws::DynamoDbClient& client_;
  std::string table_;
};

class DynamoDbAccountStore final : public AccountStore {
 public:
  DynamoDbAccountStore(aws::DynamoDbClient& client, const LinkStoreOptions& options);
  std::optional<Account> findByEmail(std::string_view email) override;
  bool create(const Account& account) override;
  void updatePasswordHash(std::string_view email, std::string_view password_hash) override;
  bool remove(std::string_view email, std::string_view user_id) override;

 private:
  aws::DynamoDbClient& client_;
  std::string table_;
};

class DynamoDbGrantStore final : public GrantStore {
 public:
  DynamoDbGrantStore(aws::DynamoDbClient& client, const LinkStoreOptions& options);
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
  // With a DynamoDbUserStore at the same endpoint: the token, then its family and user in one
  // BatchGetItem (two round trips, not three), as access tokens carry their family's user id.
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
  aws::DynamoDbClient& client_;
  std::string families_;
  std::string codes_;
  std::string access_tokens_;
  std::string refresh_tokens_;
};

class DynamoDbAlexaUserStore final : public AlexaUserStore {
 public:
  DynamoDbAlexaUserStore(aws::DynamoDbClient& client, const LinkStoreOptions& options);
  std::optional<AlexaUser> find(std::string_view alexa_user_id) override;
  void put(const AlexaUser& alexa_user) override;
  bool remove(std::string_view alexa_user_id) override;
  std::size_t removeLinksTo(std::string_view user_id) override;

 private:
  aws::DynamoDbClient& client_;
  std::string table_;
};

class DynamoDbThrottleStore final : public ThrottleStore {
 public:
  DynamoDbThrottleStore(aws::DynamoDbClient& client, const LinkStoreOptions& options);
  ThrottleCounter hit(std::string_view key, std::chrono::seconds window, ThrottleWindow kind,
                      std::chrono::system_clock::time_point now) override;
  std::optional<ThrottleCounter> get(std::string_view key) override;
  void reset(std::string_view key) override;
  std::size_t sweep(std::chrono::system_clock::time_point before) override;

 private:
  aws::DynamoDbClient& client_;
  std::string table_;
};

}  // namespace parley::storage::dynamodb
