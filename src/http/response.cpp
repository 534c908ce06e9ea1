#include "parley/http/response.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <cstdint>
#include <stdexcept>

namespace parley::http {

namespace beast = boost::beast;
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

// RFC 9110 token characters, what a field name is made of.
constexpr auto kTokenChar = [] {
  std::array<bool, 256> table{};
  for (unsigned char c = '0'; c <= '9'; ++c) table[c] = true;
  for (unsigned char c = 'a'; c <= 'z'; ++c) table[c] = table[c - 'a' + 'A'] = true;
  for (unsigned char c : std::string_view("!#$%&'*+-.^_`|~")) table[c] = true;
  return table;
}();

void checkField(std::string_view name, std::string_view value) {
  const auto token = [](char c) { return kTokenChar[static_cast<unsigned char>(c)]; };
  const auto breaks_line = [&value](char c) { return value.find(c) != std::string_view::npos; };
  if (name.empty() || !std::all_of(name.begin(), name.end(), token) || breaks_line('\r') ||
      breaks_line('\n') || breaks_line('\0')) {
    throw std::invalid_argument("an HTTP header field has characters it cannot carry");
  }
  for (std::string_view framing : {"Content-Length", "Connection", "Transfer-Encoding"}) {
    if (name.size() == framing.size() && beast::iequals(name, framing)) {
      throw std::invalid_argument("the server sets " + std::string(framing));
    }
  }
}

// A field as it goes on the wire.
void appendLine(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

constexpr std::size_t kFieldsReserve = 256;  // the security headers and a content type fit
// Which defaults a response already has is one bit each.
constexpr std::size_t kMaxDefaultFields = 32;

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

DefaultFields& DefaultFields::add(std::string_view name, std::string_view value) {
  checkField(name, value);
  if (fields_.size() == kMaxDefaultFields) throw std::invalid_argument("too many default fields");
  std::string line;
  appendLine(line, name, value);
  fields_.push_back({std::string(name), std::move(line)});
  return *this;
}

Response::Response(unsigned status, std::string body, std::string_view content_type)
    : status_(status), body_(std::move(body)) {
  if (!content_type.empty()) addHeader("Content-Type", content_type);
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
  status_ = status;
  return *this;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (std::size_t line = 0; line < fields_.size();) {
    const auto field = fieldAt(line);
    if (beast::iequals(field.name, name)) return field.value;
    line = field.next;
  }
  return std::nullopt;
}

Response& Response::setHeader(std::string_view name, std::string_view value) {
  checkField(name, value);
  for (std::size_t line = 0; line < fields_.size();) {
    const auto field = fieldAt(line);
    if (beast::iequals(field.name, name)) {
      fields_.erase(line, field.next - line);
    } else {
      line = field.next;
    }
  }
  appendField(name, value);
  return *this;
}

Response& Response::addHeader(std::string_view name, std::string_view value) {
  checkField(name, value);
  appendField(name, value);
  return *this;
}

Response& Response::setCookie(const Cookie& cookie) {
  return addHeader("Set-Cookie", cookie.serialize());
}

Response& Response::addMissing(const DefaultFields& defaults) {
  std::uint32_t present = 0;
  forEachHeader([&](std::string_view name, std::string_view) {
    for (std::size_t i = 0; i < defaults.fields_.size(); ++i) {
      if (beast::iequals(defaults.fields_[i].name, name)) present |= 1U << i;
    }
  });
  for (std::size_t i = 0; i < defaults.fields_.size(); ++i) {
    if ((present & (1U << i)) == 0) fieldsToAppend() += defaults.fields_[i].line;
  }
  return *this;
}

Response& Response::setBody(std::string body, std::string_view content_type) {
  body_ = std::move(body);
  return setHeader("Content-Type", content_type);
}

std::string& Response::fieldsToAppend() {
  // Reserved with the first field rather than at construction: responses made only to be
  // assigned over (the router's, the server's) allocate nothing.
  if (fields_.empty()) fields_.reserve(kFieldsReserve);
  return fields_;
}

void Response::appendField(std::string_view name, std::string_view value) {
  appendLine(fieldsToAppend(), name, value);
}

}  // namespace parley::http
