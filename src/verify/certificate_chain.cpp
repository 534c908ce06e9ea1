#include "certificate_chain.hpp"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <climits>
#include <ctime>
#include <new>
#include <optional>

#include "parley/core/log.hpp"
#include "parley/verify/error.hpp"

namespace parley::verify {
namespace {

using std::chrono::system_clock;

constexpr std::string_view kSigningHost = "echo-api.amazon.com";
// Amazon's file holds three or four certificates; more is not a chain we want to walk.
constexpr int kMaxCertificates = 10;

struct X509StackViewDeleter {
  void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_free(stack); }
};
using X509StackView = std::unique_ptr<STACK_OF(X509), X509StackViewDeleter>;

std::optional<system_clock::time_point> toTimePoint(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return std::nullopt;
  return system_clock::from_time_t(timegm(&tm));
}

// Every certificate of the file, in order; an error for anything that is not a clean PEM list.
boost::system::result<ossl::X509Stack> parsePem(std::string_view pem) {
  if (pem.empty() || pem.size() > INT_MAX) return Error::kMalformedCertificate;
  ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ossl::X509Stack certs(sk_X509_new_null());
  if (!bio || !certs) throw std::bad_alloc();
  while (ossl::X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    if (sk_X509_num(certs.get()) == kMaxCertificates) {
      ossl::takeErrors();
      return Error::kMalformedCertificate;
    }
    if (sk_X509_push(certs.get(), cert.get()) == 0) throw std::bad_alloc();
    cert.release();  // the stack owns it now
  }
  // The loop ends at the first read that fails; only "no further BEGIN line" is a clean end.
  auto last = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  ossl::takeErrors();
  if (!clean_end || sk_X509_num(certs.get()) == 0) return Error::kMalformedCertificate;
  return certs;
}

Error mapVerifyError(int code) {
  switch (code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return Error::kCertificateExpired;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return Error::kCertificateNotYetValid;
    default:
      return Error::kUntrustedCertificateChain;
  }
}

}  // namespace

boost::system::result<std::shared_ptr<const ValidatedChain>> validateChain(
    std::string_view pem, X509_STORE* trust, system_clock::time_point now) {
  auto log = core::logger("verify");
  auto certs = parsePem(pem);
  if (!certs) return certs.error();
  X509* leaf = sk_X509_value(certs->get(), 0);

  auto not_before = toTimePoint(X509_get0_notBefore(leaf));
  auto not_after = toTimePoint(X509_get0_notAfter(leaf));
  if (!not_before || !not_after) return Error::kMalformedCertificate;
  if (now < *not_before) return Error::kCertificateNotYetValid;
  if (now > *not_after) return Error::kCertificateExpired;

  // Exact DNS name in the SAN: no wildcard, no fallback to the subject CN.
  if (X509_check_host(leaf, kSigningHost.data(), kSigningHost.size(),
                      X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_WILDCARDS,
                      nullptr) != 1) {
    ossl::takeErrors();
    return Error::kCertificateSanMismatch;
  }
  if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) != 0 &&
      (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0) {
    return Error::kCertificateKeyUsage;
  }
  ossl::EvpPkey key(X509_get_pubkey(leaf));
  if (!key || EVP_PKEY_is_a(key.get(), "RSA") != 1) {
    ossl::takeErrors();
    return Error::kCertificateKeyUsage;
  }

  X509StackView untrusted(sk_X509_new_null());
  ossl::X509StoreCtx ctx(X509_STORE_CTX_new());
  if (!untrusted || !ctx) throw std::bad_alloc();
  for (int i = 1; i < sk_X509_num(certs->get()); ++i) {
    if (sk_X509_push(untrusted.get(), sk_X509_value(certs->get(), i)) == 0) throw std::bad_alloc();
  }
  if (X509_STORE_CTX_init(ctx.get(), trust, leaf, untrusted.get()) != 1) throw std::bad_alloc();
  X509_STORE_CTX_set_time(ctx.get(), 0, system_clock::to_time_t(now));
  if (X509_verify_cert(ctx.get()) != 1) {
    int code = X509_STORE_CTX_get_error(ctx.get());
    log->warn("certificate chain rejected at depth {}: {}",
              X509_STORE_CTX_get_error_depth(ctx.get()), X509_verify_cert_error_string(code));
    ossl::takeErrors();
    return mapVerifyError(code);
  }

  auto chain = std::make_shared<ValidatedChain>();
  chain->not_before = *not_before;
  chain->not_after = *not_after;
  STACK_OF(X509)* verified = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i < sk_X509_num(verified); ++i) {
    X509* cert = sk_X509_value(verified, i);
    auto from = toTimePoint(X509_get0_notBefore(cert));
    auto until = toTimePoint(X509_get0_notAfter(cert));
    if (!from || !until) return Error::kMalformedCertificate;
    chain->not_before = std::max(chain->not_before, *from);
    chain->not_after = std::min(chain->not_after, *until);
  }
  chain->public_key = std::move(key);
  return std::shared_ptr<const ValidatedChain>(std::move(chain));
}

}  // namespace parley::verify
