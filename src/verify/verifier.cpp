#include "parley/verify/verifier.hpp"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "base64.hpp"
#include "certificate_chain.hpp"
#include "chain_cache.hpp"
#include "openssl.hpp"
#include "parley/core/log.hpp"
#include "parley/verify/cert_url.hpp"
#include "timestamp.hpp"

namespace parley::verify {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr seconds kMaxSkewCap{150};
constexpr seconds kSkillEventMaxAgeCap{3600};
// An RSA-16384 signature is 2 KiB; anything longer is not a signature.
constexpr std::size_t kMaxSignatureBase64 = 4096;

// Skill events are delivered late by design and may be up to an hour old (§5.5).
constexpr std::array<std::string_view, 5> kSkillEvents = {
    "AlexaSkillEvent.SkillEnabled", "AlexaSkillEvent.SkillDisabled",
    "AlexaSkillEvent.SkillPermissionAccepted", "AlexaSkillEvent.SkillPermissionChanged",
    "AlexaSkillEvent.SkillAccountLinked"};

// What can be checked without parsing: the configured bundle and directory exist and are readable.
void checkTrustStoreReadable(const Verifier::Options& options) {
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file)) {
    throw std::runtime_error("verify: cannot read CA file " + options.ca_file);
  }
  std::error_code ec;
  if (!options.ca_dir.empty() && !std::filesystem::is_directory(options.ca_dir, ec)) {
    throw std::runtime_error("verify: CA directory " + options.ca_dir + " is not a directory");
  }
}

ossl::X509Store loadTrustStore(const Verifier::Options& options) {
  ossl::X509Store store(X509_STORE_new());
  if (!store) throw std::bad_alloc();
  bool loaded = true;
  if (options.ca_file.empty() && options.ca_dir.empty()) {
    loaded = X509_STORE_set_default_paths(store.get()) == 1;
  }
  if (!options.ca_file.empty()) {
    loaded = loaded && X509_STORE_load_file(store.get(), options.ca_file.c_str()) == 1;
  }
  if (!options.ca_dir.empty()) {
    loaded = loaded && X509_STORE_load_path(store.get(), options.ca_dir.c_str()) == 1;
  }
  if (!loaded) throw std::runtime_error("verify: cannot load trust store: " + ossl::takeErrors());
  return store;
}

ossl::EvpMd fetchDigest(const char* name) {
  ossl::EvpMd md(EVP_MD_fetch(nullptr, name, nullptr));
  if (!md) throw std::runtime_error(std::string("verify: no digest ") + name);
  return md;
}

const boost::json::value* member(const boost::json::value* value, std::string_view key) {
  if (value == nullptr || !value->is_object()) return nullptr;
  return value->as_object().if_contains(key);
}

const boost::json::string* stringAt(const boost::json::value& root,
                                    std::initializer_list<std::string_view> path) {
  const boost::json::value* at = &root;
  for (auto key : path) at = member(at, key);
  return at == nullptr ? nullptr : at->if_string();
}

}  // namespace

struct Verifier::Impl {
  Options options;
  CertificateFetcher& fetcher;
  const core::Clock& clock;
  std::mutex trust_mutex;
  ossl::X509Store trust;  // set once by trustStore(), under trust_mutex
  std::once_flag digests_fetched;
  ossl::EvpMd sha256;  // set once by digest()
  ossl::EvpMd sha1;
  ChainCache cache;
  std::shared_ptr<spdlog::logger> log;

  Impl(Options opts, CertificateFetcher& f, const core::Clock& c)
      : options(std::move(opts)),
        fetcher(f),
        clock(c),
        cache(options.max_cached_chains),
        log(core::logger("verify")) {
    checkTrustStoreReadable(options);
    if (options.max_skew > kMaxSkewCap) {
      log->warn("max_skew {}s capped at {}s", options.max_skew.count(), kMaxSkewCap.count());
    }
    options.max_skew = std::clamp(options.max_skew, seconds{0}, kMaxSkewCap);
    options.skill_event_max_age =
        std::clamp(options.skill_event_max_age, seconds{0}, kSkillEventMaxAgeCap);
  }

  // Parsed at the first chain to validate, not at startup: a system bundle takes about 20 ms,
  // which a Lambda cold start (whose Alexa events are never verified) should not pay. Throws
  // std::runtime_error when the store cannot be parsed; the next call tries again.
  X509_STORE* trustStore() {
    std::lock_guard lock(trust_mutex);
    if (!trust) trust = loadTrustStore(options);
    return trust.get();
  }

  // Fetched at the first signature, not at startup: the first fetch initializes OpenSSL's
  // providers and reads its configuration, a millisecond or two of a Lambda cold start.
  const EVP_MD* digest(bool legacy_sha1) {
    std::call_once(digests_fetched, [this] {
      sha256 = fetchDigest("SHA256");
      sha1 = fetchDigest("SHA1");
    });
    return legacy_sha1 ? sha1.get() : sha256.get();
  }

  boost::system::result<void> checkSignature(const SignatureHeaders& headers, std::string_view body,
                                             system_clock::time_point now) {
    if (headers.cert_chain_url.empty()) return Error::kMissingCertChainUrl;
    std::string_view encoded = headers.signature_256;
    const bool legacy_sha1 = encoded.empty() && options.allow_legacy_sha1;
    if (legacy_sha1) encoded = headers.signature;
    if (encoded.empty()) return Error::kMissingSignature;
    if (encoded.size() > kMaxSignatureBase64) return Error::kMalformedSignature;
    auto signature = decodeBase64(encoded);
    if (!signature) return Error::kMalformedSignature;

    auto url = normalizeCertChainUrl(headers.cert_chain_url);
    if (!url) return url.error();
    auto chain = cache.get(*url, now, [&]() { return load(*url, now); });
    if (!chain) return chain.error();

    ossl::EvpMdCtx ctx(EVP_MD_CTX_new());
    if (!ctx) throw std::bad_alloc();
    EVP_PKEY_CTX* pkey_ctx = nullptr;
    if (EVP_DigestVerifyInit(ctx.get(), &pkey_ctx, digest(legacy_sha1), nullptr,
                             (*chain)->public_key.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) != 1) {
      throw std::runtime_error("verify: cannot set up signature check: " + ossl::takeErrors());
    }
    int verified =
        EVP_DigestVerify(ctx.get(), signature->data(), signature->size(),
                         reinterpret_cast<const unsigned char*>(body.data()), body.size());
    if (verified != 1) {
      ossl::takeErrors();
      return Error::kSignatureMismatch;
    }
    return {};
  }

  boost::system::result<ChainCache::Chain> load(const std::string& url,
                                                system_clock::time_point now) {
    auto pem = fetcher.fetch(url);
    if (!pem) {
      log->warn("certificate chain download failed: {}", pem.error().message());
      return Error::kCertificateDownloadFailed;
    }
    auto chain = validateChain(*pem, trustStore(), now);
    if (chain) log->info("certificate chain validated and cached");
    return chain;
  }

  boost::system::result<void> checkBody(std::string_view body, system_clock::time_point now) {
    boost::system::error_code ec;
    auto root = boost::json::parse(body, ec);
    if (ec || !root.is_object()) return Error::kMalformedBody;

    if (options.verify_timestamp) {
      const auto* text = stringAt(root, {"request", "timestamp"});
      if (text == nullptr) return Error::kMissingTimestamp;
      auto timestamp = parseTimestamp(*text);
      if (!timestamp) return Error::kMalformedTimestamp;
      const auto* type = stringAt(root, {"request", "type"});
      bool skill_event =
          type != nullptr && std::find(kSkillEvents.begin(), kSkillEvents.end(),
                                       std::string_view(*type)) != kSkillEvents.end();
      // A late skill event is expected; one from the future is not.
      auto max_age = skill_event ? options.skill_event_max_age : options.max_skew;
      auto age = now - *timestamp;
      if (age > max_age || age < -options.max_skew) return Error::kTimestampOutOfRange;
    }

    if (!options.application_ids.empty()) {
      const auto* id = stringAt(root, {"context", "System", "application", "applicationId"});
      if (id == nullptr) id = stringAt(root, {"session", "application", "applicationId"});
      if (id == nullptr) return Error::kMissingApplicationId;
      if (std::find(options.application_ids.begin(), options.application_ids.end(),
                    std::string_view(*id)) == options.application_ids.end()) {
        return Error::kApplicationIdMismatch;
      }
    }
    return {};
  }
};

Verifier::Verifier(Options options, CertificateFetcher& fetcher, const core::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), fetcher, clock)) {}

Verifier::~Verifier() = default;

boost::system::result<void> Verifier::verify(const SignatureHeaders& headers,
                                             std::string_view raw_body) const {
  auto now = impl_->clock.now();
  // The signature first: nothing in the body is looked at before it is known to be Alexa's.
  if (impl_->options.verify_signature) {
    if (auto signed_ok = impl_->checkSignature(headers, raw_body, now); !signed_ok) {
      return signed_ok;
    }
  }
  if (impl_->options.verify_timestamp || !impl_->options.application_ids.empty()) {
    return impl_->checkBody(raw_body, now);
  }
  return {};
}

std::size_t Verifier::cachedChains() const { return impl_->cache.size(); }

}  // namespace parley::verify
