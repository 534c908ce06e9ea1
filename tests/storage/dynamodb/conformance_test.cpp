// The shared UserStore conformance suite, run against dynalite.

#include <memory>

#include "aws/support/node_tools.hpp"
#include "parley/storage/dynamodb/user_store.hpp"
#include "storage/dynamodb/support.hpp"
#include "storage/user_store_conformance.hpp"

namespace parley::storage::dynamodb {
// Owns the client its store talks through.
class StoreWithClient final : public UserStore {
 public:
  StoreWithClient()
      : client_(parley::testing::sharedDynalite().endpoint()), prefix_(testing::uniquePrefix()) {
    createTables(client_.client, prefix_, {.wait = std::chrono::seconds(5)});
    store_ = std::make_unique<DynamoDbUserStore>(client_.client,
                                                 UserStoreOptions{.table_prefix = prefix_});
  }
  std::optional<User> get(std::string_view id) override { return store_->get(id); }
  bool create(const User& user) override { return store_->create(user); }
  void put(const User& user) override { store_->put(user); }
  bool remove(std::string_view id) override { return store_->remove(id); }

 private:
  testing::TestClient client_;
  std::string prefix_;
  std::unique_ptr<DynamoDbUserStore> store_;
};

}  // namespace parley::storage::dynamodb

namespace parley::storage::testing {

INSTANTIATE_TEST_SUITE_P(DynamoDb, UserStoreConformance,
                         ::testing::Values(UserStoreBackend{
                             "Dynalite",
                             [] { return std::make_unique<dynamodb::StoreWithClient>(); }}),
                         backendName);

}  // namespace parley::storage::testing
