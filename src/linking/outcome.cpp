#include "parley/linking/outcome.hpp"

namespace parley::linking {

boost::json::object ErrorPage::model() const {
  return {{"title", "Account linking"}, {"message", message}};
}

boost::json::object Redirect::model() const {
  return {{"title", "Continue"}, {"location", location}};
}

std::vector<std::pair<std::string, std::string>> htmlSecurityHeaders(
    const std::vector<std::string>& form_action) {
  std::string csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'";
  for (const auto& origin : form_action) {
    csp.push_back(' ');
    csp += origin;
  }
  csp += "; frame-ancestors 'none'; base-uri 'none'";
  return {{"Content-Security-Policy", csp},
          {"X-Frame-Options", "DENY"},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"},
          {"Cache-Control", "no-store"}};
}

}  // namespace parley::linking
