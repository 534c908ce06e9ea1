// Per-request CPU overhead of the DynamoDB client, without the network: SigV4 signing, JSON
// serialization and AttributeValue marshalling (target: < 10 µs per request). The transport is
// a null HttpClient that answers "{}" at once.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include "parley/aws/attribute_value.hpp"
#include "parley/aws/dynamodb.hpp"
#include "parley/aws/sigv4.hpp"
#include "parley/storage/dynamodb/user_store.hpp"

namespace {

using namespace parley;

class NullHttpClient final : public net::HttpClient {
 public:
  using HttpClient::send;
  boost::system::result<net::Response> send(const net::Request& request,
                                            const net::RequestOptions&) override {
    benchmark::DoNotOptimize(request.headers.data());
    return net::Response{.status = 200, .headers = {}, .body = "{}"};
  }
};

const aws::Credentials kCredentials{
    .access_key_id = "ASIAEXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    .session_token = std::string(800, 't')};  // Lambda session tokens are ~800+ characters

struct Fixture {
  NullHttpClient http;
  aws::StaticCredentialsProvider credentials{kCredentials};
  core::SystemClock clock;
  core::SeededRandom random{1};
  aws::DynamoDbClient client{{.region = "eu-west-1"}, http, credentials, clock, random};
};

storage::User sampleUser() {
  return {.id = "amzn1.account.AHJKLSDFHJKL3487",
          .email = "ada@example.com",
          .created_at = std::chrono::system_clock::now(),
          .attributes = {{"plan", "free"}, {"visits", 3}, {"locale", "en-US"}}};
}

void BM_SignGetItem(benchmark::State& state) {
  std::string body =
      R"({"TableName":"parley-users","Key":{"id":{"S":"u1"}},"ConsistentRead":true})";
  std::vector<aws::Header> headers{{"Host", "dynamodb.eu-west-1.amazonaws.com"},
                                   {"Content-Type", "application/x-amz-json-1.0"},
                                   {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
  auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    auto signed_request = aws::signV4({.headers = headers, .body = body}, kCredentials,
                                      {.region = "eu-west-1", .service = "dynamodb"}, now);
    benchmark::DoNotOptimize(signed_request.signature.data());
  }
}
BENCHMARK(BM_SignGetItem);

void BM_BuildSignedGetItemRequest(benchmark::State& state) {
  Fixture f;
  auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    boost::json::object request{{"TableName", "parley-users"},
                                {"Key", {{"id", aws::attrS("u1")}}},
                                {"ConsistentRead", true}};
    auto http_request =
        f.client.buildRequest("GetItem", boost::json::serialize(request), kCredentials, now);
    benchmark::DoNotOptimize(http_request.body.data());
  }
}
BENCHMARK(BM_BuildSignedGetItemRequest);

// The whole client path of one UserStore::put: marshal, serialize, sign, "send", parse "{}".
void BM_UserStorePutThroughNullTransport(benchmark::State& state) {
  Fixture f;
  storage::dynamodb::DynamoDbUserStore store(f.client, {});
  auto user = sampleUser();
  for (auto _ : state) store.put(user);
}
BENCHMARK(BM_UserStorePutThroughNullTransport);

void BM_UserStoreGetThroughNullTransport(benchmark::State& state) {
  Fixture f;
  storage::dynamodb::DynamoDbUserStore store(f.client, {});
  for (auto _ : state) benchmark::DoNotOptimize(store.get("amzn1.account.AHJKLSDFHJKL3487"));
}
BENCHMARK(BM_UserStoreGetThroughNullTransport);

}  // namespace

BENCHMARK_MAIN();
