#include "parley/verify/error.hpp"

#include "parley/core/error_category.hpp"

namespace parley::verify {
namespace {

const char* describe(Error error) noexcept {
  switch (error) {
    case Error::kMissingCertChainUrl:
      return "missing SignatureCertChainUrl header";
    case Error::kInvalidCertChainUrl:
      return "invalid SignatureCertChainUrl";
    case Error::kMissingSignature:
      return "missing Signature-256 header";
    case Error::kMalformedSignature:
      return "signature is not valid base64";
    case Error::kCertificateDownloadFailed:
      return "certificate chain download failed";
    case Error::kMalformedCertificate:
      return "certificate chain is not valid PEM";
    case Error::kCertificateExpired:
      return "signing certificate expired";
    case Error::kCertificateNotYetValid:
      return "signing certificate not yet valid";
    case Error::kCertificateSanMismatch:
      return "signing certificate SAN lacks echo-api.amazon.com";
    case Error::kCertificateKeyUsage:
      return "signing certificate key not usable for RSA signatures";
    case Error::kUntrustedCertificateChain:
      return "certificate chain not trusted";
    case Error::kSignatureMismatch:
      return "signature does not match the body";
    case Error::kMalformedBody:
      return "body is not a JSON object";
    case Error::kMissingTimestamp:
      return "missing request.timestamp";
    case Error::kMalformedTimestamp:
      return "malformed request.timestamp";
    case Error::kTimestampOutOfRange:
      return "request.timestamp outside the allowed window";
    case Error::kMissingApplicationId:
      return "missing application id";
    case Error::kApplicationIdMismatch:
      return "application id not allowed";
  }
  return "unknown verification error";
}

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const core::ErrorCategory<Error> category("parley.verify", describe);
  return category;
}

}  // namespace parley::verify
