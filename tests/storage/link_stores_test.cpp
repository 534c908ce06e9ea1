// The linking stores' conformance suite on the in-memory and SQLite backends.
#include "parley/storage/sqlite/link_stores.hpp"

#include "fakes/memory_user_store.hpp"
#include "parley/storage/memory_link_stores.hpp"
#include "parley/storage/sqlite/schema.hpp"
#include "parley/storage/sqlite/user_store.hpp"
#include "storage/link_store_conformance.hpp"
#include "support/temp_dir.hpp"

namespace parley::storage::testing {
namespace {

class MemoryStores final : public LinkStoreSet {
 public:
  PendingRequestStore& pending() override { return pending_; }
  ClientStore& clients() override { return clients_; }
  AccountStore& accounts() override { return accounts_; }
  GrantStore& grants() override { return grants_; }
  ThrottleStore& throttle() override { return throttle_; }
  AlexaUserStore& alexaUsers() override { return alexa_users_; }
  UserStore& users() override { return users_; }

 private:
  fakes::MemoryUserStore users_;
  MemoryPendingRequestStore pending_;
  MemoryClientStore clients_;
  MemoryAccountStore accounts_;
  MemoryGrantStore grants_;
  MemoryThrottleStore throttle_;
  MemoryAlexaUserStore alexa_users_;
};

// On a file, as in production: the users and the linking tables share it, so the joined
// lookup is one statement.
class SqliteStores final : public LinkStoreSet {
 public:
  PendingRequestStore& pending() override { return pending_; }
  ClientStore& clients() override { return clients_; }
  AccountStore& accounts() override { return accounts_; }
  GrantStore& grants() override { return grants_; }
  ThrottleStore& throttle() override { return throttle_; }
  AlexaUserStore& alexaUsers() override { return alexa_users_; }
  UserStore& users() override { return users_; }

 private:
  parley::testing::TempDir dir_;
  std::string path_{(dir_ / "parley.db").string()};
  sqlite::SqliteUserStore users_{{.path = path_}};
  sqlite::LinkDatabase db_{{.path = path_}};
  sqlite::SqlitePendingRequestStore pending_{db_};
  sqlite::SqliteClientStore clients_{db_};
  sqlite::SqliteAccountStore accounts_{db_};
  sqlite::SqliteGrantStore grants_{db_};
  sqlite::SqliteThrottleStore throttle_{db_};
  sqlite::SqliteAlexaUserStore alexa_users_{db_};
};

INSTANTIATE_TEST_SUITE_P(
    Local, LinkStoreConformance,
    ::testing::Values(LinkStoreBackend{"Memory", [] { return std::make_unique<MemoryStores>(); }},
                      LinkStoreBackend{"Sqlite", [] { return std::make_unique<SqliteStores>(); }}),
    linkBackendName);

// Users in another file than the grants (or in memory) are read with a second lookup.
TEST(SqliteGrantStore, UsersElsewhereAreStillFoundWithTheirGrant) {
  parley::testing::TempDir dir;
  sqlite::LinkDatabase db{{.path = (dir / "link.db").string()}};
  sqlite::SqliteGrantStore grants{db};
  sqlite::SqliteUserStore users_in_another_file{{.path = (dir / "users.db").string()}};
  sqlite::SqliteUserStore users_in_memory{{.path = ":memory:"}};
  grants.createFamily(link_conformance::family("f1", "c1", "u1"));
  grants.createAccessToken(link_conformance::accessToken("ah", "f1", std::nullopt));
  for (UserStore* users : {static_cast<UserStore*>(&users_in_another_file),
                           static_cast<UserStore*>(&users_in_memory)}) {
    EXPECT_FALSE(grants.findAccessGrantWithUser("ah", *users, link_conformance::kNow)->user);
    ASSERT_TRUE(users->create({.id = "u1", .email = "a@b.co", .created_at = {}, .attributes = {}}));
    EXPECT_EQ(grants.findAccessGrantWithUser("ah", *users, link_conformance::kNow)->user->email,
              "a@b.co");
  }
}

// Engines that cannot join (the in-memory store here, DynamoDB) read the user in a second call,
// made only for a live grant: a revoked or expired token costs one read, not two.
TEST(GrantStore, ReadsTheUserOnlyForALiveGrant) {
  using link_conformance::kNow;
  using std::chrono::seconds;
  MemoryGrantStore grants;
  fakes::MemoryUserStore users;
  ASSERT_TRUE(users.create({.id = "u1", .email = "a@b.co", .created_at = {}, .attributes = {}}));
  grants.createFamily(link_conformance::family("f1", "c1", "u1"));
  grants.createAccessToken(link_conformance::accessToken("ah", "f1", kNow + seconds{60}));

  EXPECT_TRUE(grants.findAccessGrantWithUser("ah", users, kNow)->user);
  EXPECT_EQ(users.gets(), 1);
  EXPECT_FALSE(grants.findAccessGrantWithUser("ah", users, kNow + seconds{60})->user);
  EXPECT_EQ(users.gets(), 1);
  ASSERT_TRUE(grants.revokeAccessToken("ah"));
  EXPECT_FALSE(grants.findAccessGrantWithUser("ah", users, kNow)->user);
  EXPECT_EQ(users.gets(), 1);
}

// A file written before the Alexa users existed (schema version 1) gains their table on open.
TEST(SqliteLinkDatabase, MigratesAVersionOneFileToAlexaUsers) {
  parley::testing::TempDir dir;
  const auto path = (dir / "link.db").string();
  { sqlite::LinkDatabase fresh{{.path = path}}; }
  {
    sqlite::Database raw{path};
    raw.exec("DROP TABLE alexa_users");
    raw.exec("ALTER TABLE access_tokens DROP COLUMN user_id");
    raw.exec("UPDATE schema_versions SET version = 1 WHERE component = 'linking'");
  }
  sqlite::LinkDatabase db{{.path = path}};
  sqlite::SqliteAlexaUserStore alexa_users{db};
  alexa_users.put({.alexa_user_id = "amzn1.ask.account.A", .user_id = "u1", .client_id = "c"});
  EXPECT_EQ(alexa_users.find("amzn1.ask.account.A")->user_id, "u1");
  sqlite::Database raw{path};
  EXPECT_EQ(sqlite::schemaVersion(raw, sqlite::LinkDatabase::kSchemaComponent), 3);
}

// Version 2 stored access tokens without their user: on open each gets its family's (none for a
// token whose family is gone), and tokens issued afterwards store theirs.
TEST(SqliteLinkDatabase, MigratesVersionTwoAccessTokensToCarryTheirUser) {
  using link_conformance::accessToken;
  using link_conformance::kNow;
  parley::testing::TempDir dir;
  const auto path = (dir / "link.db").string();
  {
    sqlite::LinkDatabase fresh{{.path = path}};
    sqlite::SqliteGrantStore grants{fresh};
    grants.createFamily(link_conformance::family("f1", "c1", "u1"));
    grants.createAccessToken(accessToken("ah", "f1", std::nullopt));
    grants.createAccessToken(accessToken("orphan", "f-gone", std::nullopt));
  }
  {
    sqlite::Database raw{path};
    raw.exec("ALTER TABLE access_tokens DROP COLUMN user_id");
    raw.exec("UPDATE schema_versions SET version = 2 WHERE component = 'linking'");
  }
  sqlite::LinkDatabase db{{.path = path}};
  sqlite::SqliteGrantStore grants{db};
  EXPECT_EQ(grants.findAccessToken("ah")->user_id, "u1");
  EXPECT_EQ(grants.findAccessGrant("ah")->token.user_id, "u1");
  EXPECT_EQ(grants.findAccessToken("orphan")->user_id, "");
  grants.createAccessToken(accessToken("new", "f1", kNow + std::chrono::seconds{60}, "u1"));
  EXPECT_EQ(grants.findAccessToken("new")->user_id, "u1");
  sqlite::Database raw{path};
  EXPECT_EQ(sqlite::schemaVersion(raw, sqlite::LinkDatabase::kSchemaComponent), 3);
}

}  // namespace
}  // namespace parley::storage::testing
