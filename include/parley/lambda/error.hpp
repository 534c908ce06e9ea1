#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace parley::lambda {

// Why an event could not be handled, or why the Runtime API refused or failed a call.
enum class Error {
  kInvalidJson = 1,   // the event is not a JSON object
  kUnknownEvent,      // neither Alexa, API Gateway 1.0 nor 2.0 / Function URL
  kMalformedEvent,    // a known kind with a missing or mistyped field
  kInvalidBase64,     // isBase64Encoded with a body that does not decode
  kNoHandler,         // no handler was given for this kind of event
  kMissingRequestId,  // /next answered without Lambda-Runtime-Aws-Request-Id
  kPayloadTooLarge,   // the Runtime API answered 413
  kInvalidState,      // the Runtime API answered 403 (e.g. a second response)
  kRuntimeApiFailed,  // any other non-2xx answer: the runtime should exit
};

const boost::system::error_category& errorCategory() noexcept;

inline boost::system::error_code make_error_code(Error e) noexcept {  // NOLINT: ADL hook name
  return {static_cast<int>(e), errorCategory()};
}

}  // namespace parley::lambda

template <>
struct boost::system::is_error_code_enum<parley::lambda::Error> : std::true_type {};
