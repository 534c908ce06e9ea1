#include "parley/config/config.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "parley/core/error_category.hpp"

namespace parley::config {
namespace {

namespace json = boost::json;

const char* describe(Error error) noexcept {
  switch (error) {
    case Error::kUnreadableFile:
      return "config file cannot be read";
    case Error::kMalformedJson:
      return "config file is not valid JSON";
    case Error::kWrongType:
      return "config key has the wrong type";
    case Error::kInvalidValue:
      return "config key has an invalid value";
    case Error::kUnknownKey:
      return "config key is unknown";
    case Error::kBadEnvironment:
      return "environment name is invalid";
  }
  return "unknown config error";
}

// Carries the first problem out of the nested readers; parse() turns it into a LoadError.
struct Failure {
  LoadError error;
};

[[noreturn]] void fail(Error code, std::string message) {
  throw Failure{{code, std::move(message)}};
}

// "tablePrefix" → "TABLE_PREFIX".
std::string screaming(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back('_');
      out.push_back(c);
    } else if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else {
      out.push_back(c == '.' ? '_' : c);
    }
  }
  return out;
}

std::string_view typeName(json::kind kind) {
  switch (kind) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

// Reads one JSON object, key by key, into typed fields. Each scalar key may be replaced by its
// environment variable; keys nobody asked for are rejected in finish().
class Section {
 public:
  Section(const std::string& file, const Environment& environment, const json::object* object,
          std::string path)
      : file_(file), environment_(environment), object_(object), path_(std::move(path)) {}

  void field(std::string_view key, std::string& out) {
    if (auto text = override(key)) {
      out = *text;
    } else if (const auto* value = find(key)) {
      if (!value->is_string()) wrongType(key, "a string", *value);
      out = std::string{value->get_string()};
    }
  }

  void field(std::string_view key, bool& out) {
    if (auto text = override(key)) {
      if (*text == "true" || *text == "1") {
        out = true;
      } else if (*text == "false" || *text == "0") {
        out = false;
      } else {
        problem(Error::kWrongType, key, "expected true or false");
      }
    } else if (const auto* value = find(key)) {
      if (!value->is_bool()) wrongType(key, "a boolean", *value);
      out = value->get_bool();
    }
  }

  template <class Integer>
  void field(std::string_view key, Integer& out, std::uint64_t min, std::uint64_t max) {
    std::optional<std::uint64_t> number;
    if (auto text = override(key)) {
      number = parseUnsigned(*text);
      if (!number) problem(Error::kWrongType, key, range("expected an integer", min, max));
    } else if (const auto* value = find(key)) {
      if (!value->is_int64() && !value->is_uint64()) {
        wrongType(key, range("an integer", min, max), *value);
      }
      number = integerOf(*value);  // empty when negative: out of range below
    } else {
      return;
    }
    if (!number || *number < min || *number > max) {
      problem(Error::kInvalidValue, key, range("expected an integer", min, max));
    }
    out = static_cast<Integer>(*number);
  }

  void field(std::string_view key, std::optional<std::uint64_t>& out) {
    constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
    if (auto text = override(key)) {
      if (*text == "null" || text->empty()) {
        out.reset();
        return;
      }
      out = parseUnsigned(*text);
      if (!out) problem(Error::kWrongType, key, "expected null or a non-negative integer");
    } else if (const auto* value = find(key)) {
      if (value->is_null()) {
        out.reset();
        return;
      }
      out = integerOf(*value);
      if (!out && value->is_int64()) {
        problem(Error::kInvalidValue, key, range("expected null or an integer", 0, kMax));
      }
      if (!out) wrongType(key, "null or a non-negative integer", *value);
    }
  }

  // A list of strings; the override is comma-separated ("" is the empty list).
  void field(std::string_view key, std::vector<std::string>& out) {
    if (auto text = override(key)) {
      out.clear();
      std::string_view rest{*text};
      while (!rest.empty()) {
        auto comma = rest.find(',');
        out.emplace_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (const auto* value = find(key)) {
      if (!value->is_array()) wrongType(key, "an array of strings", *value);
      out.clear();
      const auto& array = value->get_array();
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (!array[i].is_string()) {
          auto item = join(key) + "[" + std::to_string(i) + "]";
          fail(Error::kWrongType, file_ + ": " + item + ": expected a string, got " +
                                      std::string{typeName(array[i].kind())});
        }
        out.emplace_back(array[i].get_string());
      }
    }
  }

  // One of `allowed`, as a string.
  template <std::size_t N>
  std::size_t choice(std::string_view key, const std::array<std::string_view, N>& allowed,
                     std::size_t fallback) {
    std::string text;
    bool present = override(key).has_value() || find(key) != nullptr;
    field(key, text);
    if (!present) return fallback;
    for (std::size_t i = 0; i < N; ++i) {
      if (allowed[i] == text) return i;
    }
    problem(Error::kInvalidValue, key, "expected one of " + listOf(allowed));
  }

  // A non-empty list of strings, each one of `allowed`.
  template <std::size_t N>
  void choices(std::string_view key, std::vector<std::string>& out,
               const std::array<std::string_view, N>& allowed) {
    bool present = override(key).has_value() || find(key) != nullptr;
    field(key, out);
    if (!present) return;
    if (out.empty())
      problem(Error::kInvalidValue, key, "expected one or more of " + listOf(allowed));
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (std::find(allowed.begin(), allowed.end(), out[i]) == allowed.end()) {
        auto item = join(key) + "[" + std::to_string(i) + "]";
        fail(Error::kInvalidValue, file_ + ": " + item + ": expected one of " + listOf(allowed) +
                                       ", got \"" + out[i] + "\"");
      }
    }
  }

  // A nested object; absent means every key takes its default.
  Section section(std::string_view key) {
    const auto* value = find(key);
    if (value != nullptr && !value->is_object()) wrongType(key, "an object", *value);
    return {file_, environment_, value != nullptr ? &value->get_object() : nullptr, join(key)};
  }

  // The items of an array of objects, each read by `read(Section&, T&)`.
  template <class T, class Read>
  void objects(std::string_view key, std::vector<T>& out, Read read) {
    const auto* value = find(key);
    if (value == nullptr) return;
    if (!value->is_array()) wrongType(key, "an array of objects", *value);
    out.clear();
    const auto& array = value->get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      auto item = join(key) + "[" + std::to_string(i) + "]";
      if (!array[i].is_object()) {
        fail(Error::kWrongType, file_ + ": " + item + ": expected an object, got " +
                                    std::string{typeName(array[i].kind())});
      }
      // Items have no overrides: an index in a variable name would be fragile.
      Section section{file_, kNoEnvironment, &array[i].get_object(), item};
      out.push_back(read(section));
      section.finish();
    }
  }

  void finish() const {
    if (object_ == nullptr) return;
    for (const auto& entry : *object_) {
      if (!known_.contains(std::string{entry.key()})) {
        fail(Error::kUnknownKey, file_ + ": " + join(entry.key()) + ": unknown key");
      }
    }
  }

  // Another variable that also sets `key`, consulted after PARLEY_<PATH>.
  void alias(std::string_view key, std::string variable) {
    aliases_.emplace(std::string{key}, std::move(variable));
  }

 private:
  inline static const Environment kNoEnvironment{};

  [[nodiscard]] std::string join(std::string_view key) const {
    return path_.empty() ? std::string{key} : path_ + "." + std::string{key};
  }

  const json::value* find(std::string_view key) {
    known_.emplace(key);
    if (object_ == nullptr) return nullptr;
    return object_->if_contains(key);
  }

  std::optional<std::string> override(std::string_view key) {
    known_.emplace(key);
    auto variable = overrideVariable(join(key));
    if (auto value = environment_.get(variable)) {
      variable_ = variable;
      return value;
    }
    if (auto alias = aliases_.find(std::string{key}); alias != aliases_.end()) {
      if (auto value = environment_.get(alias->second)) {
        variable_ = alias->second;
        return value;
      }
    }
    variable_.clear();
    return std::nullopt;
  }

  static std::optional<std::uint64_t> integerOf(const json::value& value) {
    if (value.is_uint64()) return value.get_uint64();
    if (value.is_int64() && value.get_int64() >= 0) {
      return static_cast<std::uint64_t>(value.get_int64());
    }
    return std::nullopt;
  }

  static std::optional<std::uint64_t> parseUnsigned(std::string_view text) {
    std::uint64_t number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) {
      return std::nullopt;
    }
    return number;
  }

  template <std::size_t N>
  static std::string listOf(const std::array<std::string_view, N>& names) {
    std::string list;
    for (auto name : names) list += std::string{list.empty() ? "" : ", "} + std::string{name};
    return list;
  }

  static std::string range(std::string_view what, std::uint64_t min, std::uint64_t max) {
    return std::string{what} + " from " + std::to_string(min) + " to " + std::to_string(max);
  }

  [[noreturn]] void wrongType(std::string_view key, std::string_view expected,
                              const json::value& got) const {
    fail(Error::kWrongType, file_ + ": " + join(key) + ": expected " + std::string{expected} +
                                ", got " + std::string{typeName(got.kind())});
  }

  // A problem with the value of `key`, from the file or from the variable that replaced it.
  [[noreturn]] void problem(Error code, std::string_view key, const std::string& what) const {
    std::string where = file_ + ": " + join(key);
    if (!variable_.empty()) where += " (from " + variable_ + ")";
    fail(code, where + ": " + what);
  }

  const std::string& file_;
  const Environment& environment_;
  const json::object* object_;
  std::string path_;
  std::set<std::string, std::less<>> known_;
  std::map<std::string, std::string, std::less<>> aliases_;
  std::string variable_;  // the variable behind the current value, for error messages
};

constexpr std::array<std::string_view, 2> kStorageTypes = {"sqlite", "dynamodb"};
constexpr std::array<std::string_view, 2> kProxyHeaders = {"x-forwarded", "forwarded"};
constexpr std::array<std::string_view, 2> kResponseTypes = {"code", "token"};
constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug",    "info", "warn",
                                                        "error", "critical", "off"};

void readServer(Section section, ServerOptions& server) {
  section.field("host", server.host);
  section.alias("port", "PORT");
  section.field("port", server.port, 0, 65535);
  section.field("ioThreads", server.io_threads, 1, 256);
  section.field("workerThreads", server.worker_threads, 0, 1024);
  section.field("bodyLimit", server.body_limit, 1, std::uint64_t{1} << 30);
  section.field("headerLimit", server.header_limit, 1, std::uint64_t{1} << 20);
  section.field("idleTimeoutSeconds", server.idle_timeout_seconds, 1, 86400);
  section.field("www", server.www);
  auto tls = section.section("tls");
  tls.field("cert", server.tls.cert);
  tls.field("key", server.tls.key);
  tls.finish();
  section.field("trustedProxies", server.trusted_proxies);
  server.proxy_headers = static_cast<http::ProxyHeaders>(section.choice(
      "proxyHeaders", kProxyHeaders, static_cast<std::size_t>(server.proxy_headers)));
  section.field("requireHttps", server.require_https);
  section.finish();
}

void readStorage(Section section, StorageOptions& storage) {
  storage.type = static_cast<StorageType>(
      section.choice("type", kStorageTypes, static_cast<std::size_t>(storage.type)));
  section.field("path", storage.path);
  section.field("region", storage.region);
  section.field("endpoint", storage.endpoint);
  section.field("tablePrefix", storage.table_prefix);
  section.field("caFile", storage.ca_file);
  section.finish();
}

void readSkill(Section section, SkillOptions& skill) {
  section.field("applicationIds", skill.application_ids);
  section.field("verifySignatures", skill.verify_signatures);
  section.field("views", skill.views);
  section.field("seed", skill.seed);
  section.finish();
}

void readLinking(Section section, LinkingOptions& linking, const Environment& environment) {
  section.field("mode", linking.mode);
  section.field("successPage", linking.success_page);
  section.objects("clients", linking.clients, [](Section& item) {
    LinkingClient client;
    item.field("id", client.id);
    item.field("secret", client.secret);
    item.field("name", client.name);
    item.field("redirectUris", client.redirect_uris);
    item.choices("responseTypes", client.response_types, kResponseTypes);
    return client;
  });
  section.field("requireTokenPepper", linking.require_token_pepper);
  // Secrets stay out of committed files: staging and production take them from the environment.
  for (auto& client : linking.clients) {
    if (auto secret = environment.get(clientSecretVariable(client.id))) client.secret = *secret;
  }
  section.finish();
}

// The bytes of lower- or upper-case hex `text`, or nullopt when it is not hex.
std::optional<std::string> decodeHex(std::string_view text) {
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (text.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = nibble(text[i]);
    const int low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

// PARLEY_TOKEN_PEPPER: 32 bytes as 64 hex characters. The messages never repeat the value.
void readTokenPepper(const std::string& file_name, const Environment& environment,
                     LinkingOptions& linking) {
  constexpr std::size_t kPepperHexChars = 64;
  constexpr std::string_view kHowToMake = "e.g. from `openssl rand -hex 32`";
  const std::string variable{kTokenPepperVariable};
  const auto text = environment.get(variable);
  if (text && !text->empty()) {
    auto bytes = text->size() == kPepperHexChars ? decodeHex(*text) : std::nullopt;
    if (!bytes) {
      fail(Error::kInvalidValue,
           variable + ": expected 64 hex characters (32 bytes, " + std::string{kHowToMake} + ")");
    }
    linking.token_pepper = std::move(*bytes);
  } else if (linking.require_token_pepper) {
    fail(Error::kInvalidValue, file_name + ": linking.requireTokenPepper: " + variable +
                                   " is not set (64 hex characters, " + std::string{kHowToMake} +
                                   ")");
  }
}

// Where a parse error is, as "line L, column C" (1-based).
std::string position(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

Result<json::value> parseJson(std::string_view text, const std::string& file_name) {
  json::stream_parser parser;
  boost::system::error_code error;
  std::size_t consumed = parser.write_some(text.data(), text.size(), error);
  if (!error && consumed < text.size()) error = json::error::extra_data;
  if (!error) parser.finish(error);
  if (error) {
    return LoadError{Error::kMalformedJson, file_name + ": malformed JSON at " +
                                                position(text, consumed) + ": " + error.message()};
  }
  return parser.release();
}

Result<std::string> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string hint;
    if (path.filename() == "local.json") hint = " (copy config/local.json.example to create it)";
    return LoadError{Error::kUnreadableFile,
                     path.string() + ": cannot read the config file" + hint};
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return LoadError{Error::kUnreadableFile, path.string() + ": cannot read the config file"};
  }
  return text.str();
}

bool isPlainName(std::string_view name) {
  return !name.empty() && std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

// The lambda.functionName of <directory>/<environment>.json, if that file exists and says so.
Result<std::optional<std::string>> lambdaFunctionName(const std::filesystem::path& directory,
                                                      const std::string& environment) {
  auto path = directory / (environment + ".json");
  std::error_code ignored;
  if (!std::filesystem::exists(path, ignored)) return std::optional<std::string>{};
  auto text = readFile(path);
  if (!text) return text.error();
  auto document = parseJson(*text, path.string());
  if (!document) return document.error();
  const auto* name = document->is_object() ? document->as_object().if_contains("lambda") : nullptr;
  if (name != nullptr && name->is_object()) name = name->as_object().if_contains("functionName");
  if (name == nullptr || !name->is_string()) return std::optional<std::string>{};
  return std::optional<std::string>{std::string{name->get_string()}};
}

}  // namespace

const boost::system::error_category& category() {
  static const core::ErrorCategory<Error> instance("parley.config", describe);
  return instance;
}

boost::system::error_code make_error_code(Error error) {
  return {static_cast<int>(error), category()};
}

void throw_exception_from_error(const LoadError& error, const boost::source_location& location) {
  boost::throw_exception(boost::system::system_error(make_error_code(error.code), error.message),
                         location);
}

std::string overrideVariable(std::string_view path) { return "PARLEY_" + screaming(path); }

std::string clientSecretVariable(std::string_view client_id) {
  std::string name{"PARLEY_LINKING_CLIENT_"};
  for (char c : client_id) {
    if (c >= 'a' && c <= 'z') {
      name.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      name.push_back(c);
    } else {
      name.push_back('_');
    }
  }
  return name + "_SECRET";
}

Result<Source> selectSource(const Environment& environment, const LoadOptions& options) {
  std::optional<std::filesystem::path> file = options.file;
  if (!file) {
    if (auto variable = environment.get("SKILL_CONFIG"); variable && !variable->empty()) {
      file = *variable;
    }
  }
  if (file) return Source{file->stem().string(), *file};

  auto pick = [&](std::string name) {
    auto path = options.directory / (name + ".json");
    return Source{std::move(name), std::move(path)};
  };
  if (auto name = environment.get("SKILL_ENV"); name && !name->empty()) {
    // The name becomes part of a path: no "../".
    if (!isPlainName(*name)) {
      return LoadError{Error::kBadEnvironment,
                       "SKILL_ENV: expected a name of letters, digits, '-' and '_'"};
    }
    return pick(*name);
  }
  if (auto function = environment.get("AWS_LAMBDA_FUNCTION_NAME"); function && !function->empty()) {
    for (const char* candidate : {"production", "staging"}) {
      auto configured = lambdaFunctionName(options.directory, candidate);
      if (!configured) return configured.error();
      if (*configured == *function) return pick(candidate);
    }
    return pick(function->find("production") != std::string::npos ? "production" : "staging");
  }
  return pick("local");
}

Result<Config> parse(std::string_view text, const std::string& file_name,
                     const Environment& environment) {
  auto document = parseJson(text, file_name);
  if (!document) return document.error();
  if (!document->is_object()) {
    return LoadError{Error::kWrongType, file_name + ": expected a JSON object at the top, got " +
                                            std::string{typeName(document->kind())}};
  }
  Config config;
  try {
    Section root{file_name, environment, &document->get_object(), ""};
    readServer(root.section("server"), config.server);
    readStorage(root.section("storage"), config.storage);
    readSkill(root.section("skill"), config.skill);
    readLinking(root.section("linking"), config.linking, environment);
    readTokenPepper(file_name, environment, config.linking);
    auto lambda = root.section("lambda");
    lambda.field("functionName", config.lambda.function_name);
    lambda.finish();
    auto log = root.section("log");
    config.log.level = std::string{kLogLevels[log.choice("level", kLogLevels, 2)]};
    log.finish();
    root.finish();
  } catch (const Failure& failure) {
    return failure.error;
  }
  return config;
}

Result<Config> load(const Environment& environment, const LoadOptions& options) {
  auto source = selectSource(environment, options);
  if (!source) return source.error();
  auto text = readFile(source->file);
  if (!text) return text.error();
  auto config = parse(*text, source->file.string(), environment);
  if (!config) return config.error();
  config->environment = source->environment;
  config->file = source->file;
  return config;
}

}  // namespace parley::config
