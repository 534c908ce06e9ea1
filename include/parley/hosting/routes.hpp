#pragma once

#include <filesystem>
#include <string>

#include "parley/hosting/pages.hpp"
#include "parley/http/router.hpp"
#include "parley/linking/authorizer.hpp"
#include "parley/linking/token_service.hpp"
#include "parley/statemachine/engine.hpp"
#include "parley/verify/verifier.hpp"

namespace parley::hosting {

// What the routes serve; built by the composition root, which outlives the router.
struct Services {
  const statemachine::Engine& skill;
  linking::Authorizer& authorizer;
  linking::TokenService& tokens;
  const Pages& pages;
  // Null: Alexa request signatures are not checked (local development only).
  const verify::Verifier* verifier{};
};

struct RouteOptions {
  std::filesystem::path static_root{"www/static"};
  // Requests reach this server over HTTPS (TLS here or at a proxy): adds HSTS (spec R4).
  bool https{false};
};

// The whole route table, shared by `skill serve` and `skill lambda`:
//   POST /skill                     the Alexa skill (signature-checked when a verifier is given)
//   GET  / , /authorize             OAuth authorization endpoint (`/` alone: a landing page)
//   POST / , /authorize/signup      sign up and link (POST / is the original kit's form)
//   POST /authorize/login, /authorize/cancel
//   POST /oauth/token, /oauth/revoke; GET /oauth/userinfo
//   GET  /static/…, /healthz
void addRoutes(http::Router& router, const Services& services, const RouteOptions& options = {});

}  // namespace parley::hosting
