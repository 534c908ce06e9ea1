#pragma once

// Apart from forwarded.hpp so that configuration can name it without Asio or Beast.
namespace parley::http {

// Which headers the trusted proxies write.
enum class ProxyHeaders {
  kXForwarded,  // X-Forwarded-For and X-Forwarded-Proto (nginx, AWS ALB, most CDNs)
  kForwarded,   // Forwarded: for=…;proto=… (RFC 7239)
};

}  // namespace parley::http
