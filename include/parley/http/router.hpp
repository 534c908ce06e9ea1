#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parley/http/request.hpp"
#include "parley/http/response.hpp"

namespace parley::http {

struct RouteOptions {
  // The handler blocks (SQLite, DynamoDB, password hashing): the server runs it on its worker
  // pool instead of an I/O thread.
  bool blocking{false};
};

// Maps method + path to handlers: exact paths first, then the longest matching prefix. Unknown
// path: 404; known path, other method: 405 with Allow. HEAD falls back to the GET route (the
// server then sends headers only). Built at startup, then immutable and shared without locks.
// handle() needs no sockets: the Lambda host and tests call it directly.
class Router {
 public:
  using Handler = std::function<Response(const Request&)>;
  // Runs on every response (404/405/500 included), in registration order: security headers,
  // CORS, request-scoped logging...
  using AfterHook = std::function<void(const Request&, Response&)>;
  // Runs before routing, in registration order; a response it returns answers the request
  // instead of any route (after-hooks still run): policies such as HTTPS only.
  using BeforeHook = std::function<std::optional<Response>(const Request&)>;

  struct Route {
    Verb method{Verb::get};
    Handler handler{};
    RouteOptions options{};
  };

  // The route a request resolves to, or the before-hook, 404 or 405 response when none does.
  struct Match {
    const Route* route{nullptr};
    Response response{};
  };

  Router& route(Verb method, std::string path, Handler handler, RouteOptions options = {});
  Router& get(std::string path, Handler handler, RouteOptions options = {});
  Router& post(std::string path, Handler handler, RouteOptions options = {});
  // Every path starting with `prefix` (e.g. "/static/").
  Router& prefix(Verb method, std::string prefix, Handler handler, RouteOptions options = {});
  Router& before(BeforeHook hook);
  Router& after(AfterHook hook);

  // Before-hooks, dispatch, handler, after-hooks. A throwing handler becomes a logged 500.
  Response handle(const Request& request) const;

  // The same in steps, for a server that runs blocking handlers elsewhere.
  Match match(const Request& request) const;
  Response invoke(const Route& route, const Request& request) const;
  void finish(const Request& request, Response& response) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, std::vector<Route>, Hash, std::equal_to<>> exact_{};
  std::vector<std::pair<std::string, std::vector<Route>>> prefixes_{};  // longest first
  std::vector<BeforeHook> before_{};
  std::vector<AfterHook> after_{};
};

}  // namespace parley::http
