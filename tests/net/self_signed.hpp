#pragma once

// A throw-away certificate for TLS tests, made with the OpenSSL API at test time so that no
// key material is committed. Shared by tests/net and tests/http.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

namespace parley::testing {

struct SelfSigned {
  std::string cert_pem{};
  std::string key_pem{};
  std::filesystem::path cert_file{};
  std::filesystem::path key_file{};
};

// A P-256 key and a self-signed CA certificate for `alt_names` (by default DNS:localhost and
// IP:127.0.0.1), written into `directory` as cert.pem and key.pem.
inline SelfSigned makeSelfSigned(const std::filesystem::path& directory,
                                 const std::string& alt_names = "DNS:localhost,IP:127.0.0.1") {
  auto check = [](bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("openssl: ") + what);
  };
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  check(key != nullptr, "EVP_EC_gen");
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, alt_names.c_str()},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "X509V3_EXT_conf_nid");
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

  auto toPem = [&](auto write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    check(write(bio.get()) == 1, "PEM_write");
    char* data = nullptr;
    long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
  };
  SelfSigned out;
  out.cert_pem = toPem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });
  out.key_pem = toPem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  std::filesystem::create_directories(directory);
  out.cert_file = directory / "cert.pem";
  out.key_file = directory / "key.pem";
  std::ofstream(out.cert_file) << out.cert_pem;
  std::ofstream(out.key_file) << out.key_pem;
  return out;
}

}  // namespace parley::testing
