#pragma once

// The behaviour every backend of the account-linking stores shares (pending requests, clients,
// accounts, grants, throttle counters, Alexa users). A backend's test binary includes this header
// in exactly one .cpp and instantiates the suite with a factory that returns fresh, empty stores:
//
//   INSTANTIATE_TEST_SUITE_P(Memory, LinkStoreConformance,
//                            ::testing::Values(parley::storage::testing::LinkStoreBackend{
//                                "Memory", [] { return std::make_unique<MyStores>(); }}),
//                            parley::storage::testing::linkBackendName);

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "parley/storage/account_store.hpp"
#include "parley/storage/alexa_user_store.hpp"
#include "parley/storage/client_store.hpp"
#include "parley/storage/grant_store.hpp"
#include "parley/storage/pending_request_store.hpp"
#include "parley/storage/throttle_store.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::storage::testing {

// One backend's stores, sharing whatever connection they need.
class LinkStoreSet {
 public:
  virtual ~LinkStoreSet() = default;
  virtual PendingRequestStore& pending() = 0;
  virtual ClientStore& clients() = 0;
  virtual AccountStore& accounts() = 0;
  virtual GrantStore& grants() = 0;
  virtual ThrottleStore& throttle() = 0;
  virtual AlexaUserStore& alexaUsers() = 0;
  // The users where this backend keeps them (same file, same tables) for the joined lookup.
  virtual UserStore& users() = 0;
};

struct LinkStoreBackend {
  std::string name{};  // letters and digits only: it becomes part of the test name
  std::function<std::unique_ptr<LinkStoreSet>()> make{};
};

inline void PrintTo(const LinkStoreBackend& backend, std::ostream* out) { *out << backend.name; }

inline std::string linkBackendName(const ::testing::TestParamInfo<LinkStoreBackend>& info) {
  return info.param.name;
}

namespace link_conformance {

using std::chrono::seconds;
using Time = std::chrono::system_clock::time_point;

inline const Time kNow{seconds{1'700'000'000}};
inline const std::string kRedirect = "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA";
inline const std::string kOtherRedirect = "https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA";
// Hashes as the linking module writes them: lower-case hex SHA-256.
inline const std::string kHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

inline PendingRequest pendingRequest(std::string handle_hash) {
  return PendingRequest{.handle_hash = std::move(handle_hash),
                        .csrf_hash = "c1",
                        .binding_hash = "b1",
                        .client_id = "alexa-test",
                        .redirect_uri = kRedirect,
                        .response_type = "code",
                        .state = "s'; DROP TABLE pending_requests;--",
                        .scope = "profile",
                        .code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                        .code_challenge_method = "S256",
                        .created_at = kNow,
                        .expires_at = kNow + seconds{600},
                        .consumed = false};
}

inline GrantFamily family(std::string id, std::string client_id, std::string user_id) {
  return GrantFamily{.id = std::move(id),
                     .client_id = std::move(client_id),
                     .user_id = std::move(user_id),
                     .scope = "profile",
                     .created_at = kNow,
                     .revoked_at = {}};
}

inline AuthorizationCode code(std::string hash) {
  return AuthorizationCode{.hash = std::move(hash),
                           .family_id = "f1",
                           .client_id = "c1",
                           .user_id = "u1",
                           .redirect_uri = kRedirect,
                           .scope = "profile",
                           .code_challenge = "",
                           .code_challenge_method = "",
                           .created_at = kNow,
                           .expires_at = kNow + seconds{300},
                           .consumed_at = {}};
}

inline AccessToken accessToken(std::string hash, std::string family_id,
                               std::optional<Time> expires_at, std::string user_id = {}) {
  return AccessToken{.hash = std::move(hash),
                     .family_id = std::move(family_id),
                     .user_id = std::move(user_id),
                     .created_at = kNow,
                     .expires_at = expires_at,
                     .revoked = false};
}

inline RefreshToken refreshToken(std::string hash, std::string family_id, std::string parent,
                                 Time created_at = kNow) {
  return RefreshToken{.hash = std::move(hash),
                      .family_id = std::move(family_id),
                      .parent_hash = std::move(parent),
                      .created_at = created_at,
                      .first_used_at = {},
                      .revoke_after = {},
                      .revoked = false};
}

// Runs `work(i)` on `threads` threads at once; how many calls returned true.
template <class Work>
int racing(int threads, Work work) {
  std::atomic<int> winners{0};
  std::vector<std::thread> running;
  for (int i = 0; i < threads; ++i) {
    running.emplace_back([&, i] {
      if (work(i)) ++winners;
    });
  }
  for (auto& thread : running) thread.join();
  return winners.load();
}

}  // namespace link_conformance

class LinkStoreConformance : public ::testing::TestWithParam<LinkStoreBackend> {
 protected:
  void SetUp() override { stores_ = GetParam().make(); }
  LinkStoreSet& stores() { return *stores_; }

 private:
  std::unique_ptr<LinkStoreSet> stores_;
};

// NOLINTBEGIN(readability-function-cognitive-complexity): gtest macros

TEST_P(LinkStoreConformance, PendingRequestsAreConsumedOnceAndExpire) {
  using namespace link_conformance;
  auto& store = stores().pending();
  auto request = pendingRequest(kHash);
  store.create(request);
  EXPECT_EQ(store.find(kHash), request);
  EXPECT_FALSE(store.find("h2"));
  EXPECT_FALSE(store.find(""));
  EXPECT_TRUE(store.replaceCsrf(kHash, "c2"));
  EXPECT_EQ(store.find(kHash)->csrf_hash, "c2");
  EXPECT_FALSE(store.replaceCsrf("h2", "c2"));
  EXPECT_FALSE(store.find("h2"));                           // replaceCsrf creates nothing
  EXPECT_FALSE(store.consume(kHash, kNow + seconds{600}));  // expired
  EXPECT_TRUE(store.consume(kHash, kNow));
  EXPECT_FALSE(store.consume(kHash, kNow));
  EXPECT_FALSE(store.consume("h2", kNow));
  EXPECT_FALSE(store.replaceCsrf(kHash, "c3"));
  EXPECT_TRUE(store.find(kHash)->consumed);
  EXPECT_EQ(store.find(kHash)->csrf_hash, "c2");
  EXPECT_EQ(store.sweep(kNow + seconds{599}), 0u);
  EXPECT_EQ(store.sweep(kNow + seconds{601}), 1u);
  EXPECT_FALSE(store.find(kHash));
}

TEST_P(LinkStoreConformance, PendingRequestHasExactlyOneConsumerUnderARace) {
  using namespace link_conformance;
  auto& store = stores().pending();
  store.create(pendingRequest("raced"));
  EXPECT_EQ(racing(6, [&](int) { return store.consume("raced", kNow); }), 1);
}

TEST_P(LinkStoreConformance, ClientsRoundTrip) {
  using namespace link_conformance;
  auto& store = stores().clients();
  OAuthClient client{.id = "c1",
                     .secret_hash = kHash,
                     .name = "Name \"quoted\" ✓",
                     .redirect_uris = {kRedirect, kOtherRedirect},
                     .response_types = {"code"},
                     .auth_methods = {"client_secret_basic"},
                     .allowed_scopes = {"a", "b"},
                     .default_scopes = {},
                     .pkce_required = true,
                     .access_token_ttl = seconds{900},
                     .implicit_token_ttl = seconds{0},
                     .rotate_refresh_tokens = true};
  store.put(client);
  EXPECT_EQ(store.find("c1"), client);
  EXPECT_FALSE(store.find("C1"));
  client.name = "Renamed";
  store.put(client);
  auto second = client;
  second.id = "a0";
  store.put(second);
  auto listed = store.list();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], second);  // by id
  EXPECT_EQ(listed[1].name, "Renamed");
  EXPECT_TRUE(store.remove("c1"));
  EXPECT_FALSE(store.remove("c1"));
  EXPECT_FALSE(store.find("c1"));
  EXPECT_EQ(store.list().size(), 1u);
}

TEST_P(LinkStoreConformance, AccountEmailsAreUnique) {
  using namespace link_conformance;
  auto& store = stores().accounts();
  Account account{
      .user_id = "u1", .email = "a@b.co", .password_hash = "$argon2id$x", .created_at = kNow};
  EXPECT_TRUE(store.create(account));
  auto other = account;
  other.user_id = "u2";
  EXPECT_FALSE(store.create(other));
  EXPECT_EQ(store.findByEmail("a@b.co"), account);
  store.updatePasswordHash("a@b.co", "$argon2id$y");
  EXPECT_EQ(store.findByEmail("a@b.co")->password_hash, "$argon2id$y");
  EXPECT_EQ(store.findByEmail("a@b.co")->user_id, "u1");
  store.updatePasswordHash("nobody@b.co", "$argon2id$z");
  EXPECT_FALSE(store.findByEmail("nobody@b.co"));  // an update creates nothing
  EXPECT_FALSE(store.findByEmail("' OR '1'='1"));
  EXPECT_FALSE(store.findByEmail(""));
}

TEST_P(LinkStoreConformance, AnAccountIsRemovedOnlyForItsOwnUser) {
  using namespace link_conformance;
  auto& store = stores().accounts();
  store.create({.user_id = "u1", .email = "a@b.co", .password_hash = "h", .created_at = kNow});
  EXPECT_FALSE(store.remove("a@b.co", "u2"));
  EXPECT_TRUE(store.findByEmail("a@b.co"));
  EXPECT_FALSE(store.remove("nobody@b.co", "u1"));
  EXPECT_FALSE(store.remove("", "u1"));
  EXPECT_TRUE(store.remove("a@b.co", "u1"));
  EXPECT_FALSE(store.findByEmail("a@b.co"));
  EXPECT_FALSE(store.remove("a@b.co", "u1"));
  // The e-mail is free again.
  EXPECT_TRUE(
      store.create({.user_id = "u3", .email = "a@b.co", .password_hash = "h", .created_at = kNow}));
}

TEST_P(LinkStoreConformance, ConcurrentSignUpsOfOneEmailHaveOneWinner) {
  using namespace link_conformance;
  auto& store = stores().accounts();
  auto winners = racing(6, [&](int i) {
    return store.create({.user_id = "u" + std::to_string(i),
                         .email = "race@b.co",
                         .password_hash = "h",
                         .created_at = kNow});
  });
  EXPECT_EQ(winners, 1);
}

TEST_P(LinkStoreConformance, GrantsCodesAndTokens) {
  using namespace link_conformance;
  auto& store = stores().grants();
  store.createFamily(family("f1", "c1", "u1"));
  store.createFamily(family("f2", "c2", "u1"));
  store.createFamily(family("f3", "c1", "u2"));
  auto stored_code = code(kHash);
  store.createCode(stored_code);
  EXPECT_EQ(store.findCode(kHash), stored_code);
  EXPECT_TRUE(store.consumeCode(kHash, kNow));
  EXPECT_FALSE(store.consumeCode(kHash, kNow));
  EXPECT_FALSE(store.consumeCode("unknown", kNow));
  EXPECT_FALSE(store.findCode("unknown"));
  EXPECT_EQ(store.findCode(kHash)->consumed_at, kNow);

  auto access = accessToken("ah", "f1", kNow + seconds{3600}, "u1");
  store.createAccessToken(access);
  store.createAccessToken(accessToken("ah2", "f1", std::nullopt));
  EXPECT_EQ(store.findAccessToken("ah"), access);  // its user included
  EXPECT_FALSE(store.findAccessToken("ah2")->expires_at);
  EXPECT_EQ(store.findAccessToken("ah2")->user_id, "");
  EXPECT_FALSE(store.findAccessToken(""));
  auto grant = store.findAccessGrant("ah");
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->token, access);
  EXPECT_EQ(grant->family, family("f1", "c1", "u1"));
  EXPECT_FALSE(store.findAccessGrant("unknown"));
  EXPECT_TRUE(store.revokeAccessToken("ah"));
  EXPECT_FALSE(store.revokeAccessToken("ah"));
  EXPECT_FALSE(store.revokeAccessToken("unknown"));
  EXPECT_FALSE(store.findAccessToken("unknown"));
  EXPECT_TRUE(store.findAccessToken("ah")->revoked);

  auto parent = refreshToken("r1", "f1", "");
  store.createRefreshToken(parent);
  for (int i = 0; i < 3; ++i) {
    store.createRefreshToken(
        refreshToken("r1-" + std::to_string(i), "f1", "r1", kNow + seconds{2 - i}));
  }
  auto children = store.refreshChildren("r1");
  ASSERT_EQ(children.size(), 3u);
  EXPECT_EQ(children[0].hash, "r1-2");  // oldest first
  EXPECT_EQ(children[2].hash, "r1-0");
  EXPECT_EQ(children[0].parent_hash, "r1");
  EXPECT_TRUE(store.refreshChildren("r1-0").empty());
  EXPECT_EQ(store.findRefreshToken("r1"), parent);
  parent.first_used_at = kNow;
  parent.revoke_after = kNow + seconds{60};
  store.updateRefreshToken(parent);
  EXPECT_EQ(store.findRefreshToken("r1"), parent);
  parent.first_used_at.reset();
  parent.revoke_after.reset();
  parent.revoked = true;
  store.updateRefreshToken(parent);
  EXPECT_EQ(store.findRefreshToken("r1"), parent);
  store.updateRefreshToken(refreshToken("gone", "f1", ""));
  EXPECT_FALSE(store.findRefreshToken("gone"));  // an update creates nothing

  EXPECT_EQ(store.revokeFamiliesOf("u1", "c1", kNow), 1u);
  EXPECT_EQ(store.findFamily("f1")->revoked_at, kNow);
  EXPECT_FALSE(store.findFamily("f2")->revoked_at);
  EXPECT_FALSE(store.revokeFamily("f1", kNow));
  EXPECT_FALSE(store.revokeFamily("unknown", kNow));
  EXPECT_FALSE(store.findFamily("unknown"));
  EXPECT_EQ(store.revokeFamiliesOf("u1", std::string_view{}, kNow), 1u);  // every client's
  EXPECT_EQ(store.revokeFamiliesOf("u1", "", kNow), 0u);
  EXPECT_EQ(store.revokeFamiliesOf("nobody", "", kNow), 0u);
  EXPECT_FALSE(store.findFamily("f3")->revoked_at);  // another user's
  EXPECT_TRUE(store.revokeFamily("f3", kNow + seconds{10}));

  // Everything of f1/f2 goes once they were revoked long enough ago; the code once expired; f3
  // was revoked too recently.
  EXPECT_EQ(store.sweep(kNow + seconds{301}, kNow + seconds{1}), 9u);
  EXPECT_FALSE(store.findCode(kHash));
  EXPECT_FALSE(store.findAccessToken("ah2"));
  EXPECT_FALSE(store.findRefreshToken("r1"));
  EXPECT_FALSE(store.findRefreshToken("r1-0"));
  EXPECT_FALSE(store.findFamily("f1"));
  EXPECT_TRUE(store.findFamily("f3"));
}

// Every skill request: the token's grant and, while the grant is live, the family's user.
TEST_P(LinkStoreConformance, AnAccessGrantComesWithItsUserWhileLive) {
  using namespace link_conformance;
  auto& store = stores().grants();
  auto& users = stores().users();
  const User ada{.id = "u1",
                 .email = "ada@example.com",
                 .created_at = kNow,
                 .attributes = {{"plan", "pro"}, {"visits", 3}}};
  ASSERT_TRUE(users.create(ada));
  store.createFamily(family("f1", "c1", "u1"));
  store.createFamily(family("f2", "c1", "gone"));
  store.createAccessToken(accessToken("ah", "f1", kNow + seconds{3600}));
  store.createAccessToken(accessToken("bh", "f2", std::nullopt));

  auto found = store.findAccessGrantWithUser("ah", users, kNow);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->grant, store.findAccessGrant("ah"));
  EXPECT_TRUE(found->grant.liveAt(kNow));
  EXPECT_EQ(found->user, ada);
  auto orphan = store.findAccessGrantWithUser("bh", users, kNow);  // the user was deleted
  ASSERT_TRUE(orphan);
  EXPECT_EQ(orphan->grant.family.user_id, "gone");
  EXPECT_FALSE(orphan->user);
  EXPECT_FALSE(store.findAccessGrantWithUser("unknown", users, kNow));
  store.createAccessToken(accessToken("no-family", "f-none", std::nullopt));
  EXPECT_FALSE(store.findAccessGrantWithUser("no-family", users, kNow));

  // A grant that is no longer live is reported without its user: expired, then revoked.
  found = store.findAccessGrantWithUser("ah", users, kNow + seconds{3600});
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->grant.liveAt(kNow + seconds{3600}));
  EXPECT_FALSE(found->user);
  ASSERT_TRUE(store.revokeAccessToken("ah"));
  found = store.findAccessGrantWithUser("ah", users, kNow);
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->grant.token.revoked);
  EXPECT_FALSE(found->user);
  store.createAccessToken(accessToken("ch", "f1", std::nullopt));
  ASSERT_TRUE(store.findAccessGrantWithUser("ch", users, kNow)->user);
  ASSERT_TRUE(store.revokeFamily("f1", kNow));
  found = store.findAccessGrantWithUser("ch", users, kNow);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->grant.family.revoked_at, kNow);
  EXPECT_FALSE(found->user);
}

TEST_P(LinkStoreConformance, AnAccessTokenWithoutItsFamilyIsNoGrant) {
  using namespace link_conformance;
  auto& store = stores().grants();
  store.createAccessToken(accessToken("orphan", "no-such-family", std::nullopt));
  EXPECT_TRUE(store.findAccessToken("orphan"));
  EXPECT_FALSE(store.findAccessGrant("orphan"));
}

TEST_P(LinkStoreConformance, SweepKeepsLiveTokensAndDropsExpiredAccessTokens) {
  using namespace link_conformance;
  auto& store = stores().grants();
  store.createFamily(family("f1", "c1", "u1"));
  store.createAccessToken(accessToken("short", "f1", kNow + seconds{10}));
  store.createAccessToken(accessToken("forever", "f1", std::nullopt));
  store.createRefreshToken(refreshToken("r1", "f1", ""));
  store.createCode(code("fresh"));
  EXPECT_EQ(store.sweep(kNow + seconds{11}, kNow), 1u);
  EXPECT_FALSE(store.findAccessToken("short"));
  EXPECT_TRUE(store.findAccessToken("forever"));
  EXPECT_TRUE(store.findRefreshToken("r1"));
  EXPECT_TRUE(store.findCode("fresh"));
  EXPECT_TRUE(store.findFamily("f1"));
}

TEST_P(LinkStoreConformance, CodeHasExactlyOneRedeemerUnderARace) {
  using namespace link_conformance;
  auto& store = stores().grants();
  store.createCode(code("raced"));
  EXPECT_EQ(racing(6, [&](int) { return store.consumeCode("raced", kNow); }), 1);
}

// Ids come from the CSPRNG; a collision is a bug, and must never replace the first record.
TEST_P(LinkStoreConformance, CreatesNeverOverwriteAnExistingKey) {
  using namespace link_conformance;
  auto& pending = stores().pending();
  auto& grants = stores().grants();
  pending.create(pendingRequest("p1"));
  auto other_request = pendingRequest("p1");
  other_request.client_id = "intruder";
  EXPECT_THROW(pending.create(other_request), StorageError);
  EXPECT_EQ(pending.find("p1")->client_id, "alexa-test");

  grants.createFamily(family("f1", "c1", "u1"));
  EXPECT_THROW(grants.createFamily(family("f1", "c2", "u2")), StorageError);
  EXPECT_EQ(grants.findFamily("f1")->user_id, "u1");

  grants.createCode(code("k1"));
  auto other_code = code("k1");
  other_code.user_id = "u2";
  EXPECT_THROW(grants.createCode(other_code), StorageError);
  EXPECT_EQ(grants.findCode("k1")->user_id, "u1");

  grants.createAccessToken(accessToken("a1", "f1", std::nullopt));
  EXPECT_THROW(grants.createAccessToken(accessToken("a1", "f2", std::nullopt)), StorageError);
  EXPECT_EQ(grants.findAccessToken("a1")->family_id, "f1");

  grants.createRefreshToken(refreshToken("r1", "f1", ""));
  EXPECT_THROW(grants.createRefreshToken(refreshToken("r1", "f2", "")), StorageError);
  EXPECT_EQ(grants.findRefreshToken("r1")->family_id, "f1");
}

TEST_P(LinkStoreConformance, AlexaUsersMapToTheLastLinkedUserAndClient) {
  auto& store = stores().alexaUsers();
  const std::string alexa_id = "amzn1.ask.account." + std::string(180, 'A');
  EXPECT_FALSE(store.find(alexa_id));
  EXPECT_FALSE(store.find(""));
  AlexaUser linked{.alexa_user_id = alexa_id, .user_id = "u1", .client_id = "alexa"};
  store.put(linked);
  EXPECT_EQ(store.find(alexa_id), linked);
  EXPECT_FALSE(store.find("amzn1.ask.account." + std::string(180, 'a')));  // case-sensitive
  linked.user_id = "u2";  // linked again, to another account
  store.put(linked);
  EXPECT_EQ(store.find(alexa_id), linked);
  EXPECT_TRUE(store.remove(alexa_id));
  EXPECT_FALSE(store.remove(alexa_id));
  EXPECT_FALSE(store.remove(""));
  EXPECT_FALSE(store.find(alexa_id));
}

TEST_P(LinkStoreConformance, RemovingAUsersLinksKeepsOtherUsersAlexaUsers) {
  auto& store = stores().alexaUsers();
  store.put({.alexa_user_id = "amzn1.ask.account.A", .user_id = "u1", .client_id = "alexa"});
  store.put({.alexa_user_id = "amzn1.ask.account.B", .user_id = "u1", .client_id = "other"});
  store.put({.alexa_user_id = "amzn1.ask.account.C", .user_id = "u2", .client_id = "alexa"});
  EXPECT_EQ(store.removeLinksTo("u1"), 2u);
  EXPECT_EQ(store.removeLinksTo("u1"), 0u);
  EXPECT_EQ(store.removeLinksTo("nobody"), 0u);
  EXPECT_FALSE(store.find("amzn1.ask.account.A"));
  EXPECT_FALSE(store.find("amzn1.ask.account.B"));
  EXPECT_EQ(store.find("amzn1.ask.account.C")->user_id, "u2");
}

TEST_P(LinkStoreConformance, ThrottleCountersUseFixedOrIdleWindows) {
  using namespace link_conformance;
  auto& store = stores().throttle();
  EXPECT_EQ(store.hit("ip:a", seconds{300}, ThrottleWindow::kFixed, kNow).count, 1u);
  auto second = store.hit("ip:a", seconds{300}, ThrottleWindow::kFixed, kNow + seconds{200});
  EXPECT_EQ(second, (ThrottleCounter{2, kNow, kNow + seconds{200}}));
  auto fresh = store.hit("ip:a", seconds{300}, ThrottleWindow::kFixed, kNow + seconds{300});
  EXPECT_EQ(fresh.count, 1u);
  EXPECT_EQ(fresh.window_start, kNow + seconds{300});
  EXPECT_EQ(store.get("ip:a"), fresh);
  store.hit("email:x", seconds{100}, ThrottleWindow::kIdle, kNow);
  store.hit("email:x", seconds{100}, ThrottleWindow::kIdle, kNow + seconds{90});
  auto idle = store.hit("email:x", seconds{100}, ThrottleWindow::kIdle, kNow + seconds{180});
  EXPECT_EQ(idle.count, 3u);  // never idle for 100 s
  EXPECT_EQ(store.get("email:x")->last, kNow + seconds{180});
  EXPECT_EQ(store.hit("email:x", seconds{100}, ThrottleWindow::kIdle, kNow + seconds{280}).count,
            1u);
  store.reset("email:x");
  store.reset("email:x");
  EXPECT_FALSE(store.get("email:x"));
  EXPECT_FALSE(store.get("unknown"));
  EXPECT_EQ(store.sweep(kNow + seconds{301}), 1u);
  EXPECT_FALSE(store.get("ip:a"));
}

// Counters are shared by every instance of the service: no hit may be lost.
TEST_P(LinkStoreConformance, ConcurrentThrottleHitsAreAllCounted) {
  using namespace link_conformance;
  auto& store = stores().throttle();
  constexpr int kThreads = 6;
  constexpr int kHits = 5;
  racing(kThreads, [&](int) {
    for (int i = 0; i < kHits; ++i) store.hit("ip:b", seconds{300}, ThrottleWindow::kFixed, kNow);
    return true;
  });
  EXPECT_EQ(store.get("ip:b")->count, static_cast<std::uint32_t>(kThreads * kHits));
}

// NOLINTEND(readability-function-cognitive-complexity)

}  // namespace parley::storage::testing
