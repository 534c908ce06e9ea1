// The sample skill's AlexaSkillEvent handlers with the real token service over in-memory stores
// (spec R72, R81): T98 (SkillAccountLinked records the Alexa user's link), T99 (SkillDisabled
// revokes the grants, with or without a token in the event), NOT_PERSISTED and PERSISTED.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "fakes/log_capture.hpp"
#include "linking/harness.hpp"
#include "sample_skill.hpp"
#include "support/fixtures.hpp"

namespace parley::app {
namespace {

using parley::testing::field;
using parley::testing::readFixture;
using parley::testing::sourceDir;

// context.System.user.userId of the event fixtures.
constexpr std::string_view kAlexaUser =
    "amzn1.ask.account.AHV4QXR2KJ7YLMNB3WZP6TCEFGDS5UOI2XA7RJQK9LM4NB8VCW3ZYT";

class SkillEvents : public parley::testing::LinkingHarness {
 protected:
  SkillEvents() {
    users_.put({.id = "u1", .email = "ada@example.com"});
    engine_ = makeSampleSkill(
        users_,
        {.views = sourceDir() / "app/views",
         .skill = {.seed = 1},
         .user_by_token = [this](std::string_view token) { return tokens_->resolveUser(token); },
         .linking = {
             .grant_of_token = [this](std::string_view token) { return tokens_->grantOf(token); },
             .revoke_grants =
                 [this](std::string_view user_id, std::string_view client_id) {
                   return tokens_->revokeUser(user_id, client_id);
                 },
             .alexa_users = &alexa_users_}});
  }

  // The fixture's event with `token` in the body and the context (none when empty).
  static boost::json::object event(const std::string& fixture, const std::string& token) {
    auto envelope = boost::json::parse(readFixture("alexa/" + fixture)).as_object();
    auto& user = envelope["context"].as_object()["System"].as_object()["user"].as_object();
    user.erase("accessToken");
    auto& request = envelope["request"].as_object();
    if (auto* body = request.if_contains("body"); body != nullptr) {
      body->as_object().erase("accessToken");
    }
    if (!token.empty()) {
      user["accessToken"] = token;
      if (request["type"] == "AlexaSkillEvent.SkillAccountLinked") {
        request["body"].as_object()["accessToken"] = token;
      }
    }
    return envelope;
  }

  static boost::json::object disabled(const std::string& token,
                                      const std::string& persistence = "NOT_PERSISTED") {
    auto envelope = event("skill-event-skill-disabled.json", token);
    envelope["request"].as_object()["body"].as_object()["userInformationPersistenceStatus"] =
        persistence;
    return envelope;
  }

  void handle(const boost::json::object& envelope) {
    auto body = engine_->handle(boost::json::serialize(envelope));
    ASSERT_TRUE(body) << body.error().message();
    EXPECT_EQ(boost::json::parse(*body),
              boost::json::parse(R"({"version": "1.0", "response": {}, "sessionAttributes": {}})"));
  }

  // Alexa's next refresh with the token, after the link was revoked: invalid_grant.
  void expectRefreshRefused(const std::string& refresh_token) {
    const auto response = refreshWith(refresh_token);
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(field(response, "error"), "invalid_grant");
  }

  // What Alexa holds after linking u1: tokens, and the Alexa user recorded by the event.
  linking::IssuedTokens link() {
    auto issued = tokens_->issue("u1", "alexa-test");
    EXPECT_TRUE(issued);
    if (!issued) return {};
    handle(event("skill-event-account-linked.json", issued->access_token));
    return *issued;
  }

  storage::MemoryAlexaUserStore alexa_users_;
  std::unique_ptr<statemachine::Engine> engine_;
};

// T98.
TEST_F(SkillEvents, AccountLinkedRecordsTheUserAndClientOfTheAlexaUser) {
  fakes::LogCapture logs("app");
  const auto issued = link();
  EXPECT_EQ(
      alexa_users_.find(kAlexaUser),
      (storage::AlexaUser{
          .alexa_user_id = std::string(kAlexaUser), .user_id = "u1", .client_id = "alexa-test"}));
  EXPECT_NE(logs.text().find("recorded the link to client alexa-test"), std::string::npos);
  EXPECT_EQ(logs.text().find(issued.access_token), std::string::npos);
}

TEST_F(SkillEvents, AccountLinkedReadsTheTokenInTheBody) {
  const auto issued = tokens_->issue("u1", "alexa-test");
  ASSERT_TRUE(issued);
  auto envelope = event("skill-event-account-linked.json", issued->access_token);
  envelope["context"].as_object()["System"].as_object()["user"].as_object().erase("accessToken");
  handle(envelope);
  EXPECT_EQ(alexa_users_.find(kAlexaUser)->user_id, "u1");
}

TEST_F(SkillEvents, AccountLinkedWithAnUnknownOrRevokedTokenRecordsNothing) {
  fakes::LogCapture logs("app");
  handle(event("skill-event-account-linked.json", "at_unknown"));
  const auto issued = tokens_->issue("u1", "alexa-test");
  ASSERT_TRUE(issued);
  tokens_->revokeUser("u1");
  handle(event("skill-event-account-linked.json", issued->access_token));
  EXPECT_FALSE(alexa_users_.find(kAlexaUser));
  EXPECT_EQ(logs.count("warning"), 2);
}

// T99: Alexa's SkillDisabled carries no token; the recorded link names the grants. Only this
// client's grants of the user go.
TEST_F(SkillEvents, DisabledWithoutATokenRevokesTheRecordedLinkAndRefreshFails) {
  const auto issued = link();
  const auto elsewhere = tokens_->issue("u1", "other");
  ASSERT_TRUE(elsewhere);
  fakes::LogCapture logs("app");
  handle(disabled(""));
  expectRefreshRefused(issued.refresh_token);
  EXPECT_FALSE(tokens_->resolveUser(issued.access_token));
  const auto still_linked = tokens_->resolveUser(elsewhere->access_token);
  ASSERT_TRUE(still_linked);
  EXPECT_EQ(still_linked->id, "u1");
  EXPECT_NE(logs.text().find("revoked 1 grant(s) of the recorded link"), std::string::npos);
}

// A token the service no longer knows (swept, or never issued) is as good as none.
TEST_F(SkillEvents, DisabledWithAnUnknownTokenFallsBackToTheRecordedLink) {
  const auto issued = link();
  handle(disabled("at_swept"));
  expectRefreshRefused(issued.refresh_token);
}

// Without a recorded link (events subscribed after the user linked), an expired token in the
// event still names its grant.
TEST_F(SkillEvents, DisabledWithAnExpiredTokenRevokesItsGrantWithoutARecordedLink) {
  const auto issued = tokens_->issue("u1", "alexa-test");
  ASSERT_TRUE(issued);
  clock_.advance(std::chrono::hours{2});
  fakes::LogCapture logs("app");
  handle(disabled(issued->access_token));
  expectRefreshRefused(issued->refresh_token);
  EXPECT_NE(logs.text().find("revoked 1 grant(s) of the event's token"), std::string::npos);
  EXPECT_EQ(logs.text().find(issued->access_token), std::string::npos);
}

TEST_F(SkillEvents, DisabledWithNeitherTokenNorRecordedLinkRevokesNothing) {
  const auto issued = tokens_->issue("u1", "alexa-test");
  ASSERT_TRUE(issued);
  fakes::LogCapture logs("app");
  handle(disabled(""));
  EXPECT_EQ(refreshWith(issued->refresh_token).status, 200);
  EXPECT_EQ(logs.count("warning"), 1);
}

TEST_F(SkillEvents, NotPersistedDeletesTheRecordedLink) {
  link();
  handle(disabled("", "NOT_PERSISTED"));
  EXPECT_FALSE(alexa_users_.find(kAlexaUser));
}

TEST_F(SkillEvents, PersistedKeepsTheRecordedLink) {
  const auto issued = link();
  handle(disabled("", "PERSISTED"));
  EXPECT_EQ(alexa_users_.find(kAlexaUser)->user_id, "u1");
  expectRefreshRefused(issued.refresh_token);  // revoked all the same
}

}  // namespace
}  // namespace parley::app
