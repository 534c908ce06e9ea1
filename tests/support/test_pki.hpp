#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

// A throw-away PKI built with the OpenSSL C API at test time: keys, CA and leaf certificates,
// PEM output and Alexa-style body signatures.
namespace parley::verify::testing {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* cert) const noexcept { X509_free(cert); }
};
using Key = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

Key generateRsaKey(unsigned bits = 2048);
Key generateEcKey();

struct CertSpec {
  std::string common_name{};
  std::vector<std::string> dns_names{};  // subjectAltName DNS entries; none = no SAN extension
  bool is_ca{false};
  std::string key_usage{};  // e.g. "digitalSignature"; empty = no keyUsage extension
  std::chrono::system_clock::time_point not_before{};
  std::chrono::system_clock::time_point not_after{};
};

// Signs `spec` for `subject_key` with `issuer_key`; `issuer` null means self-signed.
Cert makeCertificate(const CertSpec& spec, EVP_PKEY* subject_key, const X509* issuer,
                     EVP_PKEY* issuer_key);

std::string toPem(const X509* cert);

// Base64 RSA PKCS#1 v1.5 signature of `body`, as in Alexa's Signature-256 ("SHA256") or legacy
// Signature ("SHA1") header.
std::string signBody(std::string_view body, EVP_PKEY* key, const char* digest = "SHA256");

std::string base64(std::string_view bytes);

}  // namespace parley::verify::testing
