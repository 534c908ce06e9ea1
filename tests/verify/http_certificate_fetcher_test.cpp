#include "parley/verify/http_certificate_fetcher.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "net/self_signed.hpp"
#include "net/test_server.hpp"
#include "parley/net/error.hpp"
#include "parley/verify/error.hpp"

namespace parley::verify {
namespace {

namespace bhttp = boost::beast::http;
using parley::testing::TestRequest;
using parley::testing::TestResponse;
using parley::testing::TestServer;
using namespace std::chrono_literals;

constexpr auto kPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

TestServer::Behaviour answer(bhttp::status status, std::string body) {
  return {.handler = [status, body](const TestRequest& request) -> std::optional<TestResponse> {
    if (request.method() != bhttp::verb::get || request.target() != "/echo.api/cert.pem") {
      return TestResponse(bhttp::status::bad_request, 11);
    }
    TestResponse response(status, 11);
    response.body() = body;
    return response;
  }};
}

TEST(HttpCertificateFetcher, ReturnsBodyOfOkResponse) {
  TestServer server(answer(bhttp::status::ok, kPem));
  net::BeastHttpClient client;
  HttpCertificateFetcher fetcher(client);
  auto pem = fetcher.fetch(server.url("/echo.api/cert.pem"));
  ASSERT_TRUE(pem) << pem.error().message();
  EXPECT_EQ(*pem, kPem);
}

TEST(HttpCertificateFetcher, FetchesOverTls) {
  auto dir = std::filesystem::temp_directory_path() /
             ("parley-verify-fetch-" + std::to_string(::getpid()));
  auto cert = parley::testing::makeSelfSigned(dir);
  boost::asio::ssl::context tls(boost::asio::ssl::context::tls_server);
  tls.use_certificate_chain_file(cert.cert_file.string());
  tls.use_private_key_file(cert.key_file.string(), boost::asio::ssl::context::pem);
  auto behaviour = answer(bhttp::status::ok, kPem);
  behaviour.tls = &tls;
  TestServer server(behaviour);
  net::BeastHttpClient client({.ca_file = cert.cert_file.string()});
  HttpCertificateFetcher fetcher(client);
  auto pem = fetcher.fetch(server.url("/echo.api/cert.pem"));
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(pem) << pem.error().message();
  EXPECT_EQ(*pem, kPem);
}

TEST(HttpCertificateFetcher, FailsOnAnyStatusButOk) {
  for (auto status : {bhttp::status::not_found, bhttp::status::forbidden,
                      bhttp::status::moved_permanently, bhttp::status::internal_server_error}) {
    TestServer server(answer(status, kPem));
    net::BeastHttpClient client;
    HttpCertificateFetcher fetcher(client);
    auto pem = fetcher.fetch(server.url("/echo.api/cert.pem"));
    ASSERT_FALSE(pem) << static_cast<int>(status);
    EXPECT_EQ(pem.error(), Error::kCertificateDownloadFailed);
  }
}

TEST(HttpCertificateFetcher, RejectsBodyOverTheSizeCap) {
  TestServer server(answer(bhttp::status::ok, std::string(4096, 'x')));
  net::BeastHttpClient client;
  HttpCertificateFetcher fetcher(client, {.timeout = 5s, .max_bytes = 1024});
  auto pem = fetcher.fetch(server.url("/echo.api/cert.pem"));
  ASSERT_FALSE(pem);
  EXPECT_EQ(pem.error(), net::Error::kTooLarge);
}

TEST(HttpCertificateFetcher, GivesUpAfterTheTimeout) {
  TestServer server({.handler = [](const TestRequest&) -> std::optional<TestResponse> {
    return std::nullopt;  // never answers
  }});
  net::BeastHttpClient client;
  HttpCertificateFetcher fetcher(client, {.timeout = 200ms, .max_bytes = 1024});
  auto started = std::chrono::steady_clock::now();
  auto pem = fetcher.fetch(server.url("/echo.api/cert.pem"));
  ASSERT_FALSE(pem);
  EXPECT_EQ(pem.error(), net::Error::kTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

}  // namespace
}  // namespace parley::verify
