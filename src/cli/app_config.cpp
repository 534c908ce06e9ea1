#include "app_config.hpp"

#include <iostream>

#include "commands.hpp"
#include "dynamodb_backend.hpp"
#include "parley/config/config.hpp"
#include "parley/storage/dynamodb/user_store.hpp"
#include "parley/storage/sqlite/user_store.hpp"

namespace parley::cli {
namespace {

// The DynamoDB store together with the client and connections it uses. The backend is a base
// listed first, so it is built before the store that borrows its client and outlives it; and the
// store stays a DynamoDbUserStore, which the grant store recognizes to batch its reads.
struct DynamoDbBackendOwner {
  std::unique_ptr<DynamoDbBackend> backend;
};

class OwningDynamoDbUserStore final : private DynamoDbBackendOwner,
                                      public storage::dynamodb::DynamoDbUserStore {
 public:
  OwningDynamoDbUserStore(const config::StorageOptions& options, aws::DeadlineSource deadline)
      : DynamoDbBackendOwner{makeDynamoDbBackend(options, std::move(deadline))},
        DynamoDbUserStore(backend->client, {.table_prefix = options.table_prefix}) {}
};

}  // namespace

std::shared_ptr<std::string> addConfigOption(CLI::App& command) {
  auto file = std::make_shared<std::string>();
  command.add_option("--config", *file,
                     "Config file (default: SKILL_CONFIG, else config/<env>.json)");
  return file;
}

std::optional<config::Config> loadConfig(const std::string& config_file) {
  config::LoadOptions options;
  if (!config_file.empty()) options.file = config_file;
  auto loaded = config::load(config::Environment::fromProcess(), options);
  if (!loaded) {
    std::cerr << loaded.error().message << '\n';
    setExitCode(2);
    return std::nullopt;
  }
  return std::move(*loaded);
}

std::unique_ptr<storage::UserStore> openUserStore(const config::StorageOptions& options,
                                                  aws::DeadlineSource deadline) {
  switch (options.type) {
    case config::StorageType::kSqlite:
      return std::make_unique<storage::sqlite::SqliteUserStore>(
          storage::sqlite::UserStoreOptions{.path = options.path});
    case config::StorageType::kDynamoDb:
      return std::make_unique<OwningDynamoDbUserStore>(options, std::move(deadline));
  }
  throw storage::StorageError(storage::StorageError::Kind::kInternal, "unknown storage.type");
}

}  // namespace parley::cli
