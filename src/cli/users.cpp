// `skill users add|get|remove`: look after users in the configured store by hand.
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <iostream>

#include "app_config.hpp"
#include "commands.hpp"
#include "linking_setup.hpp"
#include "parley/core/random.hpp"
#include "parley/linking/account_removal.hpp"
#include "parley/storage/user_json.hpp"

namespace parley::cli {
namespace {

constexpr std::size_t kMaxIdLength = 256;

bool plausibleEmail(std::string_view email) {
  auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
         email.find_first_of(" \t\r\n") == std::string_view::npos;
}

bool acceptableId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxIdLength && std::ranges::none_of(id, [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

void addAdd(CLI::App& users) {
  auto* add = users.add_subcommand("add", "Create a user and print its id");
  auto config_file = addConfigOption(*add);
  auto email = std::make_shared<std::string>();
  auto id = std::make_shared<std::string>();
  add->add_option("--email", *email, "E-mail address")->required();
  add->add_option("--id", *id, "User id (default: 128 random bits as hex)");
  add->callback([config_file, email, id] {
    if (!plausibleEmail(*email)) {
      std::cerr << "skill users add: --email: expected an e-mail address\n";
      setExitCode(2);
      return;
    }
    if (!id->empty() && !acceptableId(*id)) {
      std::cerr << "skill users add: --id: expected 1 to 256 printable characters\n";
      setExitCode(2);
      return;
    }
    auto config = loadConfig(*config_file);
    if (!config) return;
    runGuarded("users add", [&] {
      auto store = openUserStore(config->storage);
      core::SecureRandom random;
      storage::User user{.id = id->empty() ? core::randomHex(random, 16) : *id,
                         .email = *email,
                         .created_at = std::chrono::system_clock::now(),
                         .attributes = {}};
      if (!store->create(user)) {
        std::cerr << "skill users add: a user with id " << user.id << " exists already\n";
        setExitCode(1);
        return;
      }
      std::cout << user.id << '\n';
    });
  });
}

void addGet(CLI::App& users) {
  auto* get = users.add_subcommand("get", "Print a user as JSON");
  auto config_file = addConfigOption(*get);
  auto id = std::make_shared<std::string>();
  get->add_option("id", *id, "User id")->required();
  get->callback([config_file, id] {
    auto config = loadConfig(*config_file);
    if (!config) return;
    runGuarded("users get", [&] {
      auto user = openUserStore(config->storage)->get(*id);
      if (!user) {
        std::cerr << "skill users get: no user with id " << *id << '\n';
        setExitCode(1);
        return;
      }
      std::cout << boost::json::serialize(storage::toJson(*user)) << '\n';
    });
  });
}

// R72's operator action: the user goes, and with them every way in as them.
void addRemove(CLI::App& users) {
  auto* remove = users.add_subcommand(
      "remove",
      "Delete a user, their sign-in account and Alexa user links; revoke all their tokens");
  auto config_file = addConfigOption(*remove);
  auto id = std::make_shared<std::string>();
  remove->add_option("id", *id, "User id")->required();
  remove->callback([config_file, id] {
    auto config = loadConfig(*config_file);
    if (!config) return;
    runGuarded("users remove", [&] {
      auto store = openUserStore(config->storage);
      auto links = openLinkStores(config->storage, {}, store.get());
      auto removed = linking::removeAccount({.users = *store,
                                             .accounts = *links->accounts,
                                             .grants = *links->grants,
                                             .alexa_users = *links->alexa_users},
                                            *id, std::chrono::system_clock::now());
      if (!removed) {
        std::cerr << "skill users remove: no user with id " << *id << '\n';
        setExitCode(1);
        return;
      }
      std::cout << "removed user " << removed->user.id << " (" << removed->user.email << ")\n"
                << (removed->sign_in_account ? "deleted the sign-in account\n"
                                             : "no sign-in account\n")
                << "revoked " << removed->grants_revoked << " grant(s)\n"
                << "deleted " << removed->alexa_users << " Alexa user link(s)\n";
    });
  });
}

}  // namespace

void addUsersCommand(CLI::App& app) {
  auto* users = app.add_subcommand("users", "Manage users in the configured store");
  users->require_subcommand(1);
  addAdd(*users);
  addGet(*users);
  addRemove(*users);
}

}  // namespace parley::cli
