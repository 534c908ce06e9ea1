#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace parley::net {

// Why an outgoing request failed. Transport failures are values (the caller decides whether to
// retry or report), never exceptions.
enum class Error {
  kInvalidUrl = 1,    // not an absolute http:// or https:// URL
  kInvalidRequest,    // method or header not valid on the wire (e.g. CR/LF in a value)
  kResolveFailed,     // DNS lookup failed
  kConnectFailed,     // every address refused or was unreachable
  kTlsFailed,         // handshake or certificate verification failed
  kTimeout,           // connect timeout or whole-request deadline passed
  kTooLarge,          // response headers or body over the configured limit
  kBadResponse,       // not a parseable HTTP/1.1 response
  kConnectionClosed,  // the peer closed before a complete response
  kIoFailed,          // any other socket error
};

const boost::system::error_category& errorCategory() noexcept;

inline boost::system::error_code make_error_code(Error e) noexcept {  // NOLINT: ADL hook name
  return {static_cast<int>(e), errorCategory()};
}

}  // namespace parley::net

template <>
struct boost::system::is_error_code_enum<parley::net::Error> : std::true_type {};
