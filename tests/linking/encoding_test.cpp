#include "parley/linking/encoding.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "parley/linking/crypto.hpp"
#include "parley/linking/email.hpp"

namespace parley::linking {
namespace {

TEST(Params, AnEmptyValueCountsAsAbsentAndRepeatedNamesAreSeen) {
  auto params = parseUrlEncoded("state=xyz&scope=&a=1&b=2");
  ASSERT_TRUE(params);
  EXPECT_EQ(param(*params, "state"), "xyz");
  EXPECT_EQ(param(*params, "scope"), std::nullopt);
  EXPECT_EQ(param(*params, "missing"), std::nullopt);
  EXPECT_FALSE(anyRepeated(*params));
  EXPECT_TRUE(anyRepeated(*parseUrlEncoded("a=1&b=2&a=1")));
  EXPECT_TRUE(anyRepeated(*parseUrlEncoded("a=&a=")));
}

TEST(ParseUrlEncoded, DecodesPlusAndPercentAndKeepsRepeats) {
  auto params = parseUrlEncoded("a=x+y%21&b=&a=2&&c");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->count("a"), 2u);
  EXPECT_EQ(params->find("a")->second, "x y!");
  EXPECT_EQ(params->find("b")->second, "");
  EXPECT_EQ(params->find("c")->second, "");
}

TEST(ParseUrlEncoded, RejectsMalformedEscapes) {
  EXPECT_FALSE(parseUrlEncoded("a=%"));
  EXPECT_FALSE(parseUrlEncoded("a=%4"));
  EXPECT_FALSE(parseUrlEncoded("a=%zz"));
  EXPECT_FALSE(parseUrlEncoded("%=1"));
}

TEST(IsFormContentType, AcceptsTheFormMediaTypeInAnyCaseWithParameters) {
  EXPECT_TRUE(isFormContentType("application/x-www-form-urlencoded"));
  EXPECT_TRUE(isFormContentType("Application/X-WWW-Form-URLEncoded; charset=UTF-8"));
  EXPECT_TRUE(isFormContentType("application/x-www-form-urlencoded ;charset=utf-8"));
  EXPECT_FALSE(isFormContentType("application/json"));
  EXPECT_FALSE(isFormContentType("application/x-www-form-urlencodedx"));
  EXPECT_FALSE(isFormContentType("multipart/form-data; boundary=x"));
  EXPECT_FALSE(isFormContentType(""));
}

TEST(FormEncode, EscapesEverythingThatCouldBreakAUrlOrHeader) {
  EXPECT_EQ(formEncode("a b&c#d%e+f\r\n=\"<>"), "a+b%26c%23d%25e%2Bf%0D%0A%3D%22%3C%3E");
  EXPECT_EQ(formEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(formEncode("\xc3\xa9"), "%C3%A9");
}

TEST(AppendToRedirect, UsesQueryAmpersandOrFragment) {
  std::vector<std::pair<std::string, std::string>> params{{"code", "c"}, {"state", "s t"}};
  EXPECT_EQ(appendToRedirect("https://a.example/cb", params, false),
            "https://a.example/cb?code=c&state=s+t");
  EXPECT_EQ(appendToRedirect("https://a.example/cb?vendorId=M1", params, false),
            "https://a.example/cb?vendorId=M1&code=c&state=s+t");
  EXPECT_EQ(appendToRedirect("https://a.example/cb", params, true),
            "https://a.example/cb#code=c&state=s+t");
}

TEST(OriginOf, KeepsSchemeAndAuthority) {
  EXPECT_EQ(originOf("https://pitangui.amazon.com/api/skill/link/M1"),
            "https://pitangui.amazon.com");
  EXPECT_EQ(originOf("https://a.example?x"), "https://a.example");
  EXPECT_EQ(originOf("relative/path"), "");
}

TEST(Crypto, TokensHaveTheSpecifiedShape) {
  core::SeededRandom random{1};
  auto token = randomToken(random, "at");
  ASSERT_EQ(token.size(), 46u);
  EXPECT_EQ(token.substr(0, 3), "at_");
  EXPECT_EQ(token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 3),
            std::string::npos);
  EXPECT_EQ(randomToken(random).size(), 43u);
  // RFC 7636 appendix B.
  EXPECT_EQ(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

// R67: with a pepper the stored digest is HMAC-SHA-256(pepper, token), without one SHA-256.
TEST(TokenDigest, WithAPepperIsTheHmacOfTheTokenUnderIt) {
  std::string pepper;
  for (char byte = 0; byte < 32; ++byte) pepper.push_back(byte);  // 00 01 … 1f
  const TokenDigest peppered{pepper};
  EXPECT_TRUE(peppered.peppered());
  // `openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1f` of "at_abc".
  EXPECT_EQ(peppered.hash("at_abc"),
            "452075d03de14c9e2ec4426b51a9172b1877870eb09c5255b99120ef7d378290");
  EXPECT_EQ(peppered.hash("at_abc"), core::hmacSha256Hex(pepper, "at_abc"));
  EXPECT_NE(peppered.hash("at_abc"), core::sha256Hex("at_abc"));
  EXPECT_NE(peppered.hash("at_abc"), peppered.hash("at_abd"));

  std::string other_pepper = pepper;
  other_pepper.back() = '\x20';
  EXPECT_NE(TokenDigest{other_pepper}.hash("at_abc"), peppered.hash("at_abc"));

  const TokenDigest plain;
  EXPECT_FALSE(plain.peppered());
  EXPECT_EQ(plain.hash("at_abc"),
            "19816b7a06bdd540c92090a4be2c009bec8c8aca6f875284eb8e996fbb7a1bfe");
}

// The pepper's keyed state is computed once and shared: hashing must never consume it, whether
// through a copy, after the original is gone, or from several threads at once.
TEST(TokenDigest, CopiesAndThreadsShareTheKeyedPepperWithoutChangingIt) {
  const std::string pepper(TokenDigest::kPepperBytes, 'P');
  const std::string expected = core::hmacSha256Hex(pepper, "at_token");
  auto original = std::make_unique<TokenDigest>(pepper);
  const TokenDigest copy = *original;
  original.reset();
  EXPECT_TRUE(copy.peppered());
  EXPECT_EQ(copy.hash("at_token"), expected);

  std::vector<std::thread> threads;
  std::vector<int> matches(4, 0);
  for (std::size_t t = 0; t < matches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) matches[t] += copy.hash("at_token") == expected ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : matches) EXPECT_EQ(count, 200);
  // A token longer than one SHA-256 block goes through the same keyed state.
  const std::string long_token(300, 'x');
  EXPECT_EQ(copy.hash(long_token), core::hmacSha256Hex(pepper, long_token));
}

TEST(TokenDigest, RefusesAPepperThatIsNot32Bytes) {
  EXPECT_THROW(TokenDigest{std::string(31, 'p')}, std::invalid_argument);
  EXPECT_THROW(TokenDigest{std::string(64, 'a')}, std::invalid_argument);
  EXPECT_THROW(TokenDigest{""}, std::invalid_argument);
}

TEST(NormalizeEmail, TrimsAndLowerCases) {
  EXPECT_EQ(normalizeEmail("  User.Name+tag@Example.COM "), "user.name+tag@example.com");
}

TEST(NormalizeEmail, RejectsMarkupInjectionAndOversizedInput) {
  for (std::string bad : {"", "   ", "no-at", "a@@b.c", "a@b@c.d", "@x.y", "a@", "a@localhost",
                          "<script>alert(1)</script>@x.y", "' OR '1'='1' --@x.y",
                          "admin@x.y'; DROP TABLE users;--", "a b@x.y", "a@x.y\r\n", "a\t@x.y",
                          ".a@x.y", "a..b@x.y", "a@x..y", "a@-.y\x01", "\xc3\xa9@x.y"}) {
    EXPECT_FALSE(normalizeEmail(bad)) << bad;
  }
  EXPECT_FALSE(normalizeEmail(std::string(250, 'a') + "@x.yz"));
  EXPECT_FALSE(normalizeEmail(std::string(10240, 'a') + "@x.y"));
}

}  // namespace
}  // namespace parley::linking
