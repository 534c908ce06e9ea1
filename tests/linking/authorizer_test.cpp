#include "parley/linking/authorizer.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "harness.hpp"
#include "parley/linking/crypto.hpp"

namespace parley::testing {
namespace {

class AuthorizerTest : public LinkingHarness {};

// --- §12.1: client_id and redirect_uri never redirect and store nothing ---

TEST_F(AuthorizerTest, RejectsRedirectUrisThatAreNotExactlyRegistered) {
  const std::vector<std::string> bad = {
      "https://evil.example/cb",                                                  // T1
      kPitangui + "/x",                                                           // T2
      kPitangui + "?x=1",                                                         // T3
      kPitangui + "/",                                                            // T4
      "https://PITANGUI.amazon.com/api/skill/link/MTESTVENDOR01",                 // T5
      "http://pitangui.amazon.com/api/skill/link/MTESTVENDOR01",                  // T6
      "https://pitangui.amazon.com:443/api/skill/link/MTESTVENDOR01",             // T7
      "https://pitangui.amazon.com@evil.example/api/skill/link/MTESTVENDOR01",    // T8
      "https://pitangui.amazon.com@evil.example@x/api/skill/link/MTESTVENDOR01",  // T8
      "https://pitangui.amazon.com.evil.example/api/skill/link/MTESTVENDOR01",    // T9
      kPitangui + "/../../x",                                                     // T10
      kPitangui + "/..;/x",                                                       // T10
      "https://pitangui.amazon.com/api%2Fskill/link/MTESTVENDOR01",               // T11
      formEncode(kPitangui),                                                      // T11
      kPitangui + "#frag",                                                        // T12
      "https://pitangui.amazon.com/spa/skill/account-linking-status.html?vendorId=MTESTVENDOR01",
  };
  for (const auto& uri : bad) {
    auto params = goodParams();
    params[2].second = uri;
    auto outcome = authorize(params);
    expectErrorPage(outcome, 400);
    auto& page = std::get<ErrorPage>(outcome);
    EXPECT_EQ(page.message.find("evil"), std::string::npos);
    EXPECT_EQ(boost::json::serialize(page.model()).find("evil"), std::string::npos);
  }
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, RejectsMissingOrRepeatedRedirectUri) {
  auto params = goodParams();
  params.erase(params.begin() + 2);
  expectErrorPage(authorize(params), 400);  // T14
  params = goodParams();
  params.emplace_back("redirect_uri", kPitangui);
  expectErrorPage(authorize(params), 400);  // T15, same value
  params.back().second = kLayla;
  expectErrorPage(authorize(params), 400);  // T15, different value
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, RejectsMissingUnknownRepeatedOrOversizedClientId) {
  std::vector<std::vector<std::pair<std::string, std::string>>> cases;
  auto params = goodParams();
  params.erase(params.begin() + 1);
  cases.push_back(params);
  params = goodParams();
  params[1].second = "unknown";
  cases.push_back(params);
  params = goodParams();
  params.emplace_back("client_id", "alexa-test");
  cases.push_back(params);
  params = goodParams();
  params[1].second = std::string(129, 'a');
  cases.push_back(params);
  params = goodParams();
  params[1].second = "<script>";
  cases.push_back(params);
  for (const auto& bad : cases) expectErrorPage(authorize(bad), 400);  // T16
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, RejectsAnotherClientsRedirectUri) {
  auto params = goodParams();
  params[2].second = kOtherClientUri;  // T17
  expectErrorPage(authorize(params), 400);
  params = goodParams();
  params[1].second = "other";
  expectErrorPage(authorize(params), 400);
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, RejectsOversizedQueryWith414) {
  auto params = goodParams();
  params.emplace_back("padding", std::string(9000, 'x'));  // T18: unknown, but too long
  expectErrorPage(authorize(params), 414);
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, TreatsEmptyValuesAsAbsentAndIgnoresUnknownParameters) {
  auto params = goodParams();
  params[1].second = "";
  expectErrorPage(authorize(params), 400);
  params = goodParams();
  params.emplace_back("unknown", "1");
  params.emplace_back("unknown", "2");
  EXPECT_TRUE(std::holds_alternative<ShowPage>(authorize(params)));
}

// --- §12.2: other parameters redirect with an error ---

TEST_F(AuthorizerTest, RedirectsInvalidRequestWhenResponseTypeIsMissing) {
  auto params = goodParams();
  params.erase(params.begin());
  auto location = locationOf(authorize(params));  // T20
  auto result = responseParams(location, '?');
  EXPECT_EQ(location.rfind(kPitangui + "?", 0), 0u);
  EXPECT_EQ(result.find("error")->second, "invalid_request");
  EXPECT_EQ(result.find("state")->second, "st-1");
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, RedirectsUnsupportedResponseType) {
  for (std::string type : {"id_token", "code token", "CODE"}) {  // T21
    auto params = goodParams();
    params[0].second = type;
    auto result = responseParams(locationOf(authorize(params)), '?');
    EXPECT_EQ(result.find("error")->second, "unsupported_response_type");
    EXPECT_EQ(result.find("state")->second, "st-1");
  }
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, RedirectsUnauthorizedClientForImplicitWhenNotAllowed) {
  auto options = testOptions(Mode::kEmailOnly);
  options.clients[0].response_types = {"code"};
  rebuild(options);
  auto location = locationOf(authorize(goodParams()));  // T22
  auto result = responseParams(location, '#');
  EXPECT_EQ(result.find("error")->second, "unauthorized_client");
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, RedirectsInvalidRequestWithoutStateForBadState) {
  std::vector<std::optional<std::string>> states = {
      std::nullopt, std::string(4097, 'a'), "a\tb", "a\nb", "caf\xc3\xa9", "x\r\nSet-Cookie:x=y"};
  for (const auto& state : states) {  // T23, T24, T25b
    auto params = goodParams();
    if (state) {
      params[3].second = *state;
    } else {
      params.erase(params.begin() + 3);
    }
    auto location = locationOf(authorize(params));
    EXPECT_EQ(location.find_first_of("\r\n"), std::string::npos);
    auto result = responseParams(location, '#');
    EXPECT_EQ(result.find("error")->second, "invalid_request");
    EXPECT_EQ(result.count("state"), 0u);
  }
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, RedirectsInvalidScope) {
  for (std::string scope : std::vector<std::string>{"admin", "profile admin", "profile  email",
                                                    std::string(1025, 'a')}) {
    auto params = goodParams();
    params[4].second = scope;
    auto result = responseParams(locationOf(authorize(params)), '#');  // T26
    EXPECT_EQ(result.find("error")->second, "invalid_scope");
    EXPECT_EQ(result.find("state")->second, "st-1");
  }
  EXPECT_EQ(pending_.size(), 0u);
}

TEST_F(AuthorizerTest, AcceptsStateUpTo4096PrintableBytes) {
  auto params = goodParams(std::string(4096, '~'));
  EXPECT_TRUE(std::holds_alternative<ShowPage>(authorize(params)));
}

// --- the sign-in page ---

TEST_F(AuthorizerTest, ShowsSignInPageAndStoresOnlyHashes) {
  std::string state = "\"><script>alert(1)</script>";
  auto outcome = authorize(goodParams(state));  // T25
  auto* page = std::get_if<ShowPage>(&outcome);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->view, "signin");
  auto html_model = boost::json::serialize(page->model);
  EXPECT_EQ(html_model.find("script"), std::string::npos);  // state never reaches the page
  EXPECT_EQ(html_model.find("pitangui"), std::string::npos);
  EXPECT_EQ(page->model.at("client_name").as_string(), "Parley <Test> & Co");
  EXPECT_TRUE(page->model.at("email_only").as_bool());
  ASSERT_EQ(page->cookies.size(), 1u);
  EXPECT_EQ(page->cookies[0].name, "__Host-al_req");
  EXPECT_EQ(page->cookies[0].max_age, seconds{600});
  EXPECT_EQ(page->form_action,
            (std::vector<std::string>{"https://pitangui.amazon.com", "https://layla.amazon.com",
                                      "https://alexa.amazon.co.jp"}));
  ASSERT_EQ(pending_.size(), 1u);
  std::string handle{page->model.at("request").as_string()};
  std::string csrf{page->model.at("csrf").as_string()};
  EXPECT_GE(handle.size(), 43u);
  auto stored = pending_.find(core::sha256Hex(handle));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->csrf_hash, core::sha256Hex(csrf));
  EXPECT_EQ(stored->binding_hash, core::sha256Hex(page->cookies[0].value));
  EXPECT_EQ(stored->state, state);
  EXPECT_EQ(stored->redirect_uri, kPitangui);
  EXPECT_EQ(stored->expires_at, clock_.now() + seconds{600});
}

TEST_F(AuthorizerTest, UsesDefaultScopesWhenNoneRequested) {
  auto params = goodParams();
  params.pop_back();
  auto outcome = authorize(params);
  auto& page = std::get<ShowPage>(outcome);
  auto stored = pending_.find(core::sha256Hex(std::string{page.model.at("request").as_string()}));
  EXPECT_EQ(stored->scope, "profile");
}

// --- sign-up (e-mail-only mode) ---

TEST_F(AuthorizerTest, CompletesImplicitGrantWithARandomTokenSeparateFromTheUserId) {
  std::string state = "a&b#c%d+e f\"><script>";
  auto browser = start(state);
  auto outcome = authorizer_->signUp(form(browser, {{"email", " User@Example.com "}}));
  auto* redirect = std::get_if<Redirect>(&outcome);
  ASSERT_TRUE(redirect);
  EXPECT_EQ(redirect->status, 303);  // T48: never 307/308
  EXPECT_EQ(redirect->location.rfind(kPitangui + "#", 0), 0u);
  EXPECT_EQ(redirect->location.find_first_of("\r\n\" <>"), std::string::npos);
  auto result = responseParams(redirect->location, '#');  // T29, T83
  EXPECT_EQ(result.find("state")->second, state);
  EXPECT_EQ(result.find("token_type")->second, "Bearer");
  EXPECT_EQ(result.count("refresh_token"), 0u);
  EXPECT_EQ(result.count("expires_in"), 0u);
  auto token = result.find("access_token")->second;
  EXPECT_EQ(token.size(), 46u);  // R66
  EXPECT_EQ(token.rfind("at_", 0), 0u);
  EXPECT_FALSE(users_.get(token));  // R1: not the user id
  auto user = tokens_->resolveUser(token);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->id.size(), 32u);  // R2: 128 CSPRNG bits as hex
  EXPECT_EQ(user->id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(users_.get(user->id), user);
  EXPECT_EQ(user->email, "user@example.com");
  EXPECT_EQ(user->created_at, clock_.now());
  EXPECT_EQ(grants_.findAccessToken(core::sha256Hex(token))->user_id, user->id);
}

TEST_F(AuthorizerTest, ImplicitTokenCarriesExpiresInWhenConfigured) {
  auto options = testOptions(Mode::kEmailOnly);
  options.clients[0].implicit_token_ttl = seconds{7200};
  rebuild(options);
  auto browser = start();
  auto result =
      responseParams(locationOf(authorizer_->signUp(form(browser, {{"email", "a@b.co"}}))), '#');
  EXPECT_EQ(valueOf(result, "expires_in"), "7200");
  auto token = valueOf(result, "access_token");
  clock_.advance(seconds{7199});
  EXPECT_TRUE(tokens_->resolveUser(token));
  clock_.advance(seconds{1});
  EXPECT_FALSE(tokens_->resolveUser(token));
}

TEST_F(AuthorizerTest, ShowsSuccessPageToNonAndroidAgents) {
  auto browser = start();
  auto input = form(browser, {{"email", "a@b.co"}});
  input.user_agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)";
  auto outcome = authorizer_->signUp(input);
  auto* page = std::get_if<ShowPage>(&outcome);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->view, "success");
  std::string url{page->model.at("redirect_url").as_string()};
  EXPECT_EQ(url.rfind(kPitangui + "#", 0), 0u);
  EXPECT_EQ(users_.size(), 1u);
}

TEST_F(AuthorizerTest, RedirectsEveryoneWhenSuccessPageIsOff) {
  auto options = testOptions(Mode::kEmailOnly);
  options.success_page = false;
  rebuild(options);
  auto browser = start();
  auto input = form(browser, {{"email", "a@b.co"}});
  input.user_agent = "Mozilla/5.0 (iPhone)";
  auto outcome = authorizer_->signUp(input);
  ASSERT_TRUE(std::holds_alternative<Redirect>(outcome));
  EXPECT_EQ(std::get<Redirect>(outcome).status, 303);
}

TEST_F(AuthorizerTest, IgnoresRequestParametersAddedToTheForm) {
  auto browser = start();
  auto outcome = authorizer_->signUp(form(browser, {{"email", "a@b.co"},
                                                    {"redirect_uri", "https://evil.example"},
                                                    {"state", "x"},
                                                    {"client_id", "other"}}));  // T36
  auto location = locationOf(outcome);
  EXPECT_EQ(location.rfind(kPitangui + "#", 0), 0u);
  EXPECT_EQ(responseParams(location, '#').find("state")->second, "st-1");
}

TEST_F(AuthorizerTest, RefusesFormsWithoutValidCsrfBinding) {
  auto browser = start();
  auto other = start("other-state");
  auto no_csrf = form(browser, {{"email", "a@b.co"}});
  no_csrf.form.erase("csrf");
  expectErrorPage(authorizer_->signUp(no_csrf), 403);  // T30
  auto wrong = browser;
  wrong.csrf = other.csrf;
  expectErrorPage(authorizer_->signUp(form(wrong, {{"email", "a@b.co"}})), 403);  // T31
  auto no_cookie = form(browser, {{"email", "a@b.co"}});
  no_cookie.binding_cookie.reset();
  auto outcome = authorizer_->signUp(no_cookie);  // T32
  expectErrorPage(outcome, 403);
  EXPECT_NE(std::get<ErrorPage>(outcome).message.find("Cookies"), std::string::npos);
  wrong = browser;
  wrong.cookie = other.cookie;
  expectErrorPage(authorizer_->signUp(form(wrong, {{"email", "a@b.co"}})), 403);  // T32
  auto missing = browser;
  missing.handle = "nope";
  expectErrorPage(authorizer_->signUp(form(missing, {{"email", "a@b.co"}})), 403);
  EXPECT_EQ(users_.size(), 0u);
  // The genuine form still works afterwards.
  EXPECT_TRUE(
      std::holds_alternative<Redirect>(authorizer_->signUp(form(browser, {{"email", "a@b.co"}}))));
}

TEST_F(AuthorizerTest, RefusesCrossOriginPosts) {
  auto browser = start();
  auto input = form(browser, {{"email", "a@b.co"}});
  input.origin = "https://evil.example";  // T33
  expectErrorPage(authorizer_->signUp(input), 403);
  input = form(browser, {{"email", "a@b.co"}});
  input.sec_fetch_site = "cross-site";
  expectErrorPage(authorizer_->signUp(input), 403);
  EXPECT_EQ(users_.size(), 0u);
}

// What a real browser sends from the no-referrer sign-in page (found by tests/hosting/browser).
TEST_F(AuthorizerTest, AcceptsTheNullOriginOfNoReferrerPagesUnlessCrossSite) {
  auto browser = start();
  auto input = form(browser, {{"email", "a@b.co"}});
  input.origin = "null";
  input.sec_fetch_site = "cross-site";
  expectErrorPage(authorizer_->signUp(input), 403);
  input.sec_fetch_site = "same-origin";
  EXPECT_TRUE(std::holds_alternative<Redirect>(authorizer_->signUp(input)));
  EXPECT_EQ(users_.size(), 1u);
}

TEST_F(AuthorizerTest, RefusesExpiredRequests) {
  auto browser = start();
  clock_.advance(seconds{601});  // T34
  auto outcome = authorizer_->signUp(form(browser, {{"email", "a@b.co"}}));
  expectErrorPage(outcome, 403);
  EXPECT_NE(std::get<ErrorPage>(outcome).message.find("again"), std::string::npos);
  EXPECT_EQ(users_.size(), 0u);
  EXPECT_EQ(pending_.sweep(clock_.now()), 1u);
}

TEST_F(AuthorizerTest, RefusesReplayOfASuccessfulPost) {
  auto browser = start();
  auto input = form(browser, {{"email", "a@b.co"}});
  EXPECT_TRUE(std::holds_alternative<Redirect>(authorizer_->signUp(input)));
  expectErrorPage(authorizer_->signUp(input), 403);  // T35
  EXPECT_EQ(users_.size(), 1u);
}

TEST_F(AuthorizerTest, ReRendersInvalidEmailsEscapableWithFreshCsrf) {
  auto browser = start();
  for (std::string bad :
       std::vector<std::string>{"<script>alert(1)</script>@x.y", "' OR '1'='1' --@x.y",
                                "admin@x.y'; DROP TABLE users;--", std::string(10240, 'a')}) {
    auto outcome = authorizer_->signUp(form(browser, {{"email", bad}}));  // T41, T42, T44
    auto* page = std::get_if<ShowPage>(&outcome);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 400);
    EXPECT_TRUE(page->model.at("has_error").as_bool());
    EXPECT_EQ(page->model.at("email").as_string(), bad.substr(0, 254));
    std::string fresh{page->model.at("csrf").as_string()};
    EXPECT_NE(fresh, browser.csrf);
    expectErrorPage(authorizer_->signUp(form(browser, {{"email", "a@b.co"}})), 403);  // old token
    browser.csrf = fresh;
  }
  EXPECT_EQ(users_.size(), 0u);
  EXPECT_TRUE(
      std::holds_alternative<Redirect>(authorizer_->signUp(form(browser, {{"email", "a@b.co"}}))));
}

TEST_F(AuthorizerTest, RejectsRepeatedOrMissingFieldsAndBadBodies) {
  auto browser = start();
  auto input = form(browser, {{"email", "a@b.co"}, {"email", "c@d.co"}});  // T43
  expectErrorPage(authorizer_->signUp(input), 400);
  input = form(browser, {{"email[$ne]", "x"}});  // T43: no e-mail → validation error
  auto outcome = authorizer_->signUp(input);
  ASSERT_TRUE(std::holds_alternative<ShowPage>(outcome));
  EXPECT_EQ(std::get<ShowPage>(outcome).status, 400);
  browser.csrf = std::string{std::get<ShowPage>(outcome).model.at("csrf").as_string()};
  input = form(browser, {{"email", "a@b.co"}});
  input.content_type = "application/json";  // T43
  expectErrorPage(authorizer_->signUp(input), 415);
  input.content_type = "multipart/form-data; boundary=x";
  expectErrorPage(authorizer_->signUp(input), 415);
  input = form(browser, {{"email", "a@b.co"}});
  input.body_bytes = 20 * 1024;  // T44
  expectErrorPage(authorizer_->signUp(input), 413);
  EXPECT_EQ(users_.size(), 0u);
  input = form(browser, {{"email", "a@b.co"}});
  input.content_type = "Application/X-WWW-Form-Urlencoded; charset=UTF-8";
  EXPECT_TRUE(std::holds_alternative<Redirect>(authorizer_->signUp(input)));
}

TEST_F(AuthorizerTest, CancelRedirectsAccessDeniedInTheFragmentForImplicit) {
  auto browser = start("s&t");
  auto outcome = authorizer_->cancel(form(browser, {}));  // T47, T84
  auto* redirect = std::get_if<Redirect>(&outcome);
  ASSERT_TRUE(redirect);
  EXPECT_EQ(redirect->status, 303);
  EXPECT_EQ(redirect->location, kPitangui + "#error=access_denied&state=s%26t");
  expectErrorPage(authorizer_->cancel(form(browser, {})), 403);
  EXPECT_EQ(users_.size(), 0u);
}

TEST(AuthorizerConfig, RefusesUnsafeClientConfiguration) {
  auto check = [](auto mutate) {
    auto options = testOptions(Mode::kEmailOnly);
    mutate(options.clients[0]);
    return findConfigProblem(options).has_value();
  };
  EXPECT_FALSE(findConfigProblem(testOptions(Mode::kEmailOnly)));
  EXPECT_TRUE(check([](ClientOptions& c) { c.redirect_uris = {"http://a.example/cb"}; }));
  EXPECT_TRUE(check([](ClientOptions& c) { c.redirect_uris = {"https://*.example/cb"}; }));
  EXPECT_TRUE(check([](ClientOptions& c) { c.redirect_uris = {"https://a.example/cb#x"}; }));
  EXPECT_TRUE(check([](ClientOptions& c) { c.redirect_uris = {"https://u@a.example/cb"}; }));
  EXPECT_TRUE(check([](ClientOptions& c) { c.redirect_uris = {"https://a.example:8443/cb"}; }));
  EXPECT_TRUE(check([](ClientOptions& c) { c.access_token_ttl = seconds{300}; }));  // T82
  EXPECT_TRUE(check([](ClientOptions& c) { c.auth_methods = {"none"}; }));
  EXPECT_TRUE(check([](ClientOptions& c) { c.secret = "short"; }));
  EXPECT_TRUE(check([](ClientOptions& c) { c.id = ""; }));
  EXPECT_TRUE(check([](ClientOptions& c) { c.response_types = {"id_token"}; }));
  EXPECT_TRUE(check([](ClientOptions& c) { c.default_scopes = {"admin"}; }));
  auto options = testOptions(Mode::kEmailOnly);
  options.clients[0].redirect_uris = {"https://*.example/cb"};
  core::ManualClock clock{{}};
  core::SeededRandom random{1};
  fakes::MemoryUserStore users;
  storage::MemoryPendingRequestStore pending;
  storage::MemoryAccountStore accounts;
  storage::MemoryGrantStore grants;
  storage::MemoryThrottleStore throttle;
  EXPECT_THROW(Authorizer(options,
                          AuthorizerStores{.users = users,
                                           .pending = pending,
                                           .accounts = accounts,
                                           .grants = grants,
                                           .throttle = throttle},
                          clock, random),
               std::invalid_argument);
}

}  // namespace
}  // namespace parley::testing
