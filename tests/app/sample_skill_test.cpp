#include "sample_skill.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>
#include <string>

#include "fakes/log_capture.hpp"
#include "fakes/memory_user_store.hpp"
#include "support/fixtures.hpp"

namespace parley::app {
namespace {

using parley::testing::readFixture;
using parley::testing::sourceDir;

constexpr const char* kErrorSpeech = "<speak>An unrecoverable error occurred.</speak>";
constexpr const char* kNotLinkedSpeech =
    "<speak>Hello! It seems you have not gone through the account linking process. I just sent "
    "you a card to the Alexa app so you enter your credentials.</speak>";

class SampleSkill : public ::testing::Test {
 protected:
  SampleSkill() {
    users_.put({.id = "tok-linked", .email = "ada@example.com"});
    engine_ = makeSampleSkill(users_, {.views = sourceDir() / "app/views", .skill = {.seed = 1}});
  }

  boost::json::object handle(const boost::json::value& envelope) {
    auto body = engine_->handle(boost::json::serialize(envelope));
    if (!body) throw std::runtime_error(body.error().message());
    return boost::json::parse(*body).as_object();
  }
  boost::json::object fixture(const std::string& name) {
    return boost::json::parse(readFixture("alexa/" + name)).as_object();
  }
  static boost::json::object withToken(boost::json::object envelope, const char* token) {
    envelope["context"].as_object()["System"].as_object()["user"].as_object()["accessToken"] =
        token;
    envelope["session"].as_object()["user"].as_object()["accessToken"] = token;
    return envelope;
  }
  static boost::json::object asIntent(boost::json::object envelope, const char* name) {
    auto& request = envelope["request"].as_object();
    request["type"] = "IntentRequest";
    request["intent"] = boost::json::object{{"name", name}, {"confirmationStatus", "NONE"}};
    return envelope;
  }
  static std::string speech(const boost::json::object& response) {
    const auto* speech = response.at("response").as_object().if_contains("outputSpeech");
    return speech != nullptr ? std::string(speech->at("ssml").as_string()) : "";
  }

  fakes::MemoryUserStore users_;
  std::unique_ptr<statemachine::Engine> engine_;
};

TEST_F(SampleSkill, LaunchGreetsLinkedUserByEmail) {
  const auto response = handle(fixture("launch-linked.json"));
  EXPECT_EQ(response, boost::json::parse(R"({
    "version": "1.0",
    "response": {
      "outputSpeech": {"type": "SSML",
                       "ssml": "<speak>Welcome ada@example.com! You are authenticated.</speak>"},
      "reprompt": {"outputSpeech": {"type": "SSML",
          "ssml": "<speak>You can continue adding more features to this sample</speak>"}},
      "shouldEndSession": false
    },
    "sessionAttributes": {
      "model": {"user": {"id": "tok-linked", "email": "ada@example.com"}},
      "state": "entry"
    }
  })"));
}

TEST_F(SampleSkill, LaunchWithoutTokenSendsLinkAccountCardAndEnds) {
  const auto response = handle(fixture("launch-unlinked.json"));
  EXPECT_EQ(response, boost::json::parse(std::string(R"({
    "version": "1.0",
    "response": {
      "outputSpeech": {"type": "SSML", "ssml": ")") +
                                         kNotLinkedSpeech + R"("},
      "card": {"type": "LinkAccount"},
      "shouldEndSession": true
    },
    "sessionAttributes": {"model": {}, "state": "die"}
  })"));
}

TEST_F(SampleSkill, UnknownOrRevokedTokenIsTreatedAsNotLinked) {
  const auto response = handle(withToken(fixture("launch-linked.json"), "tok-revoked"));
  EXPECT_EQ(speech(response), kNotLinkedSpeech);
  EXPECT_EQ(response.at("response").at("card").at("type"), "LinkAccount");
  EXPECT_FALSE(response.at("response").as_object().contains("reprompt"));
}

TEST_F(SampleSkill, UserWithoutEmailIsNotLinked) {
  users_.put({.id = "tok-noemail", .email = ""});
  EXPECT_EQ(speech(handle(withToken(fixture("launch-linked.json"), "tok-noemail"))),
            kNotLinkedSpeech);
}

TEST_F(SampleSkill, TokenInContextIsUsedWhenTheSessionHasNone) {
  auto envelope = fixture("launch-linked.json");
  envelope["session"].as_object()["user"].as_object().erase("accessToken");
  EXPECT_EQ(speech(handle(envelope)),
            "<speak>Welcome ada@example.com! You are authenticated.</speak>");
}

TEST_F(SampleSkill, EmailIsSsmlEscaped) {
  users_.put({.id = "tok-odd", .email = "tom&jerry<3@example.com"});
  EXPECT_EQ(speech(handle(withToken(fixture("launch-linked.json"), "tok-odd"))),
            "<speak>Welcome tom&amp;jerry&lt;3@example.com! You are authenticated.</speak>");
}

TEST_F(SampleSkill, HelpAsksAndKeepsTheSessionOpen) {
  const auto response = handle(fixture("intent-help.json"));
  EXPECT_EQ(speech(response), "<speak>Some help text here.</speak>");
  EXPECT_EQ(response.at("response").at("shouldEndSession"), false);
  EXPECT_EQ(response.at("sessionAttributes").at("state"), "entry");
}

TEST_F(SampleSkill, WhoAmITellsTheLinkedEmailOrAsksToLink) {
  const auto linked = handle(asIntent(fixture("launch-linked.json"), "WhoAmIIntent"));
  EXPECT_EQ(speech(linked), "<speak>You are signed in as ada@example.com.</speak>");
  EXPECT_EQ(linked.at("response").at("shouldEndSession"), true);
  const auto unlinked = handle(asIntent(fixture("launch-unlinked.json"), "WhoAmIIntent"));
  EXPECT_EQ(speech(unlinked), kNotLinkedSpeech);
  EXPECT_EQ(unlinked.at("response").at("card").at("type"), "LinkAccount");
}

TEST_F(SampleSkill, StopAndCancelSayGoodbyeAndEnd) {
  const std::set<std::string> goodbyes{"<speak>Goodbye!</speak>", "<speak>See you soon!</speak>",
                                       "<speak>Bye for now!</speak>"};
  for (const auto* name : {"AMAZON.StopIntent", "AMAZON.CancelIntent"}) {
    const auto response = handle(asIntent(fixture("intent-help.json"), name));
    EXPECT_TRUE(goodbyes.contains(speech(response))) << speech(response);
    EXPECT_EQ(response.at("response").at("shouldEndSession"), true);
  }
}

TEST_F(SampleSkill, FallbackAndNavigateHomeKeepTheConversationGoing) {
  const auto fallback = handle(asIntent(fixture("intent-help.json"), "AMAZON.FallbackIntent"));
  EXPECT_EQ(fallback.at("response").at("shouldEndSession"), false);
  const auto home = handle(asIntent(fixture("intent-help.json"), "AMAZON.NavigateHomeIntent"));
  EXPECT_EQ(speech(home), "<speak>Welcome ada@example.com! You are authenticated.</speak>");
}

TEST_F(SampleSkill, UnknownIntentIsTheErrorReply) {
  EXPECT_EQ(speech(handle(fixture("intent-with-slots.json"))), kErrorSpeech);
}

TEST_F(SampleSkill, SessionEndedGetsAnEmptyReply) {
  EXPECT_EQ(handle(fixture("session-ended-user-initiated.json")),
            boost::json::parse(R"({"version": "1.0", "response": {}, "sessionAttributes": {}})"));
}

TEST_F(SampleSkill, SkillEventsAreAcknowledgedAndLoggedWithoutTheToken) {
  fakes::LogCapture logs("app");
  const auto empty =
      boost::json::parse(R"({"version": "1.0", "response": {}, "sessionAttributes": {}})");
  EXPECT_EQ(handle(fixture("skill-event-skill-enabled.json")), empty);
  EXPECT_EQ(handle(fixture("skill-event-account-linked.json")), empty);
  const auto text = logs.text();
  EXPECT_NE(text.find("AlexaSkillEvent.SkillEnabled for user amzn1.ask.account."),
            std::string::npos);
  EXPECT_NE(text.find("AlexaSkillEvent.SkillAccountLinked for user amzn1.ask.account."),
            std::string::npos);
  EXPECT_NE(text.find("2024-05-14T18:20:09Z"), std::string::npos);
  EXPECT_EQ(text.find("tok-linked"), std::string::npos);
}

// The original kit's token is the user id and it kept no grants: nothing to revoke or record
// (skill_events_test.cpp covers the skill with the OAuth server).
TEST_F(SampleSkill, SkillEventsAreOnlyLoggedWithoutTheLinkingServer) {
  fakes::LogCapture logs("app");
  const auto empty =
      boost::json::parse(R"({"version": "1.0", "response": {}, "sessionAttributes": {}})");
  EXPECT_EQ(handle(fixture("skill-event-skill-disabled.json")), empty);
  EXPECT_EQ(handle(fixture("skill-event-account-linked.json")), empty);
  EXPECT_EQ(users_.get("tok-linked")->email, "ada@example.com");
  EXPECT_EQ(logs.count("warning"), 0);
}

TEST_F(SampleSkill, StorageFailureAsksToTryAgainLater) {
  fakes::LogCapture logs("skill");
  users_.failWith(storage::StorageError::Kind::kUnavailable);
  const auto response = handle(fixture("launch-linked.json"));
  EXPECT_EQ(speech(response),
            "<speak>Sorry, I cannot reach your account right now. Please try again later.</speak>");
  EXPECT_EQ(response.at("response").at("shouldEndSession"), true);
  EXPECT_EQ(logs.count("error"), 1);
  EXPECT_EQ(logs.text().find("tok-linked"), std::string::npos);
}

TEST_F(SampleSkill, PluggedTokenLookupReplacesTheIdConvention) {
  const auto engine = makeSampleSkill(
      users_, {.views = sourceDir() / "app/views",
               .user_by_token = [](std::string_view token) -> std::optional<storage::User> {
                 if (token != "tok-linked") return std::nullopt;
                 return storage::User{.id = "u1", .email = "grace@example.com"};
               }});
  const auto body = engine->handle(readFixture("alexa/launch-linked.json"));
  ASSERT_TRUE(body);
  EXPECT_NE(body->find("Welcome grace@example.com!"), std::string::npos);
  EXPECT_EQ(users_.gets(), 0);
}

TEST(SampleSkillViews, MissingViewsDirectoryStopsStartup) {
  fakes::MemoryUserStore users;
  EXPECT_THROW((void)makeSampleSkill(users, {.views = sourceDir() / "app/no-views"}),
               views::ViewError);
}

TEST(SampleSkillViews, ViewWithUnknownVariableStopsStartup) {
  fakes::MemoryUserStore users;
  auto views = views::Catalog::loadDirectory(sourceDir() / "app/views");
  views.addJson("en-GB", R"({"Help": {"ask": "Hi {username}"}})");
  try {
    (void)makeSampleSkill(users, std::move(views));
    FAIL() << "no error";
  } catch (const views::ViewError& error) {
    EXPECT_STREQ(error.what(), "en-GB view Help.ask: unknown variable {username}");
  }
}

// The skill and skill-package/interactionModels/custom/en-US.json must agree: Alexa sends only
// the model's intents, and a handler for an intent the model lacks is dead code.
TEST(InteractionModel, DeclaresExactlyTheIntentsTheSkillHandles) {
  fakes::MemoryUserStore users;
  const auto engine = makeSampleSkill(users, {.views = sourceDir() / "app/views"});
  const auto model = boost::json::parse(
      parley::testing::readFile(sourceDir() / "skill-package/interactionModels/custom/en-US.json"));
  const auto& language = model.at("interactionModel").at("languageModel");
  const auto& invocation = language.at("invocationName").as_string();
  EXPECT_NE(std::string_view(invocation).find(' '), std::string_view::npos);
  std::set<std::string> declared;
  for (const auto& intent : language.at("intents").as_array()) {
    declared.emplace(intent.at("name").as_string());
  }
  std::set<std::string> handled;
  for (const auto& name : engine->intents()) {
    if (name != "LaunchIntent") handled.insert(name);  // a LaunchRequest, not a model intent
  }
  EXPECT_EQ(declared, handled);
  for (const auto* required : {"AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent"}) {
    EXPECT_TRUE(declared.contains(required)) << required;
  }
}

}  // namespace
}  // namespace parley::app
