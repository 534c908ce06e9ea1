#pragma once

#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace parley::testing {

// A blocking socket with a receive timeout, for speaking raw (and bad) HTTP to the server.
class RawClient {
 public:
  explicit RawClient(unsigned short port,
                     std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval tv{.tv_sec = static_cast<time_t>(timeout.count() / 1000),
               .tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  void send(std::string_view data) { boost::asio::write(socket_, boost::asio::buffer(data)); }
  // Sends without throwing; false when the server already closed.
  bool trySend(std::string_view data) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(data), ec);
    return !ec;
  }
  // Half-closes: the server reads end-of-stream after what was sent.
  void finishSending() {
    boost::system::error_code ec;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  }
  // With `to_head`, reads headers only, as a client that sent HEAD must.
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> readResponse(
      bool to_head = false) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.skip(to_head);
    boost::system::error_code ec;
    boost::beast::http::read(socket_, buffer_, parser, ec);
    if (ec) return std::nullopt;
    return parser.release();
  }
  // Reads everything the server sends until it closes (EOF or reset: true) or a read times out.
  struct Drained {
    std::size_t bytes{0};
    bool closed{false};
  };
  Drained drain() {
    Drained out;
    std::vector<char> chunk(64 * 1024);
    for (;;) {
      boost::system::error_code ec;
      out.bytes += socket_.read_some(boost::asio::buffer(chunk), ec);
      if (ec) {
        out.closed = ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
        return out;
      }
    }
  }
  // True when the server closed the connection (EOF or reset) before the timeout.
  bool closedByServer() {
    char byte = 0;
    boost::system::error_code ec;
    for (;;) {
      socket_.read_some(boost::asio::buffer(&byte, 1), ec);
      if (ec) return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
    }
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_{ioc_};
  boost::beast::flat_buffer buffer_;
};

}  // namespace parley::testing
