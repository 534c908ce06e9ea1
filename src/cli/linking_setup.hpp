#pragma once

#include <memory>

#include "parley/aws/dynamodb.hpp"
#include "parley/config/options.hpp"
#include "parley/linking/options.hpp"
#include "parley/storage/account_store.hpp"
#include "parley/storage/alexa_user_store.hpp"
#include "parley/storage/client_store.hpp"
#include "parley/storage/grant_store.hpp"
#include "parley/storage/pending_request_store.hpp"
#include "parley/storage/throttle_store.hpp"
#include "parley/storage/user_store.hpp"

// Maps configuration to the linking module's Options and opens its stores; shared by the
// `clients` and `tokens` subcommands (and the server).
namespace parley::cli {

// `linking.mode`, `linking.clients` and the token digest (peppered when PARLEY_TOKEN_PEPPER is
// set). Throws std::invalid_argument for an unknown mode.
linking::Options linkingOptions(const config::LinkingOptions& options);

// The linking stores of the configured backend.
struct LinkStores {
  // What the stores borrow (the SQLite connection, or the DynamoDB client with its HTTP client
  // and credentials); declared first so that it is destroyed last.
  std::shared_ptr<void> backend;
  std::unique_ptr<storage::PendingRequestStore> pending;
  std::unique_ptr<storage::ClientStore> clients;
  std::unique_ptr<storage::AccountStore> accounts;
  std::unique_ptr<storage::GrantStore> grants;
  std::unique_ptr<storage::ThrottleStore> throttle;
  std::unique_ptr<storage::AlexaUserStore> alexa_users;
};

// SQLite: the tables in the configured file, created on first use. DynamoDB: the
// <tablePrefix><entity> tables of `skill db create-tables`. Throws StorageError when the backend
// cannot be set up (file, region, endpoint). `deadline` bounds remote calls and their retries.
// Given `users` from openUserStore on the same options, DynamoDB stores borrow its backend (one
// client, one connection pool and credentials chain; its deadline then applies).
std::unique_ptr<LinkStores> openLinkStores(const config::StorageOptions& options,
                                           aws::DeadlineSource deadline = {},
                                           storage::UserStore* users = nullptr);

}  // namespace parley::cli
