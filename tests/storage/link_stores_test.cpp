// The linking stores' conformance suite on the in-memory and SQLite backends.
#include "parley/storage/sqlite/link_stores.hpp"

#include "parley/storage/memory_link_stores.hpp"
#include "storage/link_store_conformance.hpp"

namespace parley::storage::testing {
namespace {

class MemoryStores final : public LinkStoreSet {
 public:
  PendingRequestStore& pending() override { return pending_; }
  ClientStore& clients() override { return clients_; }
  AccountStore& accounts() override { return accounts_; }
  GrantStore& grants() override { return grants_; }
  ThrottleStore& throttle() override { return throttle_; }

 private:
  MemoryPendingRequestStore pending_;
  MemoryClientStore clients_;
  MemoryAccountStore accounts_;
  MemoryGrantStore grants_;
  MemoryThrottleStore throttle_;
};

class SqliteStores final : public LinkStoreSet {
 public:
  PendingRequestStore& pending() override { return pending_; }
  ClientStore& clients() override { return clients_; }
  AccountStore& accounts() override { return accounts_; }
  GrantStore& grants() override { return grants_; }
  ThrottleStore& throttle() override { return throttle_; }

 private:
  sqlite::LinkDatabase db_{{.path = ":memory:"}};
  sqlite::SqlitePendingRequestStore pending_{db_};
  sqlite::SqliteClientStore clients_{db_};
  sqlite::SqliteAccountStore accounts_{db_};
  sqlite::SqliteGrantStore grants_{db_};
  sqlite::SqliteThrottleStore throttle_{db_};
};

INSTANTIATE_TEST_SUITE_P(
    Local, LinkStoreConformance,
    ::testing::Values(LinkStoreBackend{"Memory", [] { return std::make_unique<MemoryStores>(); }},
                      LinkStoreBackend{"Sqlite", [] { return std::make_unique<SqliteStores>(); }}),
    linkBackendName);

}  // namespace
}  // namespace parley::storage::testing
