#include "parley/storage/dynamodb/tables.hpp"

#include <algorithm>

#include "parley/storage/dynamodb/user_store.hpp"

namespace parley::storage::dynamodb {
namespace {

void report(const CreateTablesOptions& options, const std::string& line) {
  if (options.progress) options.progress(line);
}

}  // namespace

std::string tableName(std::string_view table_prefix, std::string_view entity) {
  return std::string(table_prefix) + std::string(entity);
}

std::vector<TableSpec> tableSpecs(std::string_view table_prefix) {
  auto spec = [&](std::string_view entity, std::vector<aws::GlobalSecondaryIndex> indexes = {}) {
    return TableSpec{.entity = std::string(entity),
                     .name = tableName(table_prefix, entity),
                     .indexes = std::move(indexes)};
  };
  return {spec(kUsersEntity),
          spec(kPendingRequestsEntity),
          spec(kClientsEntity),
          spec(kAccountsEntity),
          spec(kGrantsEntity, {{.name = std::string(kGrantsByUserIndex),
                                .hash_key = {.name = "userId"},
                                .range_key = std::nullopt}}),
          spec(kCodesEntity),
          spec(kAccessTokensEntity),
          spec(kRefreshTokensEntity, {{.name = std::string(kRefreshByParentIndex),
                                       .hash_key = {.name = "parentHash"},
                                       .range_key = aws::KeyAttribute{"createdAt", "N"}}}),
          spec(kThrottleEntity),
          spec(kAlexaUsersEntity, {{.name = std::string(kAlexaUsersByUserIndex),
                                    .hash_key = {.name = "userId"},
                                    .range_key = std::nullopt}})};
}

void createTables(aws::DynamoDbClient& client, std::string_view table_prefix,
                  const CreateTablesOptions& options) {
  const auto specs = tableSpecs(table_prefix);
  for (const auto& spec : specs) {
    auto created = client.createTable(
        {.table = spec.name, .hash_key = {.name = spec.hash_key}, .indexes = spec.indexes});
    if (created) {
      report(options, "created " + spec.name + " (on-demand)");
    } else if (created.error().error == aws::Error::kResourceInUse) {
      report(options, spec.name + " exists already");
    } else {
      throw toStorageError(created.error(), "create table " + spec.name);
    }
  }
  for (const auto& spec : specs) {
    const int polls = static_cast<int>(
        options.wait / std::max(options.poll_interval, std::chrono::milliseconds(1)));
    bool active = false;
    for (int i = 0; i <= polls && !active; ++i) {
      auto table = client.describeTable(spec.name);
      if (!table) throw toStorageError(table.error(), "describe table " + spec.name);
      active = table->status == "ACTIVE";
      if (!active && i < polls) options.sleeper(options.poll_interval);
    }
    if (!active) {
      throw StorageError(StorageError::Kind::kTimeout, spec.name + " did not become ACTIVE");
    }
    report(options, spec.name + " is ACTIVE");

    auto ttl = client.updateTimeToLive(spec.name, spec.ttl_attribute, true);
    if (ttl) {
      report(options, "TTL on " + spec.name + "." + spec.ttl_attribute + " enabled");
    } else if (ttl.error().code == "UnknownOperationException") {
      report(options,
             "endpoint has no UpdateTimeToLive (dynalite?): TTL not enabled on " + spec.name);
    } else if (ttl.error().error == aws::Error::kValidation &&
               ttl.error().message.find("already enabled") != std::string::npos) {
      report(options, "TTL on " + spec.name + " already enabled");
    } else {
      throw toStorageError(ttl.error(), "enable TTL on " + spec.name);
    }
  }
}

}  // namespace parley::storage::dynamodb
