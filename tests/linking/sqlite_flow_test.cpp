// A full linking flow over SQLite whose database file must hold no raw secret (spec T93). The
// stores' own behaviour is tests/storage/link_store_conformance.hpp.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "harness.hpp"
#include "parley/linking/crypto.hpp"
#include "parley/storage/sqlite/link_stores.hpp"
#include "parley/storage/sqlite/user_store.hpp"
#include "support/temp_dir.hpp"

namespace parley::testing {
namespace {

using Time = std::chrono::system_clock::time_point;

const Time kNow{seconds{1'700'000'000}};

// The whole flow on one SQLite file; afterwards the file holds none of the raw values (T93), and
// with a pepper (R67) not the pepper either.
void expectNoSecretInTheDatabaseFileAfterAFullFlow(const TokenDigest& digest,
                                                   const std::string& pepper) {
  TempDir dir;
  auto path = (dir / "linking.db").string();
  core::ManualClock clock{kNow};
  core::SecureRandom random;
  std::vector<std::string> secrets{kSecret, "a-Password-1234", kVerifier};
  {
    storage::sqlite::SqliteUserStore users{{.path = path}};
    storage::sqlite::LinkDatabase db{{.path = path}};
    storage::sqlite::SqlitePendingRequestStore pending{db};
    storage::sqlite::SqliteAccountStore accounts{db};
    storage::sqlite::SqliteGrantStore grants{db};
    storage::sqlite::SqliteThrottleStore throttle{db};
    storage::sqlite::SqliteClientStore clients{db};
    auto options = testOptions(Mode::kAccounts);
    options.success_page = false;
    options.token_digest = digest;
    Authorizer authorizer{options,
                          AuthorizerStores{.users = users,
                                           .pending = pending,
                                           .accounts = accounts,
                                           .grants = grants,
                                           .throttle = throttle,
                                           .clients = &clients},
                          clock, random};
    TokenService tokens{
        options,
        TokenServiceStores{
            .grants = grants, .throttle = throttle, .users = users, .clients = &clients},
        clock, random};
    auto params = LinkingHarness::goodParams("st-1", "code");
    params.emplace_back("code_challenge", kChallenge);
    params.emplace_back("code_challenge_method", "S256");
    auto query = encodeParams(params);
    auto shown =
        authorizer.authorize({.query = *parseUrlEncoded(query), .query_bytes = query.size()});
    auto& page = std::get<ShowPage>(shown);
    LinkingHarness::Browser browser{std::string{page.model.at("request").as_string()},
                                    std::string{page.model.at("csrf").as_string()},
                                    page.cookies.at(0).value};
    secrets.insert(secrets.end(), {browser.handle, browser.csrf, browser.cookie});
    auto linked = authorizer.signUp(LinkingHarness::form(
        browser, {{"email", "user@example.com"}, {"password", "a-Password-1234"}}));
    auto code = valueOf(responseParams(locationOf(linked), '?'), "code");
    secrets.push_back(code);
    auto redeem = [&](const std::string& c) {
      auto body = encodeParams({{"grant_type", "authorization_code"},
                                {"code", c},
                                {"redirect_uri", kPitangui},
                                {"code_verifier", kVerifier}});
      return tokens.token({.method = "POST",
                           .form = *parseUrlEncoded(body),
                           .query = {},
                           .body_bytes = body.size(),
                           .content_type = "application/x-www-form-urlencoded",
                           .authorization = basic("alexa-test", kSecret),
                           .client_ip = "198.51.100.7"});
    };
    auto issued = redeem(code);
    ASSERT_EQ(issued.status, 200);
    auto access = field(issued, "access_token");
    secrets.push_back(access);
    secrets.push_back(field(issued, "refresh_token"));
    auto user = tokens.resolveUser(access);
    ASSERT_TRUE(user);
    EXPECT_EQ(user->email, "user@example.com");
    EXPECT_EQ(redeem(code).status, 400);  // reuse revokes the family
    EXPECT_FALSE(tokens.resolveUser(access));
  }
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  EXPECT_NE(bytes.find("user@example.com"), std::string::npos);  // the dump is readable
  for (const auto& secret : secrets) EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  if (!pepper.empty()) {
    EXPECT_EQ(bytes.find(pepper), std::string::npos);
    EXPECT_EQ(bytes.find(core::sha256Hex(secrets.back())), std::string::npos);  // the refresh token
    EXPECT_NE(bytes.find(digest.hash(secrets.back())), std::string::npos);
  }
}

TEST(SqliteLinking, FullFlowLeavesNoSecretInTheDatabaseFile) {
  expectNoSecretInTheDatabaseFileAfterAFullFlow(TokenDigest{}, "");
}

TEST(SqliteLinking, FullFlowWithATokenPepperLeavesNoSecretOrPepperInTheDatabaseFile) {
  core::SecureRandom random;
  std::string pepper(TokenDigest::kPepperBytes, '\0');
  random.fill(std::span{reinterpret_cast<std::uint8_t*>(pepper.data()), pepper.size()});
  expectNoSecretInTheDatabaseFileAfterAFullFlow(TokenDigest{pepper}, pepper);
}

}  // namespace
}  // namespace parley::testing
