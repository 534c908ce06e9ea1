// `skill db create-tables`: create the DynamoDB tables the configured storage needs.
#include <iostream>

#include "app_config.hpp"
#include "commands.hpp"
#include "dynamodb_backend.hpp"
#include "parley/storage/dynamodb/tables.hpp"

namespace parley::cli {

void addDbCommand(CLI::App& app) {
  auto* db = app.add_subcommand("db", "Manage the database of the configured storage");
  db->require_subcommand(1);
  auto* create = db->add_subcommand(
      "create-tables",
      "Create the DynamoDB tables (on-demand, TTL enabled) and wait until they are ACTIVE");
  auto config_file = addConfigOption(*create);
  auto wait_seconds = std::make_shared<int>(120);
  create->add_option("--wait", *wait_seconds, "Seconds to wait for each table (default 120)")
      ->check(CLI::Range(1, 3600));
  create->callback([config_file, wait_seconds] {
    auto config = loadConfig(*config_file);
    if (!config) return;
    if (config->storage.type != config::StorageType::kDynamoDb) {
      std::cerr << "skill db create-tables: storage.type is not \"dynamodb\"; SQLite creates its "
                   "schema on first use\n";
      setExitCode(2);
      return;
    }
    runGuarded("db create-tables", [&] {
      auto backend = makeDynamoDbBackend(config->storage);
      storage::dynamodb::createTables(
          backend->client, config->storage.table_prefix,
          {.wait = std::chrono::seconds(*wait_seconds),
           .progress = [](const std::string& line) { std::cout << line << '\n'; }});
    });
  });
}

}  // namespace parley::cli
