#include "parley/linking/client_directory.hpp"

#include <algorithm>

#include "parley/linking/crypto.hpp"

namespace parley::linking {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

storage::OAuthClient toClient(const ClientOptions& options) {
  return storage::OAuthClient{
      .id = options.id,
      .secret_hash = options.secret.empty() ? std::string{} : core::sha256Hex(options.secret),
      .name = options.name,
      .redirect_uris = options.redirect_uris,
      .response_types = options.response_types,
      .auth_methods = options.auth_methods,
      .allowed_scopes = options.allowed_scopes,
      .default_scopes = options.default_scopes,
      .pkce_required = options.pkce_required,
      .access_token_ttl = options.access_token_ttl,
      .implicit_token_ttl = options.implicit_token_ttl,
      .rotate_refresh_tokens = options.rotate_refresh_tokens,
  };
}

ClientDirectory::ClientDirectory(const std::vector<ClientOptions>& configured,
                                 storage::ClientStore* store)
    : store_(store) {
  for (const auto& client : configured) configured_.emplace(client.id, toClient(client));
}

std::optional<storage::OAuthClient> ClientDirectory::find(std::string_view id) const {
  if (auto it = configured_.find(id); it != configured_.end()) return it->second;
  if (store_ != nullptr) return store_->find(id);
  return std::nullopt;
}

}  // namespace parley::linking
