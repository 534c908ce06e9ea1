#include "parley/http/request.hpp"

#include <boost/beast/core/string.hpp>

namespace parley::http {

namespace bhttp = boost::beast::http;

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Request::Request(Verb method, std::string_view target, std::string body) {
  message_.method(method);
  message_.target(target);
  message_.version(11);
  message_.body() = std::move(body);
}

std::string_view Request::path() const {
  std::string_view target = message_.target();
  return target.substr(0, target.find('?'));
}

std::string_view Request::rawQuery() const {
  std::string_view target = message_.target();
  auto mark = target.find('?');
  return mark == std::string_view::npos ? std::string_view() : target.substr(mark + 1);
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  auto it = message_.find(name);
  if (it == message_.end()) return std::nullopt;
  return it->value();
}

Request& Request::setHeader(std::string_view name, std::string_view value) {
  message_.set(name, value);
  return *this;
}

boost::system::result<Params> Request::query() const {
  auto parsed = Params::parse(rawQuery(), false);
  if (!parsed) return Error::kMalformedQuery;
  return parsed;
}

boost::system::result<Params> Request::form() const {
  auto type = header("Content-Type").value_or("");
  auto media = trim(type.substr(0, type.find(';')));
  if (!boost::beast::iequals(media, "application/x-www-form-urlencoded")) return Error::kNotForm;
  auto parsed = Params::parse(message_.body(), true);
  if (!parsed) return Error::kMalformedForm;
  return parsed;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (auto it = message_.find(bhttp::field::cookie);
       it != message_.end() && it->name() == bhttp::field::cookie; ++it) {
    std::string_view rest = it->value();
    while (!rest.empty()) {
      auto end = rest.find(';');
      auto pair = trim(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
      auto value = trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

}  // namespace parley::http
