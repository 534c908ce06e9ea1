// The token endpoint, revocation and resource lookup (spec §12.2 PKCE, §12.4, §12.6).
#include <spdlog/sinks/ostream_sink.h>

#include <boost/json/serialize.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "harness.hpp"
#include "parley/core/log.hpp"
#include "parley/linking/crypto.hpp"

namespace parley::testing {
namespace {

class TokenTest : public LinkingHarness {
 protected:
  // Links a new user through the browser flow and returns the code from the redirect.
  std::string codeFor(Pairs params, const std::string& email = "user@example.com") {
    auto browser = startWith(params);
    auto location = locationOf(authorizer_->signUp(form(browser, {{"email", email}})));
    auto code = valueOf(responseParams(location, '?'), "code");
    EXPECT_EQ(code.rfind("ac_", 0), 0u) << location;
    return code;
  }
  std::string codeFor() { return codeFor(goodParams("st-1", "code")); }
  Pairs pkceParams() {
    auto params = goodParams("st-1", "code");
    params.emplace_back("code_challenge", kChallenge);
    params.emplace_back("code_challenge_method", "S256");
    return params;
  }
  std::string userinfoStatus(const std::string& access_token) {
    return std::to_string(tokens_->userinfo("Bearer " + access_token).status);
  }
};

void expectError(const TokenResponse& response, int status, const std::string& error) {
  EXPECT_EQ(response.status, status);
  EXPECT_EQ(field(response, "error"), error);
  // T72: no-store everywhere, JSON, and a description of allowed characters only.
  EXPECT_EQ(header(response, "Cache-Control"), "no-store");
  EXPECT_EQ(header(response, "Pragma"), "no-cache");
  EXPECT_EQ(header(response, "Content-Type"), "application/json;charset=UTF-8");
  auto description = field(response, "error_description");
  for (char c : description) {
    EXPECT_TRUE(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') << description;
  }
}

// --- happy paths ---

TEST_F(TokenTest, RedeemsACodeWithPkceForTokensTheSkillCanResolve) {
  auto code = codeFor(pkceParams());
  auto response = redeem(code, {{"code_verifier", kVerifier}});
  ASSERT_EQ(response.status, 200) << boost::json::serialize(*response.body);
  EXPECT_EQ(header(response, "Cache-Control"), "no-store");  // T72
  EXPECT_EQ(header(response, "Pragma"), "no-cache");
  EXPECT_EQ(field(response, "token_type"), "Bearer");  // T73
  EXPECT_EQ(field(response, "expires_in"), "3600");
  EXPECT_EQ(field(response, "scope"), "profile");
  auto access = field(response, "access_token");
  auto refresh_token = field(response, "refresh_token");
  EXPECT_EQ(access.size(), 46u);
  EXPECT_EQ(access.rfind("at_", 0), 0u);
  EXPECT_EQ(refresh_token.rfind("rt_", 0), 0u);
  auto user = tokens_->resolveUser(access);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->email, "user@example.com");
  // Stored with its family's user, for stores that read family and user together.
  EXPECT_EQ(grants_.findAccessToken(core::sha256Hex(access))->user_id, user->id);
  auto info = tokens_->userinfo("Bearer " + access);
  EXPECT_EQ(info.status, 200);
  EXPECT_EQ(field(info, "id"), user->id);
  EXPECT_EQ(field(info, "email"), "user@example.com");
  // Refresh (stable mode, T77): same refresh token back, old access token still valid.
  auto refreshed = refreshWith(refresh_token);
  ASSERT_EQ(refreshed.status, 200);
  EXPECT_EQ(field(refreshed, "refresh_token"), refresh_token);
  EXPECT_NE(field(refreshed, "access_token"), access);
  EXPECT_TRUE(tokens_->resolveUser(access));
  EXPECT_TRUE(tokens_->resolveUser(field(refreshed, "access_token")));
  EXPECT_EQ(grants_.findAccessToken(core::sha256Hex(field(refreshed, "access_token")))->user_id,
            user->id);
  clock_.advance(seconds{3600});
  EXPECT_FALSE(tokens_->resolveUser(access));  // expiry
}

TEST_F(TokenTest, AcceptsClientCredentialsInTheBody) {
  auto response =
      redeem(codeFor(), {{"client_id", "alexa-test"}, {"client_secret", kSecret}}, std::nullopt);
  EXPECT_EQ(response.status, 200);
}

// --- PKCE at the authorization endpoint ---

TEST_F(TokenTest, RejectsBadPkceParametersAtAuthorization) {
  std::vector<Pairs> extras = {
      {{"code_challenge", kChallenge}, {"code_challenge_method", "plain"}},
      {{"code_challenge", kChallenge}},
      {{"code_challenge_method", "S256"}},
      {{"code_challenge", kChallenge.substr(1)}, {"code_challenge_method", "S256"}},
      {{"code_challenge", kChallenge + "A"}, {"code_challenge_method", "S256"}},
      {{"code_challenge", "+" + kChallenge.substr(1)}, {"code_challenge_method", "S256"}},
      {{"code_challenge", kChallenge.substr(1) + "="}, {"code_challenge_method", "S256"}},
  };
  for (const auto& extra : extras) {  // T27
    auto params = goodParams("st-1", "code");
    params.insert(params.end(), extra.begin(), extra.end());
    auto result = responseParams(locationOf(authorize(params)), '?');
    EXPECT_EQ(valueOf(result, "error"), "invalid_request");
    EXPECT_EQ(valueOf(result, "state"), "st-1");
  }
  auto options = testOptions(Mode::kEmailOnly);
  options.clients[0].pkce_required = true;
  rebuild(options);
  auto result = responseParams(locationOf(authorize(goodParams("st-1", "code"))), '?');  // T28
  EXPECT_EQ(valueOf(result, "error"), "invalid_request");
  EXPECT_EQ(pending_.size(), 0u);
}

// --- codes ---

TEST_F(TokenTest, ReusedCodeFailsAndRevokesWhatItIssued) {
  auto code = codeFor();
  auto first = redeem(code);
  ASSERT_EQ(first.status, 200);
  expectError(redeem(code), 400, "invalid_grant");  // T52
  EXPECT_EQ(userinfoStatus(field(first, "access_token")), "401");
  expectError(refreshWith(field(first, "refresh_token")), 400, "invalid_grant");
}

TEST_F(TokenTest, ExactlyOneOfTwoConcurrentRedemptionsSucceeds) {
  for (int round = 0; round < 5; ++round) {
    auto code = codeFor();
    std::atomic<int> ok{0};
    std::thread a([&] { ok += redeem(code).status == 200; });  // T53
    std::thread b([&] { ok += redeem(code).status == 200; });
    a.join();
    b.join();
    EXPECT_EQ(ok.load(), 1);
  }
}

// T53's race made deterministic: the losing redemption revokes the grant (R24) at the very moment
// the winner, having consumed the code, goes on to issue. The winner still answers 200, with
// tokens that are dead at once; a grant revoked before the redemption fails it.
TEST_F(TokenTest, ARevocationAtTheMomentOfRedemptionLeavesTheWinnersAnswerButNotItsTokens) {
  auto code = codeFor();
  const auto family_id = grants_.findCode(core::sha256Hex(code))->family_id;
  ASSERT_TRUE(grants_.revokeFamily(family_id, clock_.now()));
  auto winner = redeem(code);
  ASSERT_EQ(winner.status, 200);
  EXPECT_EQ(userinfoStatus(field(winner, "access_token")), "401");
  expectError(refreshWith(field(winner, "refresh_token")), 400, "invalid_grant");

  auto later = codeFor();
  ASSERT_TRUE(
      grants_.revokeFamily(grants_.findCode(core::sha256Hex(later))->family_id, clock_.now()));
  clock_.advance(std::chrono::seconds(1));
  expectError(redeem(later), 400, "invalid_grant");
}

TEST_F(TokenTest, CodeOfAnotherClientFailsAndIsUsedUp) {
  auto code = codeFor();
  Pairs fields{{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kPitangui}};
  expectError(tokens_->token(tokenRequest(fields, basic("other", kOtherSecret))), 400,
              "invalid_grant");  // T54
  expectError(redeem(code), 400, "invalid_grant");
}

TEST_F(TokenTest, ExpiredCodeFails) {
  auto code = codeFor();
  clock_.advance(seconds{300});  // T55: default TTL 300 s
  expectError(redeem(code), 400, "invalid_grant");
}

TEST_F(TokenTest, RedirectUriMustMatchTheCodes) {
  auto code = codeFor();
  Pairs fields{{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kLayla}};
  expectError(tokens_->token(tokenRequest(fields, basic("alexa-test", kSecret))), 400,
              "invalid_grant");                     // T63
  expectError(redeem(code), 400, "invalid_grant");  // consumed
  code = codeFor();
  fields = {{"grant_type", "authorization_code"}, {"code", code}};
  expectError(tokens_->token(tokenRequest(fields, basic("alexa-test", kSecret))), 400,
              "invalid_request");  // T64
}

TEST_F(TokenTest, PkceFailuresAreInvalidGrant) {
  for (Pairs extra : std::vector<Pairs>{{{"code_verifier", kVerifier.substr(0, 42) + "x"}},
                                        {},
                                        {{"code_verifier", kVerifier.substr(0, 42)}}}) {
    expectError(redeem(codeFor(pkceParams()), extra), 400, "invalid_grant");  // T65
  }
  expectError(redeem(codeFor(), {{"code_verifier", kVerifier}}), 400, "invalid_grant");  // T66
}

// --- client authentication ---

TEST_F(TokenTest, RejectsWrongOrMissingClientCredentials) {
  auto code = codeFor();
  auto wrong_basic = redeem(code, {}, basic("alexa-test", kSecret + "x"));  // T56
  expectError(wrong_basic, 401, "invalid_client");
  EXPECT_EQ(header(wrong_basic, "WWW-Authenticate"), "Basic realm=\"parley\"");
  auto wrong_body = redeem(code, {{"client_id", "alexa-test"}, {"client_secret", "nope"}},
                           std::nullopt);  // T57
  expectError(wrong_body, 401, "invalid_client");
  EXPECT_NE(header(wrong_body, "WWW-Authenticate"), "<absent>");
  expectError(redeem(code, {}, std::nullopt), 401, "invalid_client");  // T58
  expectError(redeem(code, {{"client_id", "alexa-test"}}, std::nullopt), 401, "invalid_client");
  expectError(redeem(code, {}, basic("unknown", kSecret)), 401, "invalid_client");
  expectError(redeem(code, {}, "Basic !!!"), 401, "invalid_client");
  expectError(redeem(code, {}, "Bearer " + kSecret), 401, "invalid_client");
  // The code was never touched by the unauthenticated requests.
  EXPECT_EQ(redeem(code).status, 200);
}

TEST_F(TokenTest, RejectsAmbiguousClientAuthentication) {
  auto code = codeFor();
  expectError(redeem(code, {{"client_secret", kSecret}}), 400, "invalid_request");  // T59
  auto input = tokenRequest(
      {{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kPitangui}},
      basic("alexa-test", kSecret));
  input.query = *parseUrlEncoded("client_secret=" + kSecret);
  expectError(tokens_->token(input), 400, "invalid_request");                   // T60
  expectError(redeem(code, {{"client_id", "other"}}), 400, "invalid_request");  // T61
  Pairs fields{{"grant_type", "refresh_token"},
               {"refresh_token", "rt_x"},
               {"client_id", "other"},
               {"client_secret", kOtherSecret}};
  expectError(tokens_->token(tokenRequest(fields, std::nullopt)), 401, "invalid_client");  // T62
  EXPECT_EQ(redeem(code).status, 200);
}

TEST_F(TokenTest, ThrottlesFailedClientAuthenticationPerAddressOnly) {
  auto code = codeFor();
  for (int i = 0; i < 30; ++i) {
    expectError(redeem(code, {}, basic("alexa-test", "guess" + std::to_string(i))), 401,
                "invalid_client");
  }
  auto blocked = redeem(code, {}, basic("alexa-test", "guess-31"));  // T81
  EXPECT_EQ(blocked.status, 429);
  EXPECT_NE(header(blocked, "Retry-After"), "<absent>");
  EXPECT_EQ(redeem(code).status, 429);  // the whole address waits
  auto other = tokenRequest(
      {{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kPitangui}},
      basic("alexa-test", kSecret));
  other.client_ip = "198.51.100.8";
  EXPECT_EQ(tokens_->token(other).status, 200);  // no client lock-out (R63)
  clock_.advance(seconds{60});
  expectError(redeem(code), 400, "invalid_grant");  // unblocked; the code is used now
}

// --- request shape ---

TEST_F(TokenTest, RejectsMalformedRequests) {
  auto code = codeFor();
  for (std::string type : {"password", "client_credentials", "foo"}) {
    Pairs fields{{"grant_type", type}};
    expectError(tokens_->token(tokenRequest(fields, basic("alexa-test", kSecret))), 400,
                "unsupported_grant_type");  // T67
  }
  expectError(tokens_->token(tokenRequest({{"code", code}}, basic("alexa-test", kSecret))), 400,
              "invalid_request");  // T68
  expectError(redeem(code, {{"code", code}}), 400, "invalid_request");
  auto input = tokenRequest({{"grant_type", "authorization_code"}}, basic("alexa-test", kSecret));
  input.method = "GET";
  auto get = tokens_->token(input);  // T69
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(header(get, "Allow"), "POST");
  input.method = "POST";
  input.content_type = "application/json";  // T70
  expectError(tokens_->token(input), 400, "invalid_request");
  input.content_type = "application/x-www-form-urlencoded";
  input.body_bytes = 8193;  // T71
  EXPECT_EQ(tokens_->token(input).status, 413);
  EXPECT_EQ(redeem(code).status, 200);
}

TEST_F(TokenTest, ImplicitOnlyClientsMayNotUseTheTokenEndpoint) {
  auto options = testOptions(Mode::kEmailOnly);
  options.clients[0].response_types = {"token"};
  rebuild(options);
  expectError(refreshWith("rt_x"), 400, "unauthorized_client");
}

// --- refresh ---

TEST_F(TokenTest, RefreshRejectsUnknownRevokedForeignAndWrongTypeTokens) {
  auto code = codeFor();
  auto issued = redeem(code);
  auto refresh_token = field(issued, "refresh_token");
  expectError(refreshWith("rt_unknown"), 400, "invalid_grant");  // T74
  expectError(refreshWith(field(issued, "access_token")), 400, "invalid_grant");
  expectError(refreshWith(code), 400, "invalid_grant");
  Pairs fields{{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}};
  expectError(tokens_->token(tokenRequest(fields, basic("other", kOtherSecret))), 400,
              "invalid_grant");  // T75
  expectError(refreshWith(refresh_token, {{"scope", "profile email"}}), 400,
              "invalid_scope");  // T76
  EXPECT_EQ(refreshWith(refresh_token, {{"scope", "profile"}}).status, 200);
  tokens_->revokeUser(tokens_->resolveUser(field(issued, "access_token"))->id, "alexa-test");
  expectError(refreshWith(refresh_token), 400, "invalid_grant");  // T99
}

TEST_F(TokenTest, RotateModeKeepsTheStoredTokenAliveUntilAChildIsUsed) {
  auto options = testOptions(Mode::kEmailOnly);
  options.clients[0].rotate_refresh_tokens = true;
  rebuild(options);
  auto r1 = field(redeem(codeFor()), "refresh_token");
  auto first = refreshWith(r1);  // T78
  ASSERT_EQ(first.status, 200);
  auto r2 = field(first, "refresh_token");
  EXPECT_NE(r2, r1);
  auto again = refreshWith(r1);
  ASSERT_EQ(again.status, 200);
  auto r2b = field(again, "refresh_token");
  auto third = refreshWith(r2);
  ASSERT_EQ(third.status, 200);
  auto r3 = field(third, "refresh_token");
  EXPECT_EQ(refreshWith(r1).status, 200);  // still inside the grace period
  clock_.advance(seconds{61});
  expectError(refreshWith(r1), 400, "invalid_grant");
  expectError(refreshWith(r2b), 400, "invalid_grant");
  EXPECT_EQ(refreshWith(r3).status, 200);  // the family survives
  EXPECT_EQ(refreshWith(r2).status, 200);
}

TEST_F(TokenTest, RotateModeKeepsAtMostFiveUnusedChildren) {
  auto options = testOptions(Mode::kEmailOnly);
  options.clients[0].rotate_refresh_tokens = true;
  rebuild(options);
  auto r1 = field(redeem(codeFor()), "refresh_token");
  std::vector<std::string> children;
  for (int i = 0; i < 6; ++i) {
    children.push_back(field(refreshWith(r1), "refresh_token"));
    clock_.advance(seconds{1});
  }
  expectError(refreshWith(children[0]), 400, "invalid_grant");
  EXPECT_EQ(refreshWith(children[1]).status, 200);
}

// Delegates to a MemoryGrantStore and fails like a lost database while `broken` is set.
class FlakyGrants final : public storage::GrantStore {
 public:
  bool broken = false;
  storage::MemoryGrantStore inner;
  void check() {
    if (broken) throw storage::StorageError(storage::StorageError::Kind::kUnavailable, "down");
  }
  void createFamily(const storage::GrantFamily& f) override { check(), inner.createFamily(f); }
  std::optional<storage::GrantFamily> findFamily(std::string_view id) override {
    return check(), inner.findFamily(id);
  }
  bool revokeFamily(std::string_view id, storage::TimePoint now) override {
    return check(), inner.revokeFamily(id, now);
  }
  std::size_t revokeFamiliesOf(std::string_view u, std::string_view c,
                               storage::TimePoint now) override {
    return check(), inner.revokeFamiliesOf(u, c, now);
  }
  void createCode(const storage::AuthorizationCode& c) override { check(), inner.createCode(c); }
  std::optional<storage::AuthorizationCode> findCode(std::string_view h) override {
    return check(), inner.findCode(h);
  }
  bool consumeCode(std::string_view h, storage::TimePoint now) override {
    return check(), inner.consumeCode(h, now);
  }
  void createAccessToken(const storage::AccessToken& t) override {
    check(), inner.createAccessToken(t);
  }
  std::optional<storage::AccessToken> findAccessToken(std::string_view h) override {
    return check(), inner.findAccessToken(h);
  }
  std::optional<storage::AccessGrant> findAccessGrant(std::string_view h) override {
    return check(), inner.findAccessGrant(h);
  }
  bool revokeAccessToken(std::string_view h) override {
    return check(), inner.revokeAccessToken(h);
  }
  void createRefreshToken(const storage::RefreshToken& t) override {
    check(), inner.createRefreshToken(t);
  }
  std::optional<storage::RefreshToken> findRefreshToken(std::string_view h) override {
    return check(), inner.findRefreshToken(h);
  }
  void updateRefreshToken(const storage::RefreshToken& t) override {
    check(), inner.updateRefreshToken(t);
  }
  std::vector<storage::RefreshToken> refreshChildren(std::string_view h) override {
    return check(), inner.refreshChildren(h);
  }
  std::size_t sweep(storage::TimePoint now, storage::TimePoint before) override {
    return check(), inner.sweep(now, before);
  }
};

// R6: the token endpoint refuses to start on options the authorization endpoint would refuse.
TEST_F(TokenTest, RefusesOptionsWithAConfigurationProblem) {
  auto options = testOptions(Mode::kEmailOnly);
  options.clients[0].redirect_uris = {"http://a.example/cb"};
  ASSERT_TRUE(findConfigProblem(options));
  EXPECT_THROW(
      TokenService(options,
                   TokenServiceStores{.grants = grants_, .throttle = throttle_, .users = users_},
                   clock_, random_),
      std::invalid_argument);
  EXPECT_NO_THROW(
      TokenService(testOptions(Mode::kEmailOnly),
                   TokenServiceStores{.grants = grants_, .throttle = throttle_, .users = users_},
                   clock_, random_));
}

TEST_F(TokenTest, StorageFailuresAreNotInvalidGrant) {
  FlakyGrants grants;
  TokenService service{testOptions(Mode::kEmailOnly),
                       TokenServiceStores{.grants = grants, .throttle = throttle_, .users = users_},
                       clock_, random_};
  auto issued = service.issue("user-1", "alexa-test");
  ASSERT_TRUE(issued);
  grants.broken = true;  // T79: the failure propagates; it never becomes invalid_grant
  Pairs fields{{"grant_type", "refresh_token"}, {"refresh_token", issued->refresh_token}};
  EXPECT_THROW(service.token(tokenRequest(fields, basic("alexa-test", kSecret))),
               storage::StorageError);
  auto response = TokenService::serverError();  // what the host answers instead
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(field(response, "error"), "server_error");
  EXPECT_EQ(header(response, "Cache-Control"), "no-store");
  grants.broken = false;
  EXPECT_EQ(service.token(tokenRequest(fields, basic("alexa-test", kSecret))).status, 200);
}

// --- revocation ---

TEST_F(TokenTest, RevocationFollowsRfc7009) {
  auto issued = redeem(codeFor());
  auto access = field(issued, "access_token");
  auto refresh_token = field(issued, "refresh_token");
  auto revoke = [&](const std::string& token, std::optional<std::string> auth) {
    return tokens_->revoke(tokenRequest({{"token", token}}, std::move(auth)));
  };
  auto unknown = revoke("at_unknown", basic("alexa-test", kSecret));  // T85
  EXPECT_EQ(unknown.status, 200);
  EXPECT_FALSE(unknown.body);
  expectError(revoke(access, basic("alexa-test", "wrong")), 401, "invalid_client");  // T86
  EXPECT_EQ(revoke(access, basic("other", kOtherSecret)).status, 200);               // T87
  EXPECT_TRUE(tokens_->resolveUser(access));
  expectError(tokens_->revoke(tokenRequest({}, basic("alexa-test", kSecret))), 400,
              "invalid_request");
  EXPECT_EQ(revoke(refresh_token, basic("alexa-test", kSecret)).status, 200);  // T88
  EXPECT_EQ(userinfoStatus(access), "401");
  expectError(refreshWith(refresh_token), 400, "invalid_grant");
}

TEST_F(TokenTest, RevokingAnAccessTokenLeavesTheGrant) {
  auto issued = redeem(codeFor());
  auto access = field(issued, "access_token");
  EXPECT_EQ(tokens_
                ->revoke(tokenRequest({{"token", access}, {"token_type_hint", "access_token"}},
                                      basic("alexa-test", kSecret)))
                .status,
            200);
  EXPECT_FALSE(tokens_->resolveUser(access));
  EXPECT_EQ(refreshWith(field(issued, "refresh_token")).status, 200);
}

// --- userinfo ---

TEST_F(TokenTest, UserinfoFollowsRfc6750) {
  auto issued = redeem(codeFor());
  auto access = field(issued, "access_token");
  auto missing = tokens_->userinfo(std::nullopt);  // T89
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(header(missing, "WWW-Authenticate"), "Bearer realm=\"parley\"");
  auto malformed = tokens_->userinfo("Basic abc");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(header(malformed, "WWW-Authenticate"),
            "Bearer realm=\"parley\", error=\"invalid_request\"");
  clock_.advance(seconds{3600});
  auto expired = tokens_->userinfo("Bearer " + access);  // T90
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(header(expired, "WWW-Authenticate"),
            "Bearer realm=\"parley\", error=\"invalid_token\"");
}

TEST_F(TokenTest, ATokenOfADeletedUserResolvesToNoOne) {
  users_.create({.id = "user-1", .email = "one@example.com", .created_at = {}, .attributes = {}});
  auto issued = tokens_->issue("user-1", "alexa-test");
  ASSERT_TRUE(issued);
  ASSERT_TRUE(tokens_->resolveUser(issued->access_token));
  users_.remove("user-1");
  EXPECT_FALSE(tokens_->resolveUser(issued->access_token));
  EXPECT_EQ(tokens_->userinfo("Bearer " + issued->access_token).status, 401);
}

TEST_F(TokenTest, LegacyUserIdTokensNeedTheMigrationFlag) {
  users_.create(storage::User{
      .id = std::string(32, 'a'), .email = "old@example.com", .created_at = {}, .attributes = {}});
  EXPECT_FALSE(tokens_->resolveUser(std::string(32, 'a')));  // T92
  EXPECT_EQ(tokens_->userinfo("Bearer " + std::string(32, 'a')).status, 401);
  auto options = testOptions(Mode::kEmailOnly);
  options.accept_legacy_tokens = true;
  rebuild(options);
  const auto legacy = tokens_->resolveUser(std::string(32, 'a'));
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->email, "old@example.com");
}

TEST_F(TokenTest, IssueAndRevokeForOperators) {
  users_.create({.id = "user-1", .email = "one@example.com", .created_at = {}, .attributes = {}});
  auto issued = tokens_->issue("user-1", "alexa-test");
  ASSERT_TRUE(issued);
  EXPECT_EQ(tokens_->resolveUser(issued->access_token)->email, "one@example.com");
  EXPECT_EQ(grants_.findAccessToken(core::sha256Hex(issued->access_token))->user_id, "user-1");
  EXPECT_FALSE(tokens_->issue("user-1", "nope"));
  EXPECT_EQ(tokens_->revokeUser("user-1"), 1u);
  EXPECT_FALSE(tokens_->resolveUser(issued->access_token));
  EXPECT_EQ(tokens_->revokeUser("user-1"), 0u);
}

// R67: tokens and codes are stored under the pepper they were issued with; under another pepper
// or none they are unknown (a new pepper makes users link again).
TEST_F(TokenTest, TokensAndCodesIssuedUnderAPepperWorkOnlyUnderThatPepper) {
  auto withPepper = [](std::optional<char> fill) {
    auto options = testOptions(Mode::kEmailOnly);
    if (fill) options.token_digest = TokenDigest{std::string(TokenDigest::kPepperBytes, *fill)};
    return options;
  };
  rebuild(withPepper('P'));
  auto issued = redeem(codeFor());
  ASSERT_EQ(issued.status, 200);
  auto access = field(issued, "access_token");
  auto refresh_token = field(issued, "refresh_token");
  auto unredeemed = codeFor(goodParams("st-2", "code"), "second@example.com");
  ASSERT_TRUE(tokens_->resolveUser(access));
  EXPECT_TRUE(tokens_->grantOf(access));
  EXPECT_EQ(refreshWith(refresh_token).status, 200);
  // What the grant store holds is the HMAC, not the plain SHA-256 of the token.
  EXPECT_TRUE(grants_.findAccessToken(core::hmacSha256Hex(std::string(32, 'P'), access)));
  EXPECT_FALSE(grants_.findAccessToken(core::sha256Hex(access)));

  for (auto other : {std::optional<char>{'Q'}, std::optional<char>{}}) {
    rebuild(withPepper(other));
    EXPECT_FALSE(tokens_->resolveUser(access));
    EXPECT_FALSE(tokens_->grantOf(access));
    EXPECT_EQ(userinfoStatus(access), "401");
    expectError(refreshWith(refresh_token), 400, "invalid_grant");
    expectError(redeem(unredeemed), 400, "invalid_grant");
  }
  rebuild(withPepper('P'));
  EXPECT_TRUE(tokens_->resolveUser(access));
  EXPECT_EQ(redeem(unredeemed).status, 200);  // the failed attempts above did not use it up
}

// T99 at the service: AlexaSkillEvent.SkillDisabled hands over the token Alexa held, which may
// have expired; the skill revokes the grants of its user for its client.
TEST_F(TokenTest, RevokingTheLinkOfATokenRevokesItsUsersGrantsForItsClientOnly) {
  auto issued = redeem(codeFor());
  const auto access_token = field(issued, "access_token");
  const auto user = tokens_->resolveUser(access_token);
  ASSERT_TRUE(user);
  const auto user_id = user->id;
  clock_.advance(seconds{3601});  // Alexa may still hold an expired token
  ASSERT_FALSE(tokens_->resolveUser(access_token));
  auto relinked = tokens_->issue(user_id, "alexa-test");
  auto elsewhere = tokens_->issue(user_id, "other");
  ASSERT_TRUE(relinked && elsewhere);

  const auto grant = tokens_->grantOf(access_token);
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->user_id, user_id);
  EXPECT_EQ(grant->client_id, "alexa-test");
  EXPECT_EQ(tokens_->revokeUser(grant->user_id, grant->client_id), 2u);
  expectError(refreshWith(field(issued, "refresh_token")), 400, "invalid_grant");
  EXPECT_FALSE(tokens_->resolveUser(relinked->access_token));
  EXPECT_EQ(tokens_->resolveUser(elsewhere->access_token), user);
  EXPECT_TRUE(tokens_->grantOf(access_token)->revoked_at);               // still known once revoked
  EXPECT_EQ(tokens_->revokeUser(grant->user_id, grant->client_id), 0u);  // nothing left
  EXPECT_FALSE(tokens_->grantOf("at_unknown"));
  EXPECT_FALSE(tokens_->grantOf(""));
}

TEST_F(TokenTest, SweepDeletesExpiredAndLongRevokedRecords) {
  auto issued = redeem(codeFor());
  codeFor();  // a code nobody redeems
  clock_.advance(seconds{3601});
  EXPECT_GE(tokens_->sweep(), 2u);  // the unredeemed code and the expired access token
  EXPECT_EQ(refreshWith(field(issued, "refresh_token")).status, 200);
}

// T70/T94: nothing secret reaches the logs during a full flow.
TEST_F(TokenTest, LogsNeverContainTokensCodesOrSecrets) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto log = core::logger("linking");
  log->sinks().push_back(sink);
  log->set_level(spdlog::level::trace);
  auto code = codeFor(pkceParams());
  auto issued = redeem(code, {{"code_verifier", kVerifier}});
  redeem(code);  // reuse: logged
  redeem(code, {}, basic("alexa-test", "wrong-secret"));
  auto refreshed = refreshWith(field(issued, "refresh_token"));
  log->sinks().pop_back();
  auto text = captured.str();
  EXPECT_FALSE(text.empty());
  for (const auto& secret :
       {code, field(issued, "access_token"), field(issued, "refresh_token"), kSecret,
        std::string{"wrong-secret"}, kVerifier, field(refreshed, "access_token")}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace parley::testing
