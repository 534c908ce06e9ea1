#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace parley::verify {

// The check that rejected a request (alexa-skill.md §5). Every one of them means "answer 400 and do
// not run the skill"; the value says which check failed so that the host can log it.
enum class Error {
  kMissingCertChainUrl = 1,    // no SignatureCertChainUrl header
  kInvalidCertChainUrl,        // not https://s3.amazonaws.com[:443]/echo.api/… after normalizing
  kMissingSignature,           // no Signature-256 (nor, when allowed, a legacy Signature) header
  kMalformedSignature,         // signature header is not valid base64
  kCertificateDownloadFailed,  // the chain URL could not be fetched (transport error, not 200)
  kMalformedCertificate,       // the download is not a PEM certificate chain
  kCertificateExpired,         // now is after the signing certificate's notAfter
  kCertificateNotYetValid,     // now is before the signing certificate's notBefore
  kCertificateSanMismatch,     // no subjectAltName DNS entry equal to echo-api.amazon.com
  kCertificateKeyUsage,        // keyUsage present without digitalSignature, or key not RSA
  kUntrustedCertificateChain,  // the chain does not lead to a root in the trust store
  kSignatureMismatch,          // the signature does not match the raw body
  kMalformedBody,              // the (correctly signed) body is not a JSON object
  kMissingTimestamp,           // no request.timestamp string
  kMalformedTimestamp,         // request.timestamp is not an ISO-8601 UTC date-time
  kTimestampOutOfRange,        // request.timestamp too far from now
  kMissingApplicationId,       // an allowlist is set but the request names no application
  kApplicationIdMismatch,      // the application id is not in the allowlist
};

const boost::system::error_category& errorCategory() noexcept;

inline boost::system::error_code make_error_code(Error e) noexcept {  // NOLINT: ADL hook name
  return {static_cast<int>(e), errorCategory()};
}

}  // namespace parley::verify

template <>
struct boost::system::is_error_code_enum<parley::verify::Error> : std::true_type {};
