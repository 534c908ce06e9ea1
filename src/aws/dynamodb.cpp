#include "parley/aws/dynamodb.hpp"

#include <algorithm>
#include <boost/crc.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <stdexcept>
#include <thread>

#include "parley/aws/attribute_value.hpp"
#include "parley/aws/sigv4.hpp"
#include "parley/core/log.hpp"

namespace parley::aws {
namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
constexpr std::string_view kContentType = "application/x-amz-json-1.0";
constexpr std::size_t kResponseBodyLimit = 16 * 1024 * 1024;

bool isRetryable(Error error) {
  return error == Error::kThrottled || error == Error::kServiceUnavailable ||
         error == Error::kConnectFailed || error == Error::kTimeout || error == Error::kBadResponse;
}

Error fromTransport(const boost::system::error_code& ec) {
  if (ec == net::Error::kTimeout) return Error::kTimeout;
  if (ec == net::Error::kInvalidUrl || ec == net::Error::kInvalidRequest) {
    return Error::kInvalidEndpoint;
  }
  if (ec == net::Error::kBadResponse || ec == net::Error::kTooLarge) return Error::kBadResponse;
  return Error::kConnectFailed;
}

std::string_view stringField(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                : std::string_view{};
}

// x-amz-crc32 is the unsigned decimal zlib CRC-32 of the body; a mismatch means corruption.
bool crcMatches(const net::Response& response) {
  auto header = response.header("x-amz-crc32");
  if (!header) return true;
  std::uint32_t expected = 0;
  auto [ptr, ec] = std::from_chars(header->data(), header->data() + header->size(), expected);
  if (ec != std::errc{} || ptr != header->data() + header->size()) return false;
  boost::crc_32_type crc;
  crc.process_bytes(response.body.data(), response.body.size());
  return crc.checksum() == expected;
}

void addExpressions(boost::json::object& body, const boost::json::object& names,
                    const boost::json::object& values) {
  if (!names.empty()) body["ExpressionAttributeNames"] = names;
  if (!values.empty()) body["ExpressionAttributeValues"] = values;
}

DynamoResult<TableDescription> describeFrom(const boost::json::object& response,
                                            std::string_view member) {
  const auto* table = response.if_contains(member);
  if (table == nullptr || !table->is_object()) {
    return DynamoDbError{.error = Error::kBadResponse, .message = "no table description"};
  }
  return TableDescription{.name = std::string(stringField(table->get_object(), "TableName")),
                          .status = std::string(stringField(table->get_object(), "TableStatus"))};
}

boost::json::object keyAttribute(const KeyAttribute& attribute, std::string_view key_type) {
  return {{"AttributeName", attribute.name}, {"KeyType", key_type}};
}

boost::json::array keySchema(const KeyAttribute& hash, const std::optional<KeyAttribute>& range) {
  boost::json::array schema{keyAttribute(hash, "HASH")};
  if (range) schema.push_back(keyAttribute(*range, "RANGE"));
  return schema;
}

}  // namespace

std::string DynamoDbError::describe() const {
  std::string text = make_error_code(error).message();
  if (!code.empty()) text += " (" + code + ")";
  if (!message.empty()) text += ": " + message;
  if (attempts > 1) text += " after " + std::to_string(attempts) + " attempts";
  return text;
}

void throw_exception_from_error(const DynamoDbError& error, const boost::source_location&) {
  throw DynamoDbException(error);
}

Sleeper realSleeper() {
  return [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
}

Error classifyDynamoDbError(std::string_view code, unsigned http_status) {
  static constexpr std::string_view kThrottling[] = {"ProvisionedThroughputExceededException",
                                                     "ThrottlingException",
                                                     "Throttling",
                                                     "RequestLimitExceeded",
                                                     "LimitExceededException",
                                                     "TooManyRequestsException",
                                                     "TransactionInProgressException",
                                                     "RequestThrottled",
                                                     "RequestThrottledException"};
  static constexpr std::string_view kAccess[] = {"AccessDeniedException",
                                                 "UnrecognizedClientException",
                                                 "MissingAuthenticationTokenException",
                                                 "IncompleteSignatureException",
                                                 "InvalidSignatureException",
                                                 "ExpiredTokenException"};
  if (std::find(std::begin(kThrottling), std::end(kThrottling), code) != std::end(kThrottling) ||
      http_status == 429) {
    return Error::kThrottled;
  }
  if (http_status >= 500 || code == "InternalServerError" || code == "ServiceUnavailable") {
    return Error::kServiceUnavailable;
  }
  if (code == "ConditionalCheckFailedException") return Error::kConditionalCheckFailed;
  if (code == "ResourceNotFoundException") return Error::kResourceNotFound;
  if (code == "ResourceInUseException") return Error::kResourceInUse;
  if (code == "ValidationException" || code == "SerializationException") return Error::kValidation;
  if (std::find(std::begin(kAccess), std::end(kAccess), code) != std::end(kAccess)) {
    return Error::kAccessDenied;
  }
  return Error::kClientError;
}

std::string parseErrorCode(std::string_view body,
                           std::optional<std::string_view> error_type_header) {
  std::string code;
  boost::system::error_code ec;
  auto json = boost::json::parse(body, ec);
  if (!ec && json.is_object()) {
    code = stringField(json.get_object(), "__type");
    if (code.empty()) code = stringField(json.get_object(), "code");
  }
  if (code.empty() && error_type_header) code = *error_type_header;
  code = code.substr(0, code.find(','));
  code = code.substr(0, code.find(':'));
  if (auto hash = code.rfind('#'); hash != std::string::npos) code = code.substr(hash + 1);
  return code;
}

boost::system::result<std::string> resolveDynamoDbEndpoint(std::string_view configured,
                                                           std::string_view region,
                                                           const Environment& env) {
  std::string endpoint(configured);
  if (endpoint.empty()) endpoint = env("AWS_ENDPOINT_URL_DYNAMODB").value_or("");
  if (endpoint.empty()) endpoint = env("AWS_ENDPOINT_URL").value_or("");
  if (endpoint.empty()) {
    if (region.empty()) return Error::kNoRegion;
    endpoint = "https://dynamodb." + std::string(region) + ".amazonaws.com";
    if (region.starts_with("cn-")) endpoint += ".cn";
  }
  auto url = boost::urls::parse_absolute_uri(endpoint);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty() ||
      (!url->path().empty() && url->path() != "/") || url->has_query() || url->has_userinfo()) {
    return Error::kInvalidEndpoint;
  }
  return endpoint;
}

DynamoDbClient::DynamoDbClient(Options options, net::HttpClient& http,
                               CredentialsProvider& credentials, const core::Clock& clock,
                               core::Random& random, Sleeper sleeper)
    : options_(std::move(options)),
      http_(http),
      credentials_(credentials),
      clock_(clock),
      random_(random),
      sleeper_(std::move(sleeper)),
      quota_tokens_(options_.retry.quota) {
  if (options_.region.empty()) throw std::invalid_argument("DynamoDB client needs a region");
  std::string endpoint = options_.endpoint.empty()
                             ? "https://dynamodb." + options_.region + ".amazonaws.com"
                             : options_.endpoint;
  auto url = boost::urls::parse_absolute_uri(endpoint);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty()) {
    throw std::invalid_argument("DynamoDB endpoint is not an http(s) URL");
  }
  host_ = url->encoded_host_and_port();
  url_ = std::string(url->scheme()) + "://" + host_ + "/";
}

net::Request DynamoDbClient::buildRequest(std::string_view operation, std::string body,
                                          const Credentials& credentials,
                                          std::chrono::system_clock::time_point now) const {
  net::Request request{.method = "POST", .url = url_, .headers = {}, .body = std::move(body)};
  std::string target;
  target.reserve(kTargetPrefix.size() + operation.size());
  target.append(kTargetPrefix).append(operation);
  request.headers.reserve(8);
  request.headers.emplace_back("Host", host_);
  request.headers.emplace_back("Content-Type", kContentType);
  request.headers.emplace_back("X-Amz-Target", std::move(target));
  SignedRequest signed_request =
      signV4({.method = "POST",
              .path = "/",
              .query = {},
              .headers = request.headers,
              .body = request.body},
             credentials, {.region = options_.region, .service = "dynamodb"}, now, &key_cache_);
  for (auto& header : signed_request.headers) request.headers.push_back(std::move(header));
  return request;
}

bool DynamoDbClient::takeRetryToken(int cost) {
  std::lock_guard lock(quota_mutex_);
  if (quota_tokens_ < cost) return false;
  quota_tokens_ -= cost;
  return true;
}

void DynamoDbClient::returnRetryTokens(int amount) {
  std::lock_guard lock(quota_mutex_);
  quota_tokens_ = std::min(options_.retry.quota, quota_tokens_ + amount);
}

DynamoResult<boost::json::object> DynamoDbClient::call(std::string_view operation,
                                                       const boost::json::object& request,
                                                       const CallOptions& options) {
  const auto log = core::logger("aws");
  const std::string body = boost::json::serialize(request);
  Deadline deadline = options.deadline;
  if (!deadline && options_.deadline) deadline = options_.deadline();
  const int max_attempts = std::max(1, options_.retry.max_attempts);

  DynamoDbError last;
  const auto noRetry = [&](std::string_view why) {
    log->warn("DynamoDB {}: {} ; no retry, {}", operation, last.describe(), why);
    return last;
  };
  int retry_cost = 0;
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    const auto now = clock_.now();
    auto timeout = options_.attempt_timeout;
    if (deadline) {
      // Whole milliseconds only: an attempt with less than one left cannot finish, and would
      // only be sent after the deadline.
      auto left = std::chrono::floor<std::chrono::milliseconds>(*deadline - now);
      if (left <= std::chrono::milliseconds::zero()) {
        // After a failure, that failure says more than the deadline does.
        if (attempt > 1) return noRetry("the deadline is too close");
        return DynamoDbError{.error = Error::kDeadlineExceeded,
                             .message = "no time left for DynamoDB " + std::string(operation),
                             .attempts = attempt - 1};
      }
      timeout = std::min(timeout, left);
    }
    auto credentials = credentials_.credentials();
    if (!credentials) {
      Error error = &credentials.error().category() == &errorCategory()
                        ? static_cast<Error>(credentials.error().value())
                        : Error::kNoCredentials;
      return DynamoDbError{
          .error = error, .message = credentials.error().message(), .attempts = attempt - 1};
    }

    auto response = http_.send(buildRequest(operation, body, *credentials, now),
                               {.timeout = timeout, .body_limit = kResponseBodyLimit});
    last = DynamoDbError{.attempts = attempt};
    if (!response) {
      last.error = fromTransport(response.error());
      last.message = response.error().message();
    } else {
      std::string_view request_id = response->header("x-amzn-RequestId").value_or("-");
      last.http_status = response->status;
      if (response->status == 200) {
        boost::system::error_code ec;
        auto json =
            crcMatches(*response) ? boost::json::parse(response->body, ec) : boost::json::value{};
        if (!ec && json.is_object()) {
          returnRetryTokens(retry_cost > 0 ? retry_cost : 1);
          log->debug("DynamoDB {} ok after {} attempt(s), request id {}", operation, attempt,
                     request_id);
          return std::move(json.get_object());
        }
        last.error = Error::kBadResponse;
        last.message = "corrupt or unparseable response body";
      } else {
        last.code = parseErrorCode(response->body, response->header("x-amzn-ErrorType"));
        last.error = classifyDynamoDbError(last.code, response->status);
        boost::system::error_code ec;
        auto json = boost::json::parse(response->body, ec);
        if (!ec && json.is_object()) {
          last.message = stringField(json.get_object(), "message");
          if (last.message.empty()) last.message = stringField(json.get_object(), "Message");
        }
      }
      log->debug("DynamoDB {} attempt {}: HTTP {} {} request id {}", operation, attempt,
                 response->status, last.code, request_id);
    }

    if (!isRetryable(last.error) || attempt == max_attempts) return last;
    const bool throttled = last.error == Error::kThrottled;
    const auto base =
        throttled ? options_.retry.throttling_base_delay : options_.retry.transient_base_delay;
    // Full jitter: uniform in [0, min(base * 2^(attempt-1), max_delay)).
    const auto cap = std::min<std::chrono::milliseconds::rep>(
        options_.retry.max_delay.count(), base.count() << std::min(attempt - 1, 30));
    double fraction = 0;
    {
      std::lock_guard lock(random_mutex_);
      fraction = static_cast<double>(random_.next() >> 11) * 0x1.0p-53;
    }
    const std::chrono::milliseconds delay{
        static_cast<std::chrono::milliseconds::rep>(fraction * static_cast<double>(cap))};
    if (deadline && clock_.now() + delay >= *deadline) return noRetry("the deadline is too close");
    const int cost =
        throttled ? options_.retry.throttling_retry_cost : options_.retry.transient_retry_cost;
    if (!takeRetryToken(cost)) return noRetry("the retry quota is exhausted");
    retry_cost = cost;
    log->info("DynamoDB {}: {} ; retry {} in {} ms", operation, last.describe(), attempt,
              delay.count());
    sleeper_(delay);
  }
  return last;
}

DynamoResult<std::optional<Item>> DynamoDbClient::getItem(std::string_view table, const Item& key,
                                                          bool consistent_read,
                                                          const CallOptions& call_options) {
  boost::json::object request{{"TableName", table}, {"Key", key}};
  if (consistent_read) request["ConsistentRead"] = true;
  auto response = call("GetItem", request, call_options);
  if (!response) return response.error();
  const auto* item = response->if_contains("Item");
  if (item == nullptr) return std::optional<Item>{};
  if (!item->is_object()) return DynamoDbError{.error = Error::kBadResponse, .message = "Item"};
  return std::optional<Item>{item->get_object()};
}

namespace {

// Whether `item` carries every attribute of `key` with the same value.
bool hasKey(const Item& item, const Item& key) {
  return std::ranges::all_of(key, [&item](const auto& attribute) {
    const auto* value = item.if_contains(attribute.key());
    return value != nullptr && *value == attribute.value();
  });
}

}  // namespace

DynamoResult<std::vector<std::optional<Item>>> DynamoDbClient::batchGetItem(
    std::span<const ItemKey> keys, bool consistent_read, const CallOptions& call_options) {
  std::vector<std::optional<Item>> items(keys.size());
  if (keys.empty()) return items;
  // Where each key was first asked for: DynamoDB refuses a request that names one key twice.
  std::vector<std::size_t> first(keys.size());
  boost::json::object request_items;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    first[i] = i;
    for (std::size_t j = 0; j < i; ++j) {
      if (keys[j].table == keys[i].table && keys[j].key == keys[i].key) {
        first[i] = j;
        break;
      }
    }
    if (first[i] != i) continue;
    auto& table = request_items[keys[i].table];
    if (!table.is_object()) {
      table = boost::json::object{{"Keys", boost::json::array{}}};
      if (consistent_read) table.get_object()["ConsistentRead"] = true;
    }
    table.get_object()["Keys"].get_array().push_back(keys[i].key);
  }
  auto response = call("BatchGetItem", {{"RequestItems", std::move(request_items)}}, call_options);
  if (!response) return response.error();

  const DynamoDbError bad{.error = Error::kBadResponse, .message = "BatchGetItem response"};
  // The items or keys listed for `table` under `field` ("Responses": {t: [item]},
  // "UnprocessedKeys": {t: {"Keys": [key]}}); nullptr when there are none, `bad` when malformed.
  auto listed = [&](std::string_view field, const std::string& table,
                    std::string_view inner) -> DynamoResult<const boost::json::array*> {
    const auto* by_table = response->if_contains(field);
    if (by_table == nullptr) return nullptr;
    if (!by_table->is_object()) return bad;
    const auto* list = by_table->get_object().if_contains(table);
    if (list != nullptr && !inner.empty()) {
      list = list->is_object() ? list->get_object().if_contains(inner) : nullptr;
      if (list == nullptr) return bad;
    }
    if (list == nullptr) return nullptr;
    if (!list->is_array()) return bad;
    for (const auto& entry : list->get_array()) {
      if (!entry.is_object()) return bad;
    }
    return &list->get_array();
  };
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (first[i] != i) {
      items[i] = items[first[i]];
      continue;
    }
    auto found = listed("Responses", keys[i].table, "");
    if (!found) return found.error();
    if (*found != nullptr) {
      for (const auto& item : **found) {
        if (hasKey(item.get_object(), keys[i].key)) items[i] = item.get_object();
      }
    }
    if (items[i]) continue;
    auto left = listed("UnprocessedKeys", keys[i].table, "Keys");
    if (!left) return left.error();
    if (*left == nullptr ||
        std::ranges::find(**left, boost::json::value(keys[i].key)) == (*left)->end()) {
      continue;
    }
    auto item = getItem(keys[i].table, keys[i].key, consistent_read, call_options);
    if (!item) return item.error();
    items[i] = std::move(*item);
  }
  return items;
}

DynamoResult<void> DynamoDbClient::putItem(const PutItemRequest& request,
                                           const CallOptions& call_options) {
  boost::json::object body{{"TableName", request.table}, {"Item", request.item}};
  if (!request.condition.empty()) body["ConditionExpression"] = request.condition;
  addExpressions(body, request.names, request.values);
  auto response = call("PutItem", body, call_options);
  if (!response) return response.error();
  return {};
}

DynamoResult<void> DynamoDbClient::deleteItem(const DeleteItemRequest& request,
                                              const CallOptions& call_options) {
  boost::json::object body{{"TableName", request.table}, {"Key", request.key}};
  if (!request.condition.empty()) body["ConditionExpression"] = request.condition;
  addExpressions(body, request.names, request.values);
  auto response = call("DeleteItem", body, call_options);
  if (!response) return response.error();
  return {};
}

DynamoResult<std::optional<Item>> DynamoDbClient::updateItem(const UpdateItemRequest& request,
                                                             const CallOptions& call_options) {
  boost::json::object body{
      {"TableName", request.table}, {"Key", request.key}, {"UpdateExpression", request.update}};
  if (!request.condition.empty()) body["ConditionExpression"] = request.condition;
  if (!request.return_values.empty()) body["ReturnValues"] = request.return_values;
  addExpressions(body, request.names, request.values);
  auto response = call("UpdateItem", body, call_options);
  if (!response) return response.error();
  const auto* attributes = response->if_contains("Attributes");
  if (attributes == nullptr) return std::optional<Item>{};
  if (!attributes->is_object()) {
    return DynamoDbError{.error = Error::kBadResponse, .message = "Attributes"};
  }
  return std::optional<Item>{attributes->get_object()};
}

DynamoResult<QueryPage> DynamoDbClient::query(const QueryRequest& request,
                                              const CallOptions& call_options) {
  boost::json::object body{{"TableName", request.table},
                           {"KeyConditionExpression", request.key_condition}};
  if (!request.index.empty()) body["IndexName"] = request.index;
  if (!request.filter.empty()) body["FilterExpression"] = request.filter;
  if (request.limit) body["Limit"] = *request.limit;
  if (request.exclusive_start_key) body["ExclusiveStartKey"] = *request.exclusive_start_key;
  if (request.consistent_read) body["ConsistentRead"] = true;
  if (!request.scan_forward) body["ScanIndexForward"] = false;
  addExpressions(body, request.names, request.values);
  auto response = call("Query", body, call_options);
  if (!response) return response.error();
  QueryPage page;
  if (const auto* items = response->if_contains("Items")) {
    if (!items->is_array()) return DynamoDbError{.error = Error::kBadResponse, .message = "Items"};
    for (const auto& item : items->get_array()) {
      if (!item.is_object()) return DynamoDbError{.error = Error::kBadResponse, .message = "Items"};
      page.items.push_back(item.get_object());
    }
  }
  if (const auto* last = response->if_contains("LastEvaluatedKey"); last && last->is_object()) {
    page.last_evaluated_key = last->get_object();
  }
  return page;
}

DynamoResult<TableDescription> DynamoDbClient::createTable(const CreateTableRequest& request,
                                                           const CallOptions& call_options) {
  boost::json::array definitions;
  auto define = [&definitions](const KeyAttribute& attribute) {
    for (const auto& existing : definitions) {
      if (existing.at("AttributeName") == attribute.name.c_str()) return;
    }
    definitions.push_back({{"AttributeName", attribute.name}, {"AttributeType", attribute.type}});
  };
  define(request.hash_key);
  if (request.range_key) define(*request.range_key);
  boost::json::array indexes;
  for (const auto& index : request.indexes) {
    define(index.hash_key);
    if (index.range_key) define(*index.range_key);
    indexes.push_back({{"IndexName", index.name},
                       {"KeySchema", keySchema(index.hash_key, index.range_key)},
                       {"Projection", {{"ProjectionType", "ALL"}}}});
  }
  boost::json::object body{{"TableName", request.table},
                           {"AttributeDefinitions", std::move(definitions)},
                           {"KeySchema", keySchema(request.hash_key, request.range_key)},
                           {"BillingMode", "PAY_PER_REQUEST"}};
  if (!indexes.empty()) body["GlobalSecondaryIndexes"] = std::move(indexes);
  auto response = call("CreateTable", body, call_options);
  if (!response) return response.error();
  return describeFrom(*response, "TableDescription");
}

DynamoResult<TableDescription> DynamoDbClient::describeTable(std::string_view table,
                                                             const CallOptions& call_options) {
  auto response = call("DescribeTable", {{"TableName", table}}, call_options);
  if (!response) return response.error();
  return describeFrom(*response, "Table");
}

DynamoResult<void> DynamoDbClient::updateTimeToLive(std::string_view table,
                                                    std::string_view attribute, bool enabled,
                                                    const CallOptions& call_options) {
  boost::json::object body{
      {"TableName", table},
      {"TimeToLiveSpecification", {{"AttributeName", attribute}, {"Enabled", enabled}}}};
  auto response = call("UpdateTimeToLive", body, call_options);
  if (!response) return response.error();
  return {};
}

}  // namespace parley::aws
