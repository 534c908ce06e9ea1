#pragma once

#include <string>

#include "parley/aws/dynamodb.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::storage::dynamodb {

struct UserStoreOptions {
  std::string table_prefix{"parley-"};  // users live in <prefix>users
};

// Users in DynamoDB, one item per user in <prefix>users:
//   id (S, the key), email (S), createdAt (N, epoch milliseconds), attributes (M).
// Reads are strongly consistent (a user linked a moment ago must be found). create() is a
// conditional put (attribute_not_exists), so concurrent creates of one id have one winner.
// Failures after the client's retries throw StorageError. Thread-safe as the client is; the
// client must outlive the store.
class DynamoDbUserStore : public UserStore {
 public:
  DynamoDbUserStore(aws::DynamoDbClient& client, UserStoreOptions options);

  std::optional<User> get(std::string_view id) override;
  bool create(const User& user) override;
  void put(const User& user) override;
  // A delete whose answer was lost is retried into "no such user": false, though it was deleted.
  bool remove(std::string_view id) override;

  const std::string& table() const { return table_; }
  // The DynamoDB endpoint this store reads from: a store on another client at the same endpoint
  // may read the table itself (the grant store batches a grant's family and user).
  const std::string& endpoint() const { return client_.endpoint(); }

 private:
  aws::DynamoDbClient& client_;
  std::string table_;
};

// A user from its item in the users table; throws StorageError(kCorrupt) on a malformed item.
User userFromItem(const aws::Item& item);

// The StorageError a failed DynamoDB call becomes: throttling -> kThrottled, timeouts and the
// deadline -> kTimeout, unreachable/5xx/missing table/credentials -> kUnavailable, corrupt
// answers -> kCorrupt, anything else (our bug) -> kInternal.
StorageError toStorageError(const aws::DynamoDbError& error, std::string_view action);

}  // namespace parley::storage::dynamodb
