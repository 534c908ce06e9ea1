#pragma once

#include <memory>

#include "linking_setup.hpp"
#include "parley/aws/dynamodb.hpp"
#include "parley/config/config.hpp"
#include "parley/core/clock.hpp"
#include "parley/core/random.hpp"
#include "parley/hosting/pages.hpp"
#include "parley/hosting/routes.hpp"
#include "parley/http/router.hpp"
#include "parley/linking/authorizer.hpp"
#include "parley/linking/token_service.hpp"
#include "parley/net/http_client.hpp"
#include "parley/statemachine/engine.hpp"
#include "parley/storage/user_store.hpp"
#include "parley/verify/http_certificate_fetcher.hpp"
#include "parley/verify/verifier.hpp"

namespace parley::cli {

// What the host knows beyond the config.
struct HostOptions {
  // Bounds each DynamoDB call and its retries (Lambda: the invocation deadline minus a margin).
  aws::DeadlineSource storage_deadline{};
  // Off for a fast cold start (see hosting::Pages::Options).
  bool check_templates_at_startup{true};
};

// Everything a host runs, built from one Config: stores, the OAuth server, the sample skill with
// token lookup, the Alexa verifier when enabled, and the route table. `skill serve`,
// `skill invoke` and `skill lambda` share it so they behave the same. Throws on a startup
// failure (unusable storage, views that do not match the skill, an invalid client).
class Application {
 public:
  explicit Application(const config::Config& config, HostOptions host = {});
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  const statemachine::Engine& skill() const { return *skill_; }
  const http::Router& router() const { return router_; }

 private:
  core::SystemClock clock_{};
  core::SecureRandom random_{};
  std::unique_ptr<storage::UserStore> users_;
  std::unique_ptr<LinkStores> links_;
  std::unique_ptr<linking::Authorizer> authorizer_;
  std::unique_ptr<linking::TokenService> tokens_;
  std::unique_ptr<statemachine::Engine> skill_;
  std::unique_ptr<hosting::Pages> pages_;
  std::unique_ptr<net::BeastHttpClient> http_client_;
  std::unique_ptr<verify::HttpCertificateFetcher> certificates_;
  std::unique_ptr<verify::Verifier> verifier_;
  std::unique_ptr<hosting::Services> services_;
  http::Router router_{};
};

// Sends log lines at `level` to stderr (stdout carries command output).
void logToStderr(const std::string& level);

}  // namespace parley::cli
