#pragma once

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parley/aws/credentials.hpp"
#include "parley/aws/error.hpp"
#include "parley/core/clock.hpp"
#include "parley/core/random.hpp"
#include "parley/net/http_client.hpp"

namespace parley::aws {

// Attribute name -> AttributeValue, in DynamoDB's typed JSON (see attribute_value.hpp).
using Item = boost::json::object;

// A failed DynamoDB call: the kind, plus what AWS said (never secrets or item contents).
struct DynamoDbError {
  Error error{Error::kClientError};
  std::string code{};     // AWS error code without namespace, e.g. "ResourceNotFoundException"
  std::string message{};  // AWS's message, or the transport error's
  unsigned http_status{0};
  int attempts{0};

  std::string describe() const;
};

// Thrown only by result::value() on an error; callers normally test the result instead.
class DynamoDbException : public std::runtime_error {
 public:
  explicit DynamoDbException(DynamoDbError error)
      : std::runtime_error(error.describe()), error_(std::move(error)) {}
  const DynamoDbError& error() const { return error_; }

 private:
  DynamoDbError error_;
};

[[noreturn]] void throw_exception_from_error(  // NOLINT: hook name required by boost::system
    const DynamoDbError& error, const boost::source_location& location);

template <class T>
using DynamoResult = boost::system::result<T, DynamoDbError>;

// AWS "standard" retries with DynamoDB's numbers: full-jitter exponential backoff
// (delay before retry i = random[0,1) * min(base * 2^i, max_delay)) and a per-client token
// bucket that stops retry storms.
struct RetryOptions {
  int max_attempts{4};
  std::chrono::milliseconds transient_base_delay{25};
  std::chrono::milliseconds throttling_base_delay{1000};
  std::chrono::milliseconds max_delay{std::chrono::seconds(20)};
  int quota{500};
  int transient_retry_cost{14};
  int throttling_retry_cost{5};
};

// Waits between attempts; injected so that tests record delays instead of sleeping.
using Sleeper = std::function<void(std::chrono::milliseconds)>;
Sleeper realSleeper();

// The latest time a call may still be running (e.g. the Lambda deadline minus a margin).
using Deadline = std::optional<std::chrono::system_clock::time_point>;
using DeadlineSource = std::function<Deadline()>;

struct CallOptions {
  Deadline deadline{};  // overrides the client's deadline source for this call
};

struct PutItemRequest {
  std::string table{};
  Item item{};
  std::string condition{};       // e.g. "attribute_not_exists(#id)"; empty = unconditional
  boost::json::object names{};   // ExpressionAttributeNames
  boost::json::object values{};  // ExpressionAttributeValues
};

struct UpdateItemRequest {
  std::string table{};
  Item key{};
  std::string update{};  // UpdateExpression
  std::string condition{};
  boost::json::object names{};
  boost::json::object values{};
  std::string return_values{};  // "ALL_NEW", "ALL_OLD", …; empty = NONE
};

struct DeleteItemRequest {
  std::string table{};
  Item key{};
  std::string condition{};
  boost::json::object names{};
  boost::json::object values{};
};

struct QueryRequest {
  std::string table{};
  std::string index{};  // a GSI name; empty = the table
  std::string key_condition{};
  std::string filter{};
  boost::json::object names{};
  boost::json::object values{};
  std::optional<int> limit{};
  std::optional<Item> exclusive_start_key{};
  bool consistent_read{false};
  bool scan_forward{true};
};

struct QueryPage {
  std::vector<Item> items{};
  std::optional<Item> last_evaluated_key{};  // set when more pages follow
};

// One item to read: its table and its key.
struct ItemKey {
  std::string table{};
  Item key{};
};

struct KeyAttribute {
  std::string name{};
  std::string type{"S"};  // S, N or B
};

struct GlobalSecondaryIndex {
  std::string name{};
  KeyAttribute hash_key{};
  std::optional<KeyAttribute> range_key{};
};

// An on-demand (PAY_PER_REQUEST) table.
struct CreateTableRequest {
  std::string table{};
  KeyAttribute hash_key{};
  std::optional<KeyAttribute> range_key{};
  std::vector<GlobalSecondaryIndex> indexes{};
};

struct TableDescription {
  std::string name{};
  std::string status{};  // CREATING, ACTIVE, UPDATING, DELETING, …
};

// A DynamoDB client speaking the AWS JSON 1.0 protocol over net::HttpClient, every request
// signed with SigV4. Retries throttling, 5xx, transport failures and corrupt responses (see
// RetryOptions), never past the deadline. Thread-safe; the references must outlive it.
class DynamoDbClient {
 public:
  struct Options {
    std::string region{};
    // http(s)://host[:port]; empty = https://dynamodb.<region>.amazonaws.com.
    std::string endpoint{};
    // Each attempt (connect + TLS + exchange); also bounded by the deadline.
    std::chrono::milliseconds attempt_timeout{std::chrono::seconds(5)};
    RetryOptions retry{};
    // Asked for a deadline when a call gives none; empty = no deadline.
    DeadlineSource deadline{};
  };

  // Throws std::invalid_argument when the endpoint is not an http(s) URL or the region is empty
  // (configuration is validated before, see resolveDynamoDbEndpoint()).
  DynamoDbClient(Options options, net::HttpClient& http, CredentialsProvider& credentials,
                 const core::Clock& clock, core::Random& random, Sleeper sleeper = realSleeper());

  DynamoResult<std::optional<Item>> getItem(std::string_view table, const Item& key,
                                            bool consistent_read, const CallOptions& call = {});
  // BatchGetItem: the item of each key in the order asked, nullopt where there is none; keys may
  // repeat and span tables (at most 100 distinct). Keys DynamoDB leaves unprocessed (it may,
  // under throttling) are read with getItem, which retries by the policy above.
  DynamoResult<std::vector<std::optional<Item>>> batchGetItem(std::span<const ItemKey> keys,
                                                              bool consistent_read,
                                                              const CallOptions& call = {});
  // ConditionalCheckFailed comes back as Error::kConditionalCheckFailed.
  DynamoResult<void> putItem(const PutItemRequest& request, const CallOptions& call = {});
  DynamoResult<void> deleteItem(const DeleteItemRequest& request, const CallOptions& call = {});
  // The item's attributes as asked for by `return_values` (nullopt for NONE).
  DynamoResult<std::optional<Item>> updateItem(const UpdateItemRequest& request,
                                               const CallOptions& call = {});
  DynamoResult<QueryPage> query(const QueryRequest& request, const CallOptions& call = {});
  DynamoResult<TableDescription> createTable(const CreateTableRequest& request,
                                             const CallOptions& call = {});
  DynamoResult<TableDescription> describeTable(std::string_view table,
                                               const CallOptions& call = {});
  DynamoResult<void> updateTimeToLive(std::string_view table, std::string_view attribute,
                                      bool enabled, const CallOptions& call = {});

  // Any operation: the request body in, the response body out (both DynamoDB JSON).
  DynamoResult<boost::json::object> call(std::string_view operation,
                                         const boost::json::object& request,
                                         const CallOptions& options = {});

  // The signed HTTP request for one attempt; pure (exposed for the benchmark and tests).
  net::Request buildRequest(std::string_view operation, std::string body,
                            const Credentials& credentials,
                            std::chrono::system_clock::time_point now) const;

  const std::string& endpoint() const { return url_; }

 private:
  bool takeRetryToken(int cost);
  void returnRetryTokens(int amount);

  Options options_;
  net::HttpClient& http_;
  CredentialsProvider& credentials_;
  const core::Clock& clock_;
  core::Random& random_;
  Sleeper sleeper_;
  std::string url_;
  std::string host_;
  std::mutex quota_mutex_;
  int quota_tokens_;
  std::mutex random_mutex_;
  mutable SigningKeyCache key_cache_;
};

// The endpoint URL to use: `configured`, else AWS_ENDPOINT_URL_DYNAMODB, else AWS_ENDPOINT_URL,
// else https://dynamodb.<region>.amazonaws.com (.com.cn in China). Fails with kInvalidEndpoint
// when the chosen URL is not http(s)://host[:port][/].
boost::system::result<std::string> resolveDynamoDbEndpoint(std::string_view configured,
                                                           std::string_view region,
                                                           const Environment& env);

// Error kind for an AWS error code (namespace already stripped) and HTTP status.
Error classifyDynamoDbError(std::string_view code, unsigned http_status);
// The error code from a JSON 1.0 error response, as the AWS SDKs extract it.
std::string parseErrorCode(std::string_view body,
                           std::optional<std::string_view> error_type_header);

}  // namespace parley::aws
