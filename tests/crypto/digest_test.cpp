#include "parley/crypto/digest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace parley::crypto {
namespace {

TEST(Sha256, MatchesFips180Vectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, OfPartsIsOfTheirConcatenation) {
  EXPECT_EQ(hex(sha256({bytesOf("ab"), bytesOf(""), bytesOf("c")})), sha256Hex("abc"));
}

// RFC 4231 §4.2, §4.3 and §4.7: a short key, a key shorter than the output, a key longer than
// the block (hashed first).
TEST(HmacSha256, MatchesRfc4231Vectors) {
  EXPECT_EQ(hmacSha256Hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hmacSha256Hex(std::string(131, '\xaa'),
                          "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// Each thread has its own digest context: concurrent hashing gives the same answers.
TEST(Sha256, IsSafeFromManyThreads) {
  const auto expected = sha256Hex("abc");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (sha256Hex("abc") != expected) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(Hex, IsLowerCase) {
  const unsigned char bytes[] = {0x00, 0x0f, 0xa0, 0xff};
  EXPECT_EQ(hex(bytes), "000fa0ff");
}

}  // namespace
}  // namespace parley::crypto
