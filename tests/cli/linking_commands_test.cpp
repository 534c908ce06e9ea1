// `skill clients …` and `skill tokens …` against a SQLite file, through the real binary.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

namespace parley::cli {
namespace {

class LinkingCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("config/local.json", R"({"storage": {"type": "sqlite", "path": ")" +
                                        (dir_ / "link.db").string() + R"("}})");
  }

  parley::testing::SkillRun skill(const std::vector<std::string>& args) {
    return parley::testing::runSkill(dir_.path(), args);
  }

  parley::testing::TempDir dir_;
};

TEST_F(LinkingCommands, AddsListsAndRemovesClientsShowingTheSecretOnce) {
  auto added = skill({"clients", "add", "--id", "alexa", "--name", "Skill", "--redirect-uri",
                      "https://pitangui.amazon.com/api/skill/link/M1"});
  ASSERT_EQ(added.code, 0) << added.err;
  auto at = added.out.find("client_secret: ");
  ASSERT_NE(at, std::string::npos);
  auto secret = added.out.substr(at + 15, 43);
  EXPECT_EQ(
      secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  auto listed = skill({"clients", "list"});
  EXPECT_NE(listed.out.find("alexa"), std::string::npos);
  EXPECT_EQ(listed.out.find(secret), std::string::npos);
  EXPECT_EQ(parley::testing::readFile(dir_ / "link.db").find(secret), std::string::npos);
  EXPECT_EQ(skill({"clients", "remove", "alexa"}).code, 0);
  EXPECT_EQ(skill({"clients", "remove", "alexa"}).code, 1);
}

TEST_F(LinkingCommands, RefusesUnsafeRedirectUris) {
  auto run = skill({"clients", "add", "--id", "x", "--redirect-uri", "https://*.example/cb"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("wildcard"), std::string::npos);
}

TEST_F(LinkingCommands, IssuesAndRevokesTokensForAUser) {
  ASSERT_EQ(skill({"clients", "add", "--id", "alexa", "--redirect-uri",
                   "https://pitangui.amazon.com/api/skill/link/M1"})
                .code,
            0);
  auto user = skill({"users", "add", "--email", "a@b.co"}).out;
  user.pop_back();
  auto issued = skill({"tokens", "issue", "--user", user});
  ASSERT_EQ(issued.code, 0) << issued.err;
  auto json = boost::json::parse(issued.out).as_object();
  EXPECT_EQ(std::string{json.at("access_token").as_string()}.rfind("at_", 0), 0u);
  EXPECT_EQ(json.at("expires_in").as_int64(), 3600);
  EXPECT_EQ(skill({"tokens", "issue", "--user", "nobody"}).code, 1);
  EXPECT_EQ(skill({"tokens", "issue", "--user", user, "--client", "nope"}).code, 2);
  auto revoked = skill({"tokens", "revoke", "--user", user});
  EXPECT_EQ(revoked.out, "revoked 1 grant(s)\n");
  EXPECT_EQ(skill({"tokens", "revoke", "--user", user}).out, "revoked 0 grant(s)\n");
}

}  // namespace
}  // namespace parley::cli
