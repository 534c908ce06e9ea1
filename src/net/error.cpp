#include "parley/net/error.hpp"

#include <string>

namespace parley::net {
namespace {

// Boost's error_category has a protected non-virtual destructor by design (categories are never
// deleted through a base pointer); g++ 12 still warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "parley.net"; }
  std::string message(int value) const override {
    switch (static_cast<Error>(value)) {
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
};
#pragma GCC diagnostic pop

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const Category category;
  return category;
}

}  // namespace parley::net
