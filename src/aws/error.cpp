#include "parley/aws/error.hpp"

#include "parley/core/error_category.hpp"

namespace parley::aws {
namespace {

const char* describe(Error error) noexcept {
  switch (error) {
    case Error::kNoCredentials:
      return "no AWS credentials found";
    case Error::kInvalidCredentials:
      return "malformed AWS credentials source";
    case Error::kCredentialsEndpointFailed:
      return "container credentials endpoint failed";
    case Error::kNoRegion:
      return "no AWS region configured";
    case Error::kInvalidEndpoint:
      return "invalid AWS endpoint URL";
    case Error::kConnectFailed:
      return "AWS endpoint unreachable";
    case Error::kTimeout:
      return "AWS request timed out";
    case Error::kDeadlineExceeded:
      return "deadline reached before the AWS call could finish";
    case Error::kThrottled:
      return "throttled by AWS";
    case Error::kServiceUnavailable:
      return "AWS service error (5xx)";
    case Error::kConditionalCheckFailed:
      return "conditional check failed";
    case Error::kResourceNotFound:
      return "resource not found";
    case Error::kResourceInUse:
      return "resource in use";
    case Error::kValidation:
      return "request rejected as invalid";
    case Error::kAccessDenied:
      return "access denied";
    case Error::kBadResponse:
      return "malformed AWS response";
    case Error::kClientError:
      return "AWS client error";
  }
  return "unknown AWS error";
}

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const core::ErrorCategory<Error> category("parley.aws", describe);
  return category;
}

}  // namespace parley::aws
