#include "parley/verify/http_certificate_fetcher.hpp"

#include "parley/core/log.hpp"
#include "parley/verify/error.hpp"

namespace parley::verify {

HttpCertificateFetcher::HttpCertificateFetcher(net::HttpClient& client)
    : HttpCertificateFetcher(client, Options{}) {}

HttpCertificateFetcher::HttpCertificateFetcher(net::HttpClient& client, Options options)
    : client_(client), options_(options) {}

boost::system::result<std::string> HttpCertificateFetcher::fetch(const std::string& url) {
  auto response = client_.send({.method = "GET", .url = url, .headers = {}, .body = {}},
                               {.timeout = options_.timeout, .body_limit = options_.max_bytes});
  if (!response) return response.error();
  if (response->status != 200) {
    core::logger("verify")->warn("certificate chain download answered HTTP {}", response->status);
    return Error::kCertificateDownloadFailed;
  }
  return std::move(response->body);
}

}  // namespace parley::verify
