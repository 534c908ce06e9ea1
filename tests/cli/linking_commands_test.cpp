// `skill clients …`, `skill tokens …`, `skill users remove` and the skill events of
// `skill invoke` against a SQLite file, through the real binary.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "parley/storage/sqlite/link_stores.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

namespace parley::cli {
namespace {

class LinkingCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    // `skill invoke` also needs the views and the page templates.
    const auto source = parley::testing::sourceDir();
    dir_.write("config/local.json", R"({"storage": {"type": "sqlite", "path": ")" +
                                        (dir_ / "link.db").string() + R"("},
                   "server": {"www": ")" +
                                        (source / "www").string() + R"("},
                   "skill": {"views": ")" +
                                        (source / "app/views").string() + R"("}})");
  }

  // An Alexa request fixture carrying `token` (none when empty), written for `skill invoke`.
  std::string request(const std::string& fixture, const std::string& token) {
    auto envelope =
        boost::json::parse(parley::testing::readFixture("alexa/" + fixture)).as_object();
    auto& context_user = envelope["context"].as_object()["System"].as_object()["user"].as_object();
    context_user.erase("accessToken");
    if (!token.empty()) context_user["accessToken"] = token;
    if (auto* session = envelope.if_contains("session"); session != nullptr) {
      session->as_object()["user"].as_object().erase("accessToken");
    }
    auto& event = envelope["request"].as_object();
    if (auto* body = event.if_contains("body"); body != nullptr && !token.empty()) {
      if (body->as_object().contains("accessToken")) body->as_object()["accessToken"] = token;
    }
    return dir_.write(fixture, boost::json::serialize(envelope)).string();
  }

  // The speech or card of `skill invoke` for a LaunchRequest carrying `token`.
  boost::json::value launch(const std::string& token) {
    auto run = skill({"invoke", request("launch-linked.json", token)});
    EXPECT_EQ(run.code, 0) << run.err;
    return run.code == 0 ? boost::json::parse(run.out).at("response") : boost::json::value{};
  }

  // A client, a user and tokens for them, as linking leaves them; returns {user id, token}.
  std::pair<std::string, std::string> linkedUser(const std::string& email) {
    EXPECT_EQ(skill({"clients", "add", "--id", "alexa", "--redirect-uri",
                     "https://pitangui.amazon.com/api/skill/link/M1"})
                  .code,
              0);
    auto user = skill({"users", "add", "--email", email}).out;
    if (!user.empty()) user.pop_back();
    auto issued = skill({"tokens", "issue", "--user", user});
    EXPECT_EQ(issued.code, 0) << issued.err;
    if (issued.code != 0) return {user, ""};
    return {user, std::string(boost::json::parse(issued.out).at("access_token").as_string())};
  }

  parley::testing::SkillRun skill(const std::vector<std::string>& args) {
    return parley::testing::runSkill(dir_.path(), args, environment_);
  }

  parley::testing::TempDir dir_;
  std::map<std::string, std::string> environment_;  // of every `skill` run
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

// T99 through `skill invoke`: SkillAccountLinked records the Alexa user, and the SkillDisabled
// that follows without a token still unlinks.
TEST_F(LinkingCommands, SkillDisabledWithoutATokenRevokesTheLinkRecordedAtLinking) {
  const auto [user, token] = linkedUser("ada@example.com");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(launch(token).at("outputSpeech").at("ssml"),
            "<speak>Welcome ada@example.com! You are authenticated.</speak>");
  auto linked = skill({"invoke", request("skill-event-account-linked.json", token)});
  ASSERT_EQ(linked.code, 0) << linked.err;
  auto disabled = skill({"invoke", request("skill-event-skill-disabled.json", "")});
  ASSERT_EQ(disabled.code, 0) << disabled.err;
  EXPECT_EQ(launch(token).at("card").at("type"), "LinkAccount");
  EXPECT_EQ(skill({"tokens", "revoke", "--user", user}).out, "revoked 0 grant(s)\n");
}

// R67 through the real binary: a token issued by `skill tokens issue` under pepper P greets under
// P; under another pepper or none the skill does not know it (the LinkAccount card), and a
// SkillDisabled carrying it cannot find its grant.
TEST_F(LinkingCommands, TokensIssuedUnderAPepperAreKnownOnlyUnderThatPepper) {
  const std::map<std::string, std::string> pepper_p{{"PARLEY_TOKEN_PEPPER", std::string(64, 'a')}};
  const std::map<std::string, std::string> pepper_q{{"PARLEY_TOKEN_PEPPER", std::string(64, 'b')}};
  const char* welcome = "<speak>Welcome ada@example.com! You are authenticated.</speak>";
  environment_ = pepper_p;
  const auto [user, token] = linkedUser("ada@example.com");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(launch(token).at("outputSpeech").at("ssml"), welcome);
  for (const auto& other : {pepper_q, std::map<std::string, std::string>{}}) {
    environment_ = other;
    EXPECT_EQ(launch(token).at("card").at("type"), "LinkAccount");
    auto disabled = skill({"invoke", request("skill-event-skill-disabled.json", token)});
    ASSERT_EQ(disabled.code, 0) << disabled.err;
  }
  environment_ = pepper_p;
  EXPECT_EQ(launch(token).at("outputSpeech").at("ssml"), welcome);  // nothing was revoked
  auto disabled = skill({"invoke", request("skill-event-skill-disabled.json", token)});
  ASSERT_EQ(disabled.code, 0) << disabled.err;
  EXPECT_EQ(launch(token).at("card").at("type"), "LinkAccount");
  EXPECT_EQ(skill({"tokens", "revoke", "--user", user}).out, "revoked 0 grant(s)\n");
}

// R72, operator action: after `skill users remove` the old token gets the LinkAccount card.
TEST_F(LinkingCommands, RemovingAUserDeletesTheirAccountAndLinksAndRevokesTheirTokens) {
  const auto [user, token] = linkedUser("ada@example.com");
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(skill({"invoke", request("skill-event-account-linked.json", token)}).code, 0);
  {  // what sign-up would have stored
    storage::sqlite::LinkDatabase db{{.path = (dir_ / "link.db").string()}};
    storage::sqlite::SqliteAccountStore accounts{db};
    ASSERT_TRUE(accounts.create({.user_id = user,
                                 .email = "ada@example.com",
                                 .password_hash = "$argon2id$v=19$m=65536,t=3,p=1$x$y",
                                 .created_at = {}}));
  }

  auto removed = skill({"users", "remove", user});
  ASSERT_EQ(removed.code, 0) << removed.err;
  EXPECT_EQ(removed.out, "removed user " + user +
                             " (ada@example.com)\ndeleted the sign-in account\nrevoked 1 "
                             "grant(s)\ndeleted 1 Alexa user link(s)\n");
  EXPECT_EQ(launch(token).at("card").at("type"), "LinkAccount");
  EXPECT_EQ(skill({"users", "get", user}).code, 1);
  {
    storage::sqlite::LinkDatabase db{{.path = (dir_ / "link.db").string()}};
    EXPECT_FALSE(storage::sqlite::SqliteAccountStore{db}.findByEmail("ada@example.com"));
    EXPECT_FALSE(storage::sqlite::SqliteAlexaUserStore{db}.find(
        "amzn1.ask.account.AHV4QXR2KJ7YLMNB3WZP6TCEFGDS5UOI2XA7RJQK9LM4NB8VCW3ZYT"));
  }

  auto again = skill({"users", "remove", user});
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(again.err, "skill users remove: no user with id " + user + "\n");
  EXPECT_EQ(again.out, "");
}

}  // namespace
}  // namespace parley::cli
