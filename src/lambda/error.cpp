#include "parley/lambda/error.hpp"

#include <string>

namespace parley::lambda {
namespace {

// Boost's error_category has a protected non-virtual destructor by design; g++ 12 still warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "parley.lambda"; }
  std::string message(int value) const override {
    switch (static_cast<Error>(value)) {
      case Error::kInvalidJson:
        return "event is not a JSON object";
      case Error::kUnknownEvent:
        return "event is neither Alexa, API Gateway nor a function URL request";
      case Error::kMalformedEvent:
        return "event has a missing or mistyped field";
      case Error::kInvalidBase64:
        return "event body is not valid base64";
      case Error::kNoHandler:
        return "no handler for this kind of event";
      case Error::kMissingRequestId:
        return "Runtime API sent an invocation without a request id";
      case Error::kPayloadTooLarge:
        return "Runtime API refused the payload as too large";
      case Error::kInvalidState:
        return "Runtime API refused the call in this state";
      case Error::kRuntimeApiFailed:
        return "Runtime API failed";
    }
    return "unknown lambda error";
  }
};
#pragma GCC diagnostic pop

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const Category category;
  return category;
}

}  // namespace parley::lambda
