#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "parley/net/http_client.hpp"
#include "parley/verify/certificate_fetcher.hpp"

namespace parley::verify {

// Downloads certificate chains with an HTTP GET over net::HttpClient. The client follows no
// redirects, so a 3xx is a failure like any other status but 200 (§5.4).
class HttpCertificateFetcher final : public CertificateFetcher {
 public:
  struct Options {
    // Whole-download deadline; a verification waits for it on a cache miss.
    std::chrono::milliseconds timeout{std::chrono::seconds(5)};
    // Amazon's chain is about 6 KiB; a larger answer is not a chain.
    std::size_t max_bytes{64 * 1024};
  };

  // `client` must outlive the fetcher.
  explicit HttpCertificateFetcher(net::HttpClient& client);
  HttpCertificateFetcher(net::HttpClient& client, Options options);

  boost::system::result<std::string> fetch(const std::string& url) override;

 private:
  net::HttpClient& client_;
  Options options_;
};

}  // namespace parley::verify
