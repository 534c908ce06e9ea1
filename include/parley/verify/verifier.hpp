#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parley/core/clock.hpp"
#include "parley/verify/certificate_fetcher.hpp"
#include "parley/verify/error.hpp"

namespace parley::verify {

// The request headers the checks read; an empty value means the header is absent (as Beast's
// `request[name]` returns it).
struct SignatureHeaders {
  std::string_view cert_chain_url{};  // SignatureCertChainUrl
  std::string_view signature_256{};   // Signature-256: base64 RSA-SHA256 of the raw body
  std::string_view signature{};       // Signature: legacy base64 RSA-SHA1, see allow_legacy_sha1
};

// Checks that a POST to the skill endpoint comes from Alexa (alexa-skill.md §5): certificate-chain
// URL, chain download (cached), chain trust, leaf dates and SAN, RSA signature over the raw body,
// request timestamp, application id. Thread-safe: one instance serves every session; the chain
// cache has its own mutex and concurrent first requests for a URL share one download.
class Verifier {
 public:
  struct Options {
    // Trusted roots: a PEM bundle and/or an OpenSSL hashed directory. Both empty means OpenSSL's
    // default paths (the system store).
    std::string ca_file{};
    std::string ca_dir{};
    // Allowed context.System.application.applicationId values (fallback
    // session.application.applicationId). Empty accepts any application.
    std::vector<std::string> application_ids{};
    // Largest distance between request.timestamp and now; capped at 150 s (§5.5).
    std::chrono::seconds max_skew{150};
    // How old a skill event (AlexaSkillEvent.SkillEnabled, …) may be; capped at 3600 s.
    std::chrono::seconds skill_event_max_age{3600};
    // Accept the SHA-1 `Signature` header when `Signature-256` is absent. Off by default: accepting
    // both lets an attacker pick the weaker hash (§5.2).
    bool allow_legacy_sha1{false};
    // Switches for local development only (e.g. requests replayed from the simulator).
    bool verify_signature{true};
    bool verify_timestamp{true};
    // Validated chains kept at most; the expired ones and then the soonest to expire go first.
    std::size_t max_cached_chains{32};
  };

  // Throws std::runtime_error when the trust store's file or directory cannot be read; their
  // certificates are parsed on the first chain to validate (verify() throws then if they do not
  // parse). `fetcher` and `clock` must outlive the verifier.
  Verifier(Options options, CertificateFetcher& fetcher, const core::Clock& clock);
  ~Verifier();
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  // Runs every enabled check on a request; `raw_body` is the body exactly as received. On failure
  // the error names the first check that failed: answer 400 and do not run the skill.
  boost::system::result<void> verify(const SignatureHeaders& headers,
                                     std::string_view raw_body) const;

  // Validated chains currently cached (diagnostics and tests).
  std::size_t cachedChains() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::verify
