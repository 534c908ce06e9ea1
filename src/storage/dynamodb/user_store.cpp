#include "parley/storage/dynamodb/user_store.hpp"

#include <boost/json.hpp>

#include "parley/aws/attribute_value.hpp"
#include "parley/storage/dynamodb/tables.hpp"

namespace parley::storage::dynamodb {
namespace {

using aws::Error;

// DynamoDB refuses empty keys and keys over 2048 bytes; such ids can never be stored.
constexpr std::size_t kMaxKeyBytes = 2048;
bool storableId(std::string_view id) { return !id.empty() && id.size() <= kMaxKeyBytes; }

aws::Item keyOf(std::string_view id) { return {{"id", aws::attrS(id)}}; }

aws::Item toItem(const User& user) {
  auto millis = std::chrono::floor<std::chrono::milliseconds>(user.created_at.time_since_epoch());
  return {{"id", aws::attrS(user.id)},
          {"email", aws::attrS(user.email)},
          {"createdAt", aws::attrN(millis.count())},
          {"attributes", {{"M", aws::marshalItem(user.attributes)}}}};
}

StorageError corrupt(std::string_view what) {
  return {StorageError::Kind::kCorrupt, "DynamoDB user item is corrupt: " + std::string(what)};
}

}  // namespace

User userFromItem(const aws::Item& item) {
  auto plain = aws::unmarshalItem(item);
  if (!plain) throw corrupt("not valid attribute values");
  const auto* id = plain->if_contains("id");
  const auto* email = plain->if_contains("email");
  const auto* created = plain->if_contains("createdAt");
  const auto* attributes = plain->if_contains("attributes");
  if (id == nullptr || !id->is_string()) throw corrupt("id");
  if (email == nullptr || !email->is_string()) throw corrupt("email");
  if (created == nullptr || !created->is_int64()) throw corrupt("createdAt");
  User user{
      .id = std::string(id->get_string()),
      .email = std::string(email->get_string()),
      .created_at =
          std::chrono::system_clock::time_point{std::chrono::milliseconds{created->get_int64()}},
      .attributes = {}};
  if (attributes != nullptr) {
    if (!attributes->is_object()) throw corrupt("attributes");
    user.attributes = attributes->get_object();
  }
  return user;
}

namespace {

void checkId(std::string_view id) {
  if (!storableId(id)) {
    throw StorageError(StorageError::Kind::kInternal,
                       "user id must be 1 to 2048 bytes to be stored in DynamoDB");
  }
}

}  // namespace

StorageError toStorageError(const aws::DynamoDbError& error, std::string_view action) {
  using Kind = StorageError::Kind;
  Kind kind = Kind::kInternal;
  switch (error.error) {
    case Error::kThrottled:
      kind = Kind::kThrottled;
      break;
    case Error::kTimeout:
    case Error::kDeadlineExceeded:
      kind = Kind::kTimeout;
      break;
    case Error::kConnectFailed:
    case Error::kServiceUnavailable:
    case Error::kResourceNotFound:
    case Error::kAccessDenied:
    case Error::kNoCredentials:
    case Error::kInvalidCredentials:
    case Error::kCredentialsEndpointFailed:
    case Error::kNoRegion:
    case Error::kInvalidEndpoint:
      kind = Kind::kUnavailable;
      break;
    case Error::kBadResponse:
      kind = Kind::kCorrupt;
      break;
    default:
      kind = Kind::kInternal;
      break;
  }
  return {kind, "DynamoDB " + std::string(action) + ": " + error.describe()};
}

DynamoDbUserStore::DynamoDbUserStore(aws::DynamoDbClient& client, UserStoreOptions options)
    : client_(client), table_(tableName(options.table_prefix, kUsersEntity)) {}

std::optional<User> DynamoDbUserStore::get(std::string_view id) {
  if (!storableId(id)) return std::nullopt;
  auto item = client_.getItem(table_, keyOf(id), true);
  if (!item) throw toStorageError(item.error(), "get user");
  if (!*item) return std::nullopt;
  return userFromItem(**item);
}

bool DynamoDbUserStore::create(const User& user) {
  checkId(user.id);
  auto put = client_.putItem({.table = table_,
                              .item = toItem(user),
                              .condition = "attribute_not_exists(#id)",
                              .names = {{"#id", "id"}},
                              .values = {}});
  if (put) return true;
  if (put.error().error == Error::kConditionalCheckFailed) return false;
  throw toStorageError(put.error(), "create user");
}

void DynamoDbUserStore::put(const User& user) {
  checkId(user.id);
  auto put = client_.putItem({.table = table_, .item = toItem(user)});
  if (!put) throw toStorageError(put.error(), "put user");
}

bool DynamoDbUserStore::remove(std::string_view id) {
  if (!storableId(id)) return false;
  auto removed = client_.deleteItem({.table = table_,
                                     .key = keyOf(id),
                                     .condition = "attribute_exists(#id)",
                                     .names = {{"#id", "id"}},
                                     .values = {}});
  if (removed) return true;
  if (removed.error().error == Error::kConditionalCheckFailed) return false;
  throw toStorageError(removed.error(), "delete user");
}

}  // namespace parley::storage::dynamodb
