#include <gtest/gtest.h>

#include "fakes/log_capture.hpp"
#include "parley/statemachine/skill.hpp"
#include "requests.hpp"

namespace parley::statemachine {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): request helpers

struct Empty {};
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Empty&) {
  out = boost::json::object{};
}
Empty tag_invoke(boost::json::value_to_tag<Empty>, const boost::json::value&) { return {}; }

using E = Event<Empty>;

constexpr const char* kViews = R"({
  "Ask": {"ask": "Question?", "reprompt": "Again?"},
  "Tell": {"tell": "Bye."},
  "Say": {"say": "Hello."},
  "One": "One.",
  "Two": "Two.",
  "Card": {"say": "See the app.", "card": {"type": "LinkAccount"}},
  "Broken": {"tell": "<emphasis>unclosed"}
})";

Skill<Empty> makeSkill(Options options = {}) {
  return Skill<Empty>(catalog(kViews), std::move(options));
}

TEST(StateMachine, HandlesLaunchRequestAsLaunchIntent) {
  auto skill = makeSkill();
  skill.onIntent("LaunchIntent", {.reply = "Ask", .to = "entry"});
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, launch());
  EXPECT_EQ(speech(response), "<speak>Question?</speak>");
  EXPECT_EQ(reprompt(response), "<speak>Again?</speak>");
  EXPECT_EQ(ends(response), false);
  EXPECT_EQ(stateOf(response), "entry");
}

TEST(StateMachine, TransitionWithoutToEndsTheSessionEvenWithAsk) {
  auto skill = makeSkill();
  skill.onIntent("AskIntent", {.reply = "Ask"});
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("AskIntent"));
  EXPECT_EQ(speech(response), "<speak>Question?</speak>");
  EXPECT_EQ(ends(response), true);
  EXPECT_EQ(stateOf(response), "die");
}

TEST(StateMachine, ExplicitYieldWithoutToKeepsListeningFromEntry) {
  auto skill = makeSkill();
  skill.onIntent("HelpIntent", {.reply = "Say", .flow = Flow::Yield});
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("HelpIntent"));
  EXPECT_EQ(speech(response), "<speak>Hello.</speak>");
  EXPECT_EQ(ends(response), false);
  EXPECT_EQ(stateOf(response), "entry");
}

TEST(StateMachine, TellTerminatesEvenWithATargetState) {
  auto skill = makeSkill();
  skill.onIntent("ByeIntent", {.reply = "Tell", .to = "somewhere"});
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("ByeIntent"));
  EXPECT_EQ(speech(response), "<speak>Bye.</speak>");
  EXPECT_EQ(ends(response), true);
}

TEST(StateMachine, ExplicitTerminateEndsTheSession) {
  auto skill = makeSkill();
  skill.onIntent("StopIntent", {.reply = "Say", .to = "entry", .flow = Flow::Terminate});
  const auto engine = std::move(skill).build();
  EXPECT_EQ(ends(run(*engine, intent("StopIntent"))), true);
}

TEST(StateMachine, ContinueRunsTheNextStateInTheSameRequest) {
  auto skill = makeSkill();
  skill.onIntent("GoIntent", {.reply = "One", .to = "second"});
  skill.onState("second", {.reply = "Two", .to = "third"});
  skill.onState("third", {.reply = "Ask", .to = "waiting"});
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("GoIntent"));
  EXPECT_EQ(speech(response), "<speak>One.\nTwo.\nQuestion?</speak>");
  EXPECT_EQ(ends(response), false);
  EXPECT_EQ(stateOf(response), "waiting");
}

TEST(StateMachine, EndlessContinueHitsTheRecursionCap) {
  fakes::LogCapture logs("skill");
  auto skill = makeSkill();
  int steps = 0;
  skill.onIntent("LoopIntent", [&](E&) -> Transition {
    ++steps;
    return {.to = "ping"};
  });
  skill.onState("ping", [&](E&) -> Transition {
    ++steps;
    return {.to = "pong"};
  });
  skill.onState("pong", [&](E&) -> Transition {
    ++steps;
    return {.to = "ping"};
  });
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("LoopIntent"));
  EXPECT_EQ(speech(response), kErrorSpeech);
  EXPECT_EQ(steps, 11);
  EXPECT_NE(logs.text().find("State Machine Recursion Error"), std::string::npos);
}

TEST(StateMachine, ResumesInTheSavedStateOfAnOngoingSession) {
  auto skill = makeSkill();
  skill.onIntent("YesIntent", {.reply = "Tell"});
  skill.onState("question", {.reply = "One", .to = "entry", .flow = Flow::Yield}, {"YesIntent"});
  const auto engine = std::move(skill).build();
  const auto ongoing = run(*engine, intent("YesIntent", false, {{"state", "question"}}));
  EXPECT_EQ(speech(ongoing), "<speak>One.</speak>");
  // A new session always starts in entry, whatever the attributes say.
  const auto fresh = run(*engine, intent("YesIntent", true, {{"state", "question"}}));
  EXPECT_EQ(speech(fresh), "<speak>Bye.</speak>");
}

TEST(StateMachine, SavedDieStateStartsAgainFromEntry) {
  auto skill = makeSkill();
  skill.onIntent("YesIntent", {.reply = "One"});
  skill.onState("die", {.reply = "Two"});
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("YesIntent", false, {{"state", "die"}}))),
            "<speak>One.</speak>");
}

TEST(StateMachine, StateWithoutControllerForTheIntentFallsBackToTheGlobalHandler) {
  auto skill = makeSkill();
  skill.onIntent("HelpIntent", {.reply = "Say", .to = "entry", .flow = Flow::Yield});
  skill.onState("question", {.reply = "One"}, {"YesIntent"});
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("HelpIntent", false, {{"state", "question"}}));
  EXPECT_EQ(speech(response), "<speak>Hello.</speak>");
}

TEST(StateMachine, StateReturningNothingFallsBackToTheGlobalHandler) {
  auto skill = makeSkill();
  skill.onIntent("HelpIntent", {.reply = "Two"});
  skill.onState("question", [](E&) -> std::optional<Transition> { return std::nullopt; });
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("HelpIntent", false, {{"state", "question"}}))),
            "<speak>Two.</speak>");
}

TEST(StateMachine, IntentSpecificControllerBeatsCatchAllWhateverTheOrder) {
  auto skill = makeSkill();
  skill.onState("question", {.reply = "One"});
  skill.onState("question", {.reply = "Two"}, {"NoIntent"});
  skill.onState("question", {.reply = "Tell"}, {"NoIntent"});
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("NoIntent", false, {{"state", "question"}}))),
            "<speak>Two.</speak>");
  EXPECT_EQ(speech(run(*engine, intent("YesIntent", false, {{"state", "question"}}))),
            "<speak>One.</speak>");
}

TEST(StateMachine, UnhandledIntentWithoutFallbackIsTheErrorReply) {
  fakes::LogCapture logs("skill");
  auto skill = makeSkill();
  skill.onIntent("HelpIntent", {.reply = "One"});
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("OrderIntent"));
  EXPECT_EQ(speech(response), kErrorSpeech);
  EXPECT_EQ(ends(response), true);
  EXPECT_EQ(response.at("sessionAttributes"), boost::json::object{});
  EXPECT_EQ(logs.count("error"), 1);
  EXPECT_NE(logs.text().find("OrderIntent went unhandled"), std::string::npos);
}

TEST(StateMachine, OnUnhandledStateAnswersUnknownIntentsAndEmptyStates) {
  auto skill = makeSkill();
  std::vector<std::string> calls;
  skill.onUnhandledState([&](E&, std::string_view state) -> Transition {
    calls.emplace_back(state);
    return {.reply = "Ask", .to = "entry"};
  });
  skill.onState("question", [](E&) -> std::optional<Transition> { return std::nullopt; });
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("OrderIntent"))), "<speak>Question?</speak>");
  EXPECT_EQ(speech(run(*engine, intent("OrderIntent", false, {{"state", "question"}}))),
            "<speak>Question?</speak>");
  EXPECT_EQ(calls, (std::vector<std::string>{"OrderIntent", "question"}));
}

TEST(StateMachine, ContinuingIntoAMissingStateIsUnhandled) {
  auto skill = makeSkill();
  skill.onIntent("GoIntent", {.reply = "One", .to = "nowhere"});
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("GoIntent"))), kErrorSpeech);
}

TEST(StateMachine, ViewWithCardAddsTheCard) {
  auto skill = makeSkill();
  skill.onIntent("LinkIntent", {.reply = "Card"});
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("LinkIntent"));
  EXPECT_EQ(response.at("response").at("card"), (boost::json::object{{"type", "LinkAccount"}}));
}

TEST(StateMachine, SecondCardInOneReplyIsAnError) {
  auto skill = makeSkill();
  skill.onIntent("LinkIntent", {.reply = "Card", .to = "again"});
  skill.onState("again", {.reply = "Card"});
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("LinkIntent"))), kErrorSpeech);
}

TEST(StateMachine, HandlerNamingAMissingViewIsTheErrorReply) {
  fakes::LogCapture logs("skill");
  auto skill = makeSkill();
  skill.onIntent("HelpIntent", [](E&) -> Transition { return {.reply = "Nope.Missing"}; });
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("HelpIntent"))), kErrorSpeech);
  EXPECT_NE(logs.text().find("View Nope.Missing for en-US locale is missing"), std::string::npos);
}

TEST(StateMachine, ViewWithInvalidSsmlIsTheErrorReply) {
  fakes::LogCapture logs("skill");
  auto skill = makeSkill();
  skill.onIntent("BrokenIntent", {.reply = "Broken"});
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("BrokenIntent"))), kErrorSpeech);
  EXPECT_NE(logs.text().find("View Broken: "), std::string::npos);
}

TEST(StateMachine, ListsTheIntentsItHandles) {
  auto skill = makeSkill();
  skill.onIntent("LaunchIntent", {.reply = "One"});
  skill.onIntent("AMAZON.HelpIntent", {.reply = "One"});
  skill.onState("question", {.reply = "One"}, {"AMAZON.YesIntent", "AMAZON.HelpIntent"});
  skill.onState("other", {.reply = "One"});
  const auto engine = std::move(skill).build();
  EXPECT_EQ(engine->intents(),
            (std::vector<std::string>{"AMAZON.HelpIntent", "AMAZON.YesIntent", "LaunchIntent"}));
}

}  // namespace
}  // namespace parley::statemachine
