// One conformance suite for the linking stores, run against the in-memory and SQLite backends,
// and a full flow over SQLite whose database file must hold no raw secret (spec T93).
#include "parley/storage/sqlite/link_stores.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "harness.hpp"
#include "parley/linking/crypto.hpp"
#include "parley/storage/sqlite/user_store.hpp"
#include "support/temp_dir.hpp"

namespace parley::testing {
namespace {

using storage::ThrottleWindow;
using Time = std::chrono::system_clock::time_point;

const Time kNow{seconds{1'700'000'000}};

struct Stores {
  virtual ~Stores() = default;
  virtual storage::PendingRequestStore& pending() = 0;
  virtual storage::ClientStore& clients() = 0;
  virtual storage::AccountStore& accounts() = 0;
  virtual storage::GrantStore& grants() = 0;
  virtual storage::ThrottleStore& throttle() = 0;
};

struct MemoryStores final : Stores {
  storage::MemoryPendingRequestStore pending_;
  storage::MemoryClientStore clients_;
  storage::MemoryAccountStore accounts_;
  storage::MemoryGrantStore grants_;
  storage::MemoryThrottleStore throttle_;
  storage::PendingRequestStore& pending() override { return pending_; }
  storage::ClientStore& clients() override { return clients_; }
  storage::AccountStore& accounts() override { return accounts_; }
  storage::GrantStore& grants() override { return grants_; }
  storage::ThrottleStore& throttle() override { return throttle_; }
};

struct SqliteStores final : Stores {
  storage::sqlite::LinkDatabase db{{.path = ":memory:"}};
  storage::sqlite::SqlitePendingRequestStore pending_{db};
  storage::sqlite::SqliteClientStore clients_{db};
  storage::sqlite::SqliteAccountStore accounts_{db};
  storage::sqlite::SqliteGrantStore grants_{db};
  storage::sqlite::SqliteThrottleStore throttle_{db};
  storage::PendingRequestStore& pending() override { return pending_; }
  storage::ClientStore& clients() override { return clients_; }
  storage::AccountStore& accounts() override { return accounts_; }
  storage::GrantStore& grants() override { return grants_; }
  storage::ThrottleStore& throttle() override { return throttle_; }
};

class LinkStoresTest : public ::testing::TestWithParam<std::string> {
 protected:
  LinkStoresTest() {
    if (GetParam() == "sqlite") {
      stores_ = std::make_unique<SqliteStores>();
    } else {
      stores_ = std::make_unique<MemoryStores>();
    }
  }
  std::unique_ptr<Stores> stores_;
};

TEST_P(LinkStoresTest, PendingRequestsAreConsumedOnceAndExpire) {
  auto& store = stores_->pending();
  storage::PendingRequest request{.handle_hash = "h1",
                                  .csrf_hash = "c1",
                                  .binding_hash = "b1",
                                  .client_id = "alexa-test",
                                  .redirect_uri = kPitangui,
                                  .response_type = "code",
                                  .state = "s'; DROP TABLE pending_requests;--",
                                  .scope = "profile",
                                  .code_challenge = kChallenge,
                                  .code_challenge_method = "S256",
                                  .created_at = kNow,
                                  .expires_at = kNow + seconds{600},
                                  .consumed = false};
  store.create(request);
  EXPECT_EQ(store.find("h1"), request);
  EXPECT_FALSE(store.find("h2"));
  EXPECT_TRUE(store.replaceCsrf("h1", "c2"));
  EXPECT_EQ(store.find("h1")->csrf_hash, "c2");
  EXPECT_FALSE(store.consume("h1", kNow + seconds{600}));  // expired
  EXPECT_TRUE(store.consume("h1", kNow));
  EXPECT_FALSE(store.consume("h1", kNow));
  EXPECT_FALSE(store.replaceCsrf("h1", "c3"));
  EXPECT_TRUE(store.find("h1")->consumed);
  EXPECT_EQ(store.sweep(kNow + seconds{599}), 0u);
  EXPECT_EQ(store.sweep(kNow + seconds{601}), 1u);
  EXPECT_FALSE(store.find("h1"));
}

TEST_P(LinkStoresTest, ClientsRoundTrip) {
  auto& store = stores_->clients();
  storage::OAuthClient client{.id = "c1",
                              .secret_hash = sha256Hex("s"),
                              .name = "Name \"quoted\"",
                              .redirect_uris = {kPitangui, kLayla},
                              .response_types = {"code"},
                              .auth_methods = {"client_secret_basic"},
                              .allowed_scopes = {"a", "b"},
                              .default_scopes = {"a"},
                              .pkce_required = true,
                              .access_token_ttl = seconds{900},
                              .implicit_token_ttl = seconds{0},
                              .rotate_refresh_tokens = true};
  store.put(client);
  EXPECT_EQ(store.find("c1"), client);
  client.name = "Renamed";
  store.put(client);
  ASSERT_EQ(store.list().size(), 1u);
  EXPECT_EQ(store.list()[0].name, "Renamed");
  EXPECT_TRUE(store.remove("c1"));
  EXPECT_FALSE(store.remove("c1"));
  EXPECT_FALSE(store.find("c1"));
}

TEST_P(LinkStoresTest, AccountEmailsAreUnique) {
  auto& store = stores_->accounts();
  storage::Account account{
      .user_id = "u1", .email = "a@b.co", .password_hash = "$argon2id$x", .created_at = kNow};
  EXPECT_TRUE(store.create(account));
  auto other = account;
  other.user_id = "u2";
  EXPECT_FALSE(store.create(other));
  EXPECT_EQ(store.findByEmail("a@b.co"), account);
  store.updatePasswordHash("a@b.co", "$argon2id$y");
  EXPECT_EQ(store.findByEmail("a@b.co")->password_hash, "$argon2id$y");
  EXPECT_FALSE(store.findByEmail("' OR '1'='1"));
}

TEST_P(LinkStoresTest, GrantsCodesAndTokens) {
  auto& store = stores_->grants();
  store.createFamily({.id = "f1",
                      .client_id = "c1",
                      .user_id = "u1",
                      .scope = "profile",
                      .created_at = kNow,
                      .revoked_at = {}});
  store.createFamily({.id = "f2",
                      .client_id = "c2",
                      .user_id = "u1",
                      .scope = "",
                      .created_at = kNow,
                      .revoked_at = {}});
  storage::AuthorizationCode code{.hash = "ch",
                                  .family_id = "f1",
                                  .client_id = "c1",
                                  .user_id = "u1",
                                  .redirect_uri = kPitangui,
                                  .scope = "profile",
                                  .code_challenge = "",
                                  .code_challenge_method = "",
                                  .created_at = kNow,
                                  .expires_at = kNow + seconds{300},
                                  .consumed_at = {}};
  store.createCode(code);
  EXPECT_EQ(store.findCode("ch"), code);
  EXPECT_TRUE(store.consumeCode("ch", kNow));
  EXPECT_FALSE(store.consumeCode("ch", kNow));
  EXPECT_EQ(store.findCode("ch")->consumed_at, kNow);

  storage::AccessToken access{.hash = "ah",
                              .family_id = "f1",
                              .created_at = kNow,
                              .expires_at = kNow + seconds{3600},
                              .revoked = false};
  store.createAccessToken(access);
  store.createAccessToken(
      {.hash = "ah2", .family_id = "f1", .created_at = kNow, .expires_at = {}, .revoked = false});
  EXPECT_EQ(store.findAccessToken("ah"), access);
  EXPECT_FALSE(store.findAccessToken("ah2")->expires_at);
  EXPECT_TRUE(store.revokeAccessToken("ah"));
  EXPECT_FALSE(store.revokeAccessToken("ah"));

  storage::RefreshToken parent{.hash = "r1",
                               .family_id = "f1",
                               .parent_hash = "",
                               .created_at = kNow,
                               .first_used_at = {},
                               .revoke_after = {},
                               .revoked = false};
  store.createRefreshToken(parent);
  for (int i = 0; i < 3; ++i) {
    store.createRefreshToken({.hash = "r1-" + std::to_string(i),
                              .family_id = "f1",
                              .parent_hash = "r1",
                              .created_at = kNow + seconds{2 - i},
                              .first_used_at = {},
                              .revoke_after = {},
                              .revoked = false});
  }
  auto children = store.refreshChildren("r1");
  ASSERT_EQ(children.size(), 3u);
  EXPECT_EQ(children[0].hash, "r1-2");  // oldest first
  parent.first_used_at = kNow;
  parent.revoke_after = kNow + seconds{60};
  store.updateRefreshToken(parent);
  EXPECT_EQ(store.findRefreshToken("r1"), parent);

  EXPECT_EQ(store.revokeFamiliesOf("u1", "c1", kNow), 1u);
  EXPECT_TRUE(store.findFamily("f1")->revoked_at);
  EXPECT_FALSE(store.findFamily("f2")->revoked_at);
  EXPECT_FALSE(store.revokeFamily("f1", kNow));
  EXPECT_EQ(store.revokeFamiliesOf("u1", "", kNow), 1u);

  // Everything of f1/f2 goes once they were revoked long enough ago; the code once expired.
  EXPECT_GE(store.sweep(kNow + seconds{301}, kNow + seconds{1}), 9u);
  EXPECT_FALSE(store.findCode("ch"));
  EXPECT_FALSE(store.findRefreshToken("r1"));
  EXPECT_FALSE(store.findFamily("f1"));
}

TEST_P(LinkStoresTest, ThrottleCountersUseFixedOrIdleWindows) {
  auto& store = stores_->throttle();
  EXPECT_EQ(store.hit("ip:a", seconds{300}, ThrottleWindow::kFixed, kNow).count, 1u);
  EXPECT_EQ(store.hit("ip:a", seconds{300}, ThrottleWindow::kFixed, kNow + seconds{200}).count, 2u);
  auto fresh = store.hit("ip:a", seconds{300}, ThrottleWindow::kFixed, kNow + seconds{300});
  EXPECT_EQ(fresh.count, 1u);
  EXPECT_EQ(fresh.window_start, kNow + seconds{300});
  store.hit("email:x", seconds{100}, ThrottleWindow::kIdle, kNow);
  store.hit("email:x", seconds{100}, ThrottleWindow::kIdle, kNow + seconds{90});
  auto idle = store.hit("email:x", seconds{100}, ThrottleWindow::kIdle, kNow + seconds{180});
  EXPECT_EQ(idle.count, 3u);  // never idle for 100 s
  EXPECT_EQ(store.get("email:x")->last, kNow + seconds{180});
  store.reset("email:x");
  EXPECT_FALSE(store.get("email:x"));
  EXPECT_EQ(store.sweep(kNow + seconds{301}), 1u);
  EXPECT_FALSE(store.get("ip:a"));
}

INSTANTIATE_TEST_SUITE_P(Backends, LinkStoresTest, ::testing::Values("memory", "sqlite"));

// The whole flow on one SQLite file; afterwards the file holds none of the raw values (T93).
TEST(SqliteLinking, FullFlowLeavesNoSecretInTheDatabaseFile) {
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
    auto user_id = tokens.resolveAccessToken(access);
    ASSERT_TRUE(user_id);
    EXPECT_EQ(users.get(*user_id)->email, "user@example.com");
    EXPECT_EQ(redeem(code).status, 400);  // reuse revokes the family
    EXPECT_FALSE(tokens.resolveAccessToken(access));
  }
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  EXPECT_NE(bytes.find("user@example.com"), std::string::npos);  // the dump is readable
  for (const auto& secret : secrets) EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
}

}  // namespace
}  // namespace parley::testing
