// The invocation deadline bounds storage: a DynamoDB client whose deadline source is
// InvocationDeadline::until(margin), as `skill lambda` wires it, gives up in time for the handler
// to post its answer before Lambda's Deadline-Ms, however slow or failing DynamoDB is.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "fake_runtime_api.hpp"
#include "net/test_server.hpp"
#include "parley/aws/credentials.hpp"
#include "parley/aws/dynamodb.hpp"
#include "parley/core/clock.hpp"
#include "parley/core/random.hpp"
#include "parley/lambda/runtime.hpp"
#include "parley/net/http_client.hpp"
#include "support/fixtures.hpp"

namespace parley::lambda {
namespace {
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;
using testing::FakeRuntimeApi;
using testing::Posted;
using testing::TestRequest;
using testing::TestResponse;
using testing::TestServer;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kInvocationTimeout = 1500ms;
constexpr auto kMargin = 250ms;

// The HTTP client DynamoDB is reached through, noting when each request was sent: the deadline
// bounds when the client starts an attempt, not when the server gets to see it.
class SendTimes final : public net::HttpClient {
 public:
  explicit SendTimes(net::HttpClient& inner) : inner_(inner) {}
  boost::system::result<net::Response> send(const net::Request& request,
                                            const net::RequestOptions& options) override {
    {
      std::lock_guard lock(mutex_);
      sent_.push_back(SteadyClock::now());
    }
    return inner_.send(request, options);
  }
  std::vector<SteadyClock::time_point> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  net::HttpClient& inner_;
  mutable std::mutex mutex_;
  std::vector<SteadyClock::time_point> sent_;
};

// One invocation whose handler reads an item from `dynamodb` with `retry`; returns what was
// posted and how long after the start it was.
class StorageUnderDeadline : public ::testing::Test {
 protected:
  Posted invokeReadingFrom(const TestServer& dynamodb, aws::RetryOptions retry) {
    FakeRuntimeApi fake({.timeout = kInvocationTimeout});
    net::BeastHttpClient http;
    RuntimeApi api(http, clock_, {.endpoint = fake.endpoint()});
    InvocationDeadline deadline;
    aws::DynamoDbClient storage({.region = "us-east-1",
                                 .endpoint = dynamodb.url(""),
                                 .retry = retry,
                                 .deadline = deadline.until(kMargin)},
                                dynamodb_sends_, credentials_, clock_, random_);
    Handlers handlers;
    handlers.alexa = [&storage](std::string_view) {
      auto item = storage.getItem("users", {{"id", {{"S", "u1"}}}}, false);
      return item ? std::string("found") : item.error().describe();
    };
    Runtime runtime(api, {.handlers = handlers, .deadline = &deadline});

    const auto id = fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
    started_ = SteadyClock::now();
    EXPECT_TRUE(runtime.runOnce());
    const auto posted = fake.postFor(id);
    EXPECT_TRUE(posted.has_value());
    return posted.value_or(Posted{});
  }

  std::chrono::milliseconds elapsed(const Posted& posted) const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(posted.at - started_);
  }

  core::SystemClock clock_;
  core::SecureRandom random_;
  net::BeastHttpClient dynamodb_http_;
  SendTimes dynamodb_sends_{dynamodb_http_};
  aws::StaticCredentialsProvider credentials_{
      aws::Credentials{.access_key_id = "AKID", .secret_access_key = "secret"}};
  SteadyClock::time_point started_{};
};

TEST_F(StorageUnderDeadline, AHangingDynamoDbIsAbandonedBeforeTheInvocationTimesOut) {
  // Never answers; each attempt alone may take 5 s (attempt_timeout).
  TestServer dynamodb(
      {.handler = [](const TestRequest&) -> std::optional<TestResponse> { return std::nullopt; }});
  const auto posted = invokeReadingFrom(dynamodb, {});
  EXPECT_EQ(posted.kind, Posted::Kind::kResponse);
  EXPECT_TRUE(posted.body.find("timed out") != std::string::npos ||
              posted.body.find("deadline reached") != std::string::npos)
      << posted.body;
  // It waited for DynamoDB until the margin, and answered before the deadline.
  EXPECT_GE(elapsed(posted), kInvocationTimeout - kMargin - 100ms) << posted.body;
  EXPECT_LT(elapsed(posted), kInvocationTimeout) << posted.body;
}

TEST_F(StorageUnderDeadline, RetriesOfAFailingDynamoDbStopBeforeTheDeadline) {
  TestServer dynamodb({.handler = [&](const TestRequest&) -> std::optional<TestResponse> {
    TestResponse response{bhttp::status::internal_server_error, 11};
    response.body() = R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"})";
    return response;
  }});
  // Unbounded, these retries would run for tens of seconds.
  const auto posted = invokeReadingFrom(
      dynamodb, {.max_attempts = 1000, .transient_base_delay = 100ms, .max_delay = 400ms});
  EXPECT_EQ(posted.kind, Posted::Kind::kResponse);
  EXPECT_NE(posted.body.find("InternalServerError"), std::string::npos) << posted.body;
  EXPECT_LT(elapsed(posted), kInvocationTimeout) << posted.body;
  const auto sent = dynamodb_sends_.sent();
  ASSERT_GE(sent.size(), 2U);  // it did retry
  EXPECT_LT(sent.back() - started_, kInvocationTimeout - kMargin);
}

}  // namespace
}  // namespace parley::lambda
