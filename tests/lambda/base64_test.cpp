#include "base64.hpp"

#include <gtest/gtest.h>

#include <string>

#include "parley/core/random.hpp"

namespace parley::lambda::detail {
namespace {

TEST(Base64, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, DecodesWhatItEncodesForEveryLength) {
  core::SeededRandom random(7);
  for (std::size_t size = 0; size < 64; ++size) {
    std::string bytes(size, '\0');
    random.fill({reinterpret_cast<std::uint8_t*>(bytes.data()), bytes.size()});
    const auto decoded = base64Decode(base64Encode(bytes));
    ASSERT_TRUE(decoded.has_value()) << size;
    EXPECT_EQ(*decoded, bytes) << size;
  }
}

TEST(Base64, RejectsBrokenInput) {
  for (const char* text : {"Zg=", "Z===", "Zg=a", "@@@@", "Zm9v Zm9v", "Zg==Zg==", "Zm9", "=Zg="}) {
    EXPECT_FALSE(base64Decode(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace parley::lambda::detail
