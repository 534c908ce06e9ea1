#include "parley/http/server.hpp"

#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "parley/core/log.hpp"
#include "parley/http/forwarded.hpp"

namespace parley::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Room in the read buffer beyond the header limit, for body bytes and pipelined requests.
constexpr std::size_t kBufferSlack = 16 * 1024;
// Initial read buffer: an Alexa request (1.5-4 KiB) arrives in one read instead of 512-byte ones.
constexpr std::size_t kInitialReadBuffer = 4 * 1024;
// After an error response, how long and how much of the rest of the request we read and drop
// so that the client sees the response instead of a reset.
constexpr auto kLingerTime = std::chrono::milliseconds(500);
constexpr std::size_t kLingerBytes = 256 * 1024;

constexpr const char* kModernCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// A connection's socket and its deadline. Touched only on the connection's strand, except for
// the registry stop() walks.
//
// One lazy watchdog timer per connection instead of a timer armed and cancelled around every
// read and write: moving the deadline forward is a store; the watchdog wakes when its old
// deadline passes, finds the new one and sleeps again.
struct Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)), watchdog(socket.get_executor()) {}

  // From now on, I/O taking longer than `limit` is cancelled.
  void expireAfter(std::chrono::milliseconds limit) {
    deadline = SteadyClock::now() + limit;
    // Sleeping past the new deadline (none was set, or the last one fired): wake it to re-arm.
    if (watchdog.expiry() > deadline) watchdog.cancel();
  }

  // Pending reads and writes fail with operation_aborted: the session gives up.
  void cancelIo() {
    error_code ignored;
    socket.cancel(ignored);
  }

  tcp::socket socket;
  asio::steady_timer watchdog;
  SteadyClock::time_point deadline{SteadyClock::time_point::max()};
  std::string response_header{};  // serialized for each response, one buffer per connection
  bool idle{false};               // waiting for the first byte of the next request
  bool alive{true};
};

asio::awaitable<void> watch(std::shared_ptr<Connection> connection) {
  while (connection->alive) {
    connection->watchdog.expires_at(connection->deadline);
    co_await connection->watchdog.async_wait(kUseTuple);
    if (!connection->alive) co_return;
    if (SteadyClock::now() >= connection->deadline) {
      connection->deadline = SteadyClock::time_point::max();
      connection->cancelIo();
    }
  }
}

using RequestParser = bhttp::request_parser<bhttp::string_body>;

// Reads into `buffer` and feeds `parser` until `done()`: what Beast's http::async_read does,
// without its layers of composed operations. Errors are Beast's (need_more never escapes).
template <class Stream, class Done>
asio::awaitable<error_code> readUntil(Stream& stream, beast::flat_buffer& buffer,
                                      RequestParser& parser, Done done) {
  constexpr std::size_t kMinRead = 512;
  constexpr std::size_t kMaxRead = 64 * 1024;
  error_code ec;
  while (!done()) {
    if (buffer.size() > 0) {
      const auto used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (ec && ec != bhttp::error::need_more) co_return ec;
      if (!ec && used > 0) continue;
      ec = {};
    }
    const auto room = buffer.max_size() - buffer.size();
    if (room == 0) co_return bhttp::error::buffer_overflow;
    const auto size =
        std::min(std::max(kMinRead, buffer.capacity() - buffer.size()), std::min(kMaxRead, room));
    auto [read_ec, n] = co_await stream.async_read_some(buffer.prepare(size), kUseTuple);
    buffer.commit(n);
    if (read_ec == asio::error::eof) {
      if (!parser.got_some()) co_return bhttp::error::end_of_stream;
      parser.put_eof(ec);
      if (ec) co_return ec;
      continue;
    }
    if (read_ec) co_return read_ec;
  }
  co_return ec;
}

// Status line, the response's fields and the framing ones, into `out` (a connection reuses its
// buffer): written together with the body in one call.
void serializeHeader(const Response& response, bool keep_alive, std::string& out) {
  const auto status = response.status();
  out.clear();
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += bhttp::obsolete_reason(bhttp::int_to_status(status));
  out += "\r\n";
  out += response.fields();
  if (status >= 200 && status != 204 && status != 304) {
    out += "Content-Length: ";
    out += std::to_string(response.body().size());
    out += "\r\n";
  }
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
}

// Writes `response` (its header only for HEAD), the header serialized in the connection's buffer.
template <class Stream>
asio::awaitable<std::tuple<error_code, std::size_t>> writeResponse(Stream& stream,
                                                                   Connection& connection,
                                                                   const Response& response,
                                                                   bool keep_alive,
                                                                   bool header_only) {
  auto& header = connection.response_header;
  serializeHeader(response, keep_alive, header);
  const std::array<asio::const_buffer, 2> buffers{
      asio::buffer(header), header_only ? asio::const_buffer{} : asio::buffer(response.body())};
  co_return co_await asio::async_write(stream, buffers, kUseTuple);
}

unsigned statusForReadError(const error_code& ec) {
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec.category() == make_error_code(bhttp::error::bad_version).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return 400;
  }
  return 0;  // transport trouble or timeout: nobody to answer
}

}  // namespace

struct Server::Impl {
  Impl(const Router& r, ServerOptions o)
      : router(r),
        options(std::move(o)),
        log(core::logger("http")),
        ioc(static_cast<int>(std::max<std::size_t>(1, options.io_threads))) {
    if (options.worker_threads > 0) workers.emplace(options.worker_threads);
    if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
      tls.emplace(ssl::context::tls_server);
      SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
      SSL_CTX_set_cipher_list(tls->native_handle(), kModernCiphers);
      tls->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                       ssl::context::single_dh_use);
      SSL_CTX_set_options(tls->native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
      tls->use_certificate_chain_file(options.tls_cert_file);
      tls->use_private_key_file(options.tls_key_file, ssl::context::pem);
    }
    tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    bound_port = acceptor.local_endpoint().port();
  }

  // With one I/O thread a connection's handlers cannot run concurrently: no strand needed.
  asio::any_io_executor connectionExecutor() {
    if (options.io_threads <= 1) return ioc.get_executor();
    return asio::make_strand(ioc);
  }

  asio::awaitable<void> acceptLoop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(connectionExecutor(), kUseTuple);
      if (ec) {
        if (!acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
        // Out of descriptors and the like: back off instead of spinning.
        log->warn("accept failed: {}", ec.message());
        asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
        co_await pause.async_wait(kUseTuple);
        continue;
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, session(std::move(socket)), [this](std::exception_ptr failure) {
        if (!failure) return;
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& e) {
          log->error("connection failed: {}", e.what());
        }
      });
    }
  }

  // Registers the connection for stop(); unregisters when the session ends.
  struct Registration {
    Registration(Impl& i, std::shared_ptr<Connection> c) : impl(i), connection(std::move(c)) {
      std::lock_guard lock(impl.mutex);
      impl.connections.insert(connection);
    }
    ~Registration() {
      connection->alive = false;
      connection->watchdog.cancel();
      std::lock_guard lock(impl.mutex);
      impl.connections.erase(connection);
      if (impl.connections.empty()) impl.drained.notify_all();
    }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    Impl& impl;
    std::shared_ptr<Connection> connection;
  };

  asio::awaitable<void> session(tcp::socket socket) {
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto connection = std::make_shared<Connection>(std::move(socket));
    Registration registration(*this, connection);
    connection->expireAfter(options.idle_timeout);
    asio::co_spawn(connection->socket.get_executor(), watch(connection), asio::detached);
    if (!tls) {
      co_await serve(connection->socket, *connection);
      connection->socket.shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
    ssl::stream<tcp::socket&> secure(connection->socket, *tls);
    auto [handshake_ec] = co_await secure.async_handshake(ssl::stream_base::server, kUseTuple);
    if (handshake_ec) co_return;
    co_await serve(secure, *connection);
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream, Connection& connection) {
    beast::flat_buffer buffer(options.header_limit + kBufferSlack);
    buffer.reserve(kInitialReadBuffer);
    boost::system::error_code peer_ec;
    const auto peer = connection.socket.remote_endpoint(peer_ec);
    const auto peer_address =
        peer_ec ? std::nullopt : std::optional<asio::ip::address>{peer.address()};
    // The client of every request on this connection, when headers cannot change it: no peer
    // address, or no trusted proxies (then the peer itself).
    std::optional<Client> connection_client;
    if (!peer_address) {
      connection_client = Client{.https = tls.has_value()};
    } else if (options.forwarding.trusted_proxies.empty()) {
      connection_client =
          resolveClient(options.forwarding, *peer_address, tls.has_value(), Request{});
    }
    for (;;) {
      if (stopping.load()) co_return;
      RequestParser parser;
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      parser.body_limit(options.body_limit);
      connection.idle = buffer.size() == 0;
      connection.expireAfter(options.idle_timeout);
      const auto header_ec =
          co_await readUntil(stream, buffer, parser, [&] { return parser.is_header_done(); });
      connection.idle = false;
      if (header_ec) {
        co_await answerReadError(stream, connection, header_ec, buffer);
        co_return;
      }
      const auto request_started = SteadyClock::now();
      if (!parser.is_done()) {
        const auto& header = parser.get();
        auto expect = header.find(bhttp::field::expect);
        if (expect != header.end() && beast::iequals(expect->value(), "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          auto [continue_ec, sent] =
              co_await asio::async_write(stream, asio::buffer(kContinue), kUseTuple);
          if (continue_ec) co_return;
        }
        const auto body_ec =
            co_await readUntil(stream, buffer, parser, [&] { return parser.is_done(); });
        if (body_ec) {
          co_await answerReadError(stream, connection, body_ec, buffer);
          co_return;
        }
      }

      Request request(parser.release());
      request.setId(next_id.fetch_add(1, std::memory_order_relaxed));
      auto client = connection_client ? *connection_client
                                      : resolveClient(options.forwarding, *peer_address,
                                                      tls.has_value(), request);
      request.setRemoteAddress(std::move(client.address));
      request.setHttps(client.https);
      Response response = co_await dispatch(request);
      const bool keep_alive = request.keepAlive() && !stopping.load();
      const auto body_size = response.body().size();
      connection.expireAfter(options.idle_timeout);
      // Handle the other requests that are ready first, then write: the answers to one burst
      // leave together, so a client holding many connections (a load balancer) is woken once
      // per burst rather than once per answer: 6-15 % less CPU per request at 32 connections
      // (README); one request alone pays a queue hop.
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      auto [write_ec, written] = co_await writeResponse(stream, connection, response, keep_alive,
                                                        request.method() == Verb::head);
      if (options.log_requests) {
        auto micros = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() -
                                                                            request_started);
        log->info("[{}] {} {} {} {}B {}us", request.id(), request.methodString(), request.path(),
                  response.status(), body_size, micros.count());
      }
      if (write_ec || !keep_alive) co_return;
    }
  }

  asio::awaitable<Response> dispatch(const Request& request) {
    auto matched = router.match(request);
    Response response;
    if (matched.route == nullptr) {
      response = std::move(matched.response);
    } else if (matched.route->options.blocking && workers) {
      const auto* route = matched.route;
      response = co_await asio::co_spawn(
          *workers,
          [this, route, &request]() -> asio::awaitable<Response> {
            co_return router.invoke(*route, request);
          },
          asio::use_awaitable);
    } else {
      response = router.invoke(*matched.route, request);
    }
    router.finish(request, response);
    co_return response;
  }

  // Answers a request we refuse to read (413, 431, 400), then closes. A timeout or a dropped
  // connection gets no answer.
  template <class Stream>
  asio::awaitable<void> answerReadError(Stream& stream, Connection& connection,
                                        const error_code& ec, beast::flat_buffer& buffer) {
    const unsigned status = statusForReadError(ec);
    if (status == 0) co_return;
    Response response = Response::error(status);
    Request unknown;
    unknown.setHttps(tls.has_value());
    router.finish(unknown, response);
    connection.expireAfter(options.idle_timeout);
    auto [write_ec, written] = co_await writeResponse(stream, connection, response, false, false);
    if (options.log_requests) log->info("[-] - - {} (rejected: {})", status, ec.message());
    if (write_ec || tls) co_return;
    // Half-close and drain, so that the client reads our answer rather than a reset caused by
    // the request bytes it is still sending.
    error_code ignored;
    connection.socket.shutdown(tcp::socket::shutdown_send, ignored);
    connection.expireAfter(kLingerTime);
    std::size_t discarded = 0;
    while (discarded < kLingerBytes) {
      buffer.clear();
      auto [read_ec, n] =
          co_await connection.socket.async_read_some(buffer.prepare(16 * 1024), kUseTuple);
      if (read_ec) break;
      discarded += n;
    }
  }

  void start() {
    std::lock_guard lock(lifecycle);
    if (started) return;
    started = true;
    asio::co_spawn(acceptor.get_executor(), acceptLoop(), [](std::exception_ptr) {});
    if (options.stop_on_signals) {
      signals.emplace(ioc, SIGINT, SIGTERM);
      signals->async_wait([this](const error_code& ec, int signal) {
        if (ec) return;
        log->info("signal {}: shutting down", signal);
        requestStop();
      });
    }
    const auto count = std::max<std::size_t>(1, options.io_threads);
    for (std::size_t i = 0; i < count; ++i) threads.emplace_back([this] { ioc.run(); });
    log->info("listening on {}://{}:{}", tls ? "https" : "http", options.host, bound_port);
  }

  void requestStop() {
    std::lock_guard lock(mutex);
    stop_requested = true;
    drained.notify_all();
  }

  void waitForStopRequest() {
    std::unique_lock lock(mutex);
    drained.wait(lock, [this] { return stop_requested; });
  }

  void shutdown() {
    std::lock_guard guard(lifecycle);
    if (stopped) return;
    stopped = true;
    stopping.store(true);
    if (started) {
      asio::post(acceptor.get_executor(), [this] {
        error_code ignored;
        acceptor.close(ignored);
        if (signals) signals->cancel(ignored);
      });
      std::unique_lock lock(mutex);
      for (const auto& connection : connections) {
        asio::post(connection->socket.get_executor(), [connection] {
          if (connection->alive && connection->idle) connection->cancelIo();
        });
      }
      if (!drained.wait_for(lock, options.shutdown_timeout,
                            [this] { return connections.empty(); })) {
        log->warn("shutdown: {} connections still open after {}ms", connections.size(),
                  options.shutdown_timeout.count());
      }
    }
    ioc.stop();
    for (auto& thread : threads) thread.join();
    threads.clear();
    if (workers) workers->join();
    if (started) log->info("stopped");
  }

  const Router& router;
  ServerOptions options;
  std::shared_ptr<spdlog::logger> log;

  // Declared before the io_context: session frames it destroys unregister themselves here.
  std::mutex mutex;  // connections, stop_requested
  std::condition_variable drained;
  std::unordered_set<std::shared_ptr<Connection>> connections{};
  bool stop_requested{false};

  std::mutex lifecycle;  // start/shutdown
  bool started{false};
  bool stopped{false};

  std::optional<ssl::context> tls{};
  asio::io_context ioc;
  std::optional<asio::thread_pool> workers{};  // absent: blocking routes run on the I/O threads
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  std::optional<asio::signal_set> signals{};
  unsigned short bound_port{0};
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> next_id{1};
  std::vector<std::thread> threads{};
};

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

Server::~Server() { stop(); }

unsigned short Server::port() const { return impl_->bound_port; }

void Server::start() { impl_->start(); }

void Server::run() {
  impl_->start();
  impl_->waitForStopRequest();
  impl_->shutdown();
}

void Server::stop() {
  impl_->requestStop();
  impl_->shutdown();
}

}  // namespace parley::http
