#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

namespace parley::cli {
namespace {

using parley::testing::SkillRun;

class UsersCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("config/local.json", R"({"storage": {"type": "sqlite", "path": ")" +
                                        (dir_ / "users.db").string() + R"("}})");
  }

  SkillRun skill(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& environment = {}) {
    return parley::testing::runSkill(dir_.path(), args, environment);
  }

  parley::testing::TempDir dir_;
};

TEST_F(UsersCommand, AddWithoutIdPrintsA128BitHexIdThatGetFinds) {
  auto added = skill({"users", "add", "--email", "ada@example.com"});
  ASSERT_EQ(added.code, 0) << added.err;
  ASSERT_EQ(added.out.size(), 33u) << added.out;
  auto id = added.out.substr(0, 32);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);

  auto got = skill({"users", "get", id});
  ASSERT_EQ(got.code, 0) << got.err;
  auto user = boost::json::parse(got.out).as_object();
  EXPECT_EQ(user.at("id"), id.c_str());
  EXPECT_EQ(user.at("email"), "ada@example.com");
  EXPECT_TRUE(user.at("attributes").as_object().empty());
  auto created = std::string{user.at("createdAt").as_string()};
  EXPECT_EQ(created.size(), 24u) << created;  // 2024-05-01T12:34:56.789Z
  EXPECT_EQ(created.back(), 'Z');
}

TEST_F(UsersCommand, TwoAddsGetDifferentIds) {
  auto first = skill({"users", "add", "--email", "a@example.com"});
  auto second = skill({"users", "add", "--email", "a@example.com"});
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_NE(first.out, second.out);
}

TEST_F(UsersCommand, AddWithExistingIdFailsAndKeepsTheFirstUser) {
  auto added = skill({"users", "add", "--email", "first@example.com", "--id", "u-1"});
  ASSERT_EQ(added.code, 0) << added.err;
  EXPECT_EQ(added.out, "u-1\n");
  auto again = skill({"users", "add", "--email", "second@example.com", "--id", "u-1"});
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(again.err, "skill users add: a user with id u-1 exists already\n");
  auto got = skill({"users", "get", "u-1"});
  EXPECT_NE(got.out.find("first@example.com"), std::string::npos) << got.out;
}

TEST_F(UsersCommand, GetOfUnknownIdFailsWithExitCodeOne) {
  auto got = skill({"users", "get", "nobody"});
  EXPECT_EQ(got.code, 1);
  EXPECT_EQ(got.out, "");
  EXPECT_EQ(got.err, "skill users get: no user with id nobody\n");
}

TEST_F(UsersCommand, BadArgumentsAreUsageErrors) {
  EXPECT_EQ(skill({"users", "add", "--email", "not-an-address"}).code, 2);
  EXPECT_EQ(skill({"users", "add"}).code, 2);
  EXPECT_EQ(skill({"users", "add", "--email", "a@b", "--id", "tab\there"}).code, 2);
  EXPECT_EQ(skill({"users", "add", "--email", "a@b", "--id", std::string(257, 'x')}).code, 2);
  EXPECT_EQ(skill({"users"}).code, 2);
  EXPECT_EQ(skill({"users", "get"}).code, 2);
  EXPECT_EQ(skill({"users", "add", "--email", "a@b", "--id", ""}).code, 0);  // empty: generated
}

TEST_F(UsersCommand, WrongTypedConfigKeyIsOneLineAndExitCodeTwo) {
  auto file = dir_.write("bad.json", R"({"server": {"port": "3000"}})");
  auto got = skill({"users", "get", "x", "--config", file.string()});
  EXPECT_EQ(got.code, 2);
  EXPECT_EQ(got.err,
            file.string() + ": server.port: expected an integer from 0 to 65535, got a string\n");
}

TEST_F(UsersCommand, MissingConfigFileIsExitCodeTwo) {
  auto got = skill({"users", "get", "x"}, {{"SKILL_ENV", "staging"}});
  EXPECT_EQ(got.code, 2);
  EXPECT_EQ(got.err, "config/staging.json: cannot read the config file\n");
}

TEST_F(UsersCommand, SkillConfigAndSkillEnvChooseTheFile) {
  dir_.write("config/other.json",
             R"({"storage": {"path": ")" + (dir_ / "other.db").string() + R"("}})");
  auto via_env = skill({"users", "add", "--email", "a@b.c", "--id", "e"}, {{"SKILL_ENV", "other"}});
  ASSERT_EQ(via_env.code, 0) << via_env.err;
  auto via_config = skill({"users", "get", "e"}, {{"SKILL_CONFIG", "config/other.json"}});
  EXPECT_EQ(via_config.code, 0) << via_config.err;
  EXPECT_EQ(skill({"users", "get", "e"}).code, 1);  // local.json names another database
}

TEST_F(UsersCommand, EnvironmentOverridesTheStoragePath) {
  auto path = (dir_ / "override.db").string();
  ASSERT_EQ(
      skill({"users", "add", "--email", "a@b.c", "--id", "o"}, {{"PARLEY_STORAGE_PATH", path}})
          .code,
      0);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(skill({"users", "get", "o"}).code, 1);
}

TEST_F(UsersCommand, UnopenableDatabaseIsOneLineAndExitCodeOne) {
  auto got = skill({"users", "get", "x"},
                   {{"PARLEY_STORAGE_PATH", (dir_ / "missing" / "users.db").string()}});
  EXPECT_EQ(got.code, 1);
  EXPECT_EQ(got.err.rfind("skill users get: sqlite: ", 0), 0u) << got.err;
  EXPECT_EQ(got.err.find('\n'), got.err.size() - 1) << got.err;
}

}  // namespace
}  // namespace parley::cli
