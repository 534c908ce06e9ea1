#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Header fields checked once and given to many responses (security headers, say): see
// Response::addMissing. add() throws std::invalid_argument as Response::setHeader does.
class DefaultFields {
 public:
  DefaultFields& add(std::string_view name, std::string_view value);

 private:
  friend class Response;
  struct Field {
    std::string name;
    std::string line;  // "Name: value\r\n"
  };
  std::vector<Field> fields_{};
};

// An outgoing response: status, header fields in the order set, body. The server adds the
// framing fields (Content-Length, Connection), so handlers cannot set them. Names and values
// that could split the header (CR, LF, NUL; a name that is not an RFC 9110 token) throw
// std::invalid_argument.
class Response {
 public:
  Response() : Response(200) {}
  explicit Response(unsigned status, std::string body = {}, std::string_view content_type = {});

  static Response text(std::string body, unsigned status = 200);
  static Response html(std::string body, unsigned status = 200);
  static Response json(std::string body, unsigned status = 200);
  static Response redirect(std::string_view location, unsigned status = 302);
  // A short text/plain body with the reason phrase ("Not Found").
  static Response error(unsigned status);

  unsigned status() const { return status_; }
  Response& setStatus(unsigned status);
  // The first field of that name (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
  // Replaces every header with this name.
  Response& setHeader(std::string_view name, std::string_view value);
  Response& addHeader(std::string_view name, std::string_view value);
  Response& setCookie(const Cookie& cookie);
  // Adds each of `defaults` this response does not have a field of that name for.
  Response& addMissing(const DefaultFields& defaults);

  const std::string& body() const { return body_; }
  std::string& body() { return body_; }
  Response& setBody(std::string body, std::string_view content_type);

  // The fields as they go on the wire, "Name: value\r\n" each: kept that way, a response is
  // written without a per-field allocation.
  std::string_view fields() const { return fields_; }
  // visit(name, value) for every field, in order.
  template <class Visit>
  void forEachHeader(Visit&& visit) const {
    for (std::size_t line = 0; line < fields_.size();) {
      const auto field = fieldAt(line);
      visit(field.name, field.value);
      line = field.next;
    }
  }

 private:
  struct Field {
    std::string_view name;
    std::string_view value;
    std::size_t next;  // where the following line starts
  };
  // The field whose line starts at `line`. Names hold no ':' and values no CR, so the first of
  // each ends them.
  Field fieldAt(std::size_t line) const {
    const std::string_view fields(fields_);
    const auto colon = fields.find(':', line);
    const auto end = fields.find('\r', colon);
    return {fields.substr(line, colon - line), fields.substr(colon + 2, end - colon - 2), end + 2};
  }
  void appendField(std::string_view name, std::string_view value);
  std::string& fieldsToAppend();

  unsigned status_;
  std::string fields_{};
  std::string body_{};
};

}  // namespace parley::http
