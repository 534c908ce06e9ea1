#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>

#include "fakes/log_capture.hpp"
#include "parley/alexa/error.hpp"
#include "parley/statemachine/skill.hpp"
#include "requests.hpp"
#include "support/fixtures.hpp"

namespace parley::statemachine {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): request helpers
using parley::testing::readFixture;

struct Counter {
  int count{};
  std::string name{};
};
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Counter& counter) {
  out = boost::json::object{{"count", counter.count}, {"name", counter.name}};
}
Counter tag_invoke(boost::json::value_to_tag<Counter>, const boost::json::value& in) {
  return {.count = static_cast<int>(in.at("count").as_int64()),
          .name = std::string(in.at("name").as_string())};
}

using E = Event<Counter>;

constexpr const char* kViews = R"({
  "Count": {"ask": "Count {count} for {name}.", "reprompt": "Again?"},
  "Bye": {"tell": "Bye {name}."},
  "Sorry": {"tell": "Try again later."},
  "Variants": {"tell": ["a", "b", "c", "d", "e", "f", "g", "h"]},
  "Long": "{long}"
})";

Skill<Counter> makeSkill(Options options = {}) {
  Skill<Counter> skill(catalog(kViews), std::move(options));
  skill.variable("count", [](const E& e) { return std::to_string(e.model.count); });
  skill.variable("name", [](const E& e) { return e.model.name; });
  skill.variable("long", [](const E&) { return std::string(9000, 'x'); });
  return skill;
}

struct TestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST(Model, IsSavedInSessionAttributesAndRestoredNextTurn) {
  auto skill = makeSkill();
  skill.onIntent("CountIntent", [](E& e) -> Transition {
    ++e.model.count;
    return {.reply = "Count", .to = "entry"};
  });
  const auto engine = std::move(skill).build();
  const auto first = run(*engine, intent("CountIntent"));
  EXPECT_EQ(first.at("sessionAttributes").at("model"),
            (boost::json::object{{"count", 1}, {"name", ""}}));
  const auto second =
      run(*engine, intent("CountIntent", false, first.at("sessionAttributes").as_object()));
  EXPECT_EQ(speech(second), "<speak>Count 2 for .</speak>");
  EXPECT_EQ(second.at("sessionAttributes").at("model").at("count"), 2);
}

TEST(Model, AForeignSavedModelStartsAfreshAndIsLogged) {
  fakes::LogCapture logs("skill");
  auto skill = makeSkill();
  skill.onIntent("CountIntent", [](E& e) -> Transition {
    ++e.model.count;
    return {.reply = "Count", .to = "entry"};
  });
  const auto engine = std::move(skill).build();
  for (const auto& saved : {boost::json::value("text"), boost::json::value{{"count", "x"}},
                            boost::json::value(nullptr)}) {
    const auto response = run(*engine, intent("CountIntent", false, {{"model", saved}}));
    EXPECT_EQ(speech(response), "<speak>Count 1 for .</speak>") << saved;
  }
  EXPECT_EQ(logs.count("warning"), 2);
}

TEST(Model, OnlyOutputAttributesModelAndStateAreSaved) {
  auto skill = makeSkill();
  skill.onIntent("CountIntent", [](E& e) -> Transition {
    e.outputAttributes()["flow"] = "kept";
    return {.reply = "Count", .to = "entry"};
  });
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("CountIntent", false, {{"stale", true}}));
  const auto& attributes = response.at("sessionAttributes").as_object();
  EXPECT_EQ(attributes.size(), 3U);
  EXPECT_EQ(attributes.at("flow"), "kept");
  EXPECT_FALSE(attributes.contains("stale"));
}

TEST(Model, TheReplyKeepsTheRequestArenaItsAttributesLiveInAlive) {
  auto skill = makeSkill();
  skill.onIntent("CountIntent", [](E& e) -> Transition {
    e.model.name = std::string(200, 'n');  // longer than any small-string buffer
    e.outputAttributes()["flow"] = std::string(100, 'f');
    return {.reply = "Count", .to = "entry"};
  });
  const auto engine = std::move(skill).build();
  std::optional<alexa::ResponseBuilder> reply;
  {
    auto envelope = alexa::parseRequest(boost::json::serialize(intent("CountIntent")));
    ASSERT_TRUE(envelope);
    reply.emplace(engine->reply(*envelope));
    EXPECT_EQ(reply->sessionAttributes().storage().get(), envelope->json().storage().get());
  }  // the request is gone; the attributes built in its arena are still readable
  const auto body = reply->serialize();
  ASSERT_TRUE(body);
  const auto attributes = boost::json::parse(*body).at("sessionAttributes");
  EXPECT_EQ(attributes.at("model").at("name").as_string(), std::string(200, 'n'));
  EXPECT_EQ(attributes.at("flow").as_string(), std::string(100, 'f'));
}

TEST(Variables, ValuesAreSsmlEscaped) {
  auto skill = makeSkill();
  skill.onIntent("ByeIntent", [](E& e) -> Transition {
    e.model.name = "Ben & <Jerry>";
    return {.reply = "Bye"};
  });
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("ByeIntent"))),
            "<speak>Bye Ben &amp; &lt;Jerry&gt;.</speak>");
}

TEST(Variables, SeededVariantsAreReproducible) {
  std::set<std::string> seen;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    std::string first;
    for (int round = 0; round < 2; ++round) {
      auto skill = makeSkill({.seed = seed});
      skill.onIntent("ByeIntent", {.reply = "Variants"});
      const auto engine = std::move(skill).build();
      const auto said = speech(run(*engine, intent("ByeIntent")));
      if (round == 0) first = said;
      EXPECT_EQ(said, first);
      seen.insert(said);
    }
  }
  EXPECT_GT(seen.size(), 4U);
}

TEST(Validate, UnknownVariableStopsTheBuildWithOneLine) {
  Skill<Counter> skill(catalog(kViews));
  skill.variable("count", [](const E&) { return std::string(); });
  try {
    (void)std::move(skill).build();
    FAIL() << "no error";
  } catch (const views::ViewError& error) {
    EXPECT_STREQ(error.what(), "en-US view Count.ask: unknown variable {name}");
  }
}

TEST(Validate, ConstantTransitionNamingAMissingViewStopsTheBuild) {
  auto skill = makeSkill();
  skill.onIntent("HelpIntent", {.reply = "Help"});
  try {
    (void)std::move(skill).build();
    FAIL() << "no error";
  } catch (const views::ViewError& error) {
    EXPECT_STREQ(error.what(), "View Help for en-US locale is missing");
  }
}

TEST(Hooks, RunInVoxaOrder) {
  auto skill = makeSkill();
  std::vector<std::string> calls;
  skill.onRequestStarted([&](E& e) { calls.push_back("requestStarted:" + e.state()); });
  skill.onSessionStarted([&](E&) { calls.emplace_back("sessionStarted"); });
  skill.onIntentRequest([&](E&) { calls.emplace_back("intentRequest"); });
  skill.onBeforeStateChanged(
      [&](E&, std::string_view state) { calls.push_back("before:" + std::string(state)); });
  skill.onIntent("GoIntent", [&](E&) -> Transition {
    calls.emplace_back("GoIntent");
    return {.to = "next"};
  });
  skill.onState("next", [&](E& e) -> Transition {
    calls.push_back("next in " + e.state());
    return {.reply = "Bye"};
  });
  skill.onAfterStateChanged([&](E&, Transition& next) { calls.push_back("after:" + next.reply); });
  skill.onSessionEnded([&](E&) { calls.emplace_back("sessionEnded"); });
  skill.onBeforeReplySent([&](E& e, const Transition& last) {
    calls.push_back("beforeReplySent:" + last.to +
                    (e.reply().hasTerminated() ? ":terminated" : ""));
  });
  const auto engine = std::move(skill).build();
  (void)run(*engine, intent("GoIntent"));
  EXPECT_EQ(calls, (std::vector<std::string>{"requestStarted:", "sessionStarted", "intentRequest",
                                             "before:entry", "GoIntent", "after:", "before:next",
                                             "next in next", "after:Bye", "sessionEnded",
                                             "beforeReplySent:die:terminated"}));
}

TEST(Hooks, SessionStartedOnlyOnNewSessionsAndSessionEndedOnlyWhenTerminating) {
  auto skill = makeSkill();
  int started = 0;
  int ended = 0;
  skill.onSessionStarted([&](E&) { ++started; });
  skill.onSessionEnded([&](E&) { ++ended; });
  skill.onIntent("CountIntent", {.reply = "Count", .to = "entry"});
  const auto engine = std::move(skill).build();
  (void)run(*engine, intent("CountIntent", false));
  EXPECT_EQ(started, 0);
  EXPECT_EQ(ended, 0);
  (void)run(*engine, intent("CountIntent", true));
  EXPECT_EQ(started, 1);
  EXPECT_EQ(ended, 0);
}

TEST(Hooks, AfterStateChangedMayRewriteTheTransition) {
  auto skill = makeSkill();
  skill.onIntent("CountIntent", {.reply = "Count", .to = "entry"});
  skill.onAfterStateChanged([](E&, Transition& next) { next.to = "elsewhere"; });
  const auto engine = std::move(skill).build();
  EXPECT_EQ(stateOf(run(*engine, intent("CountIntent"))), "elsewhere");
}

TEST(Errors, ThrowingHandlerGivesTheSpokenErrorAndOneLoggedError) {
  fakes::LogCapture logs("skill");
  auto skill = makeSkill();
  skill.onIntent("CountIntent", [](E&) -> Transition { throw TestError("boom"); });
  const auto engine = std::move(skill).build();
  const auto response = run(*engine, intent("CountIntent"));
  EXPECT_EQ(response, boost::json::parse(R"({"version": "1.0", "response": {
    "outputSpeech": {"type": "SSML", "ssml": "<speak>An unrecoverable error occurred.</speak>"},
    "shouldEndSession": true}, "sessionAttributes": {}})"));
  EXPECT_EQ(logs.count("error"), 1);
  EXPECT_NE(logs.text().find("boom"), std::string::npos);
}

TEST(Errors, ThrowingHookOrNonStandardExceptionIsAlsoRecovered) {
  auto skill = makeSkill();
  skill.onRequestStarted([](E&) { throw 42; });  // NOLINT(hicpp-exception-baseclass): the case
  skill.onIntent("CountIntent", {.reply = "Count", .to = "entry"});
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("CountIntent"))), kErrorSpeech);
}

TEST(Errors, TypedErrorHandlerAnswersOnlyItsExceptionType) {
  auto skill = makeSkill();
  skill.onError<TestError>([](E&, const TestError&) -> std::optional<Transition> {
    return Transition{.reply = "Sorry"};
  });
  skill.onIntent("TestIntent", [](E&) -> Transition { throw TestError("database down"); });
  skill.onIntent("OtherIntent", [](E&) -> Transition { throw std::logic_error("bug"); });
  const auto engine = std::move(skill).build();
  const auto handled = run(*engine, intent("TestIntent"));
  EXPECT_EQ(speech(handled), "<speak>Try again later.</speak>");
  EXPECT_EQ(ends(handled), true);
  EXPECT_EQ(handled.at("sessionAttributes"), boost::json::object{});
  EXPECT_EQ(speech(run(*engine, intent("OtherIntent"))), kErrorSpeech);
}

TEST(Errors, FirstErrorHandlerWithAReplyWinsAndAFailingOneFallsBackToDefault) {
  auto skill = makeSkill();
  std::vector<std::string> calls;
  skill.onError([&](E&, const std::exception&) -> std::optional<Transition> {
    calls.emplace_back("first");
    return std::nullopt;
  });
  skill.onError([&](E&, const std::exception& error) -> std::optional<Transition> {
    calls.emplace_back("second");
    if (std::string(error.what()) == "bad view") return Transition{.reply = "Missing"};
    return Transition{.reply = "Sorry"};
  });
  skill.onError([&](E&, const std::exception&) -> std::optional<Transition> {
    calls.emplace_back("third");
    return Transition{.reply = "Bye"};
  });
  skill.onIntent("TestIntent", [](E&) -> Transition { throw TestError("x"); });
  skill.onIntent("BadIntent", [](E&) -> Transition { throw TestError("bad view"); });
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("TestIntent"))), "<speak>Try again later.</speak>");
  EXPECT_EQ(calls, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(speech(run(*engine, intent("BadIntent"))), kErrorSpeech);
}

TEST(Errors, ReplyOverTheLimitsBecomesTheErrorReply) {
  fakes::LogCapture logs("skill");
  auto skill = makeSkill();
  skill.onIntent("LongIntent", {.reply = "Long"});
  const auto engine = std::move(skill).build();
  EXPECT_EQ(speech(run(*engine, intent("LongIntent"))), kErrorSpeech);
  EXPECT_EQ(logs.count("error"), 1);
}

TEST(SessionEnded, RunsSessionEndedHooksAndAnswersAnEmptyReply) {
  auto skill = makeSkill();
  std::vector<std::string> calls;
  skill.onRequestStarted([&](E&) { calls.emplace_back("requestStarted"); });
  skill.onSessionEnded([&](E& e) { calls.push_back("ended:" + std::to_string(e.model.count)); });
  const auto engine = std::move(skill).build();
  auto envelope = boost::json::parse(readFixture("alexa/session-ended-user-initiated.json"));
  envelope.as_object()["session"].as_object()["attributes"] =
      boost::json::object{{"model", {{"count", 7}, {"name", "n"}}}};
  const auto response = run(*engine, envelope.as_object());
  EXPECT_EQ(response,
            boost::json::parse(R"({"version": "1.0", "response": {}, "sessionAttributes": {}})"));
  EXPECT_EQ(calls, (std::vector<std::string>{"requestStarted", "ended:7"}));
}

TEST(SessionEnded, ReasonErrorTakesTheErrorPath) {
  fakes::LogCapture logs("skill");
  auto skill = makeSkill();
  bool ended = false;
  skill.onSessionEnded([&](E&) { ended = true; });
  const auto engine = std::move(skill).build();
  const auto response =
      run(*engine, boost::json::parse(readFixture("alexa/session-ended-error.json")).as_object());
  EXPECT_EQ(speech(response), kErrorSpeech);
  EXPECT_FALSE(ended);
  EXPECT_NE(logs.text().find("INVALID_RESPONSE"), std::string::npos);
}

TEST(OtherRequests, RegisteredHandlersRunWithoutModelOrStateMachine) {
  auto skill = makeSkill();
  int started = 0;
  std::vector<std::string> calls;
  skill.onRequestStarted([&](E&) { ++started; });
  skill.on("AudioPlayer.PlaybackStarted", [&](E& e) {
    calls.emplace_back("first");
    e.reply().stopAudio();
  });
  skill.on("AudioPlayer.PlaybackStarted", [&](E&) { calls.emplace_back("second"); });
  const auto engine = std::move(skill).build();
  const auto response =
      run(*engine,
          boost::json::parse(readFixture("alexa/audioplayer-playback-started.json")).as_object());
  EXPECT_EQ(response.at("response").at("directives").at(0).at("type"), "AudioPlayer.Stop");
  EXPECT_EQ(response.at("sessionAttributes"), boost::json::object{});
  EXPECT_EQ(calls, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(started, 0);
}

TEST(OtherRequests, KnownTypesWithoutHandlersAreAcknowledged) {
  const auto engine = makeSkill().build();
  for (const auto* fixture :
       {"alexa/skill-event-skill-enabled.json", "alexa/skill-event-account-linked.json",
        "alexa/audioplayer-playback-started.json"}) {
    EXPECT_EQ(run(*engine, boost::json::parse(readFixture(fixture)).as_object()),
              boost::json::parse(R"({"version": "1.0", "response": {}, "sessionAttributes": {}})"))
        << fixture;
  }
}

TEST(OtherRequests, UnknownRequestTypeTakesTheErrorPath) {
  fakes::LogCapture logs("skill");
  const auto engine = makeSkill().build();
  const auto response = run(*engine, request({.type = "Messaging.Unheard"}));
  EXPECT_EQ(speech(response), kErrorSpeech);
  EXPECT_NE(logs.text().find("unknown request type Messaging.Unheard"), std::string::npos);
}

TEST(CanFulfill, AnswersNoUnlessTheIntentIsConfigured) {
  const auto envelope = boost::json::parse(readFixture("alexa/can-fulfill.json")).as_object();
  const auto no = run(*makeSkill().build(), envelope);
  EXPECT_EQ(no.at("response"), boost::json::parse(R"({"canFulfillIntent": {"canFulfill": "NO"}})"));
  const auto yes =
      run(*makeSkill({.default_fulfill_intents = {"OrderDrinkIntent"}}).build(), envelope);
  EXPECT_EQ(yes.at("response").at("canFulfillIntent").at("canFulfill"), "YES");
  EXPECT_EQ(yes.at("response").at("canFulfillIntent").at("slots").at("drink"),
            boost::json::parse(R"({"canUnderstand": "YES", "canFulfill": "YES"})"));
}

TEST(CanFulfill, UserHandlerRunsAfterTheDefaultAndWins) {
  auto skill = makeSkill();
  skill.on("CanFulfillIntentRequest", [](E& e) { e.reply().fulfillIntent("MAYBE"); });
  const auto response = run(*std::move(skill).build(),
                            boost::json::parse(readFixture("alexa/can-fulfill.json")).as_object());
  EXPECT_EQ(response.at("response").at("canFulfillIntent").at("canFulfill"), "MAYBE");
}

TEST(Locale, RequestLocaleIsMatchedCaseInsensitivelyWithFallback) {
  views::Catalog views;
  views.addJson("en-US", R"({"Hi": {"tell": "Hello."}})");
  views.addJson("de-DE", R"({"Hi": {"tell": "Hallo."}})");
  Skill<Counter> skill(std::move(views));
  skill.onIntent("HiIntent", {.reply = "Hi"});
  const auto engine = std::move(skill).build();
  const auto say = [&](const std::string& locale) {
    return speech(run(*engine, request({.intent = "HiIntent", .locale = locale})));
  };
  EXPECT_EQ(say("DE-de"), "<speak>Hallo.</speak>");
  EXPECT_EQ(say("de-AT"), "<speak>Hallo.</speak>");
  EXPECT_EQ(say("fr-FR"), "<speak>Hello.</speak>");
}

TEST(Input, MalformedOrNonEnvelopeBodiesAreRejected) {
  const auto engine = makeSkill().build();
  EXPECT_EQ(engine->handle("{not json").error(), alexa::Error::kMalformedJson);
  EXPECT_EQ(engine->handle("").error(), alexa::Error::kEmptyBody);
  EXPECT_EQ(engine->handle(R"({"version": "1.0"})").error(), alexa::Error::kNotAnEnvelope);
  EXPECT_EQ(engine->handle("[1,2,3]").error(), alexa::Error::kNotAnEnvelope);
  EXPECT_EQ(engine->handleJson(boost::json::value(3)).error(), alexa::Error::kNotAnEnvelope);
}

TEST(Input, OtherSkillsRequestsAreRejectedWhenIdsAreConfigured) {
  auto skill = makeSkill({.application_ids = {"amzn1.ask.skill.mine"}});
  skill.onIntent("ByeIntent", {.reply = "Bye"});
  const auto engine = std::move(skill).build();
  const auto body = boost::json::serialize(intent("ByeIntent"));
  EXPECT_EQ(engine->handle(body).error(), Error::kApplicationIdRejected);
  auto accepting = makeSkill({.application_ids = {"amzn1.ask.skill.mine", "amzn1.ask.skill.test"}});
  accepting.onIntent("ByeIntent", {.reply = "Bye"});
  EXPECT_TRUE(std::move(accepting).build()->handle(body));
}

TEST(Input, HandleJsonAnswersTheResponseObject) {
  auto skill = makeSkill();
  skill.onIntent("ByeIntent", {.reply = "Bye"});
  const auto engine = std::move(skill).build();
  const auto response = engine->handleJson(intent("ByeIntent"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->at("response").at("outputSpeech").at("ssml"), "<speak>Bye .</speak>");
}

TEST(Concurrency, OneEngineServesManyThreads) {
  auto skill = makeSkill({.seed = 3});
  skill.onIntent("CountIntent", [](E& e) -> Transition {
    ++e.model.count;
    return {.reply = "Count", .to = "entry"};
  });
  skill.onIntent("ByeIntent", {.reply = "Variants"});
  const auto engine = std::move(skill).build();
  const auto body = boost::json::serialize(
      intent("CountIntent", false, {{"model", {{"count", 4}, {"name", "t"}}}}));
  const auto expected = *engine->handle(body);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (*engine->handle(body) != expected) ++mismatches;
        (void)engine->handle(boost::json::serialize(intent("ByeIntent")));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace parley::statemachine

namespace parley::statemachine {
namespace {

// A model with its own to/from JSON pair instead of tag_invoke.
struct Visits {
  int visits{};
  boost::json::value toJson() const { return {{"visits", visits}}; }
  static Visits fromJson(const boost::json::value& in) {
    return {.visits = static_cast<int>(in.at("visits").as_int64())};
  }
};

TEST(Model, AToFromJsonPairIsUsedWhenTheModelHasOne) {
  Skill<Visits> skill(test::catalog(R"({"Hi": "Hi."})"));
  skill.onIntent("HiIntent", [](Event<Visits>& e) -> Transition {
    ++e.model.visits;
    return {.reply = "Hi", .to = "entry", .flow = Flow::Yield};
  });
  const auto engine = std::move(skill).build();
  const auto response =
      test::run(*engine, test::intent("HiIntent", false, {{"model", {{"visits", 41}}}}));
  EXPECT_EQ(response.at("sessionAttributes").at("model"), (boost::json::object{{"visits", 42}}));
}

}  // namespace
}  // namespace parley::statemachine
