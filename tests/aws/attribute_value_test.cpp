#include "parley/aws/attribute_value.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "parley/aws/error.hpp"

namespace parley::aws {
namespace {

using boost::json::parse;

TEST(Marshal, MapsEveryPlainJsonKindToItsAttributeType) {
  auto plain = parse(R"({"s":"x","i":-42,"u":18446744073709551615,"d":1.5,"t":true,"n":null,
                        "l":[1,"a"],"m":{"k":"v"}})");
  auto typed = marshalItem(plain.as_object());
  EXPECT_EQ(typed, parse(R"({"s":{"S":"x"},"i":{"N":"-42"},"u":{"N":"18446744073709551615"},
      "d":{"N":"1.5"},"t":{"BOOL":true},"n":{"NULL":true},"l":{"L":[{"N":"1"},{"S":"a"}]},
      "m":{"M":{"k":{"S":"v"}}}})")
                       .as_object());
}

TEST(Marshal, RoundTripsThroughUnmarshal) {
  auto plain = parse(R"({"name":"Ada","age":36,"big":-9223372036854775808,"ratio":0.1,
      "tags":["x",{"deep":[null,false]}],"empty":"","nested":{"a":{"b":{}}}})")
                   .as_object();
  auto back = unmarshalItem(marshalItem(plain));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, plain);
}

TEST(Unmarshal, ReadsSetsBinaryAndNormalisedNumbers) {
  auto typed = parse(R"({"ss":{"SS":["a","b"]},"ns":{"NS":["1","2.5"]},"b":{"B":"AAEC"},
      "n":{"N":"42.5"},"e":{"N":"1E+2"}})")
                   .as_object();
  auto plain = unmarshalItem(typed);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->at("ss"), parse(R"(["a","b"])"));
  EXPECT_EQ(plain->at("ns"), parse(R"([1,2.5])"));
  EXPECT_EQ(plain->at("b"), "AAEC");
  EXPECT_EQ(plain->at("n"), 42.5);
  EXPECT_EQ(plain->at("e"), 100.0);
}

TEST(Unmarshal, RejectsMalformedValuesWithoutThrowing) {
  for (const char* bad : {R"({"S":1})", R"({"N":"12abc"})", R"({"N":""})", R"({"X":"y"})",
                          R"({"S":"a","N":"1"})", R"("plain")", R"({"M":[]})", R"({"L":{}})",
                          R"({"SS":[1]})", R"({"BOOL":"yes"})", R"({})"}) {
    auto result = unmarshal(parse(bad));
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error(), Error::kBadResponse) << bad;
  }
}

TEST(Unmarshal, RefusesNestingDeeperThanDynamoDbAllows) {
  boost::json::value typed = attrS("leaf");
  for (int i = 0; i < 40; ++i) typed = {{"L", boost::json::array{typed}}};
  EXPECT_FALSE(unmarshal(typed));
}

TEST(ParseNumber, KeepsIntegersExactAndFallsBackToDouble) {
  EXPECT_EQ(*parseNumber("9007199254740993"), boost::json::value(9007199254740993LL));
  EXPECT_EQ(*parseNumber("-1"), boost::json::value(-1));
  EXPECT_EQ(*parseNumber("0.25"), boost::json::value(0.25));
  EXPECT_FALSE(parseNumber("1 2"));
  EXPECT_FALSE(parseNumber("--1"));
}

}  // namespace
}  // namespace parley::aws
