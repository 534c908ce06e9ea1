#include "linking_setup.hpp"

#include <stdexcept>

#include "dynamodb_backend.hpp"
#include "parley/storage/dynamodb/link_stores.hpp"
#include "parley/storage/sqlite/link_stores.hpp"

namespace parley::cli {
linking::Options linkingOptions(const config::LinkingOptions& options) {
  linking::Options out;
  if (options.mode == "accounts") {
    out.mode = linking::Mode::kAccounts;
  } else if (options.mode == "email-only") {
    out.mode = linking::Mode::kEmailOnly;
  } else {
    throw std::invalid_argument("linking.mode: expected \"accounts\" or \"email-only\"");
  }
  out.success_page = options.success_page;
  if (!options.token_pepper.empty()) out.token_digest = linking::TokenDigest{options.token_pepper};
  for (const auto& client : options.clients) {
    out.clients.push_back(linking::ClientOptions{.id = client.id,
                                                 .secret = client.secret,
                                                 .name = client.name,
                                                 .redirect_uris = client.redirect_uris,
                                                 .response_types = client.response_types});
  }
  return out;
}

std::unique_ptr<LinkStores> openLinkStores(const config::StorageOptions& options,
                                           aws::DeadlineSource deadline,
                                           storage::UserStore* users) {
  auto stores = std::make_unique<LinkStores>();
  switch (options.type) {
    case config::StorageType::kSqlite: {
      using namespace storage::sqlite;
      auto db = std::make_shared<LinkDatabase>(LinkStoreOptions{.path = options.path});
      stores->pending = std::make_unique<SqlitePendingRequestStore>(*db);
      stores->clients = std::make_unique<SqliteClientStore>(*db);
      stores->accounts = std::make_unique<SqliteAccountStore>(*db);
      stores->grants = std::make_unique<SqliteGrantStore>(*db);
      stores->throttle = std::make_unique<SqliteThrottleStore>(*db);
      stores->alexa_users = std::make_unique<SqliteAlexaUserStore>(*db);
      stores->backend = std::move(db);
      return stores;
    }
    case config::StorageType::kDynamoDb: {
      using namespace storage::dynamodb;
      const auto* owning = dynamic_cast<const OwningDynamoDbUserStore*>(users);
      std::shared_ptr<DynamoDbBackend> backend =
          owning != nullptr ? owning->sharedBackend()
                            : makeDynamoDbBackend(options, std::move(deadline));
      const LinkStoreOptions tables{.table_prefix = options.table_prefix};
      auto& client = backend->client;
      stores->pending = std::make_unique<DynamoDbPendingRequestStore>(client, tables);
      stores->clients = std::make_unique<DynamoDbClientStore>(client, tables);
      stores->accounts = std::make_unique<DynamoDbAccountStore>(client, tables);
      stores->grants = std::make_unique<DynamoDbGrantStore>(client, tables);
      stores->throttle = std::make_unique<DynamoDbThrottleStore>(client, tables);
      stores->alexa_users = std::make_unique<DynamoDbAlexaUserStore>(client, tables);
      stores->backend = std::move(backend);
      return stores;
    }
  }
  throw std::invalid_argument("unknown storage.type");
}

}  // namespace parley::cli
