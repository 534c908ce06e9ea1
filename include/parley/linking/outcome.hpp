#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace parley::linking {

// The browser-binding cookie of the sign-in page (R47). The host writes it as
// `<name>=<value>; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=<max_age>` with no Domain.
inline constexpr std::string_view kBindingCookie = "__Host-al_req";

struct SetCookie {
  std::string name{};
  std::string value{};
  std::chrono::seconds max_age{};
};

// An HTML page that must not redirect (bad client, bad redirect_uri, failed CSRF check, …).
// Rendered with www/templates/error.mustache and model().
struct ErrorPage {
  int status{400};
  std::string message{};
  std::optional<std::chrono::seconds> retry_after{};  // 429: sent as Retry-After

  boost::json::object model() const;
};

// A redirect to the client. `status` is 302 for GET /authorize and 303 after a POST (R49).
// The body, for agents that do not follow redirects, is redirect.mustache with model().
struct Redirect {
  int status{302};
  std::string location{};

  boost::json::object model() const;
};

// A rendered page: `view` names www/templates/<view>.mustache ("signin", "success").
struct ShowPage {
  int status{200};
  std::string view{};
  boost::json::object model{};
  std::vector<SetCookie> cookies{};
  // Origins the page's forms lead to, for the CSP form-action directive (R50).
  std::vector<std::string> form_action{};
};

using Outcome = std::variant<ErrorPage, Redirect, ShowPage>;

// The headers every HTML response carries (R50, R51), with `form_action` origins appended to
// `form-action 'self'`.
std::vector<std::pair<std::string, std::string>> htmlSecurityHeaders(
    const std::vector<std::string>& form_action = {});

}  // namespace parley::linking
