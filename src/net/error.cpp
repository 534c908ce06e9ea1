#include "parley/net/error.hpp"

#include "parley/core/error_category.hpp"

namespace parley::net {
namespace {

const char* describe(Error error) noexcept {
  switch (error) {
    case Error::kInvalidUrl:
      return "invalid URL";
    case Error::kInvalidRequest:
      return "invalid request";
    case Error::kResolveFailed:
      return "host name resolution failed";
    case Error::kConnectFailed:
      return "connection failed";
    case Error::kTlsFailed:
      return "TLS handshake failed";
    case Error::kTimeout:
      return "request timed out";
    case Error::kTooLarge:
      return "response too large";
    case Error::kBadResponse:
      return "malformed HTTP response";
    case Error::kConnectionClosed:
      return "connection closed before the response was complete";
    case Error::kIoFailed:
      return "I/O error";
  }
  return "unknown net error";
}

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const core::ErrorCategory<Error> category("parley.net", describe);
  return category;
}

}  // namespace parley::net
