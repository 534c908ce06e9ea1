#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "parley/core/clock.hpp"
#include "parley/core/random.hpp"
#include "parley/linking/client_directory.hpp"
#include "parley/linking/encoding.hpp"
#include "parley/linking/options.hpp"
#include "parley/linking/outcome.hpp"
#include "parley/linking/password.hpp"
#include "parley/storage/account_store.hpp"
#include "parley/storage/client_store.hpp"
#include "parley/storage/grant_store.hpp"
#include "parley/storage/pending_request_store.hpp"
#include "parley/storage/throttle_store.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::linking {

// GET /authorize (and `/` when it carries OAuth parameters).
struct AuthorizeInput {
  Params query{};             // decoded; repeated parameters kept
  std::size_t query_bytes{};  // length of the raw query string (R40 step 1)
};

// POST /authorize/signup, /authorize/login, /authorize/cancel.
struct FormInput {
  Params form{};
  std::size_t body_bytes{};
  std::string content_type{};                   // the Content-Type header as sent
  std::optional<std::string> binding_cookie{};  // value of the kBindingCookie cookie
  std::optional<std::string> origin{};          // Origin header
  std::optional<std::string> sec_fetch_site{};  // Sec-Fetch-Site header
  std::string server_origin{};                  // "https://host" this request reached
  std::string user_agent{};
  std::string client_ip{};  // socket or trusted-proxy address
};

struct AuthorizerStores {
  storage::UserStore& users;
  storage::PendingRequestStore& pending;
  storage::AccountStore& accounts;
  storage::GrantStore& grants;
  storage::ThrottleStore& throttle;
  storage::ClientStore* clients{};  // clients added by `skill clients add`; config ones win
};

// The authorization endpoint and the sign-in page logic: plain inputs in, Outcome out. Thread-safe
// as long as the stores are; every call may block (storage, Argon2id), and storage failures throw
// storage::StorageError. The stores, clock and random source must outlive the Authorizer.
class Authorizer {
 public:
  // Throws std::invalid_argument when findConfigProblem(options) reports a problem (R6).
  Authorizer(Options options, AuthorizerStores stores, core::Clock& clock, core::Random& random);

  // Validates an authorization request (R8–R14, R30, R40) and, when it is acceptable, stores it
  // as a pending request (R41) and shows the sign-in page with a fresh CSRF token and binding
  // cookie (R47).
  Outcome authorize(const AuthorizeInput& input);

  // POST /authorize/signup. Accounts mode: creates an account (e-mail + password) and links it;
  // an existing e-mail with the right password signs in (R58). E-mail-only mode (the original
  // kit): creates a user for the e-mail and links it.
  Outcome signUp(const FormInput& input);

  // POST /authorize/login (accounts mode): signs in and links; failures look the same whether or
  // not the e-mail exists (R56, R57) and are throttled (R62).
  Outcome signIn(const FormInput& input);

  // POST /authorize/cancel: redirect with error=access_denied and the stored state (R46).
  Outcome cancel(const FormInput& input);

  // Deletes expired pending requests and idle throttle counters.
  std::size_t sweep();

  const Options& options() const { return options_; }
  const PasswordHasher& passwords() const { return passwords_; }

 private:
  struct Verified {
    storage::PendingRequest request{};
    storage::OAuthClient client{};
    std::string handle{};
    bool sign_up{};  // the sign-up form was posted: a re-rendered page shows errors there
  };
  struct Credentials {
    std::string email{};
    std::string password{};
  };
  std::variant<ErrorPage, Verified> verifyForm(const FormInput& input);
  std::optional<ErrorPage> throttleAddress(const FormInput& input, bool sign_up);
  std::optional<ErrorPage> throttleEmail(std::string_view email);
  void recordFailure(std::string_view email);
  std::variant<Outcome, Credentials> readCredentials(const Verified& verified,
                                                     const FormInput& input);
  Outcome checkPassword(const Verified& verified, const FormInput& input,
                        const Credentials& credentials,
                        const std::optional<storage::Account>& account);
  // Marks the pending request consumed before anything is created or issued, so a replayed or
  // racing POST gets nothing (R41, R49).
  bool claim(const Verified& verified);
  // Issues the code or implicit token for a claimed request.
  Outcome complete(const Verified& verified, const std::string& user_id, const FormInput& input);
  Outcome emailOnlySignUp(const Verified& verified, const FormInput& input);
  ShowPage signInPage(const storage::OAuthClient& client, const storage::PendingRequest& pending,
                      std::string_view handle, std::string_view csrf, int status,
                      std::string_view email, std::string_view error, bool sign_up);
  Outcome reRender(const Verified& verified, int status, std::string_view email,
                   std::string_view error);
  // The original's device split (R82): Android gets the redirect, others a success page.
  Outcome deliver(std::string location, const storage::OAuthClient& client, const FormInput& input);

  Options options_;
  ClientDirectory clients_;
  AuthorizerStores stores_;
  core::Clock& clock_;
  core::Random& random_;
  PasswordHasher passwords_;
};

}  // namespace parley::linking
