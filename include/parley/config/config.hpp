#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "parley/config/environment.hpp"
#include "parley/config/options.hpp"

namespace parley::config {

enum class Error {
  kUnreadableFile = 1,  // missing or unreadable config file
  kMalformedJson,
  kWrongType,       // a key holds the wrong JSON type
  kInvalidValue,    // right type, unacceptable value (range, enum)
  kUnknownKey,      // probably a typo; rejected rather than ignored
  kBadEnvironment,  // SKILL_ENV is not a plain name
};

const boost::system::error_category& category();
boost::system::error_code make_error_code(Error error);

// Why configuration could not be loaded, as one line naming the file (or variable) and the key:
// "config/local.json: server.port: expected an integer from 0 to 65535".
struct LoadError {
  Error code{};
  std::string message{};
};

[[noreturn]] void throw_exception_from_error(const LoadError& error,
                                             const boost::source_location& location);

template <class T>
using Result = boost::system::result<T, LoadError>;

// Which file to read and what the environment is called.
struct Source {
  std::string environment{};
  std::filesystem::path file{};
};

struct LoadOptions {
  std::optional<std::filesystem::path> file{};  // `--config FILE`; wins over everything
  std::filesystem::path directory{"config"};    // where <env>.json files live
};

// The file, first match wins:
//   1. options.file (`--config FILE`), then SKILL_CONFIG: that file; the environment is its stem.
//   2. SKILL_ENV: <directory>/<SKILL_ENV>.json.
//   3. AWS_LAMBDA_FUNCTION_NAME set: the environment among production and staging whose
//      lambda.functionName equals it; else production if the name contains "production";
//      else staging.
//   4. local.
Result<Source> selectSource(const Environment& environment, const LoadOptions& options = {});

// Typed configuration from JSON `text` (named `file_name` in errors), with single keys replaced by
// environment variables: PARLEY_<PATH> where PATH is the key path upper-cased with "_" between
// words (server.port → PARLEY_SERVER_PORT, storage.tablePrefix → PARLEY_STORAGE_TABLE_PREFIX,
// server.tls.cert → PARLEY_SERVER_TLS_CERT); lists take comma-separated values; PORT also sets
// server.port when PARLEY_SERVER_PORT is not set. In linking.clients only the secret has one:
// clientSecretVariable(id). The token pepper comes from kTokenPepperVariable only.
Result<Config> parse(std::string_view text, const std::string& file_name,
                     const Environment& environment);

// selectSource, then read and parse the file.
Result<Config> load(const Environment& environment, const LoadOptions& options = {});

// The variable that overrides `path` ("storage.tablePrefix" → "PARLEY_STORAGE_TABLE_PREFIX").
std::string overrideVariable(std::string_view path);

// The variable holding the token pepper (64 hex characters), the only place it is read from.
inline constexpr std::string_view kTokenPepperVariable = "PARLEY_TOKEN_PEPPER";

// The variable that replaces the secret of the linking client `client_id`: upper-cased, other
// characters as "_" ("alexa-skill" → "PARLEY_LINKING_CLIENT_ALEXA_SKILL_SECRET").
std::string clientSecretVariable(std::string_view client_id);

}  // namespace parley::config

template <>
struct boost::system::is_error_code_enum<parley::config::Error> : std::true_type {};
