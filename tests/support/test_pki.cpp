#include "support/test_pki.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace parley::verify::testing {
namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    ERR_print_errors_fp(stderr);
    throw std::runtime_error(std::string("test PKI: ") + what);
  }
}

void addExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  check(ext != nullptr, "extension");
  int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(added == 1, "add extension");
}

}  // namespace

Key generateRsaKey(unsigned bits) {
  Key key(EVP_RSA_gen(bits));
  check(key != nullptr, "RSA key");
  return key;
}

Key generateEcKey() {
  Key key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EC key");
  return key;
}

Cert makeCertificate(const CertSpec& spec, EVP_PKEY* subject_key, const X509* issuer,
                     EVP_PKEY* issuer_key) {
  static long serial = 1;
  Cert cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++) == 1, "serial");
  using std::chrono::system_clock;
  check(ASN1_TIME_set(X509_getm_notBefore(cert.get()), system_clock::to_time_t(spec.not_before)) !=
            nullptr,
        "notBefore");
  check(ASN1_TIME_set(X509_getm_notAfter(cert.get()), system_clock::to_time_t(spec.not_after)) !=
            nullptr,
        "notAfter");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(spec.common_name.c_str()),
                                   -1, -1, 0) == 1,
        "subject");
  check(X509_set_issuer_name(cert.get(),
                             issuer != nullptr ? X509_get_subject_name(issuer) : name) == 1,
        "issuer");
  check(X509_set_pubkey(cert.get(), subject_key) == 1, "pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer != nullptr ? const_cast<X509*>(issuer) : cert.get(), cert.get(),
                 nullptr, nullptr, 0);
  addExtension(cert.get(), &ctx, NID_basic_constraints,
               spec.is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  addExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
  addExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
  if (!spec.key_usage.empty()) addExtension(cert.get(), &ctx, NID_key_usage, spec.key_usage);
  if (!spec.dns_names.empty()) {
    std::string san;
    for (const auto& dns : spec.dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + dns;
    addExtension(cert.get(), &ctx, NID_subject_alt_name, san);
  }
  check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "sign");
  return cert;
}

std::string toPem(const X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  check(bio != nullptr && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string signBody(std::string_view body, EVP_PKEY* key, const char* digest) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  check(ctx != nullptr, "EVP_MD_CTX_new");
  check(EVP_DigestSignInit_ex(ctx.get(), nullptr, digest, nullptr, nullptr, key, nullptr) == 1,
        "sign init");
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(body.data());
  check(EVP_DigestSign(ctx.get(), nullptr, &size, data, body.size()) == 1, "sign size");
  std::string signature(size, '\0');
  check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data,
                       body.size()) == 1,
        "sign");
  signature.resize(size);
  return base64(signature);
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace parley::verify::testing
