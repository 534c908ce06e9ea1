#pragma once

#include <memory>

#include "parley/aws/credentials.hpp"
#include "parley/aws/dynamodb.hpp"
#include "parley/config/options.hpp"
#include "parley/core/clock.hpp"
#include "parley/core/random.hpp"
#include "parley/net/http_client.hpp"
#include "parley/storage/dynamodb/user_store.hpp"

namespace parley::cli {

// Everything a DynamoDB-backed command needs, wired from `storage` config and the process
// environment: region (config, else AWS_REGION/AWS_DEFAULT_REGION), endpoint (config, else
// AWS_ENDPOINT_URL_DYNAMODB/AWS_ENDPOINT_URL, else the region's), CA file, and the SDKs'
// credentials chain. `deadline` bounds every call and its retries (the Lambda invocation's).
// Members are declared in construction order; keep it.
struct DynamoDbBackend {
  explicit DynamoDbBackend(const config::StorageOptions& options,
                           aws::DeadlineSource deadline = {});

  core::SystemClock clock;
  core::SecureRandom random;
  net::BeastHttpClient http;
  aws::DefaultCredentialsChain credentials;
  aws::DynamoDbClient client;
};

// Throws StorageError (kUnavailable) with one line when region or endpoint are unusable.
std::unique_ptr<DynamoDbBackend> makeDynamoDbBackend(const config::StorageOptions& options,
                                                     aws::DeadlineSource deadline = {});

// The backend an OwningDynamoDbUserStore shares; a base listed first, so it is built before the
// store that borrows its client and outlives it.
struct SharedDynamoDbBackend {
  std::shared_ptr<DynamoDbBackend> backend;
};

// The DynamoDB user store together with the backend it reads through. It stays a
// DynamoDbUserStore, which the grant store recognizes to batch its reads, and the link stores
// opened beside it borrow its backend (openLinkStores): one client, one connection pool.
class OwningDynamoDbUserStore final : private SharedDynamoDbBackend,
                                      public storage::dynamodb::DynamoDbUserStore {
 public:
  OwningDynamoDbUserStore(const config::StorageOptions& options, aws::DeadlineSource deadline);
  const std::shared_ptr<DynamoDbBackend>& sharedBackend() const { return backend; }
};

}  // namespace parley::cli
