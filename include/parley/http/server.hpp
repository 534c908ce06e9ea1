#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "parley/http/forwarded.hpp"
#include "parley/http/router.hpp"

namespace parley::http {

struct ServerOptions {
  std::string host{"127.0.0.1"};
  unsigned short port{3000};  // 0: any free port, see Server::port()
  std::size_t io_threads{1};
  // Threads for routes marked blocking. 0 runs them on the I/O threads: right when they block
  // only for microseconds (embedded SQLite), as a hop to another thread costs more than that.
  std::size_t worker_threads{2};
  std::size_t body_limit{64 * 1024};   // larger bodies: 413
  std::size_t header_limit{8 * 1024};  // larger request line + headers: 431
  // Bounds waiting for the next request on a keep-alive connection, reading one request
  // (slow clients) and writing one response.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
  // How long stop() waits for in-flight requests before closing anyway.
  std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(10)};
  // TLS 1.2+ when both are set (PEM files).
  std::string tls_cert_file{};
  std::string tls_key_file{};
  // Reverse proxies whose client address and scheme headers count (Request::remoteAddress(),
  // Request::https()); none by default.
  Forwarding forwarding{};
  // run() returns after SIGINT or SIGTERM (graceful shutdown).
  bool stop_on_signals{false};
  // One info line per request on the "http" logger.
  bool log_requests{true};
};

// HTTP/1.1 server on Boost.Beast: C++20 coroutines, a session per connection (on its own strand
// when there are several I/O threads), `io_threads` threads on one io_context and a worker pool
// for blocking routes. Keep-alive with requests answered in order, one at a time per connection
// (pipelined requests wait in a bounded buffer). Limits and timeouts from ServerOptions; malformed
// input gets 400 and a close.
//
// The constructor binds (throws boost::system::system_error when the address is taken or TLS
// files are unusable); the router must outlive the server.
class Server {
 public:
  Server(const Router& router, ServerOptions options);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (useful with port 0).
  unsigned short port() const;
  // Starts the I/O threads and returns.
  void start();
  // start(), then blocks until stop() is called from another thread or, with stop_on_signals,
  // SIGINT/SIGTERM arrives; then shuts down gracefully and returns.
  void run();
  // Graceful shutdown: stop accepting, close idle connections, let in-flight requests finish
  // (up to shutdown_timeout), join the threads. Idempotent; not from a handler.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::http
