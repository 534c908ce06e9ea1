#include <gtest/gtest.h>

#include <boost/crc.hpp>
#include <boost/json.hpp>
#include <deque>

#include "aws/support/fake_http_client.hpp"
#include "parley/aws/attribute_value.hpp"
#include "parley/aws/dynamodb.hpp"

namespace parley::aws {
namespace {

using namespace std::chrono_literals;
using testing::FakeHttpClient;

// Hands out chosen fractions of [0, 1) so the jittered delays are exact.
class FractionRandom final : public core::Random {
 public:
  void push(double fraction) { fractions_.push_back(fraction); }
  void fill(std::span<std::uint8_t> out) override {
    double fraction = fractions_.empty() ? 0.5 : fractions_.front();
    if (!fractions_.empty()) fractions_.pop_front();
    auto value = static_cast<std::uint64_t>(fraction * 0x1.0p64);
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = static_cast<std::uint8_t>(value >> (8 * (out.size() - 1 - i)));
    }
  }

 private:
  std::deque<double> fractions_;
};

const auto kStart = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + 12h;

class DynamoDbClientTest : public ::testing::Test {
 protected:
  DynamoDbClient makeClient(DynamoDbClient::Options options = {}) {
    if (options.region.empty()) options.region = "eu-west-1";
    return DynamoDbClient(std::move(options), http_, credentials_, clock_, random_,
                          [this](std::chrono::milliseconds delay) {
                            delays_.push_back(delay);
                            clock_.advance(delay);
                          });
  }

  FakeHttpClient http_;
  StaticCredentialsProvider credentials_{
      Credentials{.access_key_id = "AKID", .secret_access_key = "secret", .session_token = "tok"}};
  core::ManualClock clock_{kStart};
  FractionRandom random_;
  std::vector<std::chrono::milliseconds> delays_;
};

std::string header(const net::Request& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return {};
}

TEST_F(DynamoDbClientTest, SendsASignedJson10RequestToTheRegionalEndpoint) {
  auto client = makeClient();
  http_.pushJson(200, R"({"Item":{"id":{"S":"u1"}}})");
  auto item = client.getItem("parley-users", {{"id", attrS("u1")}}, true);
  ASSERT_TRUE(item) << item.error().describe();
  ASSERT_TRUE(*item);
  EXPECT_EQ((**item).at("id"), attrS("u1"));

  ASSERT_EQ(http_.requests.size(), 1u);
  const auto& request = http_.requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://dynamodb.eu-west-1.amazonaws.com/");
  EXPECT_EQ(header(request, "Host"), "dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(header(request, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(header(request, "X-Amz-Target"), "DynamoDB_20120810.GetItem");
  EXPECT_EQ(header(request, "X-Amz-Date"), "20261128T120000Z");
  EXPECT_EQ(header(request, "X-Amz-Security-Token"), "tok");
  EXPECT_TRUE(header(request, "Authorization")
                  .starts_with("AWS4-HMAC-SHA256 Credential=AKID/20261128/eu-west-1/dynamodb/"
                               "aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                               "x-amz-security-token;x-amz-target, Signature="));
  EXPECT_EQ(boost::json::parse(request.body),
            boost::json::parse(R"({"TableName":"parley-users","Key":{"id":{"S":"u1"}},
                                   "ConsistentRead":true})"));
}

TEST_F(DynamoDbClientTest, MissingItemIsEmptyOptional) {
  auto client = makeClient();
  http_.pushJson(200, "{}");
  auto item = client.getItem("t", {{"id", attrS("nope")}}, false);
  ASSERT_TRUE(item);
  EXPECT_FALSE(*item);
}

TEST_F(DynamoDbClientTest, ConditionalPutFailureIsTypedAndNotRetried) {
  auto client = makeClient();
  http_.pushAwsError(400, "ConditionalCheckFailedException", "The conditional request failed");
  auto put = client.putItem({.table = "t",
                             .item = {{"id", attrS("u1")}},
                             .condition = "attribute_not_exists(#id)",
                             .names = {{"#id", "id"}}});
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().error, Error::kConditionalCheckFailed);
  EXPECT_EQ(put.error().code, "ConditionalCheckFailedException");
  EXPECT_EQ(put.error().message, "The conditional request failed");
  EXPECT_EQ(put.error().attempts, 1);
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_TRUE(delays_.empty());
  auto body = boost::json::parse(http_.requests[0].body).as_object();
  EXPECT_EQ(body.at("ConditionExpression"), "attribute_not_exists(#id)");
  EXPECT_EQ(body.at("ExpressionAttributeNames").at("#id"), "id");
}

TEST_F(DynamoDbClientTest, RetriesThrottlingWithFullJitterFromTheOneSecondBase) {
  auto client = makeClient();
  random_.push(0.5);
  random_.push(0.25);
  random_.push(0.75);
  for (int i = 0; i < 3; ++i) http_.pushAwsError(400, "ProvisionedThroughputExceededException");
  http_.pushJson(200, "{}");
  auto put = client.putItem({.table = "t", .item = {{"id", attrS("u1")}}});
  ASSERT_TRUE(put) << put.error().describe();
  EXPECT_EQ(http_.requests.size(), 4u);
  // random * min(1000ms * 2^i, 20s): 0.5*1000, 0.25*2000, 0.75*4000.
  EXPECT_EQ(delays_, (std::vector<std::chrono::milliseconds>{500ms, 500ms, 3000ms}));
}

TEST_F(DynamoDbClientTest, RetriesServerErrorsFromThe25msBaseAndGivesUpAfterFourAttempts) {
  auto client = makeClient();
  for (int i = 0; i < 3; ++i) random_.push(0.999);
  for (int i = 0; i < 5; ++i) http_.pushJson(500, R"({"__type":"InternalServerError"})");
  auto item = client.getItem("t", {{"id", attrS("u1")}}, false);
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().error, Error::kServiceUnavailable);
  EXPECT_EQ(item.error().attempts, 4);
  EXPECT_EQ(item.error().http_status, 500u);
  EXPECT_EQ(http_.requests.size(), 4u);
  EXPECT_EQ(delays_, (std::vector<std::chrono::milliseconds>{24ms, 49ms, 99ms}));
}

TEST_F(DynamoDbClientTest, HonoursConfiguredAttemptsAndCapsEachDelay) {
  auto client =
      makeClient({.retry = {.max_attempts = 6, .transient_base_delay = 100ms, .max_delay = 300ms}});
  for (int i = 0; i < 6; ++i) http_.pushJson(503, "{}");
  random_.push(0.5);
  random_.push(0.5);
  random_.push(0.5);
  random_.push(0.5);
  random_.push(0.5);
  auto result = client.call("DescribeTable", {{"TableName", "t"}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().attempts, 6);
  EXPECT_EQ(delays_, (std::vector<std::chrono::milliseconds>{50ms, 100ms, 150ms, 150ms, 150ms}));
}

TEST_F(DynamoDbClientTest, DoesNotRetryValidationOrAccessErrors) {
  auto client = makeClient();
  http_.pushJson(400,
                 R"({"__type":"com.amazon.coral.validate#ValidationException","message":"bad"})");
  http_.pushJson(400, R"({"__type":"com.amazon.coral.service#UnrecognizedClientException"})");
  http_.pushJson(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"})");
  EXPECT_EQ(client.call("PutItem", {}).error().error, Error::kValidation);
  EXPECT_EQ(client.call("PutItem", {}).error().error, Error::kAccessDenied);
  EXPECT_EQ(client.call("PutItem", {}).error().error, Error::kResourceNotFound);
  EXPECT_EQ(http_.requests.size(), 3u);
  EXPECT_TRUE(delays_.empty());
}

TEST_F(DynamoDbClientTest, RetriesTransportFailuresAndCorruptBodies) {
  auto client = makeClient();
  http_.push(boost::system::error_code(net::Error::kConnectFailed));
  http_.push(boost::system::error_code(net::Error::kTimeout));
  http_.push(net::Response{.status = 200, .headers = {{"x-amz-crc32", "12345"}}, .body = "{}"});
  boost::crc_32_type crc;
  std::string good = R"({"Item":{"id":{"S":"x"}}})";
  crc.process_bytes(good.data(), good.size());
  http_.push(net::Response{
      .status = 200, .headers = {{"x-amz-crc32", std::to_string(crc.checksum())}}, .body = good});
  auto item = client.getItem("t", {{"id", attrS("x")}}, false);
  ASSERT_TRUE(item) << item.error().describe();
  EXPECT_TRUE(*item);
  EXPECT_EQ(http_.requests.size(), 4u);
  EXPECT_EQ(delays_.size(), 3u);
}

TEST_F(DynamoDbClientTest, EachAttemptIsSignedAtItsOwnTime) {
  auto client = makeClient();
  http_.simulateLatency(clock_, 200ms);
  random_.push(0.9);  // 900 ms: the retry starts 1.1 s after the first attempt
  http_.pushAwsError(400, "ThrottlingException");
  http_.pushJson(200, "{}");
  ASSERT_TRUE(client.call("DescribeTable", {{"TableName", "t"}}));
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(header(http_.requests[0], "X-Amz-Date"), "20261128T120000Z");
  EXPECT_EQ(header(http_.requests[1], "X-Amz-Date"), "20261128T120001Z");
  EXPECT_NE(header(http_.requests[0], "Authorization"), header(http_.requests[1], "Authorization"));
}

TEST_F(DynamoDbClientTest, NoRetryWouldOutliveTheDeadline) {
  auto client = makeClient();
  random_.push(0.9);  // a 900 ms throttling delay
  http_.pushAwsError(400, "ThrottlingException");
  http_.pushJson(200, "{}");
  auto result = client.call("GetItem", {}, {.deadline = kStart + 800ms});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().error, Error::kThrottled);
  EXPECT_EQ(result.error().attempts, 1);
  EXPECT_TRUE(delays_.empty());
}

TEST_F(DynamoDbClientTest, AttemptTimeoutShrinksToTheTimeLeft) {
  auto client = makeClient({.attempt_timeout = 5s});
  http_.simulateLatency(clock_, 400ms);
  random_.push(0.0);
  http_.push(boost::system::error_code(net::Error::kTimeout));
  http_.pushJson(200, "{}");
  ASSERT_TRUE(client.call("GetItem", {}, {.deadline = kStart + 1s}));
  EXPECT_EQ(http_.timeouts, (std::vector<std::chrono::milliseconds>{1000ms, 600ms}));
}

TEST_F(DynamoDbClientTest, DeadlineAlreadyPassedSendsNothing) {
  auto client = makeClient({.deadline = [] { return Deadline{kStart - 1ms}; }});
  auto result = client.call("GetItem", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().error, Error::kDeadlineExceeded);
  EXPECT_TRUE(http_.requests.empty());
}

// The backoff sleep ends with less than a millisecond to go (timers overshoot): no attempt is
// started that could only be sent after the deadline, and the caller learns the last failure.
TEST_F(DynamoDbClientTest, ARetryWakingAtTheDeadlineIsNotSentAndTheLastFailureIsReported) {
  DynamoDbClient client(
      {.region = "eu-west-1", .retry = {.transient_base_delay = 100ms, .max_delay = 100ms}}, http_,
      credentials_, clock_, random_, [this](std::chrono::milliseconds delay) {
        delays_.push_back(delay);
        clock_.advance(delay + std::chrono::microseconds(900));
      });
  random_.push(0.99);  // a 99 ms delay, of the 100 ms left
  http_.pushAwsError(500, "InternalServerError");
  http_.pushJson(200, "{}");
  auto result = client.call("GetItem", {}, {.deadline = kStart + 100ms});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "InternalServerError");
  EXPECT_EQ(result.error().attempts, 1);
  EXPECT_EQ(delays_, (std::vector<std::chrono::milliseconds>{99ms}));
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(DynamoDbClientTest, LessThanAMillisecondLeftSendsNothing) {
  auto client = makeClient();
  auto result = client.call("GetItem", {}, {.deadline = kStart + std::chrono::microseconds(999)});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().error, Error::kDeadlineExceeded);
  EXPECT_TRUE(http_.requests.empty());
}

TEST_F(DynamoDbClientTest, RetryQuotaStopsRetryStorms) {
  auto client = makeClient({.retry = {.quota = 30, .transient_retry_cost = 14}});
  for (int i = 0; i < 20; ++i) http_.pushJson(500, "{}");
  auto first = client.call("GetItem", {});  // 3 retries wanted, 2 affordable (28 of 30)
  EXPECT_EQ(first.error().attempts, 3);
  auto second = client.call("GetItem", {});  // 2 tokens left: no retry at all
  EXPECT_EQ(second.error().attempts, 1);
}

TEST_F(DynamoDbClientTest, MissingCredentialsAreTypedAndNothingIsSent) {
  class NoCredentials final : public CredentialsProvider {
   public:
    boost::system::result<Credentials> credentials() override { return Error::kNoCredentials; }
  } none;
  DynamoDbClient client({.region = "us-east-1"}, http_, none, clock_, random_, {});
  auto result = client.call("GetItem", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().error, Error::kNoCredentials);
  EXPECT_TRUE(http_.requests.empty());
}

TEST_F(DynamoDbClientTest, CreateTableIsOnDemandWithDeduplicatedAttributeDefinitions) {
  auto client = makeClient();
  http_.pushJson(200, R"({"TableDescription":{"TableName":"p-users","TableStatus":"CREATING"}})");
  auto table = client.createTable({.table = "p-users",
                                   .hash_key = {.name = "id"},
                                   .indexes = {{.name = "byEmail", .hash_key = {.name = "email"}},
                                               {.name = "byId", .hash_key = {.name = "id"}}}});
  ASSERT_TRUE(table);
  EXPECT_EQ(table->status, "CREATING");
  auto body = boost::json::parse(http_.requests[0].body).as_object();
  EXPECT_EQ(body.at("BillingMode"), "PAY_PER_REQUEST");
  EXPECT_EQ(body.at("AttributeDefinitions").as_array().size(), 2u);
  EXPECT_EQ(body.at("KeySchema"),
            boost::json::parse(R"([{"AttributeName":"id","KeyType":"HASH"}])"));
  EXPECT_EQ(body.at("GlobalSecondaryIndexes").as_array().size(), 2u);
}

TEST_F(DynamoDbClientTest, UpdateTimeToLiveAndQueryBuildTheDocumentedBodies) {
  auto client = makeClient();
  http_.pushJson(200, "{}");
  ASSERT_TRUE(client.updateTimeToLive("t", "ttl", true));
  EXPECT_EQ(boost::json::parse(http_.requests[0].body),
            boost::json::parse(R"({"TableName":"t","TimeToLiveSpecification":
                                   {"AttributeName":"ttl","Enabled":true}})"));
  http_.pushJson(200, R"({"Items":[{"id":{"S":"a"}}],"LastEvaluatedKey":{"id":{"S":"a"}}})");
  auto page = client.query({.table = "t",
                            .index = "byEmail",
                            .key_condition = "#e = :e",
                            .names = {{"#e", "email"}},
                            .values = {{":e", attrS("x@y")}},
                            .limit = 1});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), 1u);
  ASSERT_TRUE(page->last_evaluated_key);
  auto body = boost::json::parse(http_.requests[1].body).as_object();
  EXPECT_EQ(body.at("IndexName"), "byEmail");
  EXPECT_EQ(body.at("Limit"), 1);
}

TEST_F(DynamoDbClientTest, BatchGetItemAnswersInTheOrderAskedAndAsksEachKeyOnce) {
  auto client = makeClient();
  // DynamoDB lists a table's items in any order.
  http_.pushJson(200, R"({"Responses":{
      "families":[{"id":{"S":"f1"},"userId":{"S":"u1"}}],
      "users":[{"id":{"S":"u3"},"email":{"S":"c@d.co"}},{"id":{"S":"u1"},"email":{"S":"a@b.co"}}]},
      "UnprocessedKeys":{}})");
  const std::vector<ItemKey> keys{{"users", {{"id", attrS("u1")}}},
                                  {"families", {{"id", attrS("f1")}}},
                                  {"users", {{"id", attrS("u2")}}},
                                  {"users", {{"id", attrS("u3")}}},
                                  {"users", {{"id", attrS("u1")}}}};
  auto items = client.batchGetItem(keys, true);
  ASSERT_TRUE(items) << items.error().describe();
  ASSERT_EQ(items->size(), 5u);
  EXPECT_EQ((*items)[0]->at("email"), attrS("a@b.co"));
  EXPECT_EQ((*items)[1]->at("userId"), attrS("u1"));
  EXPECT_FALSE((*items)[2]);
  EXPECT_EQ((*items)[3]->at("email"), attrS("c@d.co"));
  EXPECT_EQ((*items)[4], (*items)[0]);

  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(header(http_.requests[0], "X-Amz-Target"), "DynamoDB_20120810.BatchGetItem");
  EXPECT_EQ(boost::json::parse(http_.requests[0].body), boost::json::parse(R"({"RequestItems":{
      "users":{"Keys":[{"id":{"S":"u1"}},{"id":{"S":"u2"}},{"id":{"S":"u3"}}],"ConsistentRead":true},
      "families":{"Keys":[{"id":{"S":"f1"}}],"ConsistentRead":true}}})"));
}

TEST_F(DynamoDbClientTest, BatchGetItemReadsUnprocessedKeysWithGetItem) {
  auto client = makeClient();
  http_.pushJson(200, R"({"Responses":{"users":[{"id":{"S":"u1"}}]},
      "UnprocessedKeys":{"families":{"Keys":[{"id":{"S":"f1"}}],"ConsistentRead":true}}})");
  http_.pushAwsError(400, "ThrottlingException", "slow down");  // GetItem retries this
  http_.pushJson(200, R"({"Item":{"id":{"S":"f1"},"userId":{"S":"u1"}}})");
  const std::vector<ItemKey> keys{{"users", {{"id", attrS("u1")}}},
                                  {"families", {{"id", attrS("f1")}}}};
  auto items = client.batchGetItem(keys, true);
  ASSERT_TRUE(items) << items.error().describe();
  EXPECT_TRUE((*items)[0]);
  ASSERT_TRUE((*items)[1]);
  EXPECT_EQ((*items)[1]->at("userId"), attrS("u1"));
  ASSERT_EQ(http_.requests.size(), 3u);
  EXPECT_EQ(header(http_.requests[1], "X-Amz-Target"), "DynamoDB_20120810.GetItem");
  EXPECT_EQ(boost::json::parse(http_.requests[2].body),
            boost::json::parse(R"({"TableName":"families","Key":{"id":{"S":"f1"}},
                                   "ConsistentRead":true})"));
}

TEST_F(DynamoDbClientTest, BatchGetItemRejectsAMalformedAnswer) {
  auto client = makeClient();
  const std::vector<ItemKey> keys{{"users", {{"id", attrS("u1")}}}};
  for (const char* answer :
       {R"({"Responses":[]})", R"({"Responses":{"users":{}}})", R"({"Responses":{"users":[1]}})",
        R"({"UnprocessedKeys":{"users":{"Keys":{}}}})"}) {
    http_.pushJson(200, answer);
    auto items = client.batchGetItem(keys, false);
    ASSERT_FALSE(items) << answer;
    EXPECT_EQ(items.error().error, Error::kBadResponse) << answer;
  }
  EXPECT_TRUE(client.batchGetItem({}, false)->empty());
  EXPECT_EQ(http_.requests.size(), 4u);  // nothing sent for no keys
}

TEST(ParseErrorCode, StripsNamespacesAndFallsBackToTheHeader) {
  EXPECT_EQ(parseErrorCode(R"({"__type":"com.amazon.coral.service#ThrottlingException"})", {}),
            "ThrottlingException");
  EXPECT_EQ(parseErrorCode(R"({"code":"Foo:http://x"})", {}), "Foo");
  EXPECT_EQ(parseErrorCode("not json", "aws.protocoltests#Bar,baz"), "Bar");
  EXPECT_EQ(parseErrorCode("", std::nullopt), "");
}

TEST(ClassifyDynamoDbError, FollowsTheSdkRetryClasses) {
  EXPECT_EQ(classifyDynamoDbError("RequestLimitExceeded", 400), Error::kThrottled);
  EXPECT_EQ(classifyDynamoDbError("", 429), Error::kThrottled);
  EXPECT_EQ(classifyDynamoDbError("", 502), Error::kServiceUnavailable);
  EXPECT_EQ(classifyDynamoDbError("ResourceInUseException", 400), Error::kResourceInUse);
  EXPECT_EQ(classifyDynamoDbError("Whatever", 400), Error::kClientError);
}

TEST(ResolveDynamoDbEndpoint, ConfiguredThenEnvironmentThenRegional) {
  auto env = fixedEnvironment({{"AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"},
                               {"AWS_ENDPOINT_URL", "http://127.0.0.1:9000"}});
  EXPECT_EQ(*resolveDynamoDbEndpoint("http://localhost:1", "eu-west-1", env), "http://localhost:1");
  EXPECT_EQ(*resolveDynamoDbEndpoint("", "eu-west-1", env), "http://127.0.0.1:8000");
  EXPECT_EQ(*resolveDynamoDbEndpoint("", "eu-west-1",
                                     fixedEnvironment({{"AWS_ENDPOINT_URL", "http://h:9"}})),
            "http://h:9");
  auto none = fixedEnvironment({});
  EXPECT_EQ(*resolveDynamoDbEndpoint("", "eu-west-1", none),
            "https://dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(*resolveDynamoDbEndpoint("", "cn-north-1", none),
            "https://dynamodb.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(resolveDynamoDbEndpoint("", "", none).error(), Error::kNoRegion);
  EXPECT_EQ(resolveDynamoDbEndpoint("ftp://x", "r", none).error(), Error::kInvalidEndpoint);
  EXPECT_EQ(resolveDynamoDbEndpoint("http://x/path", "r", none).error(), Error::kInvalidEndpoint);
  EXPECT_EQ(resolveDynamoDbEndpoint("not a url", "r", none).error(), Error::kInvalidEndpoint);
}

}  // namespace
}  // namespace parley::aws
