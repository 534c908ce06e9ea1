#include "linking_setup.hpp"

#include <stdexcept>

namespace parley::cli {

linking::Options linkingOptions(const config::LinkingOptions& options) {
  linking::Options out;
  if (options.mode == "accounts") {
    out.mode = linking::Mode::kAccounts;
  } else if (options.mode == "email-only") {
    out.mode = linking::Mode::kEmailOnly;
  } else {
    throw std::invalid_argument("linking.mode: expected \"accounts\" or \"email-only\"");
  }
  out.success_page = options.success_page;
  for (const auto& client : options.clients) {
    out.clients.push_back(linking::ClientOptions{.id = client.id,
                                                 .secret = client.secret,
                                                 .name = client.name,
                                                 .redirect_uris = client.redirect_uris,
                                                 .response_types = {"code", "token"}});
  }
  return out;
}

std::unique_ptr<LinkStores> openLinkStores(const config::StorageOptions& options) {
  if (options.type != config::StorageType::kSqlite) {
    throw std::invalid_argument("the linking tables exist only for storage.type sqlite so far");
  }
  return std::make_unique<LinkStores>(storage::sqlite::LinkStoreOptions{.path = options.path});
}

}  // namespace parley::cli
