// POST /skill with Alexa request verification on, through the real route table and HTTP server:
// a request signed like Alexa signs it reaches the skill; any failed check is a 400 naming the
// check, and the skill (its token lookup) never runs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <string>

#include "fakes/memory_user_store.hpp"
#include "parley/core/clock.hpp"
#include "parley/core/random.hpp"
#include "parley/hosting/routes.hpp"
#include "parley/http/server.hpp"
#include "parley/net/http_client.hpp"
#include "parley/storage/memory_link_stores.hpp"
#include "sample_skill.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"

namespace parley {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using parley::testing::sourceDir;
namespace pki = parley::verify::testing;

constexpr auto kCertUrl = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem";
constexpr auto kAppId = "amzn1.ask.skill.0b7d1c2e-5f3a-4e69-9c8d-1a2b3c4d5e6f";
const system_clock::time_point kNow = sys_days{2026y / November / 28} + 12h;

std::string iso(system_clock::time_point time) {
  const auto seconds_since_epoch = system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds_since_epoch, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// A LaunchRequest with an access token, so the skill's first step is a token lookup.
std::string launch(system_clock::time_point timestamp, const std::string& app_id = kAppId) {
  return R"({"version":"1.0","session":{"new":true,"sessionId":"amzn1.echo-api.session.1",
    "application":{"applicationId":")" +
         app_id + R"("},"user":{"userId":"amzn1.ask.account.1","accessToken":"tok-1"}},
    "context":{"System":{"application":{"applicationId":")" +
         app_id + R"("},"user":{"userId":"amzn1.ask.account.1","accessToken":"tok-1"}}},
    "request":{"type":"LaunchRequest","requestId":"amzn1.echo-api.request.1","timestamp":")" +
         iso(timestamp) + R"(","locale":"en-US"}})";
}

class ChainFetcher final : public verify::CertificateFetcher {
 public:
  explicit ChainFetcher(std::map<std::string, std::string> chains) : chains_(std::move(chains)) {}
  boost::system::result<std::string> fetch(const std::string& url) override {
    ++calls;
    const auto found = chains_.find(url);
    if (found == chains_.end())
      return boost::system::errc::make_error_code(boost::system::errc::no_such_file_or_directory);
    return found->second;
  }
  std::atomic<int> calls{0};

 private:
  std::map<std::string, std::string> chains_;
};

// Alexa's signing key and chain, and a key of nobody's.
struct SigningPki {
  pki::Key root_key = pki::generateRsaKey();
  pki::Key leaf_key = pki::generateRsaKey();
  pki::Key stranger_key = pki::generateRsaKey();
  pki::Cert root = pki::makeCertificate({.common_name = "Parley Hosting Test Root",
                                         .is_ca = true,
                                         .key_usage = "critical,keyCertSign,cRLSign",
                                         .not_before = kNow - days(365),
                                         .not_after = kNow + days(3650)},
                                        root_key.get(), nullptr, root_key.get());
  pki::Cert leaf = pki::makeCertificate({.common_name = "echo-api.amazon.com",
                                         .dns_names = {"echo-api.amazon.com"},
                                         .key_usage = "critical,digitalSignature",
                                         .not_before = kNow - days(30),
                                         .not_after = kNow + days(300)},
                                        leaf_key.get(), root.get(), root_key.get());
};

class VerifiedSkill : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto roots = dir_.write("roots.pem", pki::toPem(pki_.root.get()));
    verifier_ = std::make_unique<verify::Verifier>(
        verify::Verifier::Options{.ca_file = roots.string(), .application_ids = {kAppId}}, fetcher_,
        clock_);
    skill_ = app::makeSampleSkill(
        users_, {.views = sourceDir() / "app/views", .user_by_token = [this](std::string_view) {
                   ++token_lookups_;
                   return std::optional<storage::User>{};
                 }});
    authorizer_ =
        std::make_unique<linking::Authorizer>(linking::Options{},
                                              linking::AuthorizerStores{.users = users_,
                                                                        .pending = pending_,
                                                                        .accounts = accounts_,
                                                                        .grants = grants_,
                                                                        .throttle = throttle_},
                                              clock_, random_);
    tokens_ = std::make_unique<linking::TokenService>(
        linking::Options{},
        linking::TokenServiceStores{.grants = grants_, .throttle = throttle_, .users = users_},
        clock_, random_);
    pages_ = std::make_unique<hosting::Pages>(sourceDir() / "www/templates");
    services_ = std::make_unique<hosting::Services>(hosting::Services{.skill = *skill_,
                                                                      .authorizer = *authorizer_,
                                                                      .tokens = *tokens_,
                                                                      .pages = *pages_,
                                                                      .verifier = verifier_.get()});
    hosting::addRoutes(router_, *services_, {.static_root = sourceDir() / "www/static"});
    server_ = std::make_unique<http::Server>(
        router_, http::ServerOptions{.host = "127.0.0.1", .port = 0, .log_requests = false});
    server_->start();
  }

  net::Response post(const std::string& body, net::Headers headers) {
    headers.emplace_back("Content-Type", "application/json");
    auto response =
        client_.send({.method = "POST",
                      .url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/skill",
                      .headers = std::move(headers),
                      .body = body});
    EXPECT_TRUE(response) << (response ? "" : response.error().message());
    return response ? *response : net::Response{};
  }

  // Headers as Alexa sends them for `signed_body`.
  net::Headers alexaHeaders(const std::string& signed_body, EVP_PKEY* key = nullptr,
                            std::string url = kCertUrl) const {
    return {{"SignatureCertChainUrl", std::move(url)},
            {"Signature-256", pki::signBody(signed_body, key ? key : pki_.leaf_key.get())}};
  }

  // The reply when verification failed at `check`, and proof that the skill did not run.
  void expectRejected(const net::Response& response, const std::string& check) {
    EXPECT_EQ(response.status, 400u);
    EXPECT_NE(response.body.find(check), std::string::npos) << response.body;
    EXPECT_EQ(token_lookups_.load(), 0);
  }

  static const SigningPki& signingPki() {
    static const SigningPki instance;
    return instance;
  }

  const SigningPki& pki_ = signingPki();
  parley::testing::TempDir dir_;
  core::ManualClock clock_{kNow};
  core::SecureRandom random_;
  ChainFetcher fetcher_{{{kCertUrl, pki::toPem(pki_.leaf.get()) + pki::toPem(pki_.root.get())}}};
  std::atomic<int> token_lookups_{0};
  fakes::MemoryUserStore users_;
  storage::MemoryPendingRequestStore pending_;
  storage::MemoryAccountStore accounts_;
  storage::MemoryGrantStore grants_;
  storage::MemoryThrottleStore throttle_;
  std::unique_ptr<verify::Verifier> verifier_;
  std::unique_ptr<statemachine::Engine> skill_;
  std::unique_ptr<linking::Authorizer> authorizer_;
  std::unique_ptr<linking::TokenService> tokens_;
  std::unique_ptr<hosting::Pages> pages_;
  std::unique_ptr<hosting::Services> services_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  net::BeastHttpClient client_;
};

TEST_F(VerifiedSkill, ASignedRequestReachesTheSkillAndTheChainIsFetchedOnce) {
  const auto body = launch(kNow);
  for (int request = 0; request < 3; ++request) {
    const auto response = post(body, alexaHeaders(body));
    EXPECT_EQ(response.status, 200u) << response.body;
    EXPECT_NE(response.body.find("LinkAccount"), std::string::npos) << response.body;
  }
  EXPECT_EQ(token_lookups_.load(), 3);
  EXPECT_EQ(fetcher_.calls.load(), 1);
}

TEST_F(VerifiedSkill, RejectsMissingHeaders) {
  expectRejected(post(launch(kNow), {}), "SignatureCertChainUrl");
}

TEST_F(VerifiedSkill, RejectsACertificateUrlOffAmazonsBucket) {
  const auto body = launch(kNow);
  expectRejected(
      post(body, alexaHeaders(body, nullptr, "https://evil.example/echo.api/echo-api-cert-12.pem")),
      "SignatureCertChainUrl");
  EXPECT_EQ(fetcher_.calls.load(), 0);
}

TEST_F(VerifiedSkill, RejectsABodyAlteredAfterSigning) {
  const auto body = launch(kNow);
  auto altered = body;
  altered[altered.find("LaunchRequest")] = 'l';
  expectRejected(post(altered, alexaHeaders(body)), "signature");
}

TEST_F(VerifiedSkill, RejectsASignatureByAnotherKey) {
  const auto body = launch(kNow);
  expectRejected(post(body, alexaHeaders(body, pki_.stranger_key.get())), "signature");
}

TEST_F(VerifiedSkill, RejectsAStaleTimestamp) {
  const auto body = launch(kNow - 151s);
  expectRejected(post(body, alexaHeaders(body)), "timestamp");
}

TEST_F(VerifiedSkill, RejectsAnotherSkillsApplicationId) {
  const auto body = launch(kNow, "amzn1.ask.skill.someone-else");
  expectRejected(post(body, alexaHeaders(body)), "application");
}

}  // namespace
}  // namespace parley
