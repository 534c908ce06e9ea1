#include "parley/http/response.hpp"

#include <stdexcept>

namespace parley::http {

namespace bhttp = boost::beast::http;

namespace {

// RFC 6265 cookie-octet (and token characters for the name, which are a superset here).
bool isCookieOctet(char c) {
  auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) ||
         (u >= 0x3C && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

bool isCookieText(std::string_view text) {
  for (char c : text) {
    if (!isCookieOctet(c)) return false;
  }
  return true;
}

}  // namespace

std::string Cookie::serialize() const {
  if (name.empty() || !isCookieText(name) || name.find('=') != std::string::npos ||
      !isCookieText(value) || !isCookieText(path)) {
    throw std::invalid_argument("cookie name, value or path has characters a cookie cannot carry");
  }
  std::string out = name + "=" + value;
  if (!path.empty()) out += "; Path=" + path;
  if (max_age) out += "; Max-Age=" + std::to_string(max_age->count());
  if (http_only) out += "; HttpOnly";
  if (secure) out += "; Secure";
  if (!same_site.empty()) out += "; SameSite=" + same_site;
  return out;
}

Response::Response(unsigned status, std::string body, std::string_view content_type) {
  message_.result(status);
  message_.version(11);
  message_.body() = std::move(body);
  if (!content_type.empty()) message_.set(bhttp::field::content_type, content_type);
}

Response Response::text(std::string body, unsigned status) {
  return Response(status, std::move(body), "text/plain; charset=utf-8");
}

Response Response::html(std::string body, unsigned status) {
  return Response(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::json(std::string body, unsigned status) {
  return Response(status, std::move(body), "application/json");
}

Response Response::redirect(std::string_view location, unsigned status) {
  Response response(status);
  response.setHeader("Location", location);
  return response;
}

Response Response::error(unsigned status) {
  auto reason = bhttp::obsolete_reason(bhttp::int_to_status(status));
  return text(std::string(reason) + "\n", status);
}

Response& Response::setStatus(unsigned status) {
  message_.result(status);
  return *this;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  auto it = message_.find(name);
  if (it == message_.end()) return std::nullopt;
  return it->value();
}

Response& Response::setHeader(std::string_view name, std::string_view value) {
  message_.set(name, value);
  return *this;
}

Response& Response::addHeader(std::string_view name, std::string_view value) {
  message_.insert(name, value);
  return *this;
}

Response& Response::setCookie(const Cookie& cookie) {
  message_.insert(bhttp::field::set_cookie, cookie.serialize());
  return *this;
}

Response& Response::setBody(std::string body, std::string_view content_type) {
  message_.body() = std::move(body);
  message_.set(bhttp::field::content_type, content_type);
  return *this;
}

}  // namespace parley::http
