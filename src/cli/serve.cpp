// skill serve: the skill at POST /skill and the account-linking pages on one HTTP(S) server.
#include <iostream>
#include <optional>

#include "app_config.hpp"
#include "application.hpp"
#include "commands.hpp"
#include "parley/core/log.hpp"
#include "parley/http/server.hpp"

namespace parley::cli {
namespace {

struct ServeFlags {
  std::string config_file{};
  std::optional<std::uint16_t> port{};
  std::optional<std::string> host{};
};

// server.trustedProxies and server.proxyHeaders; on a bad value prints the one-line reason and
// returns nothing.
std::optional<http::Forwarding> forwarding(const config::Config& config) {
  const auto problem = [&config](const std::string& what) {
    std::cerr << config.file.string() << ": server." << what << "\n";
    return std::nullopt;
  };
  http::Forwarding out{.headers = config.server.proxy_headers};
  for (const auto& entry : config.server.trusted_proxies) {
    auto range = http::AddressRange::parse(entry);
    if (!range) {
      return problem("trustedProxies: \"" + entry + "\" is not an IP address or CIDR range");
    }
    out.trusted_proxies.push_back(*range);
  }
  // Without TLS here or a proxy that can say "https", every request would be redirected.
  if (config.server.require_https && config.server.tls.cert.empty() &&
      out.trusted_proxies.empty()) {
    return problem(
        "requireHttps: needs server.tls or the TLS-terminating proxy in server.trustedProxies "
        "(PARLEY_SERVER_REQUIRE_HTTPS=false serves plain HTTP)");
  }
  return out;
}

int serve(config::Config config) {
  logToStderr(config.log.level);
  auto proxies = forwarding(config);
  if (!proxies) return 2;
  try {
    Application application{config};
    http::Server server{
        application.router(),
        {.host = config.server.host,
         .port = config.server.port,
         .io_threads = static_cast<std::size_t>(std::max(1, config.server.io_threads)),
         .worker_threads = static_cast<std::size_t>(std::max(0, config.server.worker_threads)),
         .body_limit = config.server.body_limit,
         .header_limit = config.server.header_limit,
         .idle_timeout = std::chrono::seconds(config.server.idle_timeout_seconds),
         .tls_cert_file = config.server.tls.cert,
         .tls_key_file = config.server.tls.key,
         .forwarding = std::move(*proxies),
         .stop_on_signals = true}};
    core::logger("serve")->info("listening on {}://{}:{} ({} environment)",
                                config.server.tls.cert.empty() ? "http" : "https",
                                config.server.host, server.port(), config.environment);
    server.run();
    core::logger("serve")->info("stopped");
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "skill serve: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace

void addServeCommand(CLI::App& app) {
  auto* command = app.add_subcommand("serve", "Serve the skill and the account-linking pages");
  auto flags = std::make_shared<ServeFlags>();
  auto config_file = addConfigOption(*command);
  command->add_option("--port", flags->port, "Port (0: any free port); default server.port");
  command->add_option("--host", flags->host, "Address to bind; default server.host");
  command->callback([flags, config_file] {
    auto config = loadConfig(*config_file);
    if (!config) return;
    if (flags->port) config->server.port = *flags->port;
    if (flags->host) config->server.host = *flags->host;
    setExitCode(serve(std::move(*config)));
  });
}

}  // namespace parley::cli
