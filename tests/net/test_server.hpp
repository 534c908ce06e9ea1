#pragma once

// A tiny Beast server on 127.0.0.1:0 for client tests: one I/O thread, counts accepted
// connections, answers each request with a handler. Stops (and joins) in its destructor.

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace parley::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

using TestRequest = bhttp::request<bhttp::string_body>;
using TestResponse = bhttp::response<bhttp::string_body>;

class TestServer {
 public:
  struct Behaviour {
    // nullopt: read the request and never answer.
    std::function<std::optional<TestResponse>(const TestRequest&)> handler{};
    // Close the connection after each response while still advertising keep-alive.
    bool close_after_response{false};
    // Written verbatim instead of a handler response.
    std::string raw_reply{};
    asio::ssl::context* tls{nullptr};
  };

  explicit TestServer(Behaviour behaviour) : behaviour_(std::move(behaviour)) {
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, accept(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~TestServer() {
    ioc_.stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const { return port_; }
  int connections() const { return connections_.load(); }
  std::string url(const std::string& path = "/") const {
    return std::string(behaviour_.tls ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  static constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kUseTuple);
      if (ec) co_return;
      ++connections_;
      if (behaviour_.tls != nullptr) {
        asio::co_spawn(ioc_, tlsSession(std::move(socket)), asio::detached);
      } else {
        asio::co_spawn(ioc_, session(beast::tcp_stream(std::move(socket))), asio::detached);
      }
    }
  }

  asio::awaitable<void> tlsSession(asio::ip::tcp::socket socket) {
    asio::ssl::stream<asio::ip::tcp::socket> stream(std::move(socket), *behaviour_.tls);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kUseTuple);
    if (ec) co_return;
    co_await session(std::move(stream));
  }

  template <class Stream>
  asio::awaitable<void> session(Stream stream) {
    beast::flat_buffer buffer;
    for (;;) {
      TestRequest request;
      auto [read_ec, read] = co_await bhttp::async_read(stream, buffer, request, kUseTuple);
      if (read_ec) co_return;
      if (!behaviour_.raw_reply.empty()) {
        co_await asio::async_write(stream, asio::buffer(behaviour_.raw_reply), kUseTuple);
        co_return;
      }
      auto response = behaviour_.handler(request);
      if (!response) {
        asio::steady_timer never(ioc_, std::chrono::seconds(30));
        co_await never.async_wait(kUseTuple);
        co_return;
      }
      response->version(11);
      if (!request.keep_alive()) response->keep_alive(false);
      response->prepare_payload();
      auto [write_ec, written] = co_await bhttp::async_write(stream, *response, kUseTuple);
      if (write_ec || !response->keep_alive() || behaviour_.close_after_response) co_return;
    }
  }

  Behaviour behaviour_;
  asio::io_context ioc_{1};
  asio::ip::tcp::acceptor acceptor_{ioc_};
  unsigned short port_{0};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace parley::testing
