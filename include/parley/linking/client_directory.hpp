#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parley/linking/options.hpp"
#include "parley/storage/client_store.hpp"

namespace parley::linking {

// Configured clients (secrets hashed on the way in) first, then the run-time client store.
class ClientDirectory {
 public:
  ClientDirectory(const std::vector<ClientOptions>& configured, storage::ClientStore* store);
  std::optional<storage::OAuthClient> find(std::string_view id) const;

 private:
  std::map<std::string, storage::OAuthClient, std::less<>> configured_;
  storage::ClientStore* store_;
};

bool contains(const std::vector<std::string>& list, std::string_view value);

}  // namespace parley::linking
