#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "parley/core/clock.hpp"
#include "parley/core/random.hpp"
#include "parley/linking/client_directory.hpp"
#include "parley/linking/encoding.hpp"
#include "parley/linking/options.hpp"
#include "parley/storage/grant_store.hpp"
#include "parley/storage/throttle_store.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::linking {

// POST /oauth/token and POST /oauth/revoke.
struct TokenInput {
  std::string method{"POST"};
  Params form{};   // decoded body
  Params query{};  // decoded URL query (client credentials there are refused, R28)
  std::size_t body_bytes{};
  std::string content_type{};
  std::optional<std::string> authorization{};  // Authorization header
  std::string client_ip{};
};

// A JSON (or, for revocation, empty) response. `headers` always carries Cache-Control: no-store
// and Pragma: no-cache, Content-Type when there is a body, and WWW-Authenticate / Allow /
// Retry-After where the spec asks for them.
struct TokenResponse {
  int status{200};
  std::optional<boost::json::object> body{};  // nullopt: empty body
  std::vector<std::pair<std::string, std::string>> headers{};
};

struct TokenServiceStores {
  storage::GrantStore& grants;
  storage::ThrottleStore& throttle;
  storage::UserStore& users;
  storage::ClientStore* clients{};
};

// Tokens issued outside a browser flow (`skill tokens issue`).
struct IssuedTokens {
  std::string access_token{};
  std::string refresh_token{};
  std::chrono::seconds expires_in{};
};

// The token endpoint, revocation and token resolution: plain inputs in, TokenResponse out.
// Thread-safe as long as the stores are. Storage failures throw storage::StorageError; the host
// turns them into serverError() (5xx JSON, never invalid_grant — spec 5.8).
class TokenService {
 public:
  // Throws std::invalid_argument when findConfigProblem(options) reports a problem (R6).
  TokenService(Options options, TokenServiceStores stores, core::Clock& clock,
               core::Random& random);

  // RFC 6749 §4.1.3 / §6 with the validation order of R29, PKCE (R30), single-use codes that
  // revoke their family on reuse (R23–R26), stable or rotating refresh tokens (R37).
  TokenResponse token(const TokenInput& input);
  // RFC 7009 (R71).
  TokenResponse revoke(const TokenInput& input);
  // GET /oauth/userinfo (R74): `authorization` is the Authorization header.
  TokenResponse userinfo(const std::optional<std::string>& authorization);

  // The user an access token belongs to, for the skill; nullopt when the token is unknown,
  // expired or revoked (R77), or its user is gone.
  std::optional<storage::User> resolveUser(std::string_view token);
  // Revokes every grant of `user_id` (for `client_id` only when non-empty): SkillDisabled, account
  // deletion, `skill tokens revoke`. Returns the number of grants revoked.
  std::size_t revokeUser(std::string_view user_id, std::string_view client_id = {});
  // The grant an access token was issued under, even when the token has expired or was revoked
  // (AlexaSkillEvent.SkillAccountLinked and SkillDisabled, R72, R81: Alexa may still hold an
  // expired token). nullopt for unknown tokens.
  std::optional<storage::GrantFamily> grantOf(std::string_view access_token);
  // A fresh grant for a user (operator tooling); nullopt when the client is unknown.
  std::optional<IssuedTokens> issue(std::string_view user_id, std::string_view client_id);
  // Deletes expired codes and tokens and grants revoked more than a day ago.
  std::size_t sweep();

  // {"error":"server_error"} with status 500 (or 503), for storage failures caught by the host.
  static TokenResponse serverError(int status = 500);

 private:
  TokenResponse authorizationCode(const storage::OAuthClient& client, const Params& form);
  TokenResponse refresh(const storage::OAuthClient& client, const Params& form);
  TokenResponse issueResponse(const storage::OAuthClient& client,
                              const storage::GrantFamily& family, std::string refresh_token,
                              std::string_view scope);
  TokenResponse error(int status, std::string_view code, std::string_view description) const;
  TokenResponse invalidClient() const;
  std::optional<TokenResponse> checkRequest(const TokenInput& input) const;
  std::variant<TokenResponse, storage::OAuthClient> authenticate(const TokenInput& input);

  Options options_;
  ClientDirectory clients_;
  TokenServiceStores stores_;
  core::Clock& clock_;
  core::Random& random_;
};

}  // namespace parley::linking
