#include "parley/aws/credentials.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "parley/core/ascii.hpp"
#include "parley/core/log.hpp"

namespace parley::aws {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<std::string> nonEmpty(const Environment& env, const std::string& name) {
  auto value = env(name);
  if (value && !value->empty()) return value;
  return std::nullopt;
}

std::optional<std::string> readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The key/value pairs of one [section] of an INI file as the AWS CLI writes it.
std::optional<std::map<std::string, std::string>> iniSection(std::string_view text,
                                                             std::string_view section) {
  std::optional<std::map<std::string, std::string>> found;
  bool inside = false;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      std::size_t close = line.find(']');
      inside = close != std::string_view::npos && trim(line.substr(1, close - 1)) == section;
      if (inside && !found) found.emplace();
      continue;
    }
    std::size_t equals = line.find('=');
    if (!inside || equals == std::string_view::npos) continue;
    const auto key = core::asciiLowercase(trim(line.substr(0, equals)));
    (*found)[key] = std::string(trim(line.substr(equals + 1)));
  }
  return found;
}

bool allowedHttpHost(std::string_view host) {
  // The SDKs refuse plain http to anything but loopback and the container agents' addresses.
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

}  // namespace

Environment processEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    // Read-only lookups; Parley never calls setenv after start-up.
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Environment fixedEnvironment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

std::optional<Credentials> credentialsFromEnvironment(const Environment& env) {
  auto key = nonEmpty(env, "AWS_ACCESS_KEY_ID");
  auto secret = nonEmpty(env, "AWS_SECRET_ACCESS_KEY");
  if (!key || !secret) return std::nullopt;
  return Credentials{.access_key_id = std::move(*key),
                     .secret_access_key = std::move(*secret),
                     .session_token = nonEmpty(env, "AWS_SESSION_TOKEN").value_or("")};
}

boost::system::result<std::optional<Credentials>> credentialsFromSharedFile(
    const Environment& env) {
  std::string path;
  if (auto configured = nonEmpty(env, "AWS_SHARED_CREDENTIALS_FILE")) {
    path = *configured;
  } else if (auto home = nonEmpty(env, "HOME")) {
    path = *home + "/.aws/credentials";
  } else {
    return std::optional<Credentials>{};
  }
  auto text = readWholeFile(path);
  if (!text) return std::optional<Credentials>{};
  std::string profile = nonEmpty(env, "AWS_PROFILE").value_or("default");
  auto section = iniSection(*text, profile);
  if (!section) return std::optional<Credentials>{};
  auto key = section->find("aws_access_key_id");
  auto secret = section->find("aws_secret_access_key");
  if (key == section->end() || secret == section->end() || key->second.empty() ||
      secret->second.empty()) {
    core::logger("aws")->warn("profile '{}' in {} lacks an access key or secret", profile, path);
    return Error::kInvalidCredentials;
  }
  Credentials credentials{.access_key_id = key->second, .secret_access_key = secret->second};
  if (auto token = section->find("aws_session_token"); token != section->end()) {
    credentials.session_token = token->second;
  }
  return std::optional<Credentials>{std::move(credentials)};
}

std::optional<std::chrono::system_clock::time_point> parseIso8601(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) {
      if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
  auto hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  std::size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) ++pos;
  }
  if (pos + 1 != text.size() || (text[pos] != 'Z' && text[pos] != 'z')) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year{*year},
                                   std::chrono::month{static_cast<unsigned>(*month)},
                                   std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
         std::chrono::seconds{*second};
}

boost::system::result<std::optional<Credentials>> credentialsFromContainer(
    const Environment& env, net::HttpClient& http, std::chrono::milliseconds timeout) {
  std::string url;
  if (auto relative = nonEmpty(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    url = "http://169.254.170.2" + *relative;
  } else if (auto full = nonEmpty(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    auto parsed = boost::urls::parse_absolute_uri(*full);
    if (!parsed) return Error::kCredentialsEndpointFailed;
    bool https = parsed->scheme() == "https";
    if (!https &&
        (parsed->scheme() != "http" || !allowedHttpHost(parsed->encoded_host_address()))) {
      core::logger("aws")->warn("container credentials URI host is not allowed over http");
      return Error::kCredentialsEndpointFailed;
    }
    url = *full;
  } else {
    return std::optional<Credentials>{};
  }

  net::Request request{.method = "GET", .url = url};
  std::optional<std::string> token;
  if (auto token_file = nonEmpty(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    token = readWholeFile(*token_file);
    if (!token) return Error::kCredentialsEndpointFailed;
    token = std::string(trim(*token));
  } else {
    token = nonEmpty(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token) request.headers.emplace_back("Authorization", *token);

  auto response = http.send(request, {.timeout = timeout, .body_limit = 64 * 1024});
  if (!response) {
    core::logger("aws")->warn("container credentials endpoint: {}", response.error().message());
    return Error::kCredentialsEndpointFailed;
  }
  if (response->status != 200) {
    core::logger("aws")->warn("container credentials endpoint answered {}", response->status);
    return Error::kCredentialsEndpointFailed;
  }
  boost::system::error_code ec;
  auto json = boost::json::parse(response->body, ec);
  if (ec || !json.is_object()) return Error::kInvalidCredentials;
  const auto& object = json.get_object();
  auto field = [&](std::string_view name) -> std::string {
    const auto* value = object.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
  };
  Credentials credentials{.access_key_id = field("AccessKeyId"),
                          .secret_access_key = field("SecretAccessKey"),
                          .session_token = field("Token")};
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Error::kInvalidCredentials;
  }
  if (std::string expiration = field("Expiration"); !expiration.empty()) {
    credentials.expiration = parseIso8601(expiration);
    if (!credentials.expiration) return Error::kInvalidCredentials;
  }
  return std::optional<Credentials>{std::move(credentials)};
}

DefaultCredentialsChain::DefaultCredentialsChain(Environment env, net::HttpClient& http,
                                                 const core::Clock& clock, Options options)
    : env_(std::move(env)), http_(http), clock_(clock), options_(options) {}

boost::system::result<Credentials> DefaultCredentialsChain::credentials() {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - options_.refresh_margin)) {
    return *cached_;
  }
  auto fresh = resolve();
  if (fresh) {
    cached_ = *fresh;
    return fresh;
  }
  // A failed refresh keeps credentials that have not expired yet.
  if (cached_ && cached_->expiration && now < *cached_->expiration) return *cached_;
  return fresh;
}

boost::system::result<Credentials> DefaultCredentialsChain::resolve() {
  if (auto from_env = credentialsFromEnvironment(env_)) return std::move(*from_env);
  auto from_file = credentialsFromSharedFile(env_);
  if (!from_file) return from_file.error();
  if (*from_file) return std::move(**from_file);
  auto from_container = credentialsFromContainer(env_, http_, options_.endpoint_timeout);
  if (!from_container) return from_container.error();
  if (*from_container) return std::move(**from_container);
  return Error::kNoCredentials;
}

std::optional<std::string> resolveRegion(std::string_view configured, const Environment& env) {
  if (!configured.empty()) return std::string(configured);
  if (auto region = nonEmpty(env, "AWS_REGION")) return region;
  return nonEmpty(env, "AWS_DEFAULT_REGION");
}

}  // namespace parley::aws
