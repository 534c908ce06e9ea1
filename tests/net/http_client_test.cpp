#include "parley/net/http_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "net/self_signed.hpp"
#include "net/test_server.hpp"

namespace parley::net {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using testing::TestRequest;
using testing::TestResponse;
using testing::TestServer;

TestResponse okResponse(const TestRequest& request, std::string body) {
  TestResponse response(bhttp::status::ok, 11);
  response.set("X-Method", request.method_string());
  response.set("X-Target", request.target());
  response.body() = std::move(body);
  return response;
}

TestServer::Behaviour echo() {
  return {.handler = [](const TestRequest& request) -> std::optional<TestResponse> {
    return okResponse(request, request.body());
  }};
}

std::filesystem::path tempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("parley-net-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(BeastHttpClient, ReturnsStatusHeadersAndBody) {
  TestServer server({.handler = [](const TestRequest& request) -> std::optional<TestResponse> {
    TestResponse response(bhttp::status::created, 11);
    response.set("X-Seen-Host", request[bhttp::field::host]);
    response.set("X-Seen-Agent", request[bhttp::field::user_agent]);
    response.body() = "made " + std::string(request.target());
    return response;
  }});
  BeastHttpClient client;
  auto response = client.send({.url = server.url("/things?a=1&b=2")});
  ASSERT_TRUE(response) << response.error().message();
  EXPECT_EQ(response->status, 201u);
  EXPECT_EQ(response->body, "made /things?a=1&b=2");
  EXPECT_EQ(response->header("x-seen-host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(response->header("X-SEEN-AGENT"), "parley");
  EXPECT_EQ(response->header("X-Missing"), std::nullopt);
}

TEST(BeastHttpClient, SendsMethodHeadersAndBody) {
  TestServer server({.handler = [](const TestRequest& request) -> std::optional<TestResponse> {
    auto response = okResponse(request, request.body());
    response.set("X-Length", request[bhttp::field::content_length]);
    response.set("X-Custom", request["X-Amz-Target"]);
    return response;
  }});
  BeastHttpClient client;
  auto response = client.send({.method = "POST",
                               .url = server.url("/"),
                               .headers = {{"X-Amz-Target", "DynamoDB_20120810.GetItem"}},
                               .body = R"({"TableName":"users"})"});
  ASSERT_TRUE(response) << response.error().message();
  EXPECT_EQ(response->header("X-Method"), "POST");
  EXPECT_EQ(response->header("X-Length"), "21");
  EXPECT_EQ(response->header("X-Custom"), "DynamoDB_20120810.GetItem");
  EXPECT_EQ(response->body, R"({"TableName":"users"})");
}

TEST(BeastHttpClient, ReusesKeepAliveConnection) {
  TestServer server(echo());
  BeastHttpClient client;
  for (int i = 0; i < 5; ++i) {
    auto response = client.send({.method = "POST", .url = server.url("/"), .body = "n"});
    ASSERT_TRUE(response) << response.error().message();
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(client.idleConnections(), 1u);
}

TEST(BeastHttpClient, DoesNotPoolConnectionTheServerCloses) {
  TestServer server({.handler = [](const TestRequest& request) -> std::optional<TestResponse> {
    auto response = okResponse(request, "bye");
    response.keep_alive(false);
    return response;
  }});
  BeastHttpClient client;
  ASSERT_TRUE(client.send({.url = server.url("/")}));
  EXPECT_EQ(client.idleConnections(), 0u);
}

TEST(BeastHttpClient, RetriesOnceWhenPooledConnectionWasClosed) {
  auto behaviour = echo();
  behaviour.close_after_response = true;
  TestServer server(behaviour);
  BeastHttpClient client;
  ASSERT_TRUE(client.send({.url = server.url("/")}));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the close arrive
  auto second = client.send({.url = server.url("/")});
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(server.connections(), 2);
}

TEST(BeastHttpClient, DropsIdleConnectionsAfterIdleTimeout) {
  TestServer server(echo());
  BeastHttpClient client({.idle_timeout = std::chrono::milliseconds(1)});
  ASSERT_TRUE(client.send({.url = server.url("/")}));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(client.send({.url = server.url("/")}));
  EXPECT_EQ(server.connections(), 2);
}

TEST(BeastHttpClient, TimesOutWhenServerNeverAnswers) {
  TestServer server(
      {.handler = [](const TestRequest&) -> std::optional<TestResponse> { return std::nullopt; }});
  BeastHttpClient client;
  auto started = std::chrono::steady_clock::now();
  auto response =
      client.send({.url = server.url("/")}, {.timeout = std::chrono::milliseconds(200)});
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), make_error_code(Error::kTimeout));
  EXPECT_GE(elapsed, std::chrono::milliseconds(150));
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST(BeastHttpClient, RejectsResponseBodyOverLimit) {
  TestServer server({.handler = [](const TestRequest& request) -> std::optional<TestResponse> {
    return okResponse(request, std::string(5000, 'x'));
  }});
  BeastHttpClient client;
  auto response = client.send({.url = server.url("/")}, {.body_limit = 1000});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), make_error_code(Error::kTooLarge));
  auto fits = client.send({.url = server.url("/")}, {.body_limit = 5000});
  ASSERT_TRUE(fits) << fits.error().message();
  EXPECT_EQ(fits->body.size(), 5000u);
}

TEST(BeastHttpClient, RejectsChunkedResponseBodyOverLimit) {
  TestServer server({.raw_reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "400\r\n" +
                                  std::string(1024, 'a') + "\r\n400\r\n" + std::string(1024, 'b') +
                                  "\r\n0\r\n\r\n"});
  BeastHttpClient client;
  auto response = client.send({.url = server.url("/")}, {.body_limit = 1500});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), make_error_code(Error::kTooLarge));
}

TEST(BeastHttpClient, ReportsMalformedResponse) {
  TestServer server({.raw_reply = "SMTP ready\r\n\r\n"});
  BeastHttpClient client;
  auto response = client.send({.url = server.url("/")});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), make_error_code(Error::kBadResponse));
}

TEST(BeastHttpClient, ReportsResponseCutShort) {
  TestServer server({.raw_reply = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"});
  BeastHttpClient client;
  auto response = client.send({.url = server.url("/")});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), make_error_code(Error::kConnectionClosed));
}

TEST(BeastHttpClient, ReportsConnectionRefused) {
  unsigned short port = 0;
  {
    asio::io_context ioc;
    asio::ip::tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
  }
  BeastHttpClient client;
  auto response = client.send({.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), make_error_code(Error::kConnectFailed));
}

TEST(BeastHttpClient, RejectsInvalidUrlsAndHeaders) {
  BeastHttpClient client;
  for (const char* url : {"", "not a url", "ftp://example.com/", "http:///path", "/relative"}) {
    auto response = client.send({.url = url});
    ASSERT_FALSE(response) << url;
    EXPECT_EQ(response.error(), make_error_code(Error::kInvalidUrl)) << url;
  }
  auto injected =
      client.send({.url = "http://127.0.0.1:1/", .headers = {{"X-A", "b\r\nX-Evil: 1"}}});
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error(), make_error_code(Error::kInvalidRequest));
  auto bad_method = client.send({.method = "GET /x", .url = "http://127.0.0.1:1/"});
  ASSERT_FALSE(bad_method);
  EXPECT_EQ(bad_method.error(), make_error_code(Error::kInvalidRequest));
}

TEST(BeastHttpClient, ServesConcurrentCallersFromSeveralThreads) {
  TestServer server(echo());
  BeastHttpClient client({.max_idle_per_host = 2});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto body = std::to_string(t) + ":" + std::to_string(i);
        auto response = client.send({.method = "POST", .url = server.url("/"), .body = body});
        if (response && response->body == body) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_LE(client.idleConnections(), 2u);
}

class TlsClient : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = testing::makeSelfSigned(tempDir("tls"));
    context_.use_certificate_chain_file(cert_.cert_file.string());
    context_.use_private_key_file(cert_.key_file.string(), asio::ssl::context::pem);
  }
  void TearDown() override { std::filesystem::remove_all(cert_.cert_file.parent_path()); }

  testing::SelfSigned cert_;
  asio::ssl::context context_{asio::ssl::context::tls_server};
};

TEST_F(TlsClient, CompletesRoundTripWithTrustedCertificate) {
  auto behaviour = echo();
  behaviour.tls = &context_;
  TestServer server(behaviour);
  BeastHttpClient client({.ca_file = cert_.cert_file.string()});
  for (const auto& host : {std::string("localhost"), std::string("127.0.0.1")}) {
    auto url = "https://" + host + ":" + std::to_string(server.port()) + "/secure";
    auto response = client.send({.method = "POST", .url = url, .body = "over tls"});
    ASSERT_TRUE(response) << host << ": " << response.error().message();
    EXPECT_EQ(response->body, "over tls");
    EXPECT_EQ(response->header("X-Target"), "/secure");
  }
}

TEST_F(TlsClient, ReusesTlsConnection) {
  auto behaviour = echo();
  behaviour.tls = &context_;
  TestServer server(behaviour);
  BeastHttpClient client({.ca_file = cert_.cert_file.string()});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.send({.url = server.url("/")}));
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(TlsClient, RejectsUntrustedCertificate) {
  auto behaviour = echo();
  behaviour.tls = &context_;
  TestServer server(behaviour);
  auto other = testing::makeSelfSigned(tempDir("other"));
  BeastHttpClient client({.ca_file = other.cert_file.string()});
  auto response = client.send({.url = server.url("/")});
  std::filesystem::remove_all(other.cert_file.parent_path());
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), make_error_code(Error::kTlsFailed));
}

TEST_F(TlsClient, RejectsCertificateForAnotherHost) {
  auto dir = tempDir("wrong-host");
  auto wrong = testing::makeSelfSigned(dir, "DNS:api.example.test");
  asio::ssl::context context(asio::ssl::context::tls_server);
  context.use_certificate_chain_file(wrong.cert_file.string());
  context.use_private_key_file(wrong.key_file.string(), asio::ssl::context::pem);
  auto behaviour = echo();
  behaviour.tls = &context;
  TestServer server(behaviour);
  BeastHttpClient client({.ca_file = wrong.cert_file.string()});
  auto response = client.send({.url = server.url("/")});
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), make_error_code(Error::kTlsFailed));
}

TEST(BeastHttpClientOptions, ThrowsWhenCaFileIsMissing) {
  EXPECT_ANY_THROW(BeastHttpClient({.ca_file = "/nonexistent/ca.pem"}));
}

// The bundle is parsed on the first HTTPS request (cold starts that speak only plain HTTP skip
// it), so a corrupt one fails HTTPS requests, each of them, and nothing else.
TEST_F(TlsClient, ACorruptCaFileFailsHttpsRequestsButNotPlainOnes) {
  const auto dir = tempDir("corrupt-ca");
  const auto ca_file = dir / "ca.pem";
  std::ofstream(ca_file) << "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  BeastHttpClient client({.ca_file = ca_file.string()});
  TestServer plain(echo());
  auto behaviour = echo();
  behaviour.tls = &context_;
  TestServer secure(behaviour);

  auto over_http = client.send({.url = plain.url("/")});
  EXPECT_TRUE(over_http) << over_http.error().message();
  for (int i = 0; i < 2; ++i) {
    auto over_https = client.send({.url = secure.url("/")});
    ASSERT_FALSE(over_https);
    EXPECT_EQ(over_https.error(), make_error_code(Error::kTlsFailed));
  }
  EXPECT_EQ(secure.connections(), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parley::net
