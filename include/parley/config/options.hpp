#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "parley/http/proxy_headers.hpp"

// Typed configuration, filled from config/<env>.json (see config/README.md for every key). Each
// field's default is what an absent key means. Modules do not read these: src/cli maps them to
// each module's own Options.
namespace parley::config {

struct TlsOptions {
  std::string cert{};  // PEM file; empty (with key) serves plain HTTP
  std::string key{};
};

struct ServerOptions {
  std::string host{"127.0.0.1"};
  std::uint16_t port{3000};
  int io_threads{1};
  int worker_threads{2};
  std::size_t body_limit{65536};
  std::size_t header_limit{8192};
  int idle_timeout_seconds{30};
  std::string www{"www"};  // templates/ and static/ of the linking pages
  TlsOptions tls{};
  // Addresses or CIDR ranges of reverse proxies whose client address and scheme headers count.
  std::vector<std::string> trusted_proxies{};
  http::ProxyHeaders proxy_headers{http::ProxyHeaders::kXForwarded};
  // Requests that did not arrive over HTTPS are redirected or refused (spec R4).
  bool require_https{false};
};

enum class StorageType { kSqlite, kDynamoDb };

struct StorageOptions {
  StorageType type{StorageType::kSqlite};
  std::string path{"parley-local.db"};  // sqlite
  std::string region{};                 // dynamodb; empty: from AWS_REGION
  std::string endpoint{};               // dynamodb; empty: the region's AWS endpoint
  std::string table_prefix{"parley-"};  // dynamodb table names are <prefix><table>
  std::string ca_file{};                // dynamodb; empty: the system CA bundle
};

struct SkillOptions {
  std::vector<std::string> application_ids{};  // empty: any application id is accepted
  bool verify_signatures{false};
  std::string views{"app/views"};
  std::optional<std::uint64_t> seed{};  // fixes view variant choice (tests); absent: random
};

struct LinkingClient {
  std::string id{};
  std::string secret{};
  std::string name{};
  std::vector<std::string> redirect_uris{};
  // "code" (authorization code grant) and/or "token" (implicit grant, spec R15).
  std::vector<std::string> response_types{"code"};
};

struct LinkingOptions {
  // "accounts" (sign-in with a password, the default) or "email-only" (the original starter
  // kit's flow); the linking module validates the value.
  std::string mode{"accounts"};
  bool success_page{true};
  std::vector<LinkingClient> clients{};
  // Refuse to start without a token pepper (true in staging and production).
  bool require_token_pepper{false};
  // The 32 bytes of PARLEY_TOKEN_PEPPER (given as 64 hex characters), never read from a file;
  // empty: tokens are stored as plain SHA-256. A secret: never log it.
  std::string token_pepper{};
};

struct LambdaOptions {
  std::string function_name{};
};

struct LogOptions {
  std::string level{"info"};  // trace, debug, info, warn, error, critical or off
};

struct Config {
  std::string environment{};     // "local", "staging", "production", "test", …
  std::filesystem::path file{};  // the file the values came from
  ServerOptions server{};
  StorageOptions storage{};
  SkillOptions skill{};
  LinkingOptions linking{};
  LambdaOptions lambda{};
  LogOptions log{};
};

}  // namespace parley::config
