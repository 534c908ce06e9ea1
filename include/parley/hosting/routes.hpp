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
  // Spec R4: a request that did not arrive over HTTPS (http::Request::https()) is never
  // processed. GET and HEAD of pages are redirected (301) to the https:// URL; other methods,
  // and every method on /skill and /oauth/*, get 403, since a redirect would have an API client
  // resend its credentials. /healthz stays open for load-balancer probes.
  bool require_https{false};
};

// The whole route table, shared by `skill serve` and `skill lambda`:
//   POST /skill                     the Alexa skill (signature-checked when a verifier is given)
//   GET  / , /authorize             OAuth authorization endpoint (`/` alone: a landing page)
//   POST / , /authorize/signup      sign up and link (POST / is the original kit's form)
//   POST /authorize/login, /authorize/cancel
//   POST /oauth/token, /oauth/revoke; GET /oauth/userinfo
//   GET  /static/…, /healthz
// Responses to HTTPS requests carry Strict-Transport-Security (R4).
void addRoutes(http::Router& router, const Services& services, const RouteOptions& options = {});

}  // namespace parley::hosting
