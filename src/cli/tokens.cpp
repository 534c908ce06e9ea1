// `skill tokens issue|revoke`: operator access to a user's grants.
#include <boost/json/serialize.hpp>
#include <iostream>

#include "app_config.hpp"
#include "commands.hpp"
#include "linking_setup.hpp"
#include "parley/core/clock.hpp"
#include "parley/core/random.hpp"
#include "parley/linking/token_service.hpp"

namespace parley::cli {
namespace {

// The client to use: the given one, else the only one known.
std::optional<std::string> pickClient(const std::string& given, const config::Config& config,
                                      LinkStores& stores) {
  if (!given.empty()) return given;
  std::vector<std::string> ids;
  for (const auto& client : config.linking.clients) ids.push_back(client.id);
  for (const auto& client : stores.clients->list()) ids.push_back(client.id);
  if (ids.size() == 1) return ids.front();
  return std::nullopt;
}

void addIssue(CLI::App& tokens) {
  auto* issue = tokens.add_subcommand("issue", "Issue an access and refresh token for a user");
  auto config_file = addConfigOption(*issue);
  auto user = std::make_shared<std::string>();
  auto client = std::make_shared<std::string>();
  issue->add_option("--user", *user, "User id")->required();
  issue->add_option("--client", *client, "Client id (default: the only client)");
  issue->callback([config_file, user, client] {
    auto config = loadConfig(*config_file);
    if (!config) return;
    runGuarded("tokens issue", [&] {
      auto users = openUserStore(config->storage);
      auto stores = openLinkStores(config->storage, {}, users.get());
      if (!users->get(*user)) {
        std::cerr << "skill tokens issue: no user with id " << *user << '\n';
        setExitCode(1);
        return;
      }
      auto client_id = pickClient(*client, *config, *stores);
      if (!client_id) {
        std::cerr << "skill tokens issue: --client: name one of several clients\n";
        setExitCode(2);
        return;
      }
      core::SystemClock clock;
      core::SecureRandom random;
      linking::TokenService service{linkingOptions(config->linking),
                                    {.grants = *stores->grants,
                                     .throttle = *stores->throttle,
                                     .users = *users,
                                     .clients = stores->clients.get()},
                                    clock,
                                    random};
      auto issued = service.issue(*user, *client_id);
      if (!issued) {
        std::cerr << "skill tokens issue: --client: no client " << *client_id << '\n';
        setExitCode(2);
        return;
      }
      std::cout << boost::json::serialize(
                       boost::json::object{{"access_token", issued->access_token},
                                           {"refresh_token", issued->refresh_token},
                                           {"token_type", "Bearer"},
                                           {"expires_in", issued->expires_in.count()}})
                << '\n';
    });
  });
}

void addRevoke(CLI::App& tokens) {
  auto* revoke = tokens.add_subcommand("revoke", "Revoke every grant of a user");
  auto config_file = addConfigOption(*revoke);
  auto user = std::make_shared<std::string>();
  auto client = std::make_shared<std::string>();
  revoke->add_option("--user", *user, "User id")->required();
  revoke->add_option("--client", *client, "Only this client's grants");
  revoke->callback([config_file, user, client] {
    auto config = loadConfig(*config_file);
    if (!config) return;
    runGuarded("tokens revoke", [&] {
      auto stores = openLinkStores(config->storage);
      auto revoked =
          stores->grants->revokeFamiliesOf(*user, *client, std::chrono::system_clock::now());
      std::cout << "revoked " << revoked << " grant(s)\n";
    });
  });
}

}  // namespace

void addTokensCommand(CLI::App& app) {
  auto* tokens = app.add_subcommand("tokens", "Issue or revoke users' tokens");
  tokens->require_subcommand(1);
  addIssue(*tokens);
  addRevoke(*tokens);
}

}  // namespace parley::cli
