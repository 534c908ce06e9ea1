#include "parley/core/ascii.hpp"

#include <gtest/gtest.h>

namespace parley::core {
namespace {

TEST(Ascii, LowersOnlyTheTwentySixLetters) {
  EXPECT_EQ(asciiLowercase("Content-TYPE: Application/JSON @[`{"),
            "content-type: application/json @[`{");
  // Bytes outside ASCII pass unchanged (Latin-1 'À', UTF-8 'É').
  EXPECT_EQ(asciiLowercase("\xC0\xC3\x89"), "\xC0\xC3\x89");
}

TEST(Ascii, ComparesIgnoringCase) {
  EXPECT_TRUE(equalsIgnoringAsciiCase("Set-Cookie", "set-cookie"));
  EXPECT_FALSE(equalsIgnoringAsciiCase("Set-Cookie", "set-cookies"));
  EXPECT_FALSE(equalsIgnoringAsciiCase("a", "b"));
  EXPECT_FALSE(
      equalsIgnoringAsciiCase("@", "`"));  // 0x40 and 0x60 differ by 32 but are not letters
  EXPECT_TRUE(equalsIgnoringAsciiCase("", ""));
}

TEST(Ascii, MatchesAPrefixIgnoringCase) {
  EXPECT_TRUE(startsWithIgnoringAsciiCase("bearer abc", "Bearer "));
  EXPECT_TRUE(startsWithIgnoringAsciiCase("Application/Json; charset=utf-8", "application/json"));
  EXPECT_FALSE(startsWithIgnoringAsciiCase("Bear", "Bearer "));
  EXPECT_FALSE(startsWithIgnoringAsciiCase("Basic abc", "Bearer "));
  EXPECT_TRUE(startsWithIgnoringAsciiCase("anything", ""));
}

}  // namespace
}  // namespace parley::core
