#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace parley::storage {

// Which user an Alexa user (context.System.user.userId, "amzn1.ask.account.…") linked, through
// which client: recorded on AlexaSkillEvent.SkillAccountLinked, because SkillDisabled may arrive
// without an access token to find the grants by (account-linking spec R72, R81, U-11).
struct AlexaUser {
  std::string alexa_user_id{};  // key
  std::string user_id{};
  std::string client_id{};

  friend bool operator==(const AlexaUser&, const AlexaUser&) = default;
};

// Alexa users by their Alexa user id. Thread-safe; failures throw StorageError.
class AlexaUserStore {
 public:
  virtual ~AlexaUserStore() = default;
  virtual std::optional<AlexaUser> find(std::string_view alexa_user_id) = 0;
  // Inserts or replaces: linking again, to another account, replaces the earlier link.
  virtual void put(const AlexaUser& alexa_user) = 0;
  // False when there was none.
  virtual bool remove(std::string_view alexa_user_id) = 0;
  // Deletes every Alexa user linked to `user_id` (account deletion); returns how many.
  virtual std::size_t removeLinksTo(std::string_view user_id) = 0;
};

}  // namespace parley::storage
