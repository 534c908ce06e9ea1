#include "parley/lambda/error.hpp"

#include "parley/core/error_category.hpp"

namespace parley::lambda {
namespace {

const char* describe(Error error) noexcept {
  switch (error) {
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

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const core::ErrorCategory<Error> category("parley.lambda", describe);
  return category;
}

}  // namespace parley::lambda
