#include "parley/linking/token_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "grants.hpp"
#include "parley/core/ascii.hpp"
#include "parley/core/log.hpp"
#include "parley/linking/crypto.hpp"
#include "parley/linking/encoding.hpp"

namespace parley::linking {
namespace {

using std::chrono::seconds;

constexpr std::size_t kMaxBodyBytes = 8192;
constexpr std::uint32_t kClientAuthFailures = 30;  // per address and minute (R63)
constexpr seconds kClientAuthWindow{60};
constexpr std::size_t kMaxUnusedChildren = 5;  // rotate mode (R37)
constexpr seconds kKeepRevoked{24 * 3600};

bool validVerifier(std::string_view verifier) {
  if (verifier.size() < 43 || verifier.size() > 128) return false;
  return std::all_of(verifier.begin(), verifier.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
           c == '~';
  });
}

bool isSubset(std::string_view requested, std::string_view granted) {
  std::vector<std::string_view> allowed;
  for (std::string_view rest = granted; !rest.empty();) {
    auto space = rest.find(' ');
    allowed.push_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  }
  for (std::string_view rest = requested;;) {
    auto space = rest.find(' ');
    auto token = rest.substr(0, space);
    if (token.empty() || std::find(allowed.begin(), allowed.end(), token) == allowed.end()) {
      return false;
    }
    if (space == std::string_view::npos) return true;
    rest = rest.substr(space + 1);
  }
}

struct BasicCredentials {
  std::string id;
  std::string secret;
};

// RFC 6749 §2.3.1: base64(urlencode(id) ":" urlencode(secret)).
std::optional<BasicCredentials> decodeBasic(std::string_view header) {
  auto encoded = header.substr(6);
  std::string decoded(encoded.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(),
                        encoded.data(), encoded.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  decoded.resize(length);
  auto colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  auto id = formDecode(std::string_view{decoded}.substr(0, colon));
  auto secret = formDecode(std::string_view{decoded}.substr(colon + 1));
  if (!id || !secret || id->empty()) return std::nullopt;
  return BasicCredentials{std::move(*id), std::move(*secret)};
}

void addJsonHeaders(TokenResponse& response) {
  if (response.body) {
    response.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
  }
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Pragma", "no-cache");
}

}  // namespace

TokenService::TokenService(Options options, TokenServiceStores stores, core::Clock& clock,
                           core::Random& random)
    : options_(checkedOptions(std::move(options))),
      clients_(options_.clients, stores.clients),
      stores_(stores),
      clock_(clock),
      random_(random) {
  for (auto& client : options_.clients) client.secret.clear();  // only the hashes are kept
}

TokenResponse TokenService::error(int status, std::string_view code,
                                  std::string_view description) const {
  TokenResponse response{
      .status = status,
      .body = boost::json::object{{"error", code}, {"error_description", description}},
      .headers = {}};
  addJsonHeaders(response);
  return response;
}

TokenResponse TokenService::invalidClient() const {
  auto response = error(401, "invalid_client", "Client authentication failed.");
  response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"" + options_.realm + "\"");
  return response;
}

TokenResponse TokenService::serverError(int status) {
  TokenResponse response{
      .status = status, .body = boost::json::object{{"error", "server_error"}}, .headers = {}};
  addJsonHeaders(response);
  return response;
}

// R29 step 1 and R28's query rule.
std::optional<TokenResponse> TokenService::checkRequest(const TokenInput& input) const {
  if (input.method != "POST") {
    auto response = error(405, "invalid_request", "Use POST.");
    response.headers.emplace_back("Allow", "POST");
    return response;
  }
  if (input.body_bytes > kMaxBodyBytes) return error(413, "invalid_request", "Body too large.");
  if (!isFormContentType(input.content_type)) {
    return error(400, "invalid_request", "Send application/x-www-form-urlencoded.");
  }
  if (anyRepeated(input.form)) return error(400, "invalid_request", "A parameter is repeated.");
  if (input.query.count("client_secret") > 0 || input.query.count("client_id") > 0) {
    return error(400, "invalid_request", "Client credentials are not accepted in the URL.");
  }
  return std::nullopt;
}

std::variant<TokenResponse, storage::OAuthClient> TokenService::authenticate(
    const TokenInput& input) {
  auto now = clock_.now();
  auto key = "client-auth:" + input.client_ip;
  if (auto failures = stores_.throttle.get(key); failures &&
                                                 failures->count >= kClientAuthFailures &&
                                                 now - failures->window_start < kClientAuthWindow) {
    auto response =
        error(429, "temporarily_unavailable", "Too many failed client authentications.");
    auto left = std::chrono::ceil<seconds>(failures->window_start + kClientAuthWindow - now);
    response.headers.emplace_back("Retry-After",
                                  std::to_string(std::max<long long>(1, left.count())));
    return response;
  }
  auto fail = [&]() -> TokenResponse {
    stores_.throttle.hit(key, kClientAuthWindow, storage::ThrottleWindow::kFixed, now);
    core::logger("linking")->info("token: client authentication failed");
    return invalidClient();
  };
  auto body_id = param(input.form, "client_id");
  auto body_secret = param(input.form, "client_secret");
  std::string id;
  std::string secret;
  std::string method;
  if (input.authorization) {
    if (body_secret) {
      return error(400, "invalid_request", "Use one client authentication method.");
    }
    if (!core::startsWithIgnoringAsciiCase(*input.authorization, "Basic ")) return fail();
    auto basic = decodeBasic(*input.authorization);
    if (!basic) return fail();
    if (body_id && *body_id != basic->id) {
      return error(400, "invalid_request", "The client_id values differ.");
    }
    id = std::move(basic->id);
    secret = std::move(basic->secret);
    method = "client_secret_basic";
  } else if (body_id && body_secret) {
    id = *body_id;
    secret = *body_secret;
    method = "client_secret_post";
  } else if (body_id) {
    id = *body_id;
    method = "none";
  } else {
    return fail();
  }
  auto client = clients_.find(id);
  if (!client || std::find(client->auth_methods.begin(), client->auth_methods.end(), method) ==
                     client->auth_methods.end()) {
    return fail();
  }
  if (method != "none" &&
      (client->secret_hash.empty() ||
       !core::constantTimeEqual(core::sha256Hex(secret), client->secret_hash))) {
    return fail();
  }
  return std::move(*client);
}

TokenResponse TokenService::token(const TokenInput& input) {
  if (auto rejected = checkRequest(input)) return *rejected;
  auto grant_type = param(input.form, "grant_type");
  if (!grant_type) return error(400, "invalid_request", "grant_type is missing.");
  if (*grant_type != "authorization_code" && *grant_type != "refresh_token") {
    return error(400, "unsupported_grant_type", "Only authorization_code and refresh_token.");
  }
  auto authenticated = authenticate(input);
  if (auto* response = std::get_if<TokenResponse>(&authenticated)) return *response;
  auto& client = std::get<storage::OAuthClient>(authenticated);
  if (std::find(client.response_types.begin(), client.response_types.end(), "code") ==
      client.response_types.end()) {
    return error(400, "unauthorized_client", "The client may not use this grant.");
  }
  if (*grant_type == "authorization_code") return authorizationCode(client, input.form);
  return refresh(client, input.form);
}

TokenResponse TokenService::authorizationCode(const storage::OAuthClient& client,
                                              const Params& form) {
  auto log = core::logger("linking");
  auto raw = param(form, "code");
  if (!raw) return error(400, "invalid_request", "code is missing.");
  auto invalid = [this] { return error(400, "invalid_grant", "The code is invalid."); };
  auto hash = options_.token_digest.hash(*raw);
  auto code = stores_.grants.findCode(hash);
  if (!code) return invalid();
  auto now = clock_.now();
  auto reused = [&] {
    // R24: a second redemption revokes everything issued from the first.
    stores_.grants.revokeFamily(code->family_id, now);
    log->warn("token: code {} reused; its grant is revoked", hash.substr(0, 8));
    return invalid();
  };
  if (code->consumed_at) return reused();
  if (code->expires_at <= now) return invalid();
  // R26: from here on the code is used up, whatever fails next.
  if (!stores_.grants.consumeCode(hash, now)) return reused();
  if (code->client_id != client.id) return invalid();
  auto redirect_uri = param(form, "redirect_uri");
  if (!redirect_uri) return error(400, "invalid_request", "redirect_uri is missing.");
  if (*redirect_uri != code->redirect_uri) return invalid();
  auto verifier = param(form, "code_verifier");
  if (code->code_challenge.empty()) {
    if (verifier) return invalid();  // PKCE downgrade (RFC 9700 §2.1.1)
  } else if (!verifier || !validVerifier(*verifier) ||
             !core::constantTimeEqual(pkceChallenge(*verifier), code->code_challenge)) {
    return invalid();
  }
  auto family = stores_.grants.findFamily(code->family_id);
  // A redemption racing this one may have found the code used and revoked the grant since `now`
  // (R24). This one won the code, so it still answers 200 (T53: exactly one of them does); what
  // it issues belongs to the revoked grant and is dead on arrival. Revoked before: invalid.
  if (!family || (family->revoked_at && *family->revoked_at < now)) return invalid();
  Issuer issuer{stores_.grants, random_, options_.token_digest};
  return issueResponse(client, *family, issuer.refreshToken(family->id, "", now), family->scope);
}

TokenResponse TokenService::refresh(const storage::OAuthClient& client, const Params& form) {
  auto raw = param(form, "refresh_token");
  if (!raw) return error(400, "invalid_request", "refresh_token is missing.");
  auto invalid = [this] { return error(400, "invalid_grant", "The refresh token is invalid."); };
  auto now = clock_.now();
  auto token = stores_.grants.findRefreshToken(options_.token_digest.hash(*raw));
  if (!token || token->revoked || (token->revoke_after && *token->revoke_after <= now)) {
    return invalid();
  }
  auto family = stores_.grants.findFamily(token->family_id);
  if (!family || family->revoked_at || family->client_id != client.id) return invalid();
  auto scope = param(form, "scope");
  if (scope && !isSubset(*scope, family->scope)) {
    return error(400, "invalid_scope", "The scope exceeds the original grant.");
  }
  auto granted = scope.value_or(family->scope);
  if (!client.rotate_refresh_tokens) return issueResponse(client, *family, *raw, granted);

  // Rotate mode (R37): the first use of a child retires its parent and siblings after the grace
  // period; the presented token itself stays valid so Alexa's stored token never dies early.
  auto retire = [&](storage::RefreshToken other) {
    if (other.revoked || other.revoke_after) return;
    other.revoke_after = now + options_.refresh_grace;
    stores_.grants.updateRefreshToken(other);
  };
  if (!token->first_used_at) {
    token->first_used_at = now;
    stores_.grants.updateRefreshToken(*token);
    if (!token->parent_hash.empty()) {
      if (auto parent = stores_.grants.findRefreshToken(token->parent_hash)) retire(*parent);
      for (auto& sibling : stores_.grants.refreshChildren(token->parent_hash)) {
        if (sibling.hash != token->hash) retire(sibling);
      }
    }
  }
  std::vector<storage::RefreshToken> unused;
  for (auto& child : stores_.grants.refreshChildren(token->hash)) {
    if (!child.first_used_at && !child.revoked && !child.revoke_after) unused.push_back(child);
  }
  for (std::size_t i = 0; i + kMaxUnusedChildren <= unused.size(); ++i) {
    unused[i].revoked = true;  // oldest first
    stores_.grants.updateRefreshToken(unused[i]);
  }
  Issuer issuer{stores_.grants, random_, options_.token_digest};
  return issueResponse(client, *family, issuer.refreshToken(family->id, token->hash, now), granted);
}

TokenResponse TokenService::issueResponse(const storage::OAuthClient& client,
                                          const storage::GrantFamily& family,
                                          std::string refresh_token, std::string_view scope) {
  Issuer issuer{stores_.grants, random_, options_.token_digest};
  auto access = issuer.accessToken(family, clock_.now(), client.access_token_ttl);
  TokenResponse response{
      .status = 200,
      .body = boost::json::object{{"access_token", access},
                                  {"token_type", "Bearer"},
                                  {"expires_in", client.access_token_ttl.count()},
                                  {"refresh_token", std::move(refresh_token)},
                                  {"scope", scope}},
      .headers = {}};
  addJsonHeaders(response);
  return response;
}

TokenResponse TokenService::revoke(const TokenInput& input) {
  if (auto rejected = checkRequest(input)) return *rejected;
  auto authenticated = authenticate(input);
  if (auto* response = std::get_if<TokenResponse>(&authenticated)) return *response;
  auto& client = std::get<storage::OAuthClient>(authenticated);
  auto raw = param(input.form, "token");
  if (!raw) return error(400, "invalid_request", "token is missing.");
  auto hash = options_.token_digest.hash(*raw);
  auto now = clock_.now();
  auto owned = [&](std::string_view family_id) {
    auto family = stores_.grants.findFamily(family_id);
    return family && family->client_id == client.id;
  };
  // token_type_hint only orders the lookups; both tables are always searched (RFC 7009 §2.1).
  if (auto refresh = stores_.grants.findRefreshToken(hash)) {
    if (owned(refresh->family_id)) stores_.grants.revokeFamily(refresh->family_id, now);
  } else if (auto access = stores_.grants.findAccessToken(hash)) {
    if (owned(access->family_id)) stores_.grants.revokeAccessToken(hash);
  }
  TokenResponse response{.status = 200, .body = std::nullopt, .headers = {}};
  addJsonHeaders(response);
  return response;
}

std::optional<storage::User> TokenService::resolveUser(std::string_view token) {
  if (token.empty() || token.size() > 512) return std::nullopt;
  const auto now = clock_.now();
  auto found =
      stores_.grants.findAccessGrantWithUser(options_.token_digest.hash(token), stores_.users, now);
  if (!found) {
    bool legacy =
        token.size() == 32 && token.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    if (legacy && options_.accept_legacy_tokens) {
      auto user = stores_.users.get(token);
      if (user) core::logger("linking")->warn("resolved a legacy user-id token (R75)");
      return user;
    }
    return std::nullopt;
  }
  return std::move(found->user);  // none unless the grant is live
}

TokenResponse TokenService::userinfo(const std::optional<std::string>& authorization) {
  std::string challenge = "Bearer realm=\"" + options_.realm + "\"";
  auto reply = [&](int status, std::optional<boost::json::object> body, std::string www) {
    TokenResponse response{.status = status, .body = std::move(body), .headers = {}};
    addJsonHeaders(response);
    if (!www.empty()) response.headers.emplace_back("WWW-Authenticate", std::move(www));
    return response;
  };
  if (!authorization) return reply(401, std::nullopt, challenge);
  if (!core::startsWithIgnoringAsciiCase(*authorization, "Bearer ") || authorization->size() <= 7) {
    return reply(400, boost::json::object{{"error", "invalid_request"}},
                 challenge + ", error=\"invalid_request\"");
  }
  auto user = resolveUser(std::string_view{*authorization}.substr(7));
  if (!user) {
    return reply(401, boost::json::object{{"error", "invalid_token"}},
                 challenge + ", error=\"invalid_token\"");
  }
  return reply(200, boost::json::object{{"id", user->id}, {"email", user->email}}, "");
}

std::size_t TokenService::revokeUser(std::string_view user_id, std::string_view client_id) {
  return stores_.grants.revokeFamiliesOf(user_id, client_id, clock_.now());
}

std::optional<storage::GrantFamily> TokenService::grantOf(std::string_view access_token) {
  if (access_token.empty() || access_token.size() > 512) return std::nullopt;
  auto grant = stores_.grants.findAccessGrant(options_.token_digest.hash(access_token));
  if (!grant) return std::nullopt;
  return std::move(grant->family);
}

std::optional<IssuedTokens> TokenService::issue(std::string_view user_id,
                                                std::string_view client_id) {
  auto client = clients_.find(client_id);
  if (!client) return std::nullopt;
  auto now = clock_.now();
  std::string scope;
  for (const auto& item : client->default_scopes) scope += (scope.empty() ? "" : " ") + item;
  Issuer issuer{stores_.grants, random_, options_.token_digest};
  auto family = issuer.newFamily(client->id, user_id, scope, now);
  return IssuedTokens{.access_token = issuer.accessToken(family, now, client->access_token_ttl),
                      .refresh_token = issuer.refreshToken(family.id, "", now),
                      .expires_in = client->access_token_ttl};
}

std::size_t TokenService::sweep() {
  auto now = clock_.now();
  return stores_.grants.sweep(now, now - kKeepRevoked);
}

}  // namespace parley::linking
