#include "parley/crypto/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <new>
#include <stdexcept>

namespace parley::crypto {
namespace {

constexpr std::size_t kBlockSize = 64;
constexpr std::string_view kHexDigits = "0123456789abcdef";

// Fetched once: the implicit fetch behind EVP_sha256()/SHA256()/HMAC() costs about a
// microsecond per call, more than hashing a token.
const EVP_MD* algorithm() {
  static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (fetched == nullptr) throw std::runtime_error("OpenSSL offers no SHA-256");
  return fetched;
}

// One digest context per thread, reused: a context per hash would be an allocation per hash.
class Context {
 public:
  Context() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) throw std::bad_alloc();
  }
  ~Context() { EVP_MD_CTX_free(ctx_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  Sha256Digest digest(std::initializer_list<std::span<const unsigned char>> parts) {
    Sha256Digest out{};
    bool ok = EVP_DigestInit_ex(ctx_, algorithm(), nullptr) == 1;
    for (auto part : parts) ok = ok && EVP_DigestUpdate(ctx_, part.data(), part.size()) == 1;
    if (!ok || EVP_DigestFinal_ex(ctx_, out.data(), nullptr) != 1) {
      throw std::runtime_error("SHA-256 failed");
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

Context& context() {
  thread_local Context per_thread;
  return per_thread;
}

}  // namespace

std::span<const unsigned char> bytesOf(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

Sha256Digest sha256(std::initializer_list<std::span<const unsigned char>> parts) {
  return context().digest(parts);
}

Sha256Digest sha256(std::string_view data) { return sha256({bytesOf(data)}); }

Sha256Digest hmacSha256(std::span<const unsigned char> key, std::string_view data) {
  std::array<unsigned char, kBlockSize> block{};
  if (key.size() > kBlockSize) {  // RFC 2104 §2: longer keys are hashed first
    const auto hashed = sha256({key});
    std::copy(hashed.begin(), hashed.end(), block.begin());
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  std::array<unsigned char, kBlockSize> pad{};
  for (std::size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x36;
  const auto inner = sha256({pad, bytesOf(data)});
  for (std::size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x5c;
  auto outer = sha256({pad, inner});
  OPENSSL_cleanse(block.data(), block.size());
  OPENSSL_cleanse(pad.data(), pad.size());
  return outer;
}

void appendHex(std::string& out, std::span<const unsigned char> bytes) {
  for (unsigned char byte : bytes) {
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0x0f]);
  }
}

std::string hex(std::span<const unsigned char> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  appendHex(out, bytes);
  return out;
}

std::string sha256Hex(std::string_view data) { return hex(sha256(data)); }

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
  return hex(hmacSha256(bytesOf(key), data));
}

}  // namespace parley::crypto
