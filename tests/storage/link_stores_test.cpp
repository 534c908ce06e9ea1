// The linking stores' conformance suite on the in-memory and SQLite backends.
#include "parley/storage/sqlite/link_stores.hpp"

#include "parley/storage/memory_link_stores.hpp"
#include "parley/storage/sqlite/schema.hpp"
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

 private:
  MemoryPendingRequestStore pending_;
  MemoryClientStore clients_;
  MemoryAccountStore accounts_;
  MemoryGrantStore grants_;
  MemoryThrottleStore throttle_;
  MemoryAlexaUserStore alexa_users_;
};

class SqliteStores final : public LinkStoreSet {
 public:
  PendingRequestStore& pending() override { return pending_; }
  ClientStore& clients() override { return clients_; }
  AccountStore& accounts() override { return accounts_; }
  GrantStore& grants() override { return grants_; }
  ThrottleStore& throttle() override { return throttle_; }
  AlexaUserStore& alexaUsers() override { return alexa_users_; }

 private:
  sqlite::LinkDatabase db_{{.path = ":memory:"}};
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

// A file written before the Alexa users existed (schema version 1) gains their table on open.
TEST(SqliteLinkDatabase, MigratesAVersionOneFileToAlexaUsers) {
  parley::testing::TempDir dir;
  const auto path = (dir / "link.db").string();
  { sqlite::LinkDatabase fresh{{.path = path}}; }
  {
    sqlite::Database raw{path};
    raw.exec("DROP TABLE alexa_users");
    raw.exec("UPDATE schema_versions SET version = 1 WHERE component = 'linking'");
  }
  sqlite::LinkDatabase db{{.path = path}};
  sqlite::SqliteAlexaUserStore alexa_users{db};
  alexa_users.put({.alexa_user_id = "amzn1.ask.account.A", .user_id = "u1", .client_id = "c"});
  EXPECT_EQ(alexa_users.find("amzn1.ask.account.A")->user_id, "u1");
  sqlite::Database raw{path};
  EXPECT_EQ(sqlite::schemaVersion(raw, sqlite::LinkDatabase::kSchemaComponent), 2);
}

}  // namespace
}  // namespace parley::storage::testing
