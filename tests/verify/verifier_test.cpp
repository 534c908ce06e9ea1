#include "parley/verify/verifier.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/test_pki.hpp"

namespace parley::verify {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::system_clock;
using namespace std::chrono;
using testing::Cert;
using testing::CertSpec;
using testing::Key;

constexpr auto kUrl = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem";
constexpr auto kAppId = "amzn1.ask.skill.8f3c2e71-6a4b-4c1d-b2e9-5d7a0c9f1e36";
const system_clock::time_point kNow = sys_days{2024y / June / 1} + 12h;

system_clock::time_point day(year_month_day date) { return sys_days{date}; }

std::string iso(system_clock::time_point time) {
  auto seconds_since_epoch = system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds_since_epoch, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string body(const std::string& timestamp, const std::string& type = "LaunchRequest",
                 const std::string& app_id = kAppId) {
  return R"({"version":"1.0","context":{"System":{"application":{"applicationId":")" + app_id +
         R"("}}},"request":{"type":")" + type +
         R"(","requestId":"amzn1.echo-api.request.1","timestamp":")" + timestamp +
         R"(","locale":"en-US"}})";
}

// Keys and certificates shared by every test; RSA key generation is the slow part.
struct Pki {
  Key root_key = testing::generateRsaKey();
  Key intermediate_key = testing::generateRsaKey();
  Key leaf_key = testing::generateRsaKey();
  Key other_key = testing::generateRsaKey();
  Cert root = ca("Parley Test Root", root_key.get(), nullptr, root_key.get());
  Cert intermediate =
      ca("Parley Test Intermediate", intermediate_key.get(), root.get(), root_key.get());
  Cert other_root = ca("Untrusted Root", other_key.get(), nullptr, other_key.get());

  static Cert ca(const std::string& name, EVP_PKEY* key, const X509* issuer, EVP_PKEY* issuer_key,
                 system_clock::time_point not_after = day(2030y / 1 / 1)) {
    return testing::makeCertificate({.common_name = name,
                                     .dns_names = {},
                                     .is_ca = true,
                                     .key_usage = "critical,keyCertSign,cRLSign",
                                     .not_before = day(2020y / 1 / 1),
                                     .not_after = not_after},
                                    key, issuer, issuer_key);
  }

  static CertSpec leafSpec() {
    return {.common_name = "echo-api.amazon.com",
            .dns_names = {"echo-api.amazon.com"},
            .is_ca = false,
            .key_usage = "critical,digitalSignature,keyEncipherment",
            .not_before = day(2024y / 1 / 1),
            .not_after = day(2025y / 1 / 1)};
  }

  // A leaf from `spec` under the intermediate, as a PEM file: leaf then intermediate.
  std::string chain(const CertSpec& spec) const {
    auto leaf =
        testing::makeCertificate(spec, leaf_key.get(), intermediate.get(), intermediate_key.get());
    return testing::toPem(leaf.get()) + testing::toPem(intermediate.get());
  }
  std::string chain() const { return chain(leafSpec()); }
};

const Pki& pki() {
  static const Pki instance;
  return instance;
}

class FakeFetcher final : public CertificateFetcher {
 public:
  void serve(const std::string& url, std::string pem) {
    std::lock_guard lock(mutex_);
    files_[url] = std::move(pem);
  }

  boost::system::result<std::string> fetch(const std::string& url) override {
    ++calls;
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    std::lock_guard lock(mutex_);
    requested.push_back(url);
    auto found = files_.find(url);
    if (found == files_.end())
      return boost::system::errc::make_error_code(boost::system::errc::no_such_file_or_directory);
    return found->second;
  }

  std::atomic<int> calls{0};
  std::chrono::milliseconds delay{0};
  std::vector<std::string> requested;

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> files_;
};

class VerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() /
           ("parley-verify-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "roots.pem") << testing::toPem(pki().root.get());
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  void SetUp() override { fetcher_.serve(kUrl, pki().chain()); }

  Verifier::Options options() const {
    Verifier::Options options;
    options.ca_file = (dir_ / "roots.pem").string();
    options.application_ids = {kAppId};
    return options;
  }

  // Signs `text` with `key` and remembers the header values (SignatureHeaders holds views).
  SignatureHeaders headers(const std::string& text, EVP_PKEY* key = nullptr,
                           const std::string& url = kUrl) {
    url_ = url;
    signature_256_ = testing::signBody(text, key != nullptr ? key : pki().leaf_key.get());
    return {.cert_chain_url = url_, .signature_256 = signature_256_, .signature = {}};
  }

  boost::system::result<void> verify(const std::string& text) {
    Verifier verifier(options(), fetcher_, clock_);
    return verifier.verify(headers(text), text);
  }

  // Verifies a fresh request against a verifier whose fetcher serves `pem`.
  boost::system::result<void> verifyWithChain(const std::string& pem) {
    fetcher_.serve(kUrl, pem);
    return verify(body(iso(kNow)));
  }

  static inline std::filesystem::path dir_;
  core::ManualClock clock_{kNow};
  FakeFetcher fetcher_;
  std::string url_;
  std::string signature_256_;
};

TEST_F(VerifierTest, AcceptsRequestSignedLikeAlexa) {
  EXPECT_TRUE(verify(body(iso(kNow))));
  EXPECT_THAT(fetcher_.requested, ::testing::ElementsAre(kUrl));
}

TEST_F(VerifierTest, AcceptsChainFileThatIncludesTheRoot) {
  EXPECT_TRUE(verifyWithChain(pki().chain() + testing::toPem(pki().root.get())));
}

TEST_F(VerifierTest, DownloadsTheCanonicalUrl) {
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  EXPECT_TRUE(verifier.verify(
      headers(text, nullptr, "HTTPS://S3.amazonaws.com:443/foo/../echo.api//echo-api-cert-12.pem"),
      text));
  EXPECT_THAT(fetcher_.requested, ::testing::ElementsAre(kUrl));
}

TEST_F(VerifierTest, RejectsMissingHeadersWithoutDownloading) {
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  auto signed_headers = headers(text);

  auto no_url = signed_headers;
  no_url.cert_chain_url = {};
  EXPECT_EQ(verifier.verify(no_url, text).error(), Error::kMissingCertChainUrl);

  auto no_signature = signed_headers;
  no_signature.signature_256 = {};
  EXPECT_EQ(verifier.verify(no_signature, text).error(), Error::kMissingSignature);

  EXPECT_EQ(verifier.verify({}, text).error(), Error::kMissingCertChainUrl);
  EXPECT_EQ(fetcher_.calls, 0);
}

TEST_F(VerifierTest, RejectsSignatureThatIsNotBase64) {
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  auto valid = headers(text).signature_256;
  std::string with_newline =
      std::string(valid.substr(0, 64)) + "\n" + std::string(valid.substr(64));
  std::string too_long(8192, 'A');
  for (std::string_view bad :
       {std::string_view("!!!!"), std::string_view("abc"), std::string_view("YQ="),
        std::string_view("YR=="), std::string_view("Y==="), std::string_view("=AAA"),
        std::string_view(with_newline), std::string_view(too_long)}) {
    SignatureHeaders malformed{.cert_chain_url = kUrl, .signature_256 = bad, .signature = {}};
    auto result = verifier.verify(malformed, text);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error(), Error::kMalformedSignature) << bad;
  }
  EXPECT_EQ(fetcher_.calls, 0);
}

TEST_F(VerifierTest, RejectsInvalidCertUrlWithoutDownloading) {
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  for (const char* url :
       {"http://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        "https://notamazon.com/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert-12.pem"}) {
    auto result = verifier.verify(headers(text, nullptr, url), text);
    ASSERT_FALSE(result) << url;
    EXPECT_EQ(result.error(), Error::kInvalidCertChainUrl) << url;
  }
  EXPECT_EQ(fetcher_.calls, 0);
}

TEST_F(VerifierTest, ReportsDownloadFailureAndRetriesNextTime) {
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  auto missing = "https://s3.amazonaws.com/echo.api/missing.pem";
  EXPECT_EQ(verifier.verify(headers(text, nullptr, missing), text).error(),
            Error::kCertificateDownloadFailed);
  EXPECT_EQ(verifier.verify(headers(text, nullptr, missing), text).error(),
            Error::kCertificateDownloadFailed);
  EXPECT_EQ(fetcher_.calls, 2);
  EXPECT_EQ(verifier.cachedChains(), 0U);
}

TEST_F(VerifierTest, RejectsDownloadThatIsNotAPemChain) {
  auto leaf_pem = pki().chain();
  auto truncated = leaf_pem.substr(0, leaf_pem.size() / 3);
  std::string corrupt = leaf_pem;
  corrupt[100] = '*';
  for (const std::string& pem :
       {std::string(), std::string("<Error><Code>AccessDenied</Code></Error>"), truncated, corrupt,
        std::string("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
        leaf_pem + "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"}) {
    auto result = verifyWithChain(pem);
    ASSERT_FALSE(result) << pem;
    EXPECT_EQ(result.error(), Error::kMalformedCertificate) << pem;
  }
}

TEST_F(VerifierTest, RejectsChainOfMoreThanTenCertificates) {
  std::string pem = pki().chain();
  for (int i = 0; i < 10; ++i) pem += testing::toPem(pki().intermediate.get());
  EXPECT_EQ(verifyWithChain(pem).error(), Error::kMalformedCertificate);
}

TEST_F(VerifierTest, RejectsExpiredSigningCertificate) {
  auto spec = Pki::leafSpec();
  spec.not_before = day(2023y / 1 / 1);
  spec.not_after = kNow - 1s;
  EXPECT_EQ(verifyWithChain(pki().chain(spec)).error(), Error::kCertificateExpired);
}

TEST_F(VerifierTest, RejectsSigningCertificateNotYetValid) {
  auto spec = Pki::leafSpec();
  spec.not_before = kNow + 1min;
  EXPECT_EQ(verifyWithChain(pki().chain(spec)).error(), Error::kCertificateNotYetValid);
}

TEST_F(VerifierTest, AcceptsSigningCertificateUntilItsNotAfter) {
  auto spec = Pki::leafSpec();
  spec.not_after = kNow + 1s;
  EXPECT_TRUE(verifyWithChain(pki().chain(spec)));
}

TEST_F(VerifierTest, RejectsSanOtherThanEchoApiAmazonCom) {
  for (const std::vector<std::string>& names :
       {std::vector<std::string>{"evil.example.com"},
        std::vector<std::string>{"echo-api.amazon.com.evil.com"},
        std::vector<std::string>{"*.amazon.com"}, std::vector<std::string>{"amazon.com"},
        std::vector<std::string>{}}) {
    auto spec = Pki::leafSpec();  // the CN stays echo-api.amazon.com: it must not count
    spec.dns_names = names;
    auto result = verifyWithChain(pki().chain(spec));
    ASSERT_FALSE(result) << ::testing::PrintToString(names);
    EXPECT_EQ(result.error(), Error::kCertificateSanMismatch) << ::testing::PrintToString(names);
  }
}

TEST_F(VerifierTest, AcceptsSanListingEchoApiAmongOthers) {
  auto spec = Pki::leafSpec();
  spec.dns_names = {"other.amazon.com", "ECHO-API.amazon.com"};
  EXPECT_TRUE(verifyWithChain(pki().chain(spec)));
}

TEST_F(VerifierTest, RejectsLeafWithoutDigitalSignatureUsageOrRsaKey) {
  auto spec = Pki::leafSpec();
  spec.key_usage = "critical,keyEncipherment";
  EXPECT_EQ(verifyWithChain(pki().chain(spec)).error(), Error::kCertificateKeyUsage);

  auto ec_key = testing::generateEcKey();
  auto ec_leaf = testing::makeCertificate(Pki::leafSpec(), ec_key.get(), pki().intermediate.get(),
                                          pki().intermediate_key.get());
  fetcher_.serve(kUrl, testing::toPem(ec_leaf.get()) + testing::toPem(pki().intermediate.get()));
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  EXPECT_EQ(verifier.verify(headers(text, ec_key.get()), text).error(),
            Error::kCertificateKeyUsage);
}

TEST_F(VerifierTest, RejectsChainToUntrustedRoot) {
  auto other_intermediate = Pki::ca("Untrusted Intermediate", pki().intermediate_key.get(),
                                    pki().other_root.get(), pki().other_key.get());
  auto leaf = testing::makeCertificate(Pki::leafSpec(), pki().leaf_key.get(),
                                       other_intermediate.get(), pki().intermediate_key.get());
  EXPECT_EQ(verifyWithChain(testing::toPem(leaf.get()) + testing::toPem(other_intermediate.get()) +
                            testing::toPem(pki().other_root.get()))
                .error(),
            Error::kUntrustedCertificateChain);
}

TEST_F(VerifierTest, RejectsChainMissingItsIntermediate) {
  auto leaf = testing::makeCertificate(Pki::leafSpec(), pki().leaf_key.get(),
                                       pki().intermediate.get(), pki().intermediate_key.get());
  EXPECT_EQ(verifyWithChain(testing::toPem(leaf.get())).error(), Error::kUntrustedCertificateChain);
}

TEST_F(VerifierTest, RejectsSelfSignedLeaf) {
  auto leaf = testing::makeCertificate(Pki::leafSpec(), pki().leaf_key.get(), nullptr,
                                       pki().leaf_key.get());
  EXPECT_EQ(verifyWithChain(testing::toPem(leaf.get())).error(), Error::kUntrustedCertificateChain);
}

TEST_F(VerifierTest, RejectsChainWithExpiredIntermediate) {
  auto old_intermediate = Pki::ca("Expired Intermediate", pki().intermediate_key.get(),
                                  pki().root.get(), pki().root_key.get(), day(2024y / 1 / 1));
  auto leaf = testing::makeCertificate(Pki::leafSpec(), pki().leaf_key.get(),
                                       old_intermediate.get(), pki().intermediate_key.get());
  EXPECT_EQ(
      verifyWithChain(testing::toPem(leaf.get()) + testing::toPem(old_intermediate.get())).error(),
      Error::kCertificateExpired);
}

TEST_F(VerifierTest, RejectsBodyAlteredByOneByte) {
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  auto signed_headers = headers(text);
  for (std::size_t at : {std::size_t{0}, text.size() / 2, text.size() - 1}) {
    auto altered = text;
    altered[at] = static_cast<char>(altered[at] ^ 0x01);
    EXPECT_EQ(verifier.verify(signed_headers, altered).error(), Error::kSignatureMismatch) << at;
  }
  EXPECT_EQ(verifier.verify(signed_headers, text + " ").error(), Error::kSignatureMismatch);
  EXPECT_TRUE(verifier.verify(signed_headers, text));
}

TEST_F(VerifierTest, RejectsSignatureFromAnotherKeyOrHash) {
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  EXPECT_EQ(verifier.verify(headers(text, pki().other_key.get()), text).error(),
            Error::kSignatureMismatch);
  auto sha1 = testing::signBody(text, pki().leaf_key.get(), "SHA1");
  EXPECT_EQ(verifier.verify({.cert_chain_url = kUrl, .signature_256 = sha1, .signature = {}}, text)
                .error(),
            Error::kSignatureMismatch);
  EXPECT_EQ(
      verifier.verify({.cert_chain_url = kUrl, .signature_256 = "AAAA", .signature = {}}, text)
          .error(),
      Error::kSignatureMismatch);
}

TEST_F(VerifierTest, IgnoresLegacySha1SignatureByDefault) {
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  auto sha1 = testing::signBody(text, pki().leaf_key.get(), "SHA1");
  EXPECT_EQ(verifier.verify({.cert_chain_url = kUrl, .signature_256 = {}, .signature = sha1}, text)
                .error(),
            Error::kMissingSignature);
}

TEST_F(VerifierTest, AcceptsLegacySha1SignatureOnlyWhenAllowedAndNoSha256) {
  auto allow = options();
  allow.allow_legacy_sha1 = true;
  Verifier verifier(allow, fetcher_, clock_);
  auto text = body(iso(kNow));
  auto sha1 = testing::signBody(text, pki().leaf_key.get(), "SHA1");
  auto sha256 = testing::signBody(text, pki().leaf_key.get(), "SHA256");
  EXPECT_TRUE(
      verifier.verify({.cert_chain_url = kUrl, .signature_256 = {}, .signature = sha1}, text));
  // SHA-1 over a different body, or a SHA-256 signature in the SHA-1 header, does not pass.
  EXPECT_EQ(
      verifier.verify({.cert_chain_url = kUrl, .signature_256 = {}, .signature = sha1}, text + " ")
          .error(),
      Error::kSignatureMismatch);
  EXPECT_EQ(
      verifier.verify({.cert_chain_url = kUrl, .signature_256 = {}, .signature = sha256}, text)
          .error(),
      Error::kSignatureMismatch);
  // With both headers the SHA-256 one decides; a valid SHA-1 cannot rescue a bad SHA-256.
  auto other = testing::signBody(text, pki().other_key.get(), "SHA256");
  EXPECT_EQ(
      verifier.verify({.cert_chain_url = kUrl, .signature_256 = other, .signature = sha1}, text)
          .error(),
      Error::kSignatureMismatch);
  EXPECT_TRUE(verifier.verify(
      {.cert_chain_url = kUrl, .signature_256 = sha256, .signature = "garbage"}, text));
}

TEST_F(VerifierTest, AcceptsTimestampWithin150Seconds) {
  EXPECT_TRUE(verify(body(iso(kNow - 150s))));
  EXPECT_TRUE(verify(body(iso(kNow + 150s))));
  EXPECT_TRUE(verify(body("2024-06-01T11:58:00.123Z")));
  EXPECT_TRUE(verify(body("2024-06-01T14:01:00+02:00")));
  EXPECT_TRUE(verify(body("2024-06-01T09:59:30-02:00")));
}

TEST_F(VerifierTest, RejectsStaleOrFutureTimestamp) {
  EXPECT_EQ(verify(body(iso(kNow - 151s))).error(), Error::kTimestampOutOfRange);
  EXPECT_EQ(verify(body(iso(kNow + 151s))).error(), Error::kTimestampOutOfRange);
  EXPECT_EQ(verify(body(iso(kNow - 1h))).error(), Error::kTimestampOutOfRange);
  EXPECT_EQ(verify(body("2024-06-01T12:00:00+03:00")).error(), Error::kTimestampOutOfRange);
}

TEST_F(VerifierTest, AllowsSkillEventsUpToAnHourOld) {
  for (const char* type :
       {"AlexaSkillEvent.SkillEnabled", "AlexaSkillEvent.SkillDisabled",
        "AlexaSkillEvent.SkillPermissionAccepted", "AlexaSkillEvent.SkillPermissionChanged",
        "AlexaSkillEvent.SkillAccountLinked"}) {
    EXPECT_TRUE(verify(body(iso(kNow - 3600s), type))) << type;
    EXPECT_EQ(verify(body(iso(kNow - 3601s), type)).error(), Error::kTimestampOutOfRange) << type;
    // Late delivery explains an old event, not one from the future.
    EXPECT_EQ(verify(body(iso(kNow + 151s), type)).error(), Error::kTimestampOutOfRange) << type;
  }
  EXPECT_EQ(verify(body(iso(kNow - 3000s), "IntentRequest")).error(), Error::kTimestampOutOfRange);
  EXPECT_EQ(verify(body(iso(kNow - 3000s), "AlexaSkillEvent.Unknown")).error(),
            Error::kTimestampOutOfRange);
}

TEST_F(VerifierTest, CapsConfiguredSkewAt150Seconds) {
  auto wide = options();
  wide.max_skew = 10min;
  wide.skill_event_max_age = 24h;
  Verifier verifier(wide, fetcher_, clock_);
  auto stale = body(iso(kNow - 151s));
  EXPECT_EQ(verifier.verify(headers(stale), stale).error(), Error::kTimestampOutOfRange);
  auto old_event = body(iso(kNow - 3601s), "AlexaSkillEvent.SkillEnabled");
  EXPECT_EQ(verifier.verify(headers(old_event), old_event).error(), Error::kTimestampOutOfRange);

  auto narrow = options();
  narrow.max_skew = 30s;
  Verifier strict(narrow, fetcher_, clock_);
  auto late = body(iso(kNow - 31s));
  EXPECT_EQ(strict.verify(headers(late), late).error(), Error::kTimestampOutOfRange);
}

TEST_F(VerifierTest, RejectsMissingOrMalformedTimestamp) {
  auto no_timestamp = R"({"context":{"System":{"application":{"applicationId":")" +
                      std::string(kAppId) + R"("}}},"request":{"type":"LaunchRequest"}})";
  EXPECT_EQ(verify(no_timestamp).error(), Error::kMissingTimestamp);
  auto numeric = R"({"request":{"type":"LaunchRequest","timestamp":1717243200}})";
  EXPECT_EQ(verify(numeric).error(), Error::kMissingTimestamp);
  EXPECT_EQ(verify(R"({"request":"LaunchRequest"})").error(), Error::kMissingTimestamp);
  for (const char* bad :
       {"", "yesterday", "2024-06-01", "2024-06-01T12:00:00", "2024-06-01 12:00:00Z",
        "2024-13-01T12:00:00Z", "2024-02-30T12:00:00Z", "2024-06-01T24:00:00Z",
        "2024-06-01T12:00:00.Z", "2024-06-01T12:00:00+0200", "2024-06-01T12:00:00Zjunk",
        "+2024-06-01T12:00:00Z"}) {
    auto result = verify(body(bad));
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error(), Error::kMalformedTimestamp) << bad;
  }
}

TEST_F(VerifierTest, RejectsSignedBodyThatIsNotAJsonObject) {
  EXPECT_EQ(verify("not json").error(), Error::kMalformedBody);
  EXPECT_EQ(verify("[1,2,3]").error(), Error::kMalformedBody);
  EXPECT_EQ(verify("").error(), Error::kMalformedBody);
  EXPECT_EQ(verify(body(iso(kNow)) + "}").error(), Error::kMalformedBody);
}

TEST_F(VerifierTest, RejectsApplicationIdNotInAllowlist) {
  EXPECT_EQ(verify(body(iso(kNow), "LaunchRequest", "amzn1.ask.skill.other")).error(),
            Error::kApplicationIdMismatch);
  auto no_app = R"({"request":{"type":"LaunchRequest","timestamp":")" + iso(kNow) + R"("}})";
  EXPECT_EQ(verify(no_app).error(), Error::kMissingApplicationId);
}

TEST_F(VerifierTest, FallsBackToSessionApplicationId) {
  auto session_only = R"({"session":{"application":{"applicationId":")" + std::string(kAppId) +
                      R"("}},"request":{"type":"LaunchRequest","timestamp":")" + iso(kNow) +
                      R"("}})";
  EXPECT_TRUE(verify(session_only));
}

TEST_F(VerifierTest, AcceptsAnyApplicationWhenAllowlistIsEmpty) {
  auto any = options();
  any.application_ids.clear();
  Verifier verifier(any, fetcher_, clock_);
  auto text = body(iso(kNow), "LaunchRequest", "amzn1.ask.skill.other");
  EXPECT_TRUE(verifier.verify(headers(text), text));
}

TEST_F(VerifierTest, SkipsDisabledChecks) {
  auto no_signature = options();
  no_signature.verify_signature = false;
  Verifier unsigned_ok(no_signature, fetcher_, clock_);
  EXPECT_TRUE(unsigned_ok.verify({}, body(iso(kNow))));
  EXPECT_EQ(unsigned_ok.verify({}, body(iso(kNow - 1h))).error(), Error::kTimestampOutOfRange);
  EXPECT_EQ(unsigned_ok.verify({}, body(iso(kNow), "LaunchRequest", "x")).error(),
            Error::kApplicationIdMismatch);
  EXPECT_EQ(fetcher_.calls, 0);

  auto no_timestamp = options();
  no_timestamp.verify_timestamp = false;
  Verifier replay_ok(no_timestamp, fetcher_, clock_);
  auto old = body(iso(kNow - 24h));
  EXPECT_TRUE(replay_ok.verify(headers(old), old));
}

TEST_F(VerifierTest, DownloadsChainOncePerUrl) {
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  auto signed_headers = headers(text);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(verifier.verify(signed_headers, text));
  // Another spelling of the same URL is the same cache entry.
  EXPECT_TRUE(verifier.verify(headers(text, nullptr,
                                      "https://S3.AMAZONAWS.COM:443/echo.api/./"
                                      "echo-api-cert-12.pem"),
                              text));
  EXPECT_EQ(fetcher_.calls, 1);
  EXPECT_EQ(verifier.cachedChains(), 1U);

  auto rotated = "https://s3.amazonaws.com/echo.api/echo-api-cert-13.pem";
  fetcher_.serve(rotated, pki().chain());
  EXPECT_TRUE(verifier.verify(headers(text, nullptr, rotated), text));
  EXPECT_TRUE(verifier.verify(headers(text, nullptr, rotated), text));
  EXPECT_EQ(fetcher_.calls, 2);
  EXPECT_EQ(verifier.cachedChains(), 2U);
}

TEST_F(VerifierTest, ConcurrentFirstRequestsShareOneDownload) {
  fetcher_.delay = 100ms;
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  auto signed_headers = headers(text);
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (verifier.verify(signed_headers, text)) ++passed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(passed, 160);
  EXPECT_EQ(fetcher_.calls, 1);
}

TEST_F(VerifierTest, RevalidatesWhenTheCachedChainExpires) {
  auto spec = Pki::leafSpec();
  spec.not_after = kNow + 1h;
  fetcher_.serve(kUrl, pki().chain(spec));
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  auto signed_headers = headers(text);
  ASSERT_TRUE(verifier.verify(signed_headers, text));

  clock_.advance(1h + 1s);
  auto later = body(iso(clock_.now()));
  EXPECT_EQ(verifier.verify(headers(later), later).error(), Error::kCertificateExpired);
  EXPECT_EQ(fetcher_.calls, 2);
  EXPECT_EQ(verifier.cachedChains(), 0U);
}

TEST_F(VerifierTest, EvictsChainWhenItsIntermediateExpiresBeforeTheLeaf) {
  auto short_intermediate = Pki::ca("Short Intermediate", pki().intermediate_key.get(),
                                    pki().root.get(), pki().root_key.get(), kNow + 1h);
  auto leaf = testing::makeCertificate(Pki::leafSpec(), pki().leaf_key.get(),
                                       short_intermediate.get(), pki().intermediate_key.get());
  fetcher_.serve(kUrl, testing::toPem(leaf.get()) + testing::toPem(short_intermediate.get()));
  Verifier verifier(options(), fetcher_, clock_);
  auto text = body(iso(kNow));
  ASSERT_TRUE(verifier.verify(headers(text), text));
  clock_.advance(1h + 1s);
  auto later = body(iso(clock_.now()));
  EXPECT_EQ(verifier.verify(headers(later), later).error(), Error::kCertificateExpired);
  EXPECT_EQ(fetcher_.calls, 2);
}

TEST_F(VerifierTest, KeepsAtMostMaxCachedChains) {
  auto small = options();
  small.max_cached_chains = 2;
  Verifier verifier(small, fetcher_, clock_);
  auto text = body(iso(kNow));
  for (int i = 0; i < 5; ++i) {
    auto url = "https://s3.amazonaws.com/echo.api/cert-" + std::to_string(i) + ".pem";
    fetcher_.serve(url, pki().chain());
    ASSERT_TRUE(verifier.verify(headers(text, nullptr, url), text));
  }
  EXPECT_EQ(verifier.cachedChains(), 2U);
}

TEST_F(VerifierTest, LoadsTrustStoreFromHashedDirectory) {
  auto hashed = dir_ / "hashed";
  std::filesystem::create_directories(hashed);
  char name[16];
  std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(pki().root.get()));
  std::ofstream(hashed / name) << testing::toPem(pki().root.get());

  auto by_dir = options();
  by_dir.ca_file.clear();
  by_dir.ca_dir = hashed.string();
  Verifier verifier(by_dir, fetcher_, clock_);
  auto text = body(iso(kNow));
  EXPECT_TRUE(verifier.verify(headers(text), text));
}

TEST_F(VerifierTest, SystemTrustStoreDoesNotTrustTestRoot) {
  auto system = options();
  system.ca_file.clear();
  Verifier verifier(system, fetcher_, clock_);
  auto text = body(iso(kNow));
  EXPECT_EQ(verifier.verify(headers(text), text).error(), Error::kUntrustedCertificateChain);
}

TEST_F(VerifierTest, ThrowsWhenTrustStoreCannotBeLoaded) {
  auto missing = options();
  missing.ca_file = (dir_ / "no-such-file.pem").string();
  EXPECT_THROW(Verifier(missing, fetcher_, clock_), std::runtime_error);
}

// Parsing waits for the first chain (a Lambda cold start never verifies), so a corrupt bundle
// surfaces there, on every attempt, and not at construction.
TEST_F(VerifierTest, ParsesTheTrustStoreOnlyWhenAChainIsValidated) {
  auto corrupt = options();
  corrupt.ca_file = (dir_ / "corrupt.pem").string();
  std::ofstream(corrupt.ca_file)
      << "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  Verifier verifier(corrupt, fetcher_, clock_);
  auto text = body(iso(kNow));
  EXPECT_THROW(static_cast<void>(verifier.verify(headers(text), text)), std::runtime_error);
  EXPECT_THROW(static_cast<void>(verifier.verify(headers(text), text)), std::runtime_error);
  EXPECT_EQ(verifier.cachedChains(), 0U);
}

TEST(VerifyError, NamesTheFailedCheck) {
  boost::system::error_code ec = Error::kCertificateSanMismatch;
  EXPECT_STREQ(ec.category().name(), "parley.verify");
  EXPECT_EQ(ec.message(), "signing certificate SAN lacks echo-api.amazon.com");
  EXPECT_EQ(ec, Error::kCertificateSanMismatch);
  EXPECT_NE(boost::system::error_code(Error::kTimestampOutOfRange).message(),
            boost::system::error_code(Error::kMissingTimestamp).message());
}

}  // namespace
}  // namespace parley::verify
