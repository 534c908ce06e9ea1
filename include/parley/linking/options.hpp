#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "parley/linking/crypto.hpp"
#include "parley/linking/password.hpp"

namespace parley::linking {

// `linking.mode`: real accounts with passwords (the default, spec R1), or the original starter
// kit's e-mail-only form kept for fidelity.
enum class Mode { kAccounts, kEmailOnly };

// One entry of `linking.clients`. The secret is hashed when the Authorizer is built; it is never
// stored or logged.
struct ClientOptions {
  std::string id{};
  std::string secret{};
  std::string name{};
  std::vector<std::string> redirect_uris{};
  std::vector<std::string> response_types{"code"};  // add "token" for the implicit grant (R15)
  std::vector<std::string> auth_methods{"client_secret_basic", "client_secret_post"};
  std::vector<std::string> allowed_scopes{};
  std::vector<std::string> default_scopes{};
  bool pkce_required{};
  std::chrono::seconds access_token_ttl{3600};
  std::chrono::seconds implicit_token_ttl{0};
  bool rotate_refresh_tokens{};  // refresh tokens never expire by time (R38)
};

struct Options {
  Mode mode{Mode::kAccounts};
  // `linking.successPage`: non-Android agents get a success page that follows the link itself;
  // false sends everyone a plain redirect (spec R82).
  bool success_page{true};
  // "https://link.example.com": POSTs whose Origin differs are refused (R48). Empty: the host's
  // own origin from FormInput::server_origin is used instead.
  std::string public_origin{};
  std::vector<ClientOptions> clients{};
  std::chrono::seconds pending_ttl{600};   // R41
  std::chrono::seconds code_ttl{300};      // R25: 30–600 s
  std::chrono::seconds refresh_grace{60};  // rotate mode grace period G (R37)
  std::string realm{"parley"};             // WWW-Authenticate realm
  PasswordOptions password{};
  // R75: accept bare 32-hex user ids (the original kit's tokens) in resolveUser during a
  // migration window. Off by default; every use is logged.
  bool accept_legacy_tokens{};
  // How tokens and codes are stored and looked up (R67): peppered HMAC in staging and
  // production, plain SHA-256 when no pepper is configured.
  TokenDigest token_digest{};
};

// The first reason `options` must not be served (R6, R25, R34, R73), or nullopt when valid.
std::optional<std::string> findConfigProblem(const Options& options);

// `options` itself when findConfigProblem finds nothing; else throws std::invalid_argument with
// the problem. The endpoints' constructors take their options through it.
Options checkedOptions(Options options);

}  // namespace parley::linking
