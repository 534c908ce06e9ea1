#include "parley/hosting/routes.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <optional>
#include <variant>

#include "parley/core/ascii.hpp"
#include "parley/core/log.hpp"
#include "parley/http/static_files.hpp"
#include "parley/linking/encoding.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::hosting {
namespace {

using http::Request;
using http::Response;

Response jsonError(unsigned status, std::string_view message) {
  return Response::json(boost::json::serialize(boost::json::object{{"error", message}}), status);
}

std::string header(const Request& request, std::string_view name) {
  return std::string(request.header(name).value_or(""));
}

std::optional<std::string> optionalHeader(const Request& request, std::string_view name) {
  if (auto value = request.header(name)) return std::string(*value);
  return std::nullopt;
}

// Decoded parameters; a string that is not valid form encoding yields an empty set, which every
// linking step rejects as missing parameters.
linking::Params params(std::string_view encoded) {
  return linking::parseUrlEncoded(encoded).value_or(linking::Params{});
}

constexpr const char* kHttpsRequired = "HTTPS is required.";

// The host of a Host header ("example.com:8080" → "example.com", "[::1]:80" → "[::1]"), or
// nullopt when it is not a plain host name or address: it goes into a Location header.
std::optional<std::string> hostWithoutPort(std::string_view host) {
  auto end = host.starts_with('[') ? host.find(']') : host.find(':');
  if (host.starts_with('[')) {
    if (end == std::string_view::npos) return std::nullopt;
    ++end;
  }
  host = host.substr(0, end);
  const bool plain = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("-.[]:").find(c) != std::string_view::npos;
  });
  if (!plain) return std::nullopt;
  return std::string(host);
}

class Handlers {
 public:
  explicit Handlers(const Services& services)
      : services_(services), log_(core::logger("hosting")) {}

  Response skill(const Request& request) const {
    if (!core::startsWithIgnoringAsciiCase(request.header("Content-Type").value_or(""),
                                           "application/json")) {
      return jsonError(415, "Content-Type must be application/json");
    }
    if (services_.verifier != nullptr) {
      auto verified = services_.verifier->verify(
          {.cert_chain_url = request.header("SignatureCertChainUrl").value_or(""),
           .signature_256 = request.header("Signature-256").value_or(""),
           .signature = request.header("Signature").value_or("")},
          request.body());
      if (!verified) {
        log_->warn("request {}: Alexa verification failed: {}", request.id(),
                   verified.error().message());
        return jsonError(400, "request verification failed: " + verified.error().message());
      }
    }
    auto reply = services_.skill.handle(request.body());
    if (!reply) return jsonError(400, reply.error().message());
    return Response::json(std::move(*reply));
  }

  Response root(const Request& request) const {
    auto query = params(request.rawQuery());
    for (const char* name : {"response_type", "client_id", "redirect_uri"}) {
      if (query.contains(name)) return authorize(request);
    }
    return render(linking::ShowPage{.view = "landing", .model = {{"title", "Parley"}}});
  }

  Response authorize(const Request& request) const {
    return guarded([&] {
      return render(services_.authorizer.authorize(
          {.query = params(request.rawQuery()), .query_bytes = request.rawQuery().size()}));
    });
  }

  template <class Step>
  Response form(const Request& request, Step step) const {
    return guarded([&] {
      linking::FormInput input{
          .form = params(request.body()),
          .body_bytes = request.body().size(),
          .content_type = header(request, "Content-Type"),
          .binding_cookie = request.cookie(linking::kBindingCookie),
          .origin = optionalHeader(request, "Origin"),
          .sec_fetch_site = optionalHeader(request, "Sec-Fetch-Site"),
          .server_origin = origin(request),
          .user_agent = header(request, "User-Agent"),
          .client_ip = std::string(request.remoteAddress()),
      };
      return render(std::invoke(step, services_.authorizer, input));
    });
  }

  Response token(const Request& request, bool revocation) const {
    linking::TokenInput input{
        .method = std::string(request.methodString()),
        .form = params(request.body()),
        .query = params(request.rawQuery()),
        .body_bytes = request.body().size(),
        .content_type = header(request, "Content-Type"),
        .authorization = optionalHeader(request, "Authorization"),
        .client_ip = std::string(request.remoteAddress()),
    };
    try {
      return toResponse(revocation ? services_.tokens.revoke(input)
                                   : services_.tokens.token(input));
    } catch (const storage::StorageError& error) {
      // Never invalid_grant for a storage failure: Alexa would unlink the user (spec 5.8).
      log_->error("request {}: token endpoint storage failure: {}", request.id(), error.what());
      return toResponse(linking::TokenService::serverError(503));
    }
  }

  std::optional<Response> refuseUnlessHttps(const Request& request) const {
    const auto path = request.path();
    if (request.https() || path == "/healthz") return std::nullopt;
    if (path == "/skill") {
      return jsonError(403, kHttpsRequired).setHeader("Cache-Control", "no-store");
    }
    if (path.starts_with("/oauth/")) {
      const boost::json::object error{{"error", "invalid_request"},
                                      {"error_description", kHttpsRequired}};
      return Response::json(boost::json::serialize(error), 403)
          .setHeader("Cache-Control", "no-store");
    }
    const auto host = hostWithoutPort(header(request, "Host"));
    if ((request.method() == http::Verb::get || request.method() == http::Verb::head) && host) {
      return Response::redirect("https://" + *host + std::string(request.target()), 301);
    }
    return render(linking::ErrorPage{.status = 403, .message = kHttpsRequired});
  }

  Response userinfo(const Request& request) const {
    try {
      return toResponse(services_.tokens.userinfo(optionalHeader(request, "Authorization")));
    } catch (const storage::StorageError& error) {
      log_->error("request {}: userinfo storage failure: {}", request.id(), error.what());
      return toResponse(linking::TokenService::serverError(503));
    }
  }

 private:
  // The origin the browser used, for the linking module's Origin check (R48).
  static std::string origin(const Request& request) {
    return std::string(request.https() ? "https://" : "http://") + header(request, "Host");
  }

  template <class Work>
  Response guarded(Work work) const {
    try {
      return work();
    } catch (const storage::StorageError& error) {
      log_->error("account linking storage failure: {}", error.what());
      return render(linking::ErrorPage{
          .status = 503, .message = "The service is busy. Please try again in a moment."});
    }
  }

  Response render(const linking::Outcome& outcome) const {
    return std::visit([this](const auto& value) { return renderOne(value); }, outcome);
  }

  Response renderOne(const linking::ErrorPage& page) const {
    auto response = Response::html(services_.pages.render("error", page.model()),
                                   static_cast<unsigned>(page.status));
    if (page.retry_after)
      response.setHeader("Retry-After", std::to_string(page.retry_after->count()));
    return withHeaders(std::move(response), linking::htmlSecurityHeaders());
  }

  Response renderOne(const linking::Redirect& redirect) const {
    auto response = Response::redirect(redirect.location, static_cast<unsigned>(redirect.status));
    response.setBody(services_.pages.render("redirect", redirect.model()),
                     "text/html; charset=utf-8");
    return withHeaders(std::move(response), linking::htmlSecurityHeaders());
  }

  Response renderOne(const linking::ShowPage& page) const {
    auto response = Response::html(services_.pages.render(page.view, page.model),
                                   static_cast<unsigned>(page.status));
    for (const auto& cookie : page.cookies) {
      // The __Host- prefix requires Secure, Path=/ and no Domain (R47).
      response.setCookie({.name = cookie.name,
                          .value = cookie.value,
                          .path = "/",
                          .max_age = cookie.max_age,
                          .http_only = true,
                          .secure = true,
                          .same_site = "Lax"});
    }
    return withHeaders(std::move(response), linking::htmlSecurityHeaders(page.form_action));
  }

  Response withHeaders(Response response,
                       const std::vector<std::pair<std::string, std::string>>& headers) const {
    for (const auto& [name, value] : headers) response.setHeader(name, value);
    return response;
  }

  static Response toResponse(const linking::TokenResponse& token) {
    Response response{static_cast<unsigned>(token.status)};
    if (token.body) response.body() = boost::json::serialize(*token.body);
    for (const auto& [name, value] : token.headers) response.setHeader(name, value);
    return response;
  }

  const Services& services_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace

void addRoutes(http::Router& router, const Services& services, const RouteOptions& options) {
  auto handlers = std::make_shared<const Handlers>(services);
  const http::RouteOptions blocking{.blocking = true};
  router.post(
      "/skill", [handlers](const Request& r) { return handlers->skill(r); }, blocking);
  router.get(
      "/", [handlers](const Request& r) { return handlers->root(r); }, blocking);
  router.get(
      "/authorize", [handlers](const Request& r) { return handlers->authorize(r); }, blocking);
  auto signUp = [handlers](const Request& r) {
    return handlers->form(r, &linking::Authorizer::signUp);
  };
  router.post("/", signUp, blocking);
  router.post("/authorize/signup", signUp, blocking);
  router.post(
      "/authorize/login",
      [handlers](const Request& r) { return handlers->form(r, &linking::Authorizer::signIn); },
      blocking);
  router.post(
      "/authorize/cancel",
      [handlers](const Request& r) { return handlers->form(r, &linking::Authorizer::cancel); },
      blocking);
  router.post(
      "/oauth/token", [handlers](const Request& r) { return handlers->token(r, false); }, blocking);
  router.post(
      "/oauth/revoke", [handlers](const Request& r) { return handlers->token(r, true); }, blocking);
  router.get(
      "/oauth/userinfo", [handlers](const Request& r) { return handlers->userinfo(r); }, blocking);
  router.get("/healthz", [](const Request&) { return Response::json(R"({"status":"ok"})"); });
  router.prefix(http::Verb::get, "/static/", http::staticFiles({.root = options.static_root}));
  if (options.require_https) {
    router.before([handlers](const Request& r) { return handlers->refuseUnlessHttps(r); });
  }
  router.after(http::securityHeaders({.strict_transport_security = "max-age=31536000"}));
}

}  // namespace parley::hosting
