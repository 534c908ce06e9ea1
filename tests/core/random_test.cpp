#include "parley/core/random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace parley::core {
namespace {

TEST(RandomHex, HasTwoDigitsPerByteAndOnlyHex) {
  SecureRandom random;
  auto hex = randomHex(random, 16);
  ASSERT_EQ(hex.size(), 32u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(SecureRandom, DoesNotRepeatItself) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(randomHex(random, 16));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(SeededRandom, SameSeedGivesSameSequence) {
  SeededRandom first(42), second(42), other(43);
  auto a = first.next();
  EXPECT_EQ(a, second.next());
  EXPECT_NE(a, other.next());
}

}  // namespace
}  // namespace parley::core
