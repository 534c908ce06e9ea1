#include "parley/http/router.hpp"

#include <algorithm>
#include <exception>

#include "parley/core/log.hpp"

namespace parley::http {

namespace {

const Router::Route* find(const std::vector<Router::Route>& routes, Verb method) {
  for (const auto& route : routes) {
    if (route.method == method) return &route;
  }
  return nullptr;
}

std::string allowHeader(const std::vector<Router::Route>& routes) {
  std::string allow;
  auto add = [&](std::string_view method) {
    if (allow.find(method) != std::string::npos) return;
    if (!allow.empty()) allow += ", ";
    allow += method;
  };
  for (const auto& route : routes) {
    add(boost::beast::http::to_string(route.method));
    if (route.method == Verb::get) add("HEAD");
  }
  return allow;
}

}  // namespace

Router& Router::route(Verb method, std::string path, Handler handler, RouteOptions options) {
  exact_[std::move(path)].push_back({method, std::move(handler), options});
  return *this;
}

Router& Router::get(std::string path, Handler handler, RouteOptions options) {
  return route(Verb::get, std::move(path), std::move(handler), options);
}

Router& Router::post(std::string path, Handler handler, RouteOptions options) {
  return route(Verb::post, std::move(path), std::move(handler), options);
}

Router& Router::prefix(Verb method, std::string prefix, Handler handler, RouteOptions options) {
  auto it = std::find_if(prefixes_.begin(), prefixes_.end(),
                         [&](const auto& entry) { return entry.first == prefix; });
  if (it == prefixes_.end()) {
    prefixes_.emplace_back(std::move(prefix), std::vector<Route>{});
    it = std::prev(prefixes_.end());
  }
  it->second.push_back({method, std::move(handler), options});
  std::stable_sort(prefixes_.begin(), prefixes_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  return *this;
}

Router& Router::before(BeforeHook hook) {
  before_.push_back(std::move(hook));
  return *this;
}

Router& Router::after(AfterHook hook) {
  after_.push_back(std::move(hook));
  return *this;
}

Router::Match Router::match(const Request& request) const {
  for (const auto& hook : before_) {
    if (auto answer = hook(request)) return {.response = std::move(*answer)};
  }
  auto path = request.path();
  const std::vector<Route>* routes = nullptr;
  if (auto it = exact_.find(path); it != exact_.end()) {
    routes = &it->second;
  } else {
    for (const auto& [prefix, candidates] : prefixes_) {
      if (path.starts_with(prefix)) {
        routes = &candidates;
        break;
      }
    }
  }
  if (routes == nullptr) return {.response = Response::error(404)};
  const Route* route = find(*routes, request.method());
  if (route == nullptr && request.method() == Verb::head) route = find(*routes, Verb::get);
  if (route != nullptr) return {.route = route};
  Match out{.response = Response::error(405)};
  out.response.setHeader("Allow", allowHeader(*routes));
  return out;
}

Response Router::invoke(const Route& route, const Request& request) const {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    core::logger("http")->error("[{}] {} {} handler failed: {}", request.id(),
                                request.methodString(), request.path(), e.what());
  } catch (...) {
    core::logger("http")->error("[{}] {} {} handler failed", request.id(), request.methodString(),
                                request.path());
  }
  return Response::error(500);
}

void Router::finish(const Request& request, Response& response) const {
  for (const auto& hook : after_) hook(request, response);
}

Response Router::handle(const Request& request) const {
  auto matched = match(request);
  Response response = matched.route ? invoke(*matched.route, request) : std::move(matched.response);
  finish(request, response);
  return response;
}

}  // namespace parley::http
