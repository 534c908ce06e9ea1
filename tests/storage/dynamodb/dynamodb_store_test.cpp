#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "aws/support/node_tools.hpp"
#include "net/test_server.hpp"
#include "parley/storage/dynamodb/user_store.hpp"
#include "storage/dynamodb/support.hpp"

namespace parley::storage::dynamodb {
namespace {

using namespace std::chrono_literals;
using parley::testing::sharedDynalite;
using testing::TestClient;
namespace http = boost::beast::http;

User sampleUser(std::string id) {
  return User{.id = std::move(id),
              .email = "grace@example.com",
              .created_at = std::chrono::system_clock::time_point{1714566896789ms},
              .attributes = {{"plan", "pro"}, {"nested", {{"n", 2}, {"ok", true}}}}};
}

// A store on dynalite with fresh tables.
struct DynaliteStore {
  DynaliteStore() : client(sharedDynalite().endpoint()), prefix(testing::uniquePrefix()) {
    createTables(client.client, prefix, {.wait = 5s});
  }
  DynamoDbUserStore store() { return {client.client, {.table_prefix = prefix}}; }
  TestClient client;
  std::string prefix;
};

std::string writeTemp(const std::string& text) {
  static std::atomic<int> counter{0};
  auto path = std::filesystem::temp_directory_path() /
              ("parley-ddb-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::ofstream(path) << text;
  return path.string();
}

std::string sdk(const std::string& command, const std::string& table, const std::string& json) {
  auto file = writeTemp(json);
  auto out =
      parley::testing::runNode("sdk-item.js", {command, sharedDynalite().endpoint(), table, file});
  std::filesystem::remove(file);
  return out;
}

TEST(SdkCrossCheck, UserWrittenByParleyIsReadByTheAwsSdk) {
  DynaliteStore db;
  auto store = db.store();
  ASSERT_TRUE(store.create(sampleUser("cross-1")));
  auto item = boost::json::parse(sdk("get", store.table(), R"({"id":{"S":"cross-1"}})"));
  EXPECT_EQ(item, boost::json::parse(R"({"id":{"S":"cross-1"},"email":{"S":"grace@example.com"},
      "createdAt":{"N":"1714566896789"},
      "attributes":{"M":{"plan":{"S":"pro"},"nested":{"M":{"n":{"N":"2"},"ok":{"BOOL":true}}}}}})"));
}

TEST(SdkCrossCheck, UserWrittenByTheAwsSdkIsReadByParley) {
  DynaliteStore db;
  auto store = db.store();
  sdk("put", store.table(), R"({"id":{"S":"cross-2"},"email":{"S":"grace@example.com"},
      "createdAt":{"N":"1714566896789"},
      "attributes":{"M":{"plan":{"S":"pro"},"nested":{"M":{"n":{"N":"2"},"ok":{"BOOL":true}}}}}})");
  EXPECT_EQ(store.get("cross-2"), sampleUser("cross-2"));
  EXPECT_FALSE(store.create(sampleUser("cross-2")));
}

TEST(DynamoDbUserStore, CorruptItemIsAStorageErrorNotACrash) {
  DynaliteStore db;
  auto store = db.store();
  sdk("put", store.table(), R"({"id":{"S":"bad"},"email":{"N":"5"}})");
  try {
    store.get("bad");
    FAIL() << "no exception";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kCorrupt);
  }
}

TEST(DynamoDbUserStore, UnstorableIdsAreAbsentOnReadAndRejectedOnWrite) {
  DynaliteStore db;
  auto store = db.store();
  EXPECT_EQ(store.get(std::string(3000, 'x')), std::nullopt);
  EXPECT_THROW(store.put(sampleUser("")), StorageError);
}

TEST(CreateTables, IsIdempotentAndLeavesTablesActive) {
  DynaliteStore db;  // created once already
  std::vector<std::string> lines;
  createTables(db.client.client, db.prefix,
               {.wait = 5s, .progress = [&](const std::string& line) { lines.push_back(line); }});
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), db.prefix + "users exists already");
  auto table = db.client.client.describeTable(db.prefix + "users");
  ASSERT_TRUE(table);
  EXPECT_EQ(table->status, "ACTIVE");
}

// --- Faults -------------------------------------------------------------------------------

TEST(DynamoDbFaults, ConnectionRefusedIsUnavailableAfterEveryAttempt) {
  unsigned short port = 0;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
  }  // closed again: nothing listens there now
  TestClient client("http://127.0.0.1:" + std::to_string(port));
  DynamoDbUserStore store(client.client, {.table_prefix = "p-"});
  try {
    store.get("u1");
    FAIL() << "no exception";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kUnavailable);
    EXPECT_NE(std::string(error.what()).find("after 4 attempts"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(client.recordedDelays().size(), 3u);
}

struct CountingServer {
  explicit CountingServer(std::function<std::optional<parley::testing::TestResponse>(
                              const parley::testing::TestRequest&)>
                              handler)
      : server({.handler = [this, handler](const parley::testing::TestRequest& request) {
          ++requests;
          return handler(request);
        }}) {}
  std::atomic<int> requests{0};
  parley::testing::TestServer server;
};

parley::testing::TestResponse awsError(http::status status, const std::string& type) {
  parley::testing::TestResponse response{status, 11};
  response.set(http::field::content_type, "application/x-amz-json-1.0");
  response.body() =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + type + R"(","message":"injected"})";
  return response;
}

TEST(DynamoDbFaults, ServerErrorsAreRetriedWithCappedBackoffThenUnavailable) {
  CountingServer fake([](const auto&) {
    return std::optional(awsError(http::status::internal_server_error, "InternalServerError"));
  });
  TestClient client(fake.server.url(""));
  DynamoDbUserStore store(client.client, {.table_prefix = "p-"});
  try {
    store.put(sampleUser("u1"));
    FAIL() << "no exception";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kUnavailable);
  }
  EXPECT_EQ(fake.requests.load(), 4);
  auto delays = client.recordedDelays();
  ASSERT_EQ(delays.size(), 3u);
  for (std::size_t i = 0; i < delays.size(); ++i) {
    EXPECT_LT(delays[i], std::chrono::milliseconds(8 << i)) << i;  // full jitter below the cap
  }
}

TEST(DynamoDbFaults, ThrottlingUsesTheThrottlingBaseAndEndsThrottled) {
  CountingServer fake([](const auto&) {
    return std::optional(
        awsError(http::status::bad_request, "ProvisionedThroughputExceededException"));
  });
  auto retry = TestClient::fastRetries();
  retry.max_attempts = 3;
  TestClient client(fake.server.url(""), retry);
  DynamoDbUserStore store(client.client, {.table_prefix = "p-"});
  try {
    store.create(sampleUser("u1"));
    FAIL() << "no exception";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kThrottled);
  }
  EXPECT_EQ(fake.requests.load(), 3);
  auto delays = client.recordedDelays();
  ASSERT_EQ(delays.size(), 2u);
  EXPECT_LT(delays[0], 40ms);
  EXPECT_LT(delays[1], 80ms);
}

TEST(DynamoDbFaults, ClientErrorsAreNotRetried) {
  CountingServer fake([](const auto&) {
    return std::optional(awsError(http::status::bad_request, "ValidationException"));
  });
  TestClient client(fake.server.url(""));
  DynamoDbUserStore store(client.client, {.table_prefix = "p-"});
  try {
    store.get("u1");
    FAIL() << "no exception";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kInternal);
  }
  EXPECT_EQ(fake.requests.load(), 1);
  EXPECT_TRUE(client.recordedDelays().empty());
}

TEST(DynamoDbFaults, SlowAnswersTimeOutPerAttempt) {
  CountingServer fake([](const auto&) {
    std::this_thread::sleep_for(300ms);
    return std::optional(parley::testing::TestResponse{http::status::ok, 11});
  });
  auto retry = TestClient::fastRetries();
  retry.max_attempts = 2;
  TestClient client(fake.server.url(""), retry, 100ms);
  DynamoDbUserStore store(client.client, {.table_prefix = "p-"});
  auto started = std::chrono::steady_clock::now();
  try {
    store.get("u1");
    FAIL() << "no exception";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kTimeout);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(client.recordedDelays().size(), 1u);
}

// Fails the first `failures` requests, then forwards everything to dynalite.
struct FlakyProxy {
  FlakyProxy(int failures, http::status status, std::string type)
      : server({.handler = [this, failures, status, type](const parley::testing::TestRequest& in) {
          if (seen++ < failures) return std::optional(awsError(status, type));
          net::Request out{.method = "POST", .url = sharedDynalite().endpoint() + "/"};
          for (const auto& field : in) {
            out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
          }
          out.body = in.body();
          auto answer = upstream.send(out);
          parley::testing::TestResponse response{
              static_cast<http::status>(answer ? answer->status : 502), 11};
          if (answer) {
            for (const auto& [name, value] : answer->headers) {
              if (name != "Content-Length" && name != "Connection") response.set(name, value);
            }
            response.body() = answer->body;
          }
          return std::optional(response);
        }}) {}
  int seen{0};
  net::BeastHttpClient upstream;
  parley::testing::TestServer server;
};

TEST(DynamoDbFaults, WritesThatSucceedAfterRetriesAreNotLost) {
  DynaliteStore db;
  FlakyProxy throttling(2, http::status::bad_request, "ThrottlingException");
  TestClient via_throttling(throttling.server.url(""));
  DynamoDbUserStore flaky_store(via_throttling.client, {.table_prefix = db.prefix});
  ASSERT_TRUE(flaky_store.create(sampleUser("kept-1")));
  EXPECT_EQ(throttling.seen, 3);

  FlakyProxy failing(3, http::status::service_unavailable, "ServiceUnavailable");
  TestClient via_failing(failing.server.url(""));
  DynamoDbUserStore failing_store(via_failing.client, {.table_prefix = db.prefix});
  auto updated = sampleUser("kept-1");
  updated.email = "new@example.com";
  failing_store.put(updated);
  EXPECT_EQ(failing.seen, 4);

  EXPECT_EQ(db.store().get("kept-1"), updated);  // read straight from dynalite
}

TEST(DynamoDbFaults, NoRetryPastTheDeadline) {
  CountingServer fake([](const auto&) {
    return std::optional(awsError(http::status::bad_request, "ThrottlingException"));
  });
  net::BeastHttpClient http;
  aws::StaticCredentialsProvider credentials(
      aws::Credentials{.access_key_id = "A", .secret_access_key = "S"});
  core::SystemClock clock;
  core::SeededRandom random(3);
  aws::DynamoDbClient client(
      {.region = "us-east-1",
       .endpoint = fake.server.url(""),
       .retry = {.throttling_base_delay = 10s},  // any jittered delay is far past the deadline
       .deadline = [&clock] { return aws::Deadline{clock.now() + 500ms}; }},
      http, credentials, clock, random, [](std::chrono::milliseconds) {
        ADD_FAILURE() << "slept although the deadline was too close";
      });
  auto result = client.call("GetItem", {{"TableName", "t"}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().error, aws::Error::kThrottled);
  EXPECT_EQ(fake.requests.load(), 1);
}

}  // namespace
}  // namespace parley::storage::dynamodb
