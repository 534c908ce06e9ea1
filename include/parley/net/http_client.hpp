#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parley/net/error.hpp"

namespace parley::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

// An outgoing HTTP/1.1 request. `url` is absolute: http(s)://host[:port]/path?query.
// Host, Content-Length and User-Agent are added unless given in `headers`.
struct Request {
  std::string method{"GET"};
  std::string url{};
  Headers headers{};
  std::string body{};
};

struct Response {
  unsigned status{0};
  Headers headers{};
  std::string body{};

  // First header with this name (ASCII case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct RequestOptions {
  // Deadline for the whole exchange: connect, TLS, write, read.
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  // Largest accepted response body; over it the request fails with Error::kTooLarge.
  std::size_t body_limit{8 * 1024 * 1024};
};

// Synchronous outgoing HTTP, called from worker threads. An interface so that tests fake it.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual boost::system::result<Response> send(const Request& request,
                                               const RequestOptions& options) = 0;
  boost::system::result<Response> send(const Request& request) { return send(request, {}); }
};

// HttpClient on Boost.Beast + OpenSSL. Thread-safe: concurrent send() calls each use their own
// connection, taken from (and given back to) a bounded keep-alive pool per scheme://host:port.
// A pooled connection that the server closed meanwhile is retried once on a fresh one.
class BeastHttpClient final : public HttpClient {
 public:
  struct Options {
    // PEM bundle of trusted CAs; empty means OpenSSL's default paths. The constructor throws
    // when it cannot be read; it is parsed on the first HTTPS request. Debian keeps it at
    // /etc/ssl/certs/ca-certificates.crt, Amazon Linux at /etc/pki/tls/certs/ca-bundle.crt.
    std::string ca_file{};
    // Time to resolve, connect and finish the TLS handshake (also bounded by the request timeout).
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
    // Idle connections kept per scheme://host:port and in total.
    std::size_t max_idle_per_host{8};
    std::size_t max_idle_total{64};
    // Idle connections older than this are closed instead of reused.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
    // Largest accepted response header block.
    std::size_t header_limit{64 * 1024};
    std::string user_agent{"parley"};
  };

  BeastHttpClient();
  explicit BeastHttpClient(Options options);
  ~BeastHttpClient() override;
  BeastHttpClient(const BeastHttpClient&) = delete;
  BeastHttpClient& operator=(const BeastHttpClient&) = delete;

  using HttpClient::send;
  boost::system::result<Response> send(const Request& request,
                                       const RequestOptions& options) override;

  // Idle connections currently pooled (for tests and diagnostics).
  std::size_t idleConnections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::net
