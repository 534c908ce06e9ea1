// `skill clients add|list|remove`: OAuth clients registered at run time (besides the config ones).
#include <iostream>

#include "app_config.hpp"
#include "commands.hpp"
#include "linking_setup.hpp"
#include "parley/core/random.hpp"
#include "parley/linking/crypto.hpp"

namespace parley::cli {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

void addAdd(CLI::App& clients) {
  auto* add = clients.add_subcommand("add", "Register a client and print its secret once");
  auto config_file = addConfigOption(*add);
  auto client = std::make_shared<linking::ClientOptions>();
  add->add_option("--id", client->id, "Client id ([A-Za-z0-9._~-], 1-128)")->required();
  add->add_option("--name", client->name, "Name shown on the sign-in page");
  add->add_option("--redirect-uri", client->redirect_uris, "Allowed redirect URI (repeatable)")
      ->required();
  add->add_option("--response-type", client->response_types, "code and/or token")
      ->default_str("code");
  add->add_option("--auth-method", client->auth_methods,
                  "client_secret_basic, client_secret_post and/or none");
  add->add_option("--scope", client->allowed_scopes, "Allowed scope (repeatable)");
  add->add_option("--default-scope", client->default_scopes, "Scope when none is requested");
  add->add_flag("--pkce-required", client->pkce_required, "Refuse requests without PKCE");
  add->add_flag("--rotate-refresh-tokens", client->rotate_refresh_tokens,
                "Issue a new refresh token on each refresh");
  add->callback([config_file, client] {
    core::SecureRandom random;
    client->secret = linking::randomToken(random);  // R5: 256 bits, URL-safe alphabet
    linking::Options check;
    check.clients = {*client};
    if (auto problem = linking::findConfigProblem(check)) {
      std::cerr << "skill clients add: " << *problem << '\n';
      setExitCode(2);
      return;
    }
    auto config = loadConfig(*config_file);
    if (!config) return;
    runGuarded("clients add", [&] {
      auto stores = openLinkStores(config->storage);
      stores->clients->put(
          storage::OAuthClient{.id = client->id,
                               .secret_hash = core::sha256Hex(client->secret),
                               .name = client->name,
                               .redirect_uris = client->redirect_uris,
                               .response_types = client->response_types,
                               .auth_methods = client->auth_methods,
                               .allowed_scopes = client->allowed_scopes,
                               .default_scopes = client->default_scopes,
                               .pkce_required = client->pkce_required,
                               .access_token_ttl = client->access_token_ttl,
                               .implicit_token_ttl = client->implicit_token_ttl,
                               .rotate_refresh_tokens = client->rotate_refresh_tokens});
      std::cout << "client_id: " << client->id << "\nclient_secret: " << client->secret
                << "\n(the secret is not stored; paste it into the Alexa console now)\n";
    });
  });
}

void addList(CLI::App& clients) {
  auto* list = clients.add_subcommand("list", "List registered clients (never secrets)");
  auto config_file = addConfigOption(*list);
  list->callback([config_file] {
    auto config = loadConfig(*config_file);
    if (!config) return;
    runGuarded("clients list", [&] {
      for (const auto& client : config->linking.clients) {
        std::cout << client.id << "\t(config)\t" << client.name << '\t'
                  << join(client.redirect_uris) << '\n';
      }
      for (const auto& client : openLinkStores(config->storage)->clients->list()) {
        std::cout << client.id << "\t" << join(client.response_types) << "\t" << client.name << '\t'
                  << join(client.redirect_uris) << '\n';
      }
    });
  });
}

void addRemove(CLI::App& clients) {
  auto* remove = clients.add_subcommand("remove", "Remove a registered client");
  auto config_file = addConfigOption(*remove);
  auto id = std::make_shared<std::string>();
  remove->add_option("id", *id, "Client id")->required();
  remove->callback([config_file, id] {
    auto config = loadConfig(*config_file);
    if (!config) return;
    runGuarded("clients remove", [&] {
      if (!openLinkStores(config->storage)->clients->remove(*id)) {
        std::cerr << "skill clients remove: no registered client " << *id << '\n';
        setExitCode(1);
      }
    });
  });
}

}  // namespace

void addClientsCommand(CLI::App& app) {
  auto* clients = app.add_subcommand("clients", "Manage OAuth clients (the Alexa skill)");
  clients->require_subcommand(1);
  addAdd(*clients);
  addList(*clients);
  addRemove(*clients);
}

}  // namespace parley::cli
