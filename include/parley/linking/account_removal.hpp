#pragma once

// Deleting a user's account: the operator's `skill users remove` (spec R72: "user deletes their
// account; operator action").

#include <cstddef>
#include <optional>
#include <string_view>

#include "parley/storage/account_store.hpp"
#include "parley/storage/alexa_user_store.hpp"
#include "parley/storage/grant_store.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::linking {

struct AccountRemovalStores {
  storage::UserStore& users;
  storage::AccountStore& accounts;
  storage::GrantStore& grants;
  storage::AlexaUserStore& alexa_users;
};

// What removeAccount() did.
struct RemovedAccount {
  storage::User user{};
  bool sign_in_account{};        // the e-mail and password hash of accounts mode
  std::size_t grants_revoked{};  // of every client: all their codes and tokens stop working
  std::size_t alexa_users{};     // Alexa users recorded as linked to the user
};

// Deletes the user `user_id` and everything that lets anyone in as them: revokes every grant,
// deletes the Alexa users linked to them and their sign-in account, and the user record last,
// so that a removal cut short by a storage failure can simply be run again. nullopt, with
// nothing changed, for an unknown user. Storage failures throw StorageError.
std::optional<RemovedAccount> removeAccount(const AccountRemovalStores& stores,
                                            std::string_view user_id, storage::TimePoint now);

}  // namespace parley::linking
