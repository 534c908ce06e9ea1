#include "application.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include "app_config.hpp"
#include "parley/hosting/routes.hpp"
#include "sample_skill.hpp"

namespace parley::cli {

Application::Application(const config::Config& config, HostOptions host)
    : users_(openUserStore(config.storage, host.storage_deadline)),
      links_(openLinkStores(config.storage, host.storage_deadline, users_.get())) {
  const auto linking = linkingOptions(config.linking);
  authorizer_ = std::make_unique<linking::Authorizer>(
      linking,
      linking::AuthorizerStores{.users = *users_,
                                .pending = *links_->pending,
                                .accounts = *links_->accounts,
                                .grants = *links_->grants,
                                .throttle = *links_->throttle,
                                .clients = links_->clients.get()},
      clock_, random_);
  tokens_ = std::make_unique<linking::TokenService>(
      linking,
      linking::TokenServiceStores{.grants = *links_->grants,
                                  .throttle = *links_->throttle,
                                  .users = *users_,
                                  .clients = links_->clients.get()},
      clock_, random_);
  auto* tokens = tokens_.get();
  skill_ = app::makeSampleSkill(
      *users_,
      {.views = config.skill.views,
       .skill = {.seed = config.skill.seed, .application_ids = config.skill.application_ids},
       .user_by_token = [tokens](std::string_view token) { return tokens->resolveUser(token); },
       .linking = {
           .grant_of_token = [tokens](std::string_view token) { return tokens->grantOf(token); },
           .revoke_grants =
               [tokens](std::string_view user_id, std::string_view client_id) {
                 return tokens->revokeUser(user_id, client_id);
               },
           .alexa_users = links_->alexa_users.get()}});
  pages_ = std::make_unique<hosting::Pages>(
      std::filesystem::path(config.server.www) / "templates",
      hosting::Pages::Options{.check_at_startup = host.check_templates_at_startup});
  if (config.skill.verify_signatures) {
    http_client_ = std::make_unique<net::BeastHttpClient>();
    certificates_ = std::make_unique<verify::HttpCertificateFetcher>(*http_client_);
    verifier_ = std::make_unique<verify::Verifier>(
        verify::Verifier::Options{.application_ids = config.skill.application_ids}, *certificates_,
        clock_);
  }
  services_ = std::make_unique<hosting::Services>(hosting::Services{.skill = *skill_,
                                                                    .authorizer = *authorizer_,
                                                                    .tokens = *tokens_,
                                                                    .pages = *pages_,
                                                                    .verifier = verifier_.get()});
  hosting::addRoutes(router_, *services_,
                     {.static_root = std::filesystem::path(config.server.www) / "static",
                      .require_https = config.server.require_https});
}

void logToStderr(const std::string& level) {
  auto logger = std::make_shared<spdlog::logger>(
      "parley", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace parley::cli
