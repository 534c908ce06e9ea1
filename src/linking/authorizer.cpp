#include "parley/linking/authorizer.hpp"

#include <algorithm>
#include <stdexcept>

#include "grants.hpp"
#include "parley/core/log.hpp"
#include "parley/linking/crypto.hpp"
#include "parley/linking/email.hpp"
#include "parley/linking/encoding.hpp"

namespace parley::linking {
namespace {

using std::chrono::seconds;

constexpr std::size_t kMaxQueryBytes = 8192;
constexpr std::size_t kMaxFormBytes = 16384;
constexpr std::size_t kMaxClientIdBytes = 128;
constexpr std::size_t kMaxRedirectUriBytes = 2048;
constexpr std::size_t kMaxStateBytes = 4096;
constexpr std::size_t kMaxScopeBytes = 1024;
constexpr std::size_t kChallengeLength = 43;

constexpr std::string_view kInvalidLink =
    "This sign-in link is invalid. Start account linking again from the Alexa app.";
constexpr std::string_view kLinkTooLong =
    "This sign-in link is too long. Start account linking again from the Alexa app.";
constexpr std::string_view kExpired =
    "This sign-in page has expired. Start account linking again from the Alexa app.";
constexpr std::string_view kUnverified =
    "This form could not be verified. Start account linking again from the Alexa app.";
constexpr std::string_view kCookiesRequired =
    "Cookies are required to link your account. Allow cookies and start account linking again "
    "from the Alexa app.";
constexpr std::string_view kFormTooLarge = "The form was too large. Go back and try again.";
constexpr std::string_view kFormUnreadable = "The form could not be read. Go back and try again.";
constexpr std::string_view kInvalidEmail = "Enter a valid e-mail address.";
constexpr std::string_view kBusy = "We are busy right now. Try again in a moment.";
constexpr std::string_view kTooManyAttempts = "Too many attempts. Wait a moment and try again.";
constexpr std::string_view kIncorrect = "E-mail or password is incorrect.";
constexpr std::string_view kPasswordRules = "Passwords have 8 to 128 characters.";

// R62.
constexpr std::uint32_t kAddressPosts = 20;
constexpr seconds kAddressWindow{300};
constexpr std::uint32_t kAddressSignUps = 5;
constexpr seconds kSignUpWindow{3600};
constexpr std::uint32_t kFreeFailures = 5;
constexpr seconds kMaxDelay{900};
constexpr seconds kFailureMemory{24 * 3600};

seconds failureDelay(std::uint32_t failures) {
  if (failures < kFreeFailures) return seconds{0};
  auto exponent = failures - kFreeFailures;
  if (exponent >= 10) return kMaxDelay;
  return std::min(kMaxDelay, seconds{1LL << exponent});
}

seconds retryAfter(std::chrono::system_clock::time_point until,
                   std::chrono::system_clock::time_point now) {
  auto left = std::chrono::ceil<seconds>(until - now);
  return std::max(left, seconds{1});
}

// Keyed by a hash so the counters table holds no e-mail addresses.
std::string emailKey(std::string_view email) { return "email:" + core::sha256Hex(email); }

ErrorPage tooMany(seconds retry_after) {
  return ErrorPage{
      .status = 429, .message = std::string{kTooManyAttempts}, .retry_after = retry_after};
}

constexpr std::string_view kKnownParams[] = {
    "response_type", "client_id",      "redirect_uri",         "state",
    "scope",         "code_challenge", "code_challenge_method"};

ErrorPage errorPage(int status, std::string_view message) {
  return ErrorPage{.status = status, .message = std::string{message}, .retry_after = {}};
}

bool validClientIdChars(std::string_view id) {
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '~' ||
           c == '-';
  });
}

bool validState(std::string_view state) {
  if (state.empty() || state.size() > kMaxStateBytes) return false;
  return std::all_of(state.begin(), state.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

bool validChallenge(std::string_view challenge) {
  if (challenge.size() != kChallengeLength) return false;
  return std::all_of(challenge.begin(), challenge.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.push_back(' ');
    out += item;
  }
  return out;
}

// The granted scope, or nullopt when a requested token is malformed or not allowed.
std::optional<std::string> grantScope(const std::optional<std::string>& requested,
                                      const storage::OAuthClient& client) {
  if (!requested) return join(client.default_scopes);
  if (requested->size() > kMaxScopeBytes) return std::nullopt;
  std::vector<std::string> granted;
  std::string_view rest = *requested;
  while (true) {
    auto space = rest.find(' ');
    auto token = rest.substr(0, space);
    bool nqchar = std::all_of(token.begin(), token.end(), [](char c) {
      return c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
    });
    if (token.empty() || !nqchar || !contains(client.allowed_scopes, token)) return std::nullopt;
    if (!contains(granted, token)) granted.emplace_back(token);
    if (space == std::string_view::npos) break;
    rest = rest.substr(space + 1);
  }
  return join(granted);
}

std::vector<std::string> redirectOrigins(const storage::OAuthClient& client) {
  std::vector<std::string> origins;
  for (const auto& uri : client.redirect_uris) {
    auto origin = originOf(uri);
    if (!origin.empty() && !contains(origins, origin)) origins.push_back(origin);
  }
  return origins;
}

}  // namespace

Authorizer::Authorizer(Options options, AuthorizerStores stores, core::Clock& clock,
                       core::Random& random)
    : options_(checkedOptions(std::move(options))),
      clients_(options_.clients, stores.clients),
      stores_(stores),
      clock_(clock),
      random_(random),
      passwords_(options_.password) {
  for (auto& client : options_.clients) client.secret.clear();  // only the hashes are kept
}

Outcome Authorizer::authorize(const AuthorizeInput& input) {
  auto log = core::logger("linking");
  const Params& query = input.query;
  // Steps 1-4 (R40): failures here never redirect and never store anything (R12).
  if (input.query_bytes > kMaxQueryBytes) return errorPage(414, kLinkTooLong);
  for (auto name : kKnownParams) {
    if (query.count(name) > 1) {
      log->info("authorize: rejected a repeated parameter");
      return errorPage(400, kInvalidLink);
    }
  }
  auto client_id = param(query, "client_id");
  if (!client_id || client_id->size() > kMaxClientIdBytes || !validClientIdChars(*client_id)) {
    log->info("authorize: rejected a missing or malformed client_id");
    return errorPage(400, kInvalidLink);
  }
  auto client = clients_.find(*client_id);
  if (!client) {
    log->info("authorize: rejected an unknown client_id");
    return errorPage(400, kInvalidLink);
  }
  auto redirect_uri = param(query, "redirect_uri");
  if (!redirect_uri || redirect_uri->size() > kMaxRedirectUriBytes) {
    log->info("authorize: rejected a missing or oversized redirect_uri");
    return errorPage(400, kInvalidLink);
  }
  auto allowed =
      std::find(client->redirect_uris.begin(), client->redirect_uris.end(), *redirect_uri);
  if (allowed == client->redirect_uris.end()) {
    log->info("authorize: rejected a redirect_uri not registered for the client");
    return errorPage(400, kInvalidLink);
  }
  // From here on errors go back to the client, always to the stored URI (R14, R42).
  const std::string& target = *allowed;
  auto response_type = param(query, "response_type");
  auto raw_state = param(query, "state");
  std::optional<std::string> state = raw_state && validState(*raw_state) ? raw_state : std::nullopt;
  bool fragment = response_type == "token";
  auto fail = [&](std::string_view error, bool with_state) -> Outcome {
    log->info("authorize: redirecting with error {}", error);
    std::vector<std::pair<std::string, std::string>> params{{"error", std::string{error}}};
    if (with_state && state) params.emplace_back("state", *state);
    return Redirect{.status = 302, .location = appendToRedirect(target, params, fragment)};
  };
  if (!response_type) return fail("invalid_request", true);
  if (*response_type != "code" && *response_type != "token") {
    return fail("unsupported_response_type", true);
  }
  if (!contains(client->response_types, *response_type)) return fail("unauthorized_client", true);
  if (!state) return fail("invalid_request", false);
  auto scope = grantScope(param(query, "scope"), *client);
  if (!scope) return fail("invalid_scope", true);
  auto challenge = param(query, "code_challenge");
  auto method = param(query, "code_challenge_method");
  if (*response_type == "code") {
    if (method && !challenge) return fail("invalid_request", true);
    if (challenge && (method != "S256" || !validChallenge(*challenge))) {
      return fail("invalid_request", true);
    }
    if (client->pkce_required && !challenge) return fail("invalid_request", true);
  } else {
    challenge.reset();  // PKCE does not apply to the implicit grant
    method.reset();
  }

  // Step 11: store the validated request; the browser only gets an opaque handle (R41).
  auto handle = randomToken(random_);
  auto now = clock_.now();
  storage::PendingRequest pending{
      .handle_hash = core::sha256Hex(handle),
      .csrf_hash = {},
      .binding_hash = {},
      .client_id = client->id,
      .redirect_uri = target,
      .response_type = *response_type,
      .state = *state,
      .scope = *scope,
      .code_challenge = challenge.value_or(""),
      .code_challenge_method = method.value_or(""),
      .created_at = now,
      .expires_at = now + options_.pending_ttl,
      .consumed = false,
  };
  auto binding = randomToken(random_);
  auto csrf = randomToken(random_);
  pending.binding_hash = core::sha256Hex(binding);
  pending.csrf_hash = core::sha256Hex(csrf);
  stores_.pending.create(pending);
  auto page = signInPage(*client, pending, handle, csrf, 200, "", "", false);
  page.cookies.push_back(SetCookie{
      .name = std::string{kBindingCookie}, .value = binding, .max_age = options_.pending_ttl});
  return page;
}

ShowPage Authorizer::signInPage(const storage::OAuthClient& client,
                                const storage::PendingRequest& pending, std::string_view handle,
                                std::string_view csrf, int status, std::string_view email,
                                std::string_view error, bool sign_up) {
  bool email_only = options_.mode == Mode::kEmailOnly;
  boost::json::array scopes;
  std::string_view rest = pending.scope;
  while (!rest.empty()) {
    auto space = rest.find(' ');
    scopes.push_back(boost::json::object{{"scope", rest.substr(0, space)}});
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  }
  bool has_scopes = !scopes.empty();
  boost::json::object model{
      {"title", email_only ? "Set-up Your Contact Info" : "Link your account"},
      {"client_name", client.name.empty() ? client.id : client.name},
      {"scopes", std::move(scopes)},
      {"has_scopes", has_scopes},
      {"request", handle},
      {"csrf", csrf},
      {"email", email.substr(0, 254)},
      {"error", error},
      {"has_error", !error.empty()},
      {"signup_failed", sign_up && !error.empty()},
      {"email_only", email_only},
      {"accounts", !email_only},
      {"signup_action", "/authorize/signup"},
      {"login_action", "/authorize/login"},
      {"cancel_action", "/authorize/cancel"},
  };
  return ShowPage{.status = status,
                  .view = "signin",
                  .model = std::move(model),
                  .cookies = {},
                  .form_action = redirectOrigins(client)};
}

std::variant<ErrorPage, Authorizer::Verified> Authorizer::verifyForm(const FormInput& input) {
  auto log = core::logger("linking");
  if (input.body_bytes > kMaxFormBytes) return errorPage(413, kFormTooLarge);
  if (!isFormContentType(input.content_type)) return errorPage(415, kFormUnreadable);
  if (anyRepeated(input.form)) {
    log->info("form: rejected a repeated field");
    return errorPage(400, kFormUnreadable);
  }
  // R48: cross-site posts are refused before any state is looked at.
  if (input.sec_fetch_site == "cross-site") {
    log->info("form: rejected a cross-site post");
    return errorPage(403, kUnverified);
  }
  const std::string& own_origin =
      options_.public_origin.empty() ? input.server_origin : options_.public_origin;
  // Browsers send `Origin: null` on every POST from a page with Referrer-Policy: no-referrer
  // (R50; Fetch "serializing a request origin"), so null says nothing; Sec-Fetch-Site and the
  // CSRF token bound to the cookie still apply.
  bool told_origin = input.origin && *input.origin != "null";
  if (told_origin && !own_origin.empty() && *input.origin != own_origin) {
    log->info("form: rejected a post from another origin");
    return errorPage(403, kUnverified);
  }
  auto handle = param(input.form, "request");
  if (!handle) return errorPage(403, kUnverified);
  auto pending = stores_.pending.find(core::sha256Hex(*handle));
  if (!pending || pending->consumed) {
    log->info("form: rejected an unknown or used sign-in request");
    return errorPage(403, kUnverified);
  }
  if (pending->expires_at <= clock_.now()) return errorPage(403, kExpired);
  auto csrf = param(input.form, "csrf");
  if (!csrf || !core::constantTimeEqual(core::sha256Hex(*csrf), pending->csrf_hash)) {
    log->info("form: rejected a wrong CSRF token");
    return errorPage(403, kUnverified);
  }
  if (!input.binding_cookie || input.binding_cookie->empty()) {
    return errorPage(403, kCookiesRequired);
  }
  if (!core::constantTimeEqual(core::sha256Hex(*input.binding_cookie), pending->binding_hash)) {
    log->info("form: rejected a wrong binding cookie");
    return errorPage(403, kUnverified);
  }
  auto client = clients_.find(pending->client_id);
  if (!client || !contains(client->redirect_uris, pending->redirect_uri)) {
    return errorPage(400, kInvalidLink);  // the client was removed or changed meanwhile
  }
  return Verified{.request = std::move(*pending), .client = std::move(*client), .handle = *handle};
}

Outcome Authorizer::reRender(const Verified& verified, int status, std::string_view email,
                             std::string_view error) {
  auto csrf = randomToken(random_);
  if (!stores_.pending.replaceCsrf(verified.request.handle_hash, core::sha256Hex(csrf))) {
    return errorPage(403, kUnverified);
  }
  return signInPage(verified.client, verified.request, verified.handle, csrf, status, email, error,
                    verified.sign_up);
}

Outcome Authorizer::deliver(std::string location, const storage::OAuthClient& client,
                            const FormInput& input) {
  bool android = input.user_agent.find("Android") != std::string::npos;
  if (!options_.success_page || android) return Redirect{.status = 303, .location = location};
  boost::json::object model{
      {"title", "Success"},
      {"client_name", client.name.empty() ? client.id : client.name},
      {"redirect_url", std::move(location)},
  };
  return ShowPage{.status = 200,
                  .view = "success",
                  .model = std::move(model),
                  .cookies = {},
                  .form_action = {}};
}

std::optional<ErrorPage> Authorizer::throttleAddress(const FormInput& input, bool sign_up) {
  auto now = clock_.now();
  auto posts = stores_.throttle.hit("ip:" + input.client_ip, kAddressWindow,
                                    storage::ThrottleWindow::kFixed, now);
  if (posts.count > kAddressPosts) {
    core::logger("linking")->warn("form: throttled a client address");
    return tooMany(retryAfter(posts.window_start + kAddressWindow, now));
  }
  if (sign_up) {
    auto sign_ups = stores_.throttle.hit("signup:" + input.client_ip, kSignUpWindow,
                                         storage::ThrottleWindow::kFixed, now);
    if (sign_ups.count > kAddressSignUps) {
      return tooMany(retryAfter(sign_ups.window_start + kSignUpWindow, now));
    }
  }
  return std::nullopt;
}

std::optional<ErrorPage> Authorizer::throttleEmail(std::string_view email) {
  auto counter = stores_.throttle.get(emailKey(email));
  if (!counter) return std::nullopt;
  auto now = clock_.now();
  if (now - counter->last >= kFailureMemory) return std::nullopt;
  auto delay = failureDelay(counter->count);
  if (delay.count() > 0 && now < counter->last + delay) {
    return tooMany(retryAfter(counter->last + delay, now));
  }
  return std::nullopt;
}

void Authorizer::recordFailure(std::string_view email) {
  stores_.throttle.hit(emailKey(email), kFailureMemory, storage::ThrottleWindow::kIdle,
                       clock_.now());
}

std::variant<Outcome, Authorizer::Credentials> Authorizer::readCredentials(const Verified& verified,
                                                                           const FormInput& input) {
  auto email_field = param(input.form, "email");
  auto password = param(input.form, "password");
  auto email = email_field ? normalizeEmail(*email_field) : std::nullopt;
  if (!email) return reRender(verified, 400, email_field.value_or(""), kInvalidEmail);
  // R54: length limits are checked before any hashing.
  if (!password || !acceptablePassword(*password)) {
    return reRender(verified, 400, *email, kPasswordRules);
  }
  return Credentials{.email = std::move(*email), .password = std::move(*password)};
}

Outcome Authorizer::checkPassword(const Verified& verified, const FormInput& input,
                                  const Credentials& credentials,
                                  const std::optional<storage::Account>& account) {
  auto matched = account ? passwords_.verify(account->password_hash, credentials.password)
                         : passwords_.verifyDummy(credentials.password);
  if (!matched) return errorPage(503, kBusy);
  if (!*matched) {
    recordFailure(credentials.email);
    core::logger("linking")->info("sign-in: rejected credentials for client {}",
                                  verified.client.id);
    return reRender(verified, 200, credentials.email, kIncorrect);
  }
  if (!claim(verified)) return errorPage(403, kUnverified);
  stores_.throttle.reset(emailKey(credentials.email));
  if (passwords_.needsRehash(account->password_hash)) {
    if (auto rehashed = passwords_.hash(credentials.password)) {
      stores_.accounts.updatePasswordHash(account->email, *rehashed);
    }
  }
  return complete(verified, account->user_id, input);
}

Outcome Authorizer::signIn(const FormInput& input) {
  auto verified = verifyForm(input);
  if (auto* error = std::get_if<ErrorPage>(&verified)) return *error;
  auto& ok = std::get<Verified>(verified);
  if (options_.mode == Mode::kEmailOnly) return errorPage(404, kInvalidLink);
  if (auto throttled = throttleAddress(input, false)) return *throttled;
  auto credentials = readCredentials(ok, input);
  if (auto* outcome = std::get_if<Outcome>(&credentials)) return *outcome;
  auto& given = std::get<Credentials>(credentials);
  if (auto throttled = throttleEmail(given.email)) return *throttled;
  return checkPassword(ok, input, given, stores_.accounts.findByEmail(given.email));
}

Outcome Authorizer::signUp(const FormInput& input) {
  auto verified = verifyForm(input);
  if (auto* error = std::get_if<ErrorPage>(&verified)) return *error;
  auto& ok = std::get<Verified>(verified);
  ok.sign_up = true;
  if (auto throttled = throttleAddress(input, true)) return *throttled;
  if (options_.mode == Mode::kEmailOnly) return emailOnlySignUp(ok, input);
  auto credentials = readCredentials(ok, input);
  if (auto* outcome = std::get_if<Outcome>(&credentials)) return *outcome;
  auto& given = std::get<Credentials>(credentials);
  if (auto throttled = throttleEmail(given.email)) return *throttled;
  // R58: an existing e-mail is a sign-in attempt, with the same generic failure.
  if (auto existing = stores_.accounts.findByEmail(given.email)) {
    return checkPassword(ok, input, given, existing);
  }
  auto hash = passwords_.hash(given.password);
  if (!hash) return errorPage(503, kBusy);
  if (!claim(ok)) return errorPage(403, kUnverified);
  auto now = clock_.now();
  storage::User user{.id = {}, .email = given.email, .created_at = now, .attributes = {}};
  do {
    user.id = core::randomHex(random_, 16);  // 128 bits from the CSPRNG (R2)
  } while (!stores_.users.create(user));
  storage::Account account{
      .user_id = user.id, .email = given.email, .password_hash = *hash, .created_at = now};
  if (!stores_.accounts.create(account)) {
    // Lost a race with a concurrent sign-up for the same e-mail; the request is used up.
    recordFailure(given.email);
    return errorPage(403, kUnverified);
  }
  core::logger("linking")->info("sign-up: created an account for client {}", ok.client.id);
  return complete(ok, user.id, input);
}

Outcome Authorizer::emailOnlySignUp(const Verified& verified, const FormInput& input) {
  auto email_field = param(input.form, "email");
  auto email = email_field ? normalizeEmail(*email_field) : std::nullopt;
  if (!email) return reRender(verified, 400, email_field.value_or(""), kInvalidEmail);
  // Like the original kit, every submit creates a new user: nothing proves the e-mail is theirs,
  // so an existing user must not be handed out.
  if (!claim(verified)) return errorPage(403, kUnverified);
  storage::User user{.id = {}, .email = *email, .created_at = clock_.now(), .attributes = {}};
  do {
    user.id = core::randomHex(random_, 16);  // 128 bits from the CSPRNG (R2)
  } while (!stores_.users.create(user));
  core::logger("linking")->info("sign-up: created a user for client {}", verified.client.id);
  return complete(verified, user.id, input);
}

bool Authorizer::claim(const Verified& verified) {
  return stores_.pending.consume(verified.request.handle_hash, clock_.now());
}

Outcome Authorizer::complete(const Verified& verified, const std::string& user_id,
                             const FormInput& input) {
  const auto& request = verified.request;
  auto now = clock_.now();
  Issuer issuer{stores_.grants, random_, options_.token_digest};
  auto family = issuer.newFamily(verified.client.id, user_id, request.scope, now);
  std::vector<std::pair<std::string, std::string>> params;
  bool fragment = request.response_type == "token";
  if (fragment) {
    auto ttl = verified.client.implicit_token_ttl;
    params = {{"access_token", issuer.accessToken(family, now, ttl)}, {"token_type", "Bearer"}};
    if (ttl.count() > 0) params.emplace_back("expires_in", std::to_string(ttl.count()));
    if (!request.scope.empty()) params.emplace_back("scope", request.scope);
  } else {
    auto code = issuer.code(
        storage::AuthorizationCode{.hash = {},
                                   .family_id = family.id,
                                   .client_id = verified.client.id,
                                   .user_id = user_id,
                                   .redirect_uri = request.redirect_uri,
                                   .scope = request.scope,
                                   .code_challenge = request.code_challenge,
                                   .code_challenge_method = request.code_challenge_method,
                                   .created_at = now,
                                   .expires_at = now + options_.code_ttl,
                                   .consumed_at = {}});
    params = {{"code", code}};
  }
  params.emplace_back("state", request.state);
  return deliver(appendToRedirect(request.redirect_uri, params, fragment), verified.client, input);
}

Outcome Authorizer::cancel(const FormInput& input) {
  auto verified = verifyForm(input);
  if (auto* error = std::get_if<ErrorPage>(&verified)) return *error;
  auto& ok = std::get<Verified>(verified);
  if (!claim(ok)) return errorPage(403, kUnverified);
  std::vector<std::pair<std::string, std::string>> params{{"error", "access_denied"},
                                                          {"state", ok.request.state}};
  return Redirect{.status = 303,
                  .location = appendToRedirect(ok.request.redirect_uri, params,
                                               ok.request.response_type == "token")};
}

std::size_t Authorizer::sweep() {
  auto now = clock_.now();
  return stores_.pending.sweep(now) + stores_.throttle.sweep(now - kFailureMemory);
}

}  // namespace parley::linking
