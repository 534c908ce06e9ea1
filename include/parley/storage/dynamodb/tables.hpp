#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/aws/dynamodb.hpp"

namespace parley::storage::dynamodb {

// Table layout: one on-demand table per entity type, named <prefix><entity>, each keyed by a
// string `id` and with TTL on the number attribute `ttl` (epoch seconds). Users never set
// `ttl`; short-lived entities (codes, tokens, pending requests, throttle counters) do, and
// readers still compare their own expiry with the clock because DynamoDB deletes expired items
// late. A new entity type is one more TableSpec in tableSpecs() plus its store; README.md
// ("DynamoDB") and deploy/serverless.yml list the same tables.
struct TableSpec {
  std::string entity{};  // "users"
  std::string name{};    // "<prefix>users"
  std::string hash_key{"id"};
  std::string ttl_attribute{"ttl"};
  std::vector<aws::GlobalSecondaryIndex> indexes{};
};

inline constexpr std::string_view kUsersEntity = "users";
// The account-linking entities (link_stores.hpp); the key `id` is named after each.
inline constexpr std::string_view kPendingRequestsEntity = "authorization-requests";  // handle hash
inline constexpr std::string_view kClientsEntity = "clients";                         // client id
inline constexpr std::string_view kAccountsEntity = "accounts";             // normalized e-mail
inline constexpr std::string_view kGrantsEntity = "grants";                 // family id
inline constexpr std::string_view kCodesEntity = "authorization-codes";     // code hash
inline constexpr std::string_view kAccessTokensEntity = "access-tokens";    // token hash
inline constexpr std::string_view kRefreshTokensEntity = "refresh-tokens";  // token hash
inline constexpr std::string_view kThrottleEntity = "throttle";             // counter key
inline constexpr std::string_view kAlexaUsersEntity = "alexa-users";        // Alexa user id
// grants: userId -> families, for revoking a user's links.
inline constexpr std::string_view kGrantsByUserIndex = "by-user";
// alexa-users: userId -> the Alexa users linked to a user, for deleting the user.
inline constexpr std::string_view kAlexaUsersByUserIndex = "by-user";
// refresh-tokens: parentHash + createdAt -> a rotated token's children, oldest first.
inline constexpr std::string_view kRefreshByParentIndex = "by-parent";

std::vector<TableSpec> tableSpecs(std::string_view table_prefix);
std::string tableName(std::string_view table_prefix, std::string_view entity);

struct CreateTablesOptions {
  // How long to wait for each table to become ACTIVE, and how often to ask.
  std::chrono::milliseconds wait{std::chrono::minutes(2)};
  std::chrono::milliseconds poll_interval{std::chrono::milliseconds(500)};
  aws::Sleeper sleeper{aws::realSleeper()};
  // One human-readable line per step ("created parley-users", …).
  std::function<void(const std::string&)> progress{};
};

// Creates every table that is missing (on-demand billing), enables TTL, and waits until all are
// ACTIVE. Idempotent: existing tables and TTL already on are fine. An endpoint without
// UpdateTimeToLive (dynalite) is reported through `progress` and skipped. Throws StorageError.
void createTables(aws::DynamoDbClient& client, std::string_view table_prefix,
                  const CreateTablesOptions& options = {});

}  // namespace parley::storage::dynamodb
