#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace parley::aws {

// Why an AWS call or a credentials lookup failed.
enum class Error {
  kNoCredentials = 1,          // no source in the chain had credentials
  kInvalidCredentials,         // a source exists but is malformed (file, endpoint answer)
  kCredentialsEndpointFailed,  // the container credentials endpoint failed or is not allowed
  kNoRegion,                   // neither configuration nor AWS_REGION names a region
  kInvalidEndpoint,            // the endpoint is not an http(s) URL
  kConnectFailed,              // DynamoDB unreachable (refused, DNS, TLS, reset)
  kTimeout,                    // an attempt ran past its timeout
  kDeadlineExceeded,           // no time left before the caller's deadline
  kThrottled,                  // throttled on every attempt
  kServiceUnavailable,         // 5xx on every attempt
  kConditionalCheckFailed,     // a condition expression was false: a business result
  kResourceNotFound,           // table missing or not ACTIVE yet
  kResourceInUse,              // e.g. the table exists already
  kValidation,                 // the request was rejected as malformed (a bug on our side)
  kAccessDenied,               // credentials, IAM or signature rejected
  kBadResponse,                // unparseable body or CRC-32 mismatch on every attempt
  kClientError,                // any other 4xx
};

const boost::system::error_category& errorCategory() noexcept;

inline boost::system::error_code make_error_code(Error e) noexcept {  // NOLINT: ADL hook name
  return {static_cast<int>(e), errorCategory()};
}

}  // namespace parley::aws

template <>
struct boost::system::is_error_code_enum<parley::aws::Error> : std::true_type {};
