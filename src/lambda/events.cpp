#include "parley/lambda/events.hpp"

#include <algorithm>
#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <boost/url/url.hpp>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base64.hpp"
#include "parley/core/ascii.hpp"
#include "parley/http/forwarded.hpp"
#include "parley/lambda/error.hpp"

namespace parley::lambda {
namespace json = boost::json;
using boost::system::result;

namespace {

// Header names and values become wire text in the router's responses and logs: no controls.
bool isHeaderSafe(std::string_view text) {
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

const json::string* stringField(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr ? value->if_string() : nullptr;
}

const json::object* objectField(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr ? value->if_object() : nullptr;
}

// A field that may be absent or null, else must be an object.
result<const json::object*> optionalObject(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return nullptr;
  if (!value->is_object()) return Error::kMalformedEvent;
  return &value->get_object();
}

result<std::string> decodeBody(const json::object& event) {
  const auto* body = event.if_contains("body");
  if (body == nullptr || body->is_null()) return std::string{};
  if (!body->is_string()) return Error::kMalformedEvent;
  bool base64 = false;
  if (const auto* flag = event.if_contains("isBase64Encoded");
      flag != nullptr && !flag->is_null()) {
    if (!flag->is_bool()) return Error::kMalformedEvent;
    base64 = flag->get_bool();
  }
  const std::string_view text = body->get_string();
  if (!base64) return std::string(text);
  auto decoded = detail::base64Decode(text);
  if (!decoded) return Error::kInvalidBase64;
  return std::move(*decoded);
}

result<void> addHeader(http::Request::Message& message, std::string_view name,
                       std::string_view value) {
  if (name.empty() || !isHeaderSafe(name) || !isHeaderSafe(value)) return Error::kMalformedEvent;
  message.insert(name, value);
  return {};
}

http::Request::Message startMessage(std::string_view method) {
  http::Request::Message message;
  message.version(11);
  const auto verb = boost::beast::http::string_to_verb(method);
  if (verb == boost::beast::http::verb::unknown) {
    message.method_string(method);
  } else {
    message.method(verb);
  }
  return message;
}

// `{name: "v"}` or, with `multi`, `{name: ["v1", "v2"]}`.
result<void> collect(const json::object& map, bool multi, auto&& add) {
  for (const auto& [key, value] : map) {
    if (multi) {
      const auto* values = value.if_array();
      if (values == nullptr) return Error::kMalformedEvent;
      for (const auto& item : *values) {
        if (!item.is_string()) return Error::kMalformedEvent;
        if (auto added = add(key, item.get_string()); !added) return added.error();
      }
    } else {
      if (!value.is_string()) return Error::kMalformedEvent;
      if (auto added = add(key, value.get_string()); !added) return added.error();
    }
  }
  return {};
}

// Method tokens are letters only in practice; anything else would be smuggled onto the wire.
bool isMethod(std::string_view method) {
  return !method.empty() && method.size() <= 16 &&
         std::all_of(method.begin(), method.end(),
                     [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; });
}

bool isPath(std::string_view path) {
  return !path.empty() && path.front() == '/' && std::none_of(path.begin(), path.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '?' || c == '#';
  });
}

// Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF): JSON strings must be.
bool isUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned min = 0;
    unsigned code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      length = 2, min = 0x80, code = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min = 0x800, code = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, code = c & 0x07u;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t j = 1; j < length; ++j) {
      const auto next = static_cast<unsigned char>(text[i + j]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

bool isTextType(std::string_view type) {
  const auto lower = core::asciiLowercase(type);
  const auto has = [&lower](std::string_view part) {
    return lower.find(part) != std::string::npos;
  };
  return lower.starts_with("text/") || has("json") || has("xml") || has("javascript") ||
         has("x-www-form-urlencoded") || has("charset=");
}

// API Gateway passes text bodies through; anything else must travel base64.
void putBody(json::object& out, const http::Response& response) {
  std::string_view type;
  bool typed = false;
  if (const auto content_type = response.header("Content-Type")) {
    type = *content_type;
    typed = true;
  }
  const auto& body = response.body();
  const bool text = isUtf8(body) && (!typed || isTextType(type));
  out["body"] = text ? json::string(body) : json::string(detail::base64Encode(body));
  out["isBase64Encoded"] = !text;
}

// API Gateway and function URLs serve HTTPS only; the client is the requestContext's
// sourceIp (API Gateway's own view of the peer; X-Forwarded-For there is client-writable).
http::Request fromHttpsClient(http::Request::Message message, const json::object* source) {
  http::Request request(std::move(message));
  request.setHttps(true);
  const auto* ip = source != nullptr ? stringField(*source, "sourceIp") : nullptr;
  if (ip != nullptr) {
    if (auto address = http::parseAddress(*ip)) request.setRemoteAddress(address->to_string());
  }
  return request;
}

}  // namespace

result<EventKind> classifyEvent(const json::value& event) {
  const auto* object = event.if_object();
  if (object == nullptr) return Error::kInvalidJson;
  const auto* version = stringField(*object, "version");
  if (const auto* context = objectField(*object, "requestContext");
      version != nullptr && *version == "2.0" && context != nullptr &&
      objectField(*context, "http") != nullptr) {
    return EventKind::kApiGatewayV2;
  }
  if (stringField(*object, "httpMethod") != nullptr && object->contains("resource")) {
    return EventKind::kApiGatewayV1;
  }
  if (const auto* request = objectField(*object, "request");
      request != nullptr && stringField(*request, "type") != nullptr) {
    const auto* context = objectField(*object, "context");
    if ((context != nullptr && objectField(*context, "System") != nullptr) ||
        objectField(*object, "session") != nullptr) {
      return EventKind::kAlexa;
    }
  }
  return Error::kUnknownEvent;
}

result<http::Request> requestFromApiGatewayV1(const json::object& event) {
  const auto* method = stringField(event, "httpMethod");
  const auto* path = stringField(event, "path");
  if (method == nullptr || path == nullptr || !isMethod(*method) || !isPath(*path)) {
    return Error::kMalformedEvent;
  }
  auto message = startMessage(*method);

  // 1.0 hands the query over decoded; re-encode it so the router parses one form for all kinds.
  boost::urls::url query;
  const auto add_param = [&query](std::string_view key, std::string_view value) -> result<void> {
    query.params().append({key, value});
    return {};
  };
  auto multi_query = optionalObject(event, "multiValueQueryStringParameters");
  auto single_query = optionalObject(event, "queryStringParameters");
  if (!multi_query || !single_query) return Error::kMalformedEvent;
  if (*multi_query != nullptr) {
    if (auto ok = collect(**multi_query, true, add_param); !ok) return ok.error();
  } else if (*single_query != nullptr) {
    if (auto ok = collect(**single_query, false, add_param); !ok) return ok.error();
  }
  std::string target(*path);
  if (!query.encoded_query().empty()) {
    target += '?';
    target += query.encoded_query();
  }
  message.target(target);

  const auto add_header = [&message](std::string_view name, std::string_view value) {
    return addHeader(message, name, value);
  };
  auto multi_headers = optionalObject(event, "multiValueHeaders");
  auto single_headers = optionalObject(event, "headers");
  if (!multi_headers || !single_headers) return Error::kMalformedEvent;
  if (*multi_headers != nullptr) {
    if (auto ok = collect(**multi_headers, true, add_header); !ok) return ok.error();
  } else if (*single_headers != nullptr) {
    if (auto ok = collect(**single_headers, false, add_header); !ok) return ok.error();
  }

  auto body = decodeBody(event);
  if (!body) return body.error();
  message.body() = std::move(*body);
  const auto* context = objectField(event, "requestContext");
  return fromHttpsClient(std::move(message),
                         context != nullptr ? objectField(*context, "identity") : nullptr);
}

result<http::Request> requestFromApiGatewayV2(const json::object& event) {
  const auto* context = objectField(event, "requestContext");
  const auto* http_context = context != nullptr ? objectField(*context, "http") : nullptr;
  const auto* method = http_context != nullptr ? stringField(*http_context, "method") : nullptr;
  const auto* path = stringField(event, "rawPath");
  if (method == nullptr || path == nullptr || !isMethod(*method) || !isPath(*path)) {
    return Error::kMalformedEvent;
  }
  auto message = startMessage(*method);
  std::string target(*path);
  if (const auto* query = event.if_contains("rawQueryString");
      query != nullptr && !query->is_null()) {
    if (!query->is_string() || !isHeaderSafe(query->get_string()) ||
        query->get_string().find_first_of(" #") != json::string::npos) {
      return Error::kMalformedEvent;
    }
    if (!query->get_string().empty()) {
      target += '?';
      target += query->get_string();
    }
  }
  message.target(target);

  auto headers = optionalObject(event, "headers");
  if (!headers) return Error::kMalformedEvent;
  if (*headers != nullptr) {
    auto ok = collect(**headers, false, [&message](std::string_view name, std::string_view value) {
      return addHeader(message, name, value);
    });
    if (!ok) return ok.error();
  }
  // 2.0 moves the Cookie header into an array; the router expects the header back.
  if (const auto* cookies = event.if_contains("cookies");
      cookies != nullptr && !cookies->is_null()) {
    if (!cookies->is_array()) return Error::kMalformedEvent;
    std::string joined;
    for (const auto& cookie : cookies->get_array()) {
      if (!cookie.is_string()) return Error::kMalformedEvent;
      if (!joined.empty()) joined += "; ";
      joined += cookie.get_string();
    }
    if (!joined.empty()) {
      if (auto ok = addHeader(message, "cookie", joined); !ok) return ok.error();
    }
  }

  auto body = decodeBody(event);
  if (!body) return body.error();
  message.body() = std::move(*body);
  return fromHttpsClient(std::move(message), http_context);
}

json::object toApiGatewayV1(const http::Response& response) {
  // Group by name (case-insensitively, first spelling kept), preserving order.
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> groups;
  response.forEachHeader([&groups](std::string_view name, std::string_view value) {
    auto it = std::find_if(groups.begin(), groups.end(), [&name](const auto& group) {
      return core::equalsIgnoringAsciiCase(group.first, name);
    });
    if (it == groups.end()) {
      groups.push_back({name, {value}});
    } else {
      it->second.push_back(value);
    }
  });
  json::object headers;
  json::object multi;
  for (const auto& [name, values] : groups) {
    if (values.size() == 1) {
      headers[name] = values.front();
    } else {
      json::array list;
      for (const auto value : values) list.emplace_back(value);
      multi[name] = std::move(list);
    }
  }
  json::object out;
  out["statusCode"] = response.status();
  out["headers"] = std::move(headers);
  out["multiValueHeaders"] = std::move(multi);
  putBody(out, response);
  return out;
}

json::object toApiGatewayV2(const http::Response& response) {
  json::object headers;
  json::array cookies;
  std::vector<std::pair<std::string_view, std::string>> joined;
  response.forEachHeader([&](std::string_view name, std::string_view value) {
    if (core::equalsIgnoringAsciiCase(name, "set-cookie")) {
      cookies.emplace_back(value);
      return;
    }
    auto it = std::find_if(joined.begin(), joined.end(), [&name](const auto& entry) {
      return core::equalsIgnoringAsciiCase(entry.first, name);
    });
    if (it == joined.end()) {
      joined.emplace_back(name, value);
    } else {
      it->second += ", ";
      it->second += value;
    }
  });
  for (const auto& [name, value] : joined) headers[name] = value;
  json::object out;
  out["statusCode"] = response.status();
  out["headers"] = std::move(headers);
  if (!cookies.empty()) out["cookies"] = std::move(cookies);
  putBody(out, response);
  return out;
}

}  // namespace parley::lambda
