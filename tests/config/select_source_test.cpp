#include <gtest/gtest.h>

#include "parley/config/config.hpp"
#include "support/temp_dir.hpp"

namespace parley::config {
namespace {

class SelectSource : public ::testing::Test {
 protected:
  Source select(const Environment& environment, std::optional<std::filesystem::path> file = {}) {
    auto source = selectSource(environment, {.file = std::move(file), .directory = dir_.path()});
    EXPECT_TRUE(source) << (source ? "" : source.error().message);
    return source ? *source : Source{};
  }
  void writeLambdaName(const std::string& environment, const std::string& function) {
    dir_.write(environment + ".json", R"({"lambda": {"functionName": ")" + function + R"("}})");
  }
  parley::testing::TempDir dir_;
};

TEST_F(SelectSource, DefaultsToLocal) {
  auto source = select({});
  EXPECT_EQ(source.environment, "local");
  EXPECT_EQ(source.file, dir_ / "local.json");
}

TEST_F(SelectSource, SkillEnvNamesTheFile) {
  auto source = select({{"SKILL_ENV", "test"}});
  EXPECT_EQ(source.environment, "test");
  EXPECT_EQ(source.file, dir_ / "test.json");
}

TEST_F(SelectSource, SkillEnvBeatsLambdaFunctionName) {
  auto source =
      select({{"SKILL_ENV", "staging"}, {"AWS_LAMBDA_FUNCTION_NAME", "parley-production"}});
  EXPECT_EQ(source.environment, "staging");
}

TEST_F(SelectSource, SkillEnvThatIsNoPlainNameIsRefused) {
  for (const char* name : {"../etc/passwd", "a/b", "prod.json", "x y"}) {
    auto source = selectSource({{"SKILL_ENV", name}}, {.file = {}, .directory = dir_.path()});
    ASSERT_FALSE(source) << name;
    EXPECT_EQ(source.error().code, Error::kBadEnvironment);
    EXPECT_EQ(source.error().message, "SKILL_ENV: expected a name of letters, digits, '-' and '_'");
  }
}

TEST_F(SelectSource, SkillConfigPicksAFileAndItsStemIsTheEnvironment) {
  auto source = select({{"SKILL_CONFIG", "/etc/parley/custom.json"}, {"SKILL_ENV", "staging"}});
  EXPECT_EQ(source.file, "/etc/parley/custom.json");
  EXPECT_EQ(source.environment, "custom");
}

TEST_F(SelectSource, ConfigOptionBeatsSkillConfig) {
  auto source = select({{"SKILL_CONFIG", "other.json"}}, "mine/dev.json");
  EXPECT_EQ(source.file, "mine/dev.json");
  EXPECT_EQ(source.environment, "dev");
}

TEST_F(SelectSource, LambdaFunctionNamedInAConfigPicksThatEnvironment) {
  writeLambdaName("production", "skill-live");
  writeLambdaName("staging", "skill-production-candidate");
  EXPECT_EQ(select({{"AWS_LAMBDA_FUNCTION_NAME", "skill-live"}}).environment, "production");
  // The configured name wins over the "production" in it.
  EXPECT_EQ(select({{"AWS_LAMBDA_FUNCTION_NAME", "skill-production-candidate"}}).environment,
            "staging");
}

TEST_F(SelectSource, UnconfiguredLambdaNameContainingProductionIsProduction) {
  writeLambdaName("production", "skill-live");
  EXPECT_EQ(select({{"AWS_LAMBDA_FUNCTION_NAME", "parley-production"}}).environment, "production");
}

TEST_F(SelectSource, OtherLambdaNamesAreStaging) {
  EXPECT_EQ(select({{"AWS_LAMBDA_FUNCTION_NAME", "parley-dev"}}).environment, "staging");
  EXPECT_EQ(select({{"AWS_LAMBDA_FUNCTION_NAME", "parley-dev"}}).file, dir_ / "staging.json");
}

TEST_F(SelectSource, MalformedCandidateWhileMatchingLambdaNameIsAnError) {
  dir_.write("production.json", "{\"lambda\": ");
  auto source =
      selectSource({{"AWS_LAMBDA_FUNCTION_NAME", "x"}}, {.file = {}, .directory = dir_.path()});
  ASSERT_FALSE(source);
  EXPECT_EQ(source.error().code, Error::kMalformedJson);
  EXPECT_EQ(
      source.error().message.rfind((dir_ / "production.json").string() + ": malformed JSON", 0), 0u)
      << source.error().message;
}

TEST_F(SelectSource, EmptyVariablesCountAsUnset) {
  auto source = select({{"SKILL_CONFIG", ""}, {"SKILL_ENV", ""}, {"AWS_LAMBDA_FUNCTION_NAME", ""}});
  EXPECT_EQ(source.environment, "local");
}

}  // namespace
}  // namespace parley::config
