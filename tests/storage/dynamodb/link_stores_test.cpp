// The linking stores on dynalite: the shared conformance suite, the key schema and TTL attributes
// as stored, and conditional writes whose answer was lost on the way back.
#include "parley/storage/dynamodb/link_stores.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "aws/support/node_tools.hpp"
#include "parley/aws/attribute_value.hpp"
#include "parley/storage/dynamodb/user_store.hpp"
#include "storage/dynamodb/support.hpp"
#include "storage/link_store_conformance.hpp"
#include "support/fixtures.hpp"

namespace parley::storage::dynamodb {
namespace {

using namespace std::chrono_literals;
using parley::testing::sharedDynalite;
using storage::testing::link_conformance::kNow;

// The stores on their own fresh tables, through a client of their own.
class DynamoDbStores final : public storage::testing::LinkStoreSet {
 public:
  explicit DynamoDbStores(const std::string& endpoint = sharedDynalite().endpoint(),
                          std::string prefix = testing::uniquePrefix(), bool create = true)
      : client_(endpoint), prefix_(std::move(prefix)) {
    if (create) createTables(client_.client, prefix_, {.wait = 5s});
  }
  PendingRequestStore& pending() override { return pending_; }
  ClientStore& clients() override { return clients_; }
  AccountStore& accounts() override { return accounts_; }
  GrantStore& grants() override { return grants_; }
  ThrottleStore& throttle() override { return throttle_; }
  AlexaUserStore& alexaUsers() override { return alexa_users_; }
  UserStore& users() override { return users_; }
  aws::DynamoDbClient& client() { return client_.client; }
  const std::string& prefix() const { return prefix_; }

 private:
  testing::TestClient client_;
  std::string prefix_;
  LinkStoreOptions options_{.table_prefix = prefix_};
  DynamoDbPendingRequestStore pending_{client_.client, options_};
  DynamoDbClientStore clients_{client_.client, options_};
  DynamoDbAccountStore accounts_{client_.client, options_};
  DynamoDbGrantStore grants_{client_.client, options_};
  DynamoDbThrottleStore throttle_{client_.client, options_};
  DynamoDbAlexaUserStore alexa_users_{client_.client, options_};
  DynamoDbUserStore users_{client_.client, {.table_prefix = prefix_}};
};

// An item as DynamoDB holds it, read with the plain client.
boost::json::object rawItem(DynamoDbStores& stores, std::string_view entity, std::string_view id) {
  auto item =
      stores.client().getItem(tableName(stores.prefix(), entity), {{"id", aws::attrS(id)}}, true);
  EXPECT_TRUE(item && *item) << "no item " << id << " in " << entity;
  if (!item || !*item) return {};
  return *aws::unmarshalItem(**item);
}

TEST(DynamoDbLinkStores, TokensAreItemsKeyedByTheirHashWithTtlInEpochSeconds) {
  DynamoDbStores stores;
  const std::string hash(64, 'a');
  stores.grants().createAccessToken({.hash = hash,
                                     .family_id = "f1",
                                     .created_at = kNow,
                                     .expires_at = kNow + 3600s + 1ms,
                                     .revoked = false});
  auto token = rawItem(stores, kAccessTokensEntity, hash);
  EXPECT_EQ(token.at("familyId"), "f1");
  EXPECT_EQ(token.at("createdAt").as_int64(), 1'700'000'000'000);
  EXPECT_EQ(token.at("expiresAt").as_int64(), 1'700'003'600'001);
  EXPECT_EQ(token.at("ttl").as_int64(), 1'700'003'601);  // rounded up, never early
  stores.grants().createAccessToken(
      {.hash = "forever", .family_id = "f1", .created_at = kNow, .expires_at = {}, .revoked = {}});
  EXPECT_FALSE(rawItem(stores, kAccessTokensEntity, "forever").contains("ttl"));

  stores.pending().create(storage::testing::link_conformance::pendingRequest("handle"));
  EXPECT_EQ(rawItem(stores, kPendingRequestsEntity, "handle").at("ttl").as_int64(), 1'700'000'600);
  stores.throttle().hit("ip:x", 300s, ThrottleWindow::kFixed, kNow);
  auto counter = rawItem(stores, kThrottleEntity, "ip:x");
  EXPECT_EQ(counter.at("count").as_int64(), 1);
  EXPECT_EQ(counter.at("ttl").as_int64(), 1'700'000'300);
}

TEST(DynamoDbLinkStores, CreateTablesAddsTheIndexesTheStoresQuery) {
  DynamoDbStores stores;
  auto indexOf = [&](std::string_view entity) {
    auto described =
        stores.client().call("DescribeTable", {{"TableName", tableName(stores.prefix(), entity)}});
    EXPECT_TRUE(described);
    if (!described) return boost::json::value{};
    return described->at("Table").at("GlobalSecondaryIndexes").at(0);
  };
  auto by_user = indexOf(kGrantsEntity);
  EXPECT_EQ(by_user.at("IndexName"), boost::json::value(kGrantsByUserIndex));
  EXPECT_EQ(by_user.at("KeySchema"),
            boost::json::parse(R"([{"AttributeName":"userId","KeyType":"HASH"}])"));
  auto alexa_by_user = indexOf(kAlexaUsersEntity);
  EXPECT_EQ(alexa_by_user.at("IndexName"), boost::json::value(kAlexaUsersByUserIndex));
  EXPECT_EQ(alexa_by_user.at("KeySchema"),
            boost::json::parse(R"([{"AttributeName":"userId","KeyType":"HASH"}])"));
  auto by_parent = indexOf(kRefreshTokensEntity);
  EXPECT_EQ(by_parent.at("IndexName"), boost::json::value(kRefreshByParentIndex));
  EXPECT_EQ(by_parent.at("KeySchema"), boost::json::parse(R"([
      {"AttributeName":"parentHash","KeyType":"HASH"},
      {"AttributeName":"createdAt","KeyType":"RANGE"}])"));
}

// deploy/serverless.yml must declare what `skill db create-tables` creates (its keys, TTL and
// IAM are checked on the generated CloudFormation by tests/lambda/js/serverless_package.js).
TEST(DynamoDbLinkStores, ServerlessDescriptorDeclaresEveryTableAndIndex) {
  const auto descriptor =
      parley::testing::readFile(parley::testing::sourceDir() / "deploy" / "serverless.yml");
  std::size_t declared = 0;
  for (auto at = descriptor.find("Type: AWS::DynamoDB::Table"); at != std::string::npos;
       at = descriptor.find("Type: AWS::DynamoDB::Table", at + 1)) {
    ++declared;
  }
  const auto specs = tableSpecs("");
  EXPECT_EQ(declared, specs.size());
  for (const auto& spec : specs) {
    EXPECT_NE(descriptor.find("TableName: ${self:custom.tablePrefix}" + spec.entity + "\n"),
              std::string::npos)
        << spec.entity;
    for (const auto& index : spec.indexes) {
      EXPECT_NE(descriptor.find("IndexName: " + index.name + "\n"), std::string::npos)
          << index.name;
    }
  }
}

TEST(DynamoDbLinkStores, CorruptItemsAreStorageErrors) {
  DynamoDbStores stores;
  ASSERT_TRUE(
      stores.client().putItem({.table = tableName(stores.prefix(), kCodesEntity),
                               .item = {{"id", aws::attrS("bad")}, {"familyId", aws::attrN(5)}}}));
  try {
    stores.grants().findCode("bad");
    FAIL() << "no exception";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kCorrupt);
    EXPECT_NE(std::string(error.what()).find("familyId"), std::string::npos) << error.what();
  }
}

TEST(DynamoDbLinkStores, AConsumeWhoseAnswerWasLostStillWinsOnce) {
  DynamoDbStores direct;
  direct.grants().createCode(storage::testing::link_conformance::code("lost-answer"));
  direct.pending().create(storage::testing::link_conformance::pendingRequest("lost-answer"));

  testing::DynaliteProxy proxy(1);
  DynamoDbStores via_proxy(proxy.endpoint(), direct.prefix(), false);
  EXPECT_TRUE(via_proxy.grants().consumeCode("lost-answer", kNow));
  EXPECT_GE(proxy.seen(), 2);
  EXPECT_FALSE(direct.grants().consumeCode("lost-answer", kNow));

  // Someone else consumed the request first: a lost answer must not make it ours.
  EXPECT_TRUE(direct.pending().consume("lost-answer", kNow));
  testing::DynaliteProxy late(1);
  DynamoDbStores via_late(late.endpoint(), direct.prefix(), false);
  EXPECT_FALSE(via_late.pending().consume("lost-answer", kNow));
}

TEST(DynamoDbLinkStores, ACreateWhoseAnswerWasLostIsNotAnError) {
  DynamoDbStores direct;
  testing::DynaliteProxy proxy(1);
  DynamoDbStores via_proxy(proxy.endpoint(), direct.prefix(), false);
  via_proxy.grants().createFamily(storage::testing::link_conformance::family("f-lost", "c", "u"));
  EXPECT_EQ(direct.grants().findFamily("f-lost")->user_id, "u");
  EXPECT_TRUE(via_proxy.accounts().create(
      {.user_id = "u", .email = "lost@b.co", .password_hash = "h", .created_at = kNow}));
}

// A skill request's lookup: the token names its family's user, so the family and the user come
// in one BatchGetItem after the token. Older tokens, and dead ones, take the long way.
TEST(DynamoDbLinkStores, AGrantAndItsUserTakeTwoRoundTrips) {
  using storage::testing::link_conformance::accessToken;
  using storage::testing::link_conformance::family;
  DynamoDbStores direct;
  ASSERT_TRUE(direct.users().create(
      {.id = "u1", .email = "ada@example.com", .created_at = kNow, .attributes = {}}));
  direct.grants().createFamily(family("f1", "c1", "u1"));

  testing::DynaliteProxy proxy;
  DynamoDbStores stores(proxy.endpoint(), direct.prefix(), false);
  // Issuing writes the token with its user: no read of the family.
  stores.grants().createAccessToken(accessToken("live", "f1", kNow + 3600s, "u1"));
  EXPECT_EQ(proxy.takeOperations(), (std::vector<std::string>{"PutItem"}));
  EXPECT_EQ(rawItem(direct, kAccessTokensEntity, "live").at("userId"), "u1");
  auto found = stores.grants().findAccessGrantWithUser("live", stores.users(), kNow);
  ASSERT_TRUE(found && found->user);
  EXPECT_EQ(found->user->email, "ada@example.com");
  EXPECT_EQ(found->grant, direct.grants().findAccessGrant("live"));
  EXPECT_EQ(proxy.takeOperations(), (std::vector<std::string>{"GetItem", "BatchGetItem"}));

  // Expired: the family is still reported, the user not read.
  found = stores.grants().findAccessGrantWithUser("live", stores.users(), kNow + 3600s);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->user);
  EXPECT_EQ(proxy.takeOperations(), (std::vector<std::string>{"GetItem", "GetItem"}));

  // A token stored before tokens carried their user: token, family, user.
  ASSERT_TRUE(direct.client().putItem({.table = tableName(direct.prefix(), kAccessTokensEntity),
                                       .item = {{"id", aws::attrS("older")},
                                                {"familyId", aws::attrS("f1")},
                                                {"createdAt", aws::attrN(1'700'000'000'000)},
                                                {"revoked", {{"BOOL", false}}}}}));
  found = stores.grants().findAccessGrantWithUser("older", stores.users(), kNow);
  ASSERT_TRUE(found && found->user);
  EXPECT_EQ(found->user->id, "u1");
  EXPECT_EQ(proxy.takeOperations(), (std::vector<std::string>{"GetItem", "GetItem", "GetItem"}));

  // The user gone, the family gone: as the conformance suite says, through the batch.
  ASSERT_TRUE(direct.users().remove("u1"));
  found = stores.grants().findAccessGrantWithUser("live", stores.users(), kNow);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->user);
  direct.grants().createAccessToken(accessToken("orphan", "f1", std::nullopt));
  ASSERT_TRUE(direct.client().deleteItem(
      {.table = tableName(direct.prefix(), kGrantsEntity), .key = {{"id", aws::attrS("f1")}}}));
  EXPECT_FALSE(stores.grants().findAccessGrantWithUser("orphan", stores.users(), kNow));
}

TEST(DynamoDbLinkStores, UnreachableDynamoDbIsUnavailable) {
  DynamoDbStores stores(testing::unusedEndpoint(), "unreachable-", false);
  try {
    stores.grants().findAccessToken(std::string(64, 'a'));
    FAIL() << "no exception";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kUnavailable);
  }
}

}  // namespace
}  // namespace parley::storage::dynamodb

namespace parley::storage::testing {

INSTANTIATE_TEST_SUITE_P(DynamoDb, LinkStoreConformance,
                         ::testing::Values(LinkStoreBackend{
                             "Dynalite",
                             [] { return std::make_unique<dynamodb::DynamoDbStores>(); }}),
                         linkBackendName);

}  // namespace parley::storage::testing
