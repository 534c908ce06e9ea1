#include "parley/linking/options.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace parley::linking {
namespace {

bool validClientId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '~' ||
           c == '-';
  });
}

std::optional<std::string> redirectUriProblem(std::string_view uri) {
  constexpr std::string_view kHttps = "https://";
  if (uri.substr(0, kHttps.size()) != kHttps) return "is not https";
  if (uri.find('#') != std::string_view::npos) return "contains a fragment";
  if (uri.find('*') != std::string_view::npos) return "contains a wildcard";
  auto authority = uri.substr(kHttps.size());
  authority = authority.substr(0, authority.find_first_of("/?"));
  if (authority.empty()) return "has no host";
  if (authority.find('@') != std::string_view::npos) return "contains user-info";
  if (authority.find(':') != std::string_view::npos) return "has an explicit port";
  if (std::any_of(uri.begin(), uri.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte >= 0x7f;
      })) {
    return "contains whitespace, control or non-ASCII characters";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> findConfigProblem(const Options& options) {
  if (options.code_ttl < std::chrono::seconds{30} || options.code_ttl > std::chrono::seconds{600}) {
    return "linking: the authorization code lifetime must be 30-600 seconds";
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& client : options.clients) {
    std::string prefix = "linking client '" + client.id + "': ";
    if (!validClientId(client.id)) return "linking: a client id must be 1-128 of [A-Za-z0-9._~-]";
    if (!seen.insert(client.id).second) return prefix + "duplicate id";
    if (client.redirect_uris.empty()) return prefix + "no redirect URIs";
    for (const auto& uri : client.redirect_uris) {
      if (auto problem = redirectUriProblem(uri)) return prefix + "a redirect URI " + *problem;
    }
    if (client.response_types.empty()) return prefix + "no response types";
    for (const auto& type : client.response_types) {
      if (type != "code" && type != "token") return prefix + "unknown response type";
    }
    for (const auto& method : client.auth_methods) {
      if (method != "client_secret_basic" && method != "client_secret_post" && method != "none") {
        return prefix + "unknown token endpoint authentication method";
      }
    }
    bool public_client = std::find(client.auth_methods.begin(), client.auth_methods.end(),
                                   "none") != client.auth_methods.end();
    if (public_client && !client.pkce_required) {
      return prefix + "authentication 'none' requires PKCE";
    }
    bool code_grant = std::find(client.response_types.begin(), client.response_types.end(),
                                "code") != client.response_types.end();
    if (code_grant && !public_client && client.secret.size() < 32) {
      return prefix + "the secret must have at least 32 characters";
    }
    if (client.access_token_ttl < std::chrono::seconds{360}) {
      return prefix + "the access token lifetime must be at least 360 seconds";
    }
    for (const auto& scope : client.default_scopes) {
      if (std::find(client.allowed_scopes.begin(), client.allowed_scopes.end(), scope) ==
          client.allowed_scopes.end()) {
        return prefix + "a default scope is not an allowed scope";
      }
    }
  }
  return std::nullopt;
}

Options checkedOptions(Options options) {
  if (auto problem = findConfigProblem(options)) throw std::invalid_argument(*problem);
  return options;
}

}  // namespace parley::linking
