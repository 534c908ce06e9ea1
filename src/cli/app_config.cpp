#include "app_config.hpp"

#include <iostream>

#include "commands.hpp"
#include "dynamodb_backend.hpp"
#include "parley/config/config.hpp"
#include "parley/storage/sqlite/user_store.hpp"

namespace parley::cli {

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
