#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace parley::http {

struct Cookie {
  std::string name{};
  std::string value{};
  std::string path{"/"};
  std::optional<std::chrono::seconds> max_age{};  // absent: a session cookie
  bool http_only{true};
  bool secure{false};
  std::string same_site{"Lax"};  // "Strict", "Lax", "None" or empty to omit

  // The Set-Cookie value. Throws std::invalid_argument when name or value hold characters a
  // cookie cannot carry (callers encode first).
  std::string serialize() const;
};

// An outgoing response: a value over Beast's message. Content-Length is set by the server.
class Response {
 public:
  using Message = boost::beast::http::response<boost::beast::http::string_body>;

  Response() : Response(200) {}
  explicit Response(unsigned status, std::string body = {}, std::string_view content_type = {});

  static Response text(std::string body, unsigned status = 200);
  static Response html(std::string body, unsigned status = 200);
  static Response json(std::string body, unsigned status = 200);
  static Response redirect(std::string_view location, unsigned status = 302);
  // A short text/plain body with the reason phrase ("Not Found").
  static Response error(unsigned status);

  unsigned status() const { return message_.result_int(); }
  Response& setStatus(unsigned status);
  std::optional<std::string_view> header(std::string_view name) const;
  // Replaces every header with this name.
  Response& setHeader(std::string_view name, std::string_view value);
  Response& addHeader(std::string_view name, std::string_view value);
  Response& setCookie(const Cookie& cookie);

  const std::string& body() const { return message_.body(); }
  std::string& body() { return message_.body(); }
  Response& setBody(std::string body, std::string_view content_type);

  const Message& message() const { return message_; }
  Message& message() { return message_; }

 private:
  Message message_{};
};

}  // namespace parley::http
