#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "parley/aws/error.hpp"
#include "parley/aws/sigv4.hpp"
#include "parley/core/clock.hpp"
#include "parley/net/http_client.hpp"

namespace parley::aws {

// Reads one environment variable; injected so that tests never touch the process environment.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The real process environment (read-only use of getenv).
Environment processEnvironment();
// A fixed set of variables, for tests and embedders.
Environment fixedEnvironment(std::map<std::string, std::string> variables);

// Something that hands out credentials for signing. Implementations are thread-safe.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  virtual boost::system::result<Credentials> credentials() = 0;
};

// Always the same credentials (tests, dynalite, explicit configuration).
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}
  boost::system::result<Credentials> credentials() override { return credentials_; }

 private:
  Credentials credentials_;
};

// --- The individual sources, in the order the AWS SDKs try them. ---

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); nullopt when not both set.
std::optional<Credentials> credentialsFromEnvironment(const Environment& env);

// The shared credentials file: AWS_SHARED_CREDENTIALS_FILE or $HOME/.aws/credentials, section
// AWS_PROFILE (default "default"). Nullopt when the file or the profile is absent; an error when
// the profile exists but lacks a key.
boost::system::result<std::optional<Credentials>> credentialsFromSharedFile(const Environment& env);

// The container endpoint (ECS/Fargate/EKS): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on
// 169.254.170.2) or AWS_CONTAINER_CREDENTIALS_FULL_URI (loopback, the ECS/EKS link-local hosts,
// or any https URL), with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or
// AWS_CONTAINER_AUTHORIZATION_TOKEN as the Authorization header. Nullopt when neither URI is set.
boost::system::result<std::optional<Credentials>> credentialsFromContainer(
    const Environment& env, net::HttpClient& http, std::chrono::milliseconds timeout);

// Parses "2026-11-28T12:00:00Z" (fractional seconds allowed), as the endpoints send it.
std::optional<std::chrono::system_clock::time_point> parseIso8601(std::string_view text);

// Environment, then the shared file, then the container endpoint; the first source that has
// credentials wins. The result is cached; temporary credentials are fetched again
// `refresh_margin` before they expire. Thread-safe.
class DefaultCredentialsChain final : public CredentialsProvider {
 public:
  struct Options {
    std::chrono::seconds refresh_margin{std::chrono::minutes(5)};
    std::chrono::milliseconds endpoint_timeout{std::chrono::seconds(2)};
  };

  DefaultCredentialsChain(Environment env, net::HttpClient& http, const core::Clock& clock)
      : DefaultCredentialsChain(std::move(env), http, clock, Options{}) {}
  DefaultCredentialsChain(Environment env, net::HttpClient& http, const core::Clock& clock,
                          Options options);

  boost::system::result<Credentials> credentials() override;

 private:
  boost::system::result<Credentials> resolve();

  Environment env_;
  net::HttpClient& http_;
  const core::Clock& clock_;
  Options options_;
  std::mutex mutex_;
  std::optional<Credentials> cached_;
};

// The region: `configured` when not empty, else AWS_REGION, else AWS_DEFAULT_REGION.
std::optional<std::string> resolveRegion(std::string_view configured, const Environment& env);

}  // namespace parley::aws
