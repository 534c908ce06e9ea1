#pragma once

#include <boost/system/result.hpp>
#include <string>

namespace parley::verify {

// Downloads a signing-certificate chain. An interface so that tests serve chains from memory.
class CertificateFetcher {
 public:
  virtual ~CertificateFetcher() = default;
  // `url` is canonical (see normalizeCertChainUrl). Returns the body of a 200 response; any other
  // outcome is an error code, which the verifier logs and reports as
  // Error::kCertificateDownloadFailed. Called concurrently from several threads; should be bounded
  // in time and size.
  virtual boost::system::result<std::string> fetch(const std::string& url) = 0;
};

}  // namespace parley::verify
