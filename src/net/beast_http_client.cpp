#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <exception>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "parley/core/log.hpp"
#include "parley/net/http_client.hpp"

namespace parley::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

struct Target {
  bool tls{false};
  std::string host{};  // for DNS, SNI and certificate checks (IPv6 without brackets)
  std::string port{};
  std::string target{};     // path and query
  std::string authority{};  // the Host header
  std::string pool_key{};
};

boost::system::result<Target> parseUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) {
    return Error::kInvalidUrl;
  }
  Target out;
  if (parsed->scheme_id() == boost::urls::scheme::https) {
    out.tls = true;
  } else if (parsed->scheme_id() != boost::urls::scheme::http) {
    return Error::kInvalidUrl;
  }
  out.host = parsed->host_address();
  out.port = parsed->port().empty() ? (out.tls ? "443" : "80") : std::string(parsed->port());
  out.target = parsed->encoded_target();
  if (out.target.empty()) out.target = "/";
  out.authority = parsed->encoded_host();
  if (!parsed->port().empty()) out.authority += ":" + out.port;
  out.pool_key = (out.tls ? "https://" : "http://") + out.host + ":" + out.port;
  return out;
}

bool hasLineBreak(std::string_view text) { return text.find_first_of("\r\n") != text.npos; }

Error classify(const error_code& ec) {
  if (ec == beast::error::timeout) return Error::kTimeout;
  if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit ||
      ec == bhttp::error::buffer_overflow) {
    return Error::kTooLarge;
  }
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe || ec == ssl::error::stream_truncated) {
    return Error::kConnectionClosed;
  }
  if (ec.category() == make_error_code(bhttp::error::bad_version).category()) {
    return Error::kBadResponse;
  }
  return Error::kIoFailed;
}

// One keep-alive connection. It owns its io_context so that send() can run the asynchronous,
// deadline-bounded operations to completion on the calling thread.
struct Connection {
  explicit Connection(ssl::context* tls_context) {
    if (tls_context != nullptr) {
      tls.emplace(ioc, *tls_context);
    } else {
      plain.emplace(ioc);
    }
  }
  beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*tls); }

  asio::io_context ioc{1};
  std::optional<beast::tcp_stream> plain{};
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls{};
  beast::flat_buffer buffer{};
  SteadyClock::time_point idle_since{};
};

struct Outcome {
  Error error{};
  bool failed{false};
  bool got_some{false};  // any byte of a response arrived
  bool keep_alive{false};
  Response response{};
};

template <class T>
T runToCompletion(asio::io_context& ioc, asio::awaitable<T> task) {
  std::optional<T> value;
  std::exception_ptr failure;
  asio::co_spawn(ioc, std::move(task), [&](std::exception_ptr e, T v) {
    failure = e;
    value = std::move(v);
  });
  ioc.restart();
  ioc.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*value);
}

asio::awaitable<error_code> connect(Connection& c, const Target& target,
                                    SteadyClock::time_point deadline) {
  tcp::resolver::results_type endpoints;
  error_code not_ip;
  const auto address = asio::ip::make_address(target.host, not_ip);
  unsigned short port = 0;
  const auto* port_end = target.port.data() + target.port.size();
  if (!not_ip && std::from_chars(target.port.data(), port_end, port).ptr == port_end) {
    // A literal address needs no lookup; asio would resolve it on a thread of its own, which
    // the Lambda cold start (the Runtime API is an IP and port) would pay for.
    endpoints =
        tcp::resolver::results_type::create(tcp::endpoint(address, port), target.host, target.port);
  } else {
    tcp::resolver resolver(co_await asio::this_coro::executor);
    auto [resolve_ec, resolved] =
        co_await resolver.async_resolve(target.host, target.port, kUseTuple);
    if (resolve_ec) co_return Error::kResolveFailed;
    endpoints = std::move(resolved);
  }
  auto& lowest = c.lowest();
  lowest.expires_at(deadline);
  auto [connect_ec, endpoint] = co_await lowest.async_connect(endpoints, kUseTuple);
  if (connect_ec == beast::error::timeout) co_return Error::kTimeout;
  if (connect_ec) co_return Error::kConnectFailed;
  error_code ignored;
  lowest.socket().set_option(tcp::no_delay(true), ignored);
  if (c.tls) {
    // SNI carries names only (RFC 6066 §3).
    if (not_ip && SSL_set_tlsext_host_name(c.tls->native_handle(), target.host.c_str()) != 1) {
      co_return Error::kTlsFailed;
    }
    c.tls->set_verify_mode(ssl::verify_peer);
    c.tls->set_verify_callback(ssl::host_name_verification(target.host));
    auto [handshake_ec] = co_await c.tls->async_handshake(ssl::stream_base::client, kUseTuple);
    if (handshake_ec == beast::error::timeout) co_return Error::kTimeout;
    if (handshake_ec) co_return Error::kTlsFailed;
  }
  lowest.expires_never();
  co_return error_code{};
}

template <class Stream>
asio::awaitable<Outcome> exchange(Stream& stream, Connection& c,
                                  const bhttp::request<bhttp::string_body>& request,
                                  SteadyClock::time_point deadline, std::size_t body_limit,
                                  std::size_t header_limit) {
  Outcome out;
  c.lowest().expires_at(deadline);
  auto [write_ec, written] = co_await bhttp::async_write(stream, request, kUseTuple);
  if (write_ec) {
    out.failed = true;
    out.error = classify(write_ec);
    co_return out;
  }
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(body_limit);
  parser.header_limit(static_cast<std::uint32_t>(header_limit));
  if (request.method() == bhttp::verb::head) parser.skip(true);
  auto [read_ec, read] = co_await bhttp::async_read(stream, c.buffer, parser, kUseTuple);
  out.got_some = parser.got_some();
  if (read_ec) {
    out.failed = true;
    out.error = classify(read_ec);
    co_return out;
  }
  c.lowest().expires_never();
  auto message = parser.release();
  out.keep_alive = message.keep_alive();
  out.response.status = message.result_int();
  out.response.headers.reserve(
      static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    out.response.headers.emplace_back(field.name_string(), field.value());
  }
  out.response.body = std::move(message.body());
  co_return out;
}

}  // namespace

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

struct BeastHttpClient::Impl {
  explicit Impl(Options o) : options(std::move(o)) {
    // A missing CA file is fatal at once; parsing it waits for the first HTTPS request.
    if (!options.ca_file.empty() && !std::ifstream(options.ca_file)) {
      throw std::runtime_error("CA file " + options.ca_file + " cannot be read");
    }
  }

  // Built on first use: initialising OpenSSL and parsing a CA bundle take tens of milliseconds,
  // which a Lambda cold start that only speaks plain HTTP to the Runtime API should not pay.
  // Null (and logged) when the bundle cannot be loaded; the next request tries again.
  ssl::context* tlsContext() {
    std::lock_guard lock(tls_mutex);
    if (tls_context) return tls_context.get();
    try {
      auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
      SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
      if (options.ca_file.empty()) {
        context->set_default_verify_paths();
      } else {
        context->load_verify_file(options.ca_file);
      }
      context->set_verify_mode(ssl::verify_peer);
      tls_context = std::move(context);
    } catch (const boost::system::system_error& error) {
      core::logger("net")->error("cannot set up TLS with CA file '{}': {}", options.ca_file,
                                 error.what());
    }
    return tls_context.get();
  }

  std::unique_ptr<Connection> take(const std::string& key) {
    std::vector<std::unique_ptr<Connection>> expired;  // closed outside the lock
    std::unique_ptr<Connection> found;
    {
      std::lock_guard lock(mutex);
      auto it = idle.find(key);
      if (it == idle.end()) return nullptr;
      auto now = SteadyClock::now();
      while (!it->second.empty() && !found) {
        auto candidate = std::move(it->second.back());
        it->second.pop_back();
        --idle_total;
        if (now - candidate->idle_since < options.idle_timeout) {
          found = std::move(candidate);
        } else {
          expired.push_back(std::move(candidate));
        }
      }
    }
    return found;
  }

  void giveBack(const std::string& key, std::unique_ptr<Connection> connection) {
    connection->idle_since = SteadyClock::now();
    std::lock_guard lock(mutex);
    auto& list = idle[key];
    if (list.size() >= options.max_idle_per_host || idle_total >= options.max_idle_total) return;
    list.push_back(std::move(connection));
    ++idle_total;
  }

  Options options;
  std::mutex tls_mutex;
  std::unique_ptr<ssl::context> tls_context;
  mutable std::mutex mutex;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle;
  std::size_t idle_total{0};
};

BeastHttpClient::BeastHttpClient() : BeastHttpClient(Options{}) {}
BeastHttpClient::BeastHttpClient(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
BeastHttpClient::~BeastHttpClient() = default;

std::size_t BeastHttpClient::idleConnections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->idle_total;
}

boost::system::result<Response> BeastHttpClient::send(const Request& request,
                                                      const RequestOptions& options) {
  auto target = parseUrl(request.url);
  if (!target) return target.error();
  if (request.method.empty() || hasLineBreak(request.method) ||
      request.method.find(' ') != std::string::npos) {
    return Error::kInvalidRequest;
  }

  bhttp::request<bhttp::string_body> message;
  message.method_string(request.method);
  message.target(target->target);
  message.version(11);
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || hasLineBreak(name) || hasLineBreak(value)) return Error::kInvalidRequest;
    message.insert(name, value);
  }
  if (message.find(bhttp::field::host) == message.end()) {
    message.set(bhttp::field::host, target->authority);
  }
  if (message.find(bhttp::field::user_agent) == message.end()) {
    message.set(bhttp::field::user_agent, impl_->options.user_agent);
  }
  message.body() = request.body;
  if (!request.body.empty() || message.method() == bhttp::verb::post ||
      message.method() == bhttp::verb::put || message.method() == bhttp::verb::patch) {
    message.prepare_payload();
  }

  const auto started = SteadyClock::now();
  const auto deadline = started + options.timeout;
  auto connection = impl_->take(target->pool_key);
  // A pooled connection may have been closed by the server while idle; then, and only if no
  // byte of a response came back, the request is sent once more on a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = connection != nullptr;
    if (!reused) {
      ssl::context* tls_context = target->tls ? impl_->tlsContext() : nullptr;
      if (target->tls && tls_context == nullptr) return Error::kTlsFailed;
      connection = std::make_unique<Connection>(tls_context);
      auto connect_deadline = std::min(deadline, started + impl_->options.connect_timeout);
      auto ec = runToCompletion(connection->ioc, connect(*connection, *target, connect_deadline));
      if (ec) {
        core::logger("net")->debug("connect to {} failed: {}", target->pool_key, ec.message());
        return ec;
      }
    }
    auto outcome =
        connection->tls
            ? runToCompletion(connection->ioc,
                              exchange(*connection->tls, *connection, message, deadline,
                                       options.body_limit, impl_->options.header_limit))
            : runToCompletion(connection->ioc,
                              exchange(*connection->plain, *connection, message, deadline,
                                       options.body_limit, impl_->options.header_limit));
    if (outcome.failed) {
      connection.reset();
      if (reused && !outcome.got_some && outcome.error == Error::kConnectionClosed) continue;
      return outcome.error;
    }
    if (outcome.keep_alive) impl_->giveBack(target->pool_key, std::move(connection));
    return std::move(outcome.response);
  }
  return Error::kConnectionClosed;
}

}  // namespace parley::net
