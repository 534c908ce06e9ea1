#include "parley/verify/cert_url.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "parley/verify/error.hpp"

namespace parley::verify {
namespace {

struct UrlCase {
  std::string url;
  std::string canonical;  // empty: must be rejected
};

void PrintTo(const UrlCase& c, std::ostream* out) { *out << c.url; }

class CertChainUrl : public ::testing::TestWithParam<UrlCase> {};

TEST_P(CertChainUrl, FollowsAmazonRules) {
  const auto& [url, canonical] = GetParam();
  auto normalized = normalizeCertChainUrl(url);
  if (canonical.empty()) {
    ASSERT_FALSE(normalized) << url << " accepted as " << *normalized;
    EXPECT_EQ(normalized.error(), Error::kInvalidCertChainUrl);
  } else {
    ASSERT_TRUE(normalized) << url << ": " << normalized.error().message();
    EXPECT_EQ(*normalized, canonical);
  }
}

constexpr auto kCanonical = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem";

// Amazon's reference list (alexa-skill.md §5.3), then the normalization and defensive cases.
INSTANTIATE_TEST_SUITE_P(
    ReferenceCases, CertChainUrl,
    ::testing::Values(
        UrlCase{"https://s3.amazonaws.com/echo.api/echo-api-cert.pem", kCanonical},
        UrlCase{"HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem", kCanonical},
        UrlCase{"https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem", kCanonical},
        UrlCase{"https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem", kCanonical},
        UrlCase{"https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem", kCanonical},
        UrlCase{"http://s3.amazonaws.com/echo.api/echo-api-cert.pem", ""},
        UrlCase{"https://notamazon.com/echo.api/echo-api-cert.pem", ""},
        UrlCase{"https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", ""},
        UrlCase{"https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", ""},
        UrlCase{"https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", ""}));

INSTANTIATE_TEST_SUITE_P(
    Normalization, CertChainUrl,
    ::testing::Values(
        UrlCase{"https://s3.amazonaws.com/foo/../echo.api/echo-api-cert.pem", kCanonical},
        UrlCase{"https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem", ""},
        UrlCase{"https://s3.amazonaws.com/echo.api/../evil/x.pem", ""},
        UrlCase{"https://s3.amazonaws.com/./echo.api/./echo-api-cert.pem", kCanonical},
        UrlCase{"https://s3.amazonaws.com//echo.api//echo-api-cert.pem", kCanonical},
        // Duplicate slashes collapse before ".." applies, as os.path.normpath does.
        UrlCase{"https://s3.amazonaws.com/echo.api//../echo-api-cert.pem", ""},
        UrlCase{"https://s3.amazonaws.com/../../echo.api/echo-api-cert.pem", kCanonical},
        UrlCase{"https://s3.amazonaws.com/%65cho.api/echo-api-cert.pem", kCanonical},
        UrlCase{"https://s3.amazonaws.com/echo.api/%2E%2E/evil/x.pem", ""},
        UrlCase{"https://s3.amazonaws.com/echo.api//%2e%2E/evil/x.pem", ""},
        UrlCase{"https://s3.amazonaws.com/evil/%2e%2E/echo.api/x.pem",
                "https://s3.amazonaws.com/echo.api/x.pem"},
        UrlCase{"https://s3.amazonaws.com/echo.api%2F../x.pem", ""},
        UrlCase{"HtTpS://S3.AmazonAws.Com:443/echo.api/cert-12.pem",
                "https://s3.amazonaws.com/echo.api/cert-12.pem"}));

INSTANTIATE_TEST_SUITE_P(
    Rejected, CertChainUrl,
    ::testing::Values(UrlCase{"", ""}, UrlCase{"not a url", ""},
                      UrlCase{"/echo.api/echo-api-cert.pem", ""},
                      UrlCase{"s3.amazonaws.com/echo.api/echo-api-cert.pem", ""},
                      UrlCase{"https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem", ""},
                      UrlCase{"https://s3.amazonaws.com@evil.com/echo.api/echo-api-cert.pem", ""},
                      UrlCase{"https://s3.amazonaws.com.evil.com/echo.api/echo-api-cert.pem", ""},
                      UrlCase{"https://s3.amazonaws.com./echo.api/echo-api-cert.pem", ""},
                      UrlCase{"https://evil.com/s3.amazonaws.com/echo.api/x.pem", ""},
                      UrlCase{"https://s3.amazonaws.com:0443x/echo.api/echo-api-cert.pem", ""},
                      UrlCase{"https://s3.amazonaws.com:80/echo.api/echo-api-cert.pem", ""},
                      UrlCase{"https://54.231.0.1/echo.api/echo-api-cert.pem", ""},
                      UrlCase{"https://s3.amazonaws.com/echo.api", ""},
                      UrlCase{"https://s3.amazonaws.com/echo.apix/cert.pem", ""},
                      UrlCase{"https://s3.amazonaws.com/echo.api/cert.pem#frag", ""},
                      UrlCase{"ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem", ""}));

}  // namespace
}  // namespace parley::verify
