#pragma once

// A DynamoDB client wired for tests: real HTTP to dynalite (or a fake server), static
// credentials, fast retries and a sleeper that records the delays instead of waiting.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/support/node_tools.hpp"
#include "net/test_server.hpp"
#include "parley/aws/dynamodb.hpp"
#include "parley/core/clock.hpp"
#include "parley/core/random.hpp"
#include "parley/net/http_client.hpp"
#include "parley/storage/dynamodb/tables.hpp"

namespace parley::storage::dynamodb::testing {

struct TestClient {
  explicit TestClient(const std::string& endpoint, aws::RetryOptions retry = fastRetries(),
                      std::chrono::milliseconds attempt_timeout = std::chrono::seconds(5))
      : client({.region = "us-east-1",
                .endpoint = endpoint,
                .attempt_timeout = attempt_timeout,
                .retry = retry,
                .deadline = {}},
               http, credentials, clock, random, [this](std::chrono::milliseconds delay) {
                 std::lock_guard lock(mutex);
                 delays.push_back(delay);
               }) {}

  static aws::RetryOptions fastRetries() {
    return {.max_attempts = 4,
            .transient_base_delay = std::chrono::milliseconds(8),
            .throttling_base_delay = std::chrono::milliseconds(40),
            .max_delay = std::chrono::milliseconds(100),
            .quota = 500,
            .transient_retry_cost = 14,
            .throttling_retry_cost = 5};
  }

  std::vector<std::chrono::milliseconds> recordedDelays() {
    std::lock_guard lock(mutex);
    return delays;
  }

  net::BeastHttpClient http{
      net::BeastHttpClient::Options{.connect_timeout = std::chrono::seconds(2)}};
  aws::StaticCredentialsProvider credentials{aws::Credentials{
      .access_key_id = "AKIDTEST", .secret_access_key = "secret", .session_token = "token"}};
  core::SystemClock clock;
  core::SeededRandom random{7};
  std::mutex mutex;
  std::vector<std::chrono::milliseconds> delays;
  aws::DynamoDbClient client;
};

// A table prefix no other test of this process uses, so each store starts empty.
inline std::string uniquePrefix() {
  static std::atomic<int> counter{0};
  return "parley-t" + std::to_string(counter++) + "-";
}

// An endpoint on 127.0.0.1 where nothing listens (a port just bound and closed again): DynamoDB
// down.
inline std::string unusedEndpoint() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

// Forwards every request to dynalite and records its operation (X-Amz-Target). The first
// `lost_answers` are answered with a 500 as if the answer had been lost after DynamoDB applied
// the write; the client then retries.
class DynaliteProxy {
 public:
  explicit DynaliteProxy(int lost_answers = 0)
      : server_({.handler = [this, lost_answers](const parley::testing::TestRequest& in) {
          net::Request out{.method = "POST",
                           .url = parley::testing::sharedDynalite().endpoint() + "/"};
          for (const auto& field : in) {
            out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
          }
          out.body = in.body();
          {
            const std::lock_guard lock(mutex_);
            auto target = std::string(in["X-Amz-Target"]);
            operations_.push_back(target.substr(target.find('.') + 1));
          }
          auto answer = upstream_.send(out);
          parley::testing::TestResponse response{boost::beast::http::status::internal_server_error,
                                                 11};
          if (seen_++ >= lost_answers && answer) {
            response.result(answer->status);
            for (const auto& [name, value] : answer->headers) {
              if (name != "Content-Length" && name != "Connection") response.set(name, value);
            }
            response.body() = answer->body;
          }
          return std::optional(response);
        }}) {}
  std::string endpoint() const { return server_.url(""); }
  int seen() const { return seen_; }
  int connections() const { return server_.connections(); }
  // The operations since the last call, oldest first.
  std::vector<std::string> takeOperations() {
    const std::lock_guard lock(mutex_);
    return std::exchange(operations_, {});
  }

 private:
  std::atomic<int> seen_{0};
  std::mutex mutex_;
  std::vector<std::string> operations_;
  net::BeastHttpClient upstream_;
  parley::testing::TestServer server_;
};

}  // namespace parley::storage::dynamodb::testing
