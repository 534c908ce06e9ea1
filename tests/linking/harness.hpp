#pragma once

// A linking server in memory: both services over in-memory stores, a manual clock, seeded
// randomness, and helpers that play the browser and Alexa.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <memory>

#include "fakes/memory_user_store.hpp"
#include "parley/linking/authorizer.hpp"
#include "parley/linking/token_service.hpp"
#include "parley/storage/memory_link_stores.hpp"

namespace parley::testing {

using namespace parley::linking;  // NOLINT: test brevity
using std::chrono::seconds;

inline const std::string kPitangui = "https://pitangui.amazon.com/api/skill/link/MTESTVENDOR01";
inline const std::string kLayla = "https://layla.amazon.com/api/skill/link/MTESTVENDOR01";
inline const std::string kJapan = "https://alexa.amazon.co.jp/api/skill/link/MTESTVENDOR01";
inline const std::string kOtherClientUri = "https://other.example/cb";
inline const std::string kSecret = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz";
inline const std::string kOtherSecret = "other-secret-0123456789abcdefghijklmnopqrstuvwxyz";
// RFC 7636 appendix B.
inline const std::string kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline const std::string kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

inline Options testOptions(Mode mode) {
  Options options;
  options.mode = mode;
  options.public_origin = "https://link.example";
  options.password = PasswordOptions{.memory_kib = 64, .iterations = 1, .max_concurrent = 2};
  options.clients = {
      ClientOptions{.id = "alexa-test",
                    .secret = kSecret,
                    .name = "Parley <Test> & Co",
                    .redirect_uris = {kPitangui, kLayla, kJapan},
                    .response_types = {"code", "token"},
                    .allowed_scopes = {"profile", "email"},
                    .default_scopes = {"profile"}},
      ClientOptions{.id = "other",
                    .secret = kOtherSecret,
                    .name = "Other",
                    .redirect_uris = {kOtherClientUri},
                    .response_types = {"code"},
                    .auth_methods = {"client_secret_basic"}},
  };
  return options;
}

// Parameters after '?' or '#' of a redirect location.
inline Params responseParams(const std::string& location, char separator) {
  auto at = location.find(separator);
  EXPECT_NE(at, std::string::npos) << location;
  if (at == std::string::npos) return {};
  return parseUrlEncoded(location.substr(at + 1)).value_or(Params{});
}

inline std::string valueOf(const Params& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? std::string{"<absent>"} : it->second;
}

inline void expectErrorPage(const Outcome& outcome, int status) {
  auto* page = std::get_if<ErrorPage>(&outcome);
  ASSERT_TRUE(page) << "expected an error page";
  EXPECT_EQ(page->status, status);
}

inline std::string locationOf(const Outcome& outcome) {
  auto* redirect = std::get_if<Redirect>(&outcome);
  EXPECT_TRUE(redirect) << "expected a redirect";
  return redirect ? redirect->location : std::string{};
}

inline std::string basic(const std::string& id, const std::string& secret) {
  std::string plain = formEncode(id) + ":" + formEncode(secret);
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < plain.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(plain[i]) << 16) |
                 (static_cast<unsigned char>(plain[i + 1]) << 8) |
                 static_cast<unsigned char>(plain[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i < plain.size()) {
    unsigned n = static_cast<unsigned char>(plain[i]) << 16;
    if (i + 1 < plain.size()) n |= static_cast<unsigned char>(plain[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < plain.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return "Basic " + out;
}

class LinkingHarness : public ::testing::Test {
 public:  // the helpers are shared with tests that build their own services
  explicit LinkingHarness(Mode mode = Mode::kEmailOnly) { rebuild(testOptions(mode)); }

  void rebuild(Options options) {
    authorizer_ = std::make_unique<Authorizer>(options,
                                               AuthorizerStores{.users = users_,
                                                                .pending = pending_,
                                                                .accounts = accounts_,
                                                                .grants = grants_,
                                                                .throttle = throttle_,
                                                                .clients = &clients_},
                                               clock_, random_);
    tokens_ = std::make_unique<TokenService>(
        options,
        TokenServiceStores{
            .grants = grants_, .throttle = throttle_, .users = users_, .clients = &clients_},
        clock_, random_);
  }

  using Pairs = std::vector<std::pair<std::string, std::string>>;

  Outcome authorizeRaw(const std::string& raw_query) {
    auto query = parseUrlEncoded(raw_query);
    EXPECT_TRUE(query);
    return authorizer_->authorize(AuthorizeInput{.query = *query, .query_bytes = raw_query.size()});
  }

  static Pairs goodParams(std::string state = "st-1", std::string type = "token") {
    return {{"response_type", std::move(type)},
            {"client_id", "alexa-test"},
            {"redirect_uri", kPitangui},
            {"state", std::move(state)},
            {"scope", "profile"}};
  }

  Outcome authorize(const Pairs& params) { return authorizeRaw(encodeParams(params)); }

  // A shown sign-in page: the handle, CSRF token and binding cookie a browser would hold.
  struct Browser {
    std::string handle;
    std::string csrf;
    std::string cookie;
  };

  Browser startWith(const Pairs& params) {
    auto outcome = authorize(params);
    auto* page = std::get_if<ShowPage>(&outcome);
    EXPECT_TRUE(page) << "expected the sign-in page";
    if (!page) return {};
    EXPECT_EQ(page->cookies.size(), 1u);
    return Browser{std::string{page->model.at("request").as_string()},
                   std::string{page->model.at("csrf").as_string()}, page->cookies.at(0).value};
  }

  Browser start(std::string state = "st-1", std::string type = "token") {
    return startWith(goodParams(std::move(state), std::move(type)));
  }

  static FormInput form(const Browser& browser, Pairs extra) {
    Pairs fields{{"request", browser.handle}, {"csrf", browser.csrf}};
    for (auto& field : extra) fields.push_back(std::move(field));
    auto body = encodeParams(fields);
    return FormInput{.form = *parseUrlEncoded(body),
                     .body_bytes = body.size(),
                     .content_type = "application/x-www-form-urlencoded",
                     .binding_cookie = browser.cookie,
                     .origin = "https://link.example",
                     .sec_fetch_site = "same-origin",
                     .server_origin = "https://link.example",
                     .user_agent = "Mozilla/5.0 (Linux; Android 13) Mobile",
                     .client_ip = "192.0.2.1"};
  }

  // The fresh CSRF token of a re-rendered sign-in page.
  static void refresh(Browser& browser, const Outcome& outcome) {
    auto* page = std::get_if<ShowPage>(&outcome);
    ASSERT_TRUE(page);
    browser.csrf = std::string{page->model.at("csrf").as_string()};
  }

  static TokenInput tokenRequest(Pairs fields, std::optional<std::string> authorization) {
    auto body = encodeParams(fields);
    return TokenInput{.method = "POST",
                      .form = *parseUrlEncoded(body),
                      .query = {},
                      .body_bytes = body.size(),
                      .content_type = "application/x-www-form-urlencoded",
                      .authorization = std::move(authorization),
                      .client_ip = "198.51.100.7"};
  }

  TokenResponse redeem(const std::string& code, Pairs extra = {},
                       std::optional<std::string> auth = basic("alexa-test", kSecret)) {
    Pairs fields{{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kPitangui}};
    for (auto& field : extra) fields.push_back(std::move(field));
    return tokens_->token(tokenRequest(fields, std::move(auth)));
  }

  TokenResponse refreshWith(const std::string& token, Pairs extra = {},
                            std::optional<std::string> auth = basic("alexa-test", kSecret)) {
    Pairs fields{{"grant_type", "refresh_token"}, {"refresh_token", token}};
    for (auto& field : extra) fields.push_back(std::move(field));
    return tokens_->token(tokenRequest(fields, std::move(auth)));
  }

  core::ManualClock clock_{std::chrono::system_clock::time_point{seconds{1'700'000'000}}};
  core::SeededRandom random_{42};
  fakes::MemoryUserStore users_;
  storage::MemoryPendingRequestStore pending_;
  storage::MemoryAccountStore accounts_;
  storage::MemoryGrantStore grants_;
  storage::MemoryThrottleStore throttle_;
  storage::MemoryClientStore clients_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<TokenService> tokens_;
};

inline std::string field(const TokenResponse& response, const char* name) {
  if (!response.body || !response.body->contains(name)) return "<absent>";
  const auto& value = response.body->at(name);
  return value.is_string() ? std::string{value.as_string()} : boost::json::serialize(value);
}

inline std::string header(const TokenResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

}  // namespace parley::testing
