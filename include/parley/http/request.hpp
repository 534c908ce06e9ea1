#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parley/http/params.hpp"

namespace parley::http {

using Verb = boost::beast::http::verb;

// An incoming request: a thin value wrapper over Beast's message, so the server moves the parsed
// message in without copying, and the Lambda host and tests build one without sockets.
class Request {
 public:
  using Message = boost::beast::http::request<boost::beast::http::string_body>;

  Request() = default;
  explicit Request(Message message) : message_(std::move(message)) {}
  Request(Verb method, std::string_view target, std::string body = {});

  Verb method() const { return message_.method(); }
  std::string_view methodString() const { return message_.method_string(); }
  // Path and query as sent ("/oauth/authorize?client_id=x").
  std::string_view target() const { return message_.target(); }
  // The target up to '?', still percent-encoded; routes match on it.
  std::string_view path() const;
  // The raw query string after '?', without it; empty when absent.
  std::string_view rawQuery() const;

  // First header with this name (case-insensitive), if present.
  std::optional<std::string_view> header(std::string_view name) const;
  Request& setHeader(std::string_view name, std::string_view value);
  const std::string& body() const { return message_.body(); }
  bool keepAlive() const { return message_.keep_alive(); }

  boost::system::result<Params> query() const;
  // The body as application/x-www-form-urlencoded; Error::kNotForm for another Content-Type.
  boost::system::result<Params> form() const;
  // Value of the first cookie with this name in the Cookie header(s).
  std::optional<std::string> cookie(std::string_view name) const;

  // Per-server sequence number given by the server, for log lines; 0 outside a server.
  std::uint64_t id() const { return id_; }
  void setId(std::uint64_t id) { id_ = id; }
  // The client's IP address (for per-address throttling): the socket peer, or what a trusted
  // proxy reported (see forwarded.hpp); empty outside a server.
  std::string_view remoteAddress() const { return remote_address_; }
  void setRemoteAddress(std::string address) { remote_address_ = std::move(address); }
  // The client reached us over HTTPS: TLS on the socket, a trusted proxy saying so, or a host
  // that serves only HTTPS (API Gateway).
  bool https() const { return https_; }
  void setHttps(bool https) { https_ = https; }

  const Message& message() const { return message_; }
  Message& message() { return message_; }

 private:
  Message message_{};
  std::uint64_t id_{0};
  std::string remote_address_{};
  bool https_{false};
};

}  // namespace parley::http
