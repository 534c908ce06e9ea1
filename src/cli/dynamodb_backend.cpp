#include "dynamodb_backend.hpp"

#include "parley/storage/user_store.hpp"

namespace parley::cli {
namespace {

aws::DynamoDbClient::Options clientOptions(const config::StorageOptions& options,
                                           const aws::Environment& env,
                                           aws::DeadlineSource deadline) {
  auto unavailable = [](const std::string& what) {
    return storage::StorageError(storage::StorageError::Kind::kUnavailable, what);
  };
  auto region = aws::resolveRegion(options.region, env);
  if (!region) throw unavailable("storage.region is empty and AWS_REGION is not set");
  auto endpoint = aws::resolveDynamoDbEndpoint(options.endpoint, *region, env);
  if (!endpoint) throw unavailable("storage.endpoint: " + endpoint.error().message());
  return {.region = *region, .endpoint = *endpoint, .deadline = std::move(deadline)};
}

}  // namespace

DynamoDbBackend::DynamoDbBackend(const config::StorageOptions& options,
                                 aws::DeadlineSource deadline)
    : http(net::BeastHttpClient::Options{.ca_file = options.ca_file}),
      credentials(aws::processEnvironment(), http, clock),
      client(clientOptions(options, aws::processEnvironment(), std::move(deadline)), http,
             credentials, clock, random) {}

std::unique_ptr<DynamoDbBackend> makeDynamoDbBackend(const config::StorageOptions& options,
                                                     aws::DeadlineSource deadline) {
  return std::make_unique<DynamoDbBackend>(options, std::move(deadline));
}

OwningDynamoDbUserStore::OwningDynamoDbUserStore(const config::StorageOptions& options,
                                                 aws::DeadlineSource deadline)
    : SharedDynamoDbBackend{makeDynamoDbBackend(options, std::move(deadline))},
      DynamoDbUserStore(backend->client, {.table_prefix = options.table_prefix}) {}

}  // namespace parley::cli
