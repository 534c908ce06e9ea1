#include "parley/linking/account_removal.hpp"

namespace parley::linking {

std::optional<RemovedAccount> removeAccount(const AccountRemovalStores& stores,
                                            std::string_view user_id, storage::TimePoint now) {
  auto user = stores.users.get(user_id);
  if (!user) return std::nullopt;
  RemovedAccount removed{.user = *user};
  removed.grants_revoked = stores.grants.revokeFamiliesOf(user_id, {}, now);
  removed.alexa_users = stores.alexa_users.removeLinksTo(user_id);
  // Sign-up keys the account by the user's (normalized) e-mail; the store deletes it only if it
  // is this user's.
  removed.sign_in_account = stores.accounts.remove(user->email, user_id);
  stores.users.remove(user_id);
  return removed;
}

}  // namespace parley::linking
