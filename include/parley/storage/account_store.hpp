#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace parley::storage {

// Sign-in credentials of a user (account-linking spec §2.3, R53, R58).
struct Account {
  std::string user_id{};
  std::string email{};          // normalized; unique
  std::string password_hash{};  // PHC string ($argon2id$…)
  std::chrono::system_clock::time_point created_at{};

  friend bool operator==(const Account&, const Account&) = default;
};

// Accounts by normalized e-mail. Thread-safe; failures throw StorageError.
class AccountStore {
 public:
  virtual ~AccountStore() = default;
  virtual std::optional<Account> findByEmail(std::string_view email) = 0;
  // False (and nothing changes) when the e-mail is taken.
  virtual bool create(const Account& account) = 0;
  virtual void updatePasswordHash(std::string_view email, std::string_view password_hash) = 0;
  // Deletes the account of `email` if it belongs to `user_id`; false otherwise.
  virtual bool remove(std::string_view email, std::string_view user_id) = 0;
};

}  // namespace parley::storage
