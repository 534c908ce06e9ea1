#pragma once

#include <memory>

#include "parley/config/options.hpp"
#include "parley/linking/options.hpp"
#include "parley/storage/sqlite/link_stores.hpp"

// Maps configuration to the linking module's Options and opens its stores; shared by the
// `clients` and `tokens` subcommands (and the server).
namespace parley::cli {

// `linking.mode` and `linking.clients`. Config clients allow both the code grant and, as the
// original kit used it, the implicit grant (the config file has no responseTypes key).
// Throws std::invalid_argument for an unknown mode.
linking::Options linkingOptions(const config::LinkingOptions& options);

// The linking stores in the configured SQLite file. Throws StorageError when it cannot be
// opened, std::invalid_argument for storage types without linking tables yet (DynamoDB).
struct LinkStores {
  explicit LinkStores(const storage::sqlite::LinkStoreOptions& options)
      : db(options), pending(db), clients(db), accounts(db), grants(db), throttle(db) {}
  storage::sqlite::LinkDatabase db;
  storage::sqlite::SqlitePendingRequestStore pending;
  storage::sqlite::SqliteClientStore clients;
  storage::sqlite::SqliteAccountStore accounts;
  storage::sqlite::SqliteGrantStore grants;
  storage::sqlite::SqliteThrottleStore throttle;
};
std::unique_ptr<LinkStores> openLinkStores(const config::StorageOptions& options);

}  // namespace parley::cli
