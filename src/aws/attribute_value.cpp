#include "parley/aws/attribute_value.hpp"

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <string>

#include "parley/aws/error.hpp"

namespace parley::aws {
namespace {

std::string formatNumber(const boost::json::value& number) {
  std::array<char, 64> buffer{};
  std::to_chars_result written{};
  if (number.is_int64()) {
    written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number.get_int64());
  } else if (number.is_uint64()) {
    written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number.get_uint64());
  } else {
    // Shortest text that reads back as the same double.
    written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number.get_double());
  }
  return {buffer.data(), written.ptr};
}

// DynamoDB nests at most 32 levels; deeper input is refused instead of recursing without bound.
constexpr int kMaxDepth = 32;

boost::system::result<boost::json::value> unmarshalAt(const boost::json::value& typed, int depth);

boost::system::result<boost::json::array> unmarshalSet(const boost::json::value& set,
                                                       bool numbers) {
  if (!set.is_array()) return Error::kBadResponse;
  boost::json::array out;
  out.reserve(set.get_array().size());
  for (const auto& element : set.get_array()) {
    if (!element.is_string()) return Error::kBadResponse;
    if (numbers) {
      auto number = parseNumber(element.get_string());
      if (!number) return number.error();
      out.push_back(*number);
    } else {
      out.push_back(element);
    }
  }
  return out;
}

boost::system::result<boost::json::value> unmarshalAt(const boost::json::value& typed, int depth) {
  if (depth > kMaxDepth || !typed.is_object() || typed.get_object().size() != 1) {
    return Error::kBadResponse;
  }
  const auto& [type, content] = *typed.get_object().begin();
  if (type == "S" || type == "B") {
    if (!content.is_string()) return Error::kBadResponse;
    return content;
  }
  if (type == "N") {
    if (!content.is_string()) return Error::kBadResponse;
    return parseNumber(content.get_string());
  }
  if (type == "BOOL") {
    if (!content.is_bool()) return Error::kBadResponse;
    return content;
  }
  if (type == "NULL") return boost::json::value(nullptr);
  if (type == "M") {
    if (!content.is_object()) return Error::kBadResponse;
    boost::json::object out;
    out.reserve(content.get_object().size());
    for (const auto& [name, member] : content.get_object()) {
      auto value = unmarshalAt(member, depth + 1);
      if (!value) return value.error();
      out.emplace(name, std::move(*value));
    }
    return out;
  }
  if (type == "L") {
    if (!content.is_array()) return Error::kBadResponse;
    boost::json::array out;
    out.reserve(content.get_array().size());
    for (const auto& element : content.get_array()) {
      auto value = unmarshalAt(element, depth + 1);
      if (!value) return value.error();
      out.push_back(std::move(*value));
    }
    return out;
  }
  if (type == "SS" || type == "BS" || type == "NS") {
    auto set = unmarshalSet(content, type == "NS");
    if (!set) return set.error();
    return std::move(*set);
  }
  return Error::kBadResponse;
}

}  // namespace

boost::json::value marshal(const boost::json::value& plain) {
  switch (plain.kind()) {
    case boost::json::kind::string:
      return {{"S", plain.get_string()}};
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return {{"N", formatNumber(plain)}};
    case boost::json::kind::bool_:
      return {{"BOOL", plain.get_bool()}};
    case boost::json::kind::null:
      return {{"NULL", true}};
    case boost::json::kind::array: {
      boost::json::array list;
      list.reserve(plain.get_array().size());
      for (const auto& element : plain.get_array()) list.push_back(marshal(element));
      return {{"L", std::move(list)}};
    }
    case boost::json::kind::object:
      return {{"M", marshalItem(plain.get_object())}};
  }
  return {{"NULL", true}};
}

boost::json::object marshalItem(const boost::json::object& plain) {
  boost::json::object out;
  out.reserve(plain.size());
  for (const auto& [name, value] : plain) out.emplace(name, marshal(value));
  return out;
}

boost::system::result<boost::json::value> unmarshal(const boost::json::value& typed) {
  return unmarshalAt(typed, 0);
}

boost::system::result<boost::json::object> unmarshalItem(const boost::json::object& typed) {
  boost::json::object out;
  out.reserve(typed.size());
  for (const auto& [name, value] : typed) {
    auto plain = unmarshalAt(value, 1);
    if (!plain) return plain.error();
    out.emplace(name, std::move(*plain));
  }
  return out;
}

boost::json::value attrS(std::string_view text) { return {{"S", text}}; }

boost::json::value attrN(std::int64_t number) { return {{"N", std::to_string(number)}}; }

boost::system::result<boost::json::value> parseNumber(std::string_view text) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (text.empty()) return Error::kBadResponse;
  std::int64_t as_int = 0;
  if (auto [ptr, ec] = std::from_chars(first, last, as_int); ec == std::errc{} && ptr == last) {
    return boost::json::value(as_int);
  }
  std::uint64_t as_uint = 0;
  if (auto [ptr, ec] = std::from_chars(first, last, as_uint); ec == std::errc{} && ptr == last) {
    return boost::json::value(as_uint);
  }
  double as_double = 0;
  if (auto [ptr, ec] = std::from_chars(first, last, as_double); ec == std::errc{} && ptr == last) {
    return boost::json::value(as_double);
  }
  return Error::kBadResponse;
}

}  // namespace parley::aws
