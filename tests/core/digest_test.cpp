#include "parley/core/digest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace parley::core {
namespace {

TEST(Digest, Sha256MatchesFips180Vectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Two blocks.
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(sha256("abc")), sha256Hex("abc"));
}

TEST(Digest, HmacSha256MatchesRfc4231) {
  // RFC 4231 §4.3, test case 2: a key shorter than a block.
  EXPECT_EQ(hmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // §4.7, test case 6: a 131-byte key, longer than a block, is hashed first.
  const std::string long_key(131, '\xaa');
  EXPECT_EQ(hmacSha256Hex(long_key, "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hex(hmacSha256(bytesOf("Jefe"), "what do ya want for nothing?")),
            hmacSha256Hex("Jefe", "what do ya want for nothing?"));
}

// A prepared key gives the same MACs as keying each time, and using it never changes it: from
// several threads at once, and for data longer than a block.
TEST(Digest, APreparedKeyIsReusableAndSharedAcrossThreads) {
  const std::string key(131, '\xaa');
  const HmacSha256Key prepared(bytesOf(key));
  const std::string data = "Test Using Larger Than Block-Size Key - Hash Key First";
  EXPECT_EQ(hex(prepared.mac(data)), hmacSha256Hex(key, data));
  EXPECT_EQ(hex(prepared.mac(data)), hmacSha256Hex(key, data));
  const std::string long_data(300, 'x');
  EXPECT_EQ(hex(prepared.mac(long_data)), hmacSha256Hex(key, long_data));

  std::vector<std::thread> threads;
  std::vector<int> matches(4, 0);
  const auto expected = hmacSha256(bytesOf(key), "at_token");
  for (std::size_t t = 0; t < matches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) matches[t] += prepared.mac("at_token") == expected ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : matches) EXPECT_EQ(count, 200);
}

TEST(Digest, ConstantTimeEqualComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEqual("abc", "abc"));
  EXPECT_FALSE(constantTimeEqual("abc", "abd"));
  EXPECT_FALSE(constantTimeEqual("abc", "abcd"));
  EXPECT_TRUE(constantTimeEqual(std::string_view{}, std::string_view{}));
  const auto a = sha256("a");
  EXPECT_TRUE(constantTimeEqual(a, sha256("a")));
  EXPECT_FALSE(constantTimeEqual(a, sha256("b")));
}

TEST(Digest, WipeZeroesEveryByte) {
  std::string secret = "AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  wipe(secret);
  EXPECT_EQ(secret, std::string(secret.size(), '\0'));
  Sha256Digest key = sha256("k");
  wipe(key);
  EXPECT_EQ(key, Sha256Digest{});
}

}  // namespace
}  // namespace parley::core
