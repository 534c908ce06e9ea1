// Cost of verifying one Alexa request once its certificate chain is cached: base64 decode, one
// RSA-2048 PKCS#1 v1.5 verify with SHA-256 over the body, JSON parse for timestamp and
// application id. Run: build/release/bin/verify_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "parley/core/clock.hpp"
#include "parley/verify/verifier.hpp"
#include "support/fixtures.hpp"
#include "support/test_pki.hpp"

namespace {

using namespace std::chrono;
using namespace parley;
namespace pki = parley::verify::testing;

constexpr auto kUrl = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem";
constexpr auto kTimestamp = "2024-06-01T12:00:00Z";

class StaticFetcher final : public verify::CertificateFetcher {
 public:
  explicit StaticFetcher(std::string pem) : pem_(std::move(pem)) {}
  boost::system::result<std::string> fetch(const std::string&) override { return pem_; }

 private:
  std::string pem_;
};

// A signed launch request (the repository's fixture, about 1.5 KB) and a verifier whose cache
// already holds the chain.
struct Setup {
  Setup() {
    auto root_key = pki::generateRsaKey();
    auto leaf_key = pki::generateRsaKey();
    auto root = pki::makeCertificate({.common_name = "Bench Root",
                                      .dns_names = {},
                                      .is_ca = true,
                                      .key_usage = "critical,keyCertSign",
                                      .not_before = sys_days{2020y / 1 / 1},
                                      .not_after = sys_days{2030y / 1 / 1}},
                                     root_key.get(), nullptr, root_key.get());
    auto leaf = pki::makeCertificate({.common_name = "echo-api.amazon.com",
                                      .dns_names = {"echo-api.amazon.com"},
                                      .is_ca = false,
                                      .key_usage = "critical,digitalSignature",
                                      .not_before = sys_days{2024y / 1 / 1},
                                      .not_after = sys_days{2025y / 1 / 1}},
                                     leaf_key.get(), root.get(), root_key.get());
    roots = std::filesystem::temp_directory_path() /
            ("parley-verify-bench-" + std::to_string(::getpid()) + ".pem");
    std::ofstream(roots) << pki::toPem(root.get());
    fetcher = std::make_unique<StaticFetcher>(pki::toPem(leaf.get()));

    auto envelope = boost::json::parse(testing::readFixture("alexa/launch-linked.json"));
    envelope.at("request").as_object()["timestamp"] = kTimestamp;
    body = boost::json::serialize(envelope);
    signature = pki::signBody(body, leaf_key.get());
    application_id =
        envelope.at_pointer("/context/System/application/applicationId").as_string().c_str();
  }
  ~Setup() { std::filesystem::remove(roots); }

  verify::Verifier::Options options() const {
    verify::Verifier::Options options;
    options.ca_file = roots.string();
    options.application_ids = {application_id};
    return options;
  }
  verify::SignatureHeaders headers() const {
    return {.cert_chain_url = kUrl, .signature_256 = signature, .signature = {}};
  }

  std::filesystem::path roots;
  std::unique_ptr<StaticFetcher> fetcher;
  std::string body;
  std::string signature;
  std::string application_id;
  core::ManualClock clock{sys_days{2024y / June / 1} + 12h};
};

Setup& setup() {
  static Setup instance;
  return instance;
}

void runVerify(benchmark::State& state, const verify::Verifier& verifier) {
  auto& s = setup();
  auto headers = s.headers();
  if (!verifier.verify(headers, s.body)) state.SkipWithError("request does not verify");
  for (auto _ : state) {
    auto result = verifier.verify(headers, s.body);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.body.size()));
}

// Every check: signature, timestamp, application id.
void BM_VerifyCachedChain(benchmark::State& state) {
  static verify::Verifier verifier(setup().options(), *setup().fetcher, setup().clock);
  runVerify(state, verifier);
}
BENCHMARK(BM_VerifyCachedChain)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_VerifyCachedChain)->Unit(benchmark::kMicrosecond)->Threads(2)->UseRealTime();

// The signature alone (no JSON parse), for comparison.
void BM_VerifySignatureOnly(benchmark::State& state) {
  auto options = setup().options();
  options.verify_timestamp = false;
  options.application_ids.clear();
  static verify::Verifier verifier(options, *setup().fetcher, setup().clock);
  runVerify(state, verifier);
}
BENCHMARK(BM_VerifySignatureOnly)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
