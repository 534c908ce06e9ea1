#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::storage {

// A registered OAuth client (account-linking spec §2.2); normally the Alexa skill.
struct OAuthClient {
  std::string id{};
  std::string secret_hash{};  // lower-case hex SHA-256 of the secret (R68); never the secret
  std::string name{};
  std::vector<std::string> redirect_uris{};  // exact strings (R10)
  std::vector<std::string> response_types{"code"};
  std::vector<std::string> auth_methods{"client_secret_basic", "client_secret_post"};
  std::vector<std::string> allowed_scopes{};
  std::vector<std::string> default_scopes{};
  bool pkce_required{};
  std::chrono::seconds access_token_ttl{3600};
  std::chrono::seconds implicit_token_ttl{0};  // 0: no expiry, revocable (R19)
  bool rotate_refresh_tokens{};                // false: `stable` mode (R37)

  friend bool operator==(const OAuthClient&, const OAuthClient&) = default;
};

// Clients registered at run time (`skill clients add`). Thread-safe; failures throw StorageError.
class ClientStore {
 public:
  virtual ~ClientStore() = default;
  virtual std::optional<OAuthClient> find(std::string_view id) = 0;
  // Inserts or replaces the client with the same id.
  virtual void put(const OAuthClient& client) = 0;
  // False when no such client existed.
  virtual bool remove(std::string_view id) = 0;
  virtual std::vector<OAuthClient> list() = 0;
};

}  // namespace parley::storage
