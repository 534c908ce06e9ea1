#include "parley/alexa/request.hpp"

#include <gtest/gtest.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "parley/alexa/error.hpp"
#include "support/fixtures.hpp"

namespace parley::alexa {
namespace {

namespace json = boost::json;
using testing::readFixture;

constexpr std::string_view kSkillId = "amzn1.ask.skill.8f3c2e71-6a4b-4c1d-b2e9-5d7a0c9f1e36";
constexpr std::string_view kLinkedUser =
    "amzn1.ask.account.AHV4QXR2KJ7YLMNB3WZP6TCEFGDS5UOI2XA7RJQK9LM4NB8VCW3ZYT";
constexpr std::string_view kUnlinkedUser =
    "amzn1.ask.account.AKD2MX8RTQ4VN7LB1WZC6PYHEGFJ3SOU5IA9XR2KQ7LN4BM8CV1ZT";

RequestEnvelope parseFixture(const std::string& name) {
  auto envelope = parseRequest(readFixture("alexa/" + name));
  if (!envelope) throw std::runtime_error(name + ": " + envelope.error().message());
  return *envelope;
}

// --- every fixture of tests/fixtures/alexa ---

TEST(LaunchLinkedFixture, ReadsCommonSessionAndContextFields) {
  auto envelope = parseFixture("launch-linked.json");
  EXPECT_EQ(envelope.version(), "1.0");
  EXPECT_EQ(envelope.type(), "LaunchRequest");
  EXPECT_EQ(envelope.kind(), RequestType::kLaunch);
  EXPECT_EQ(envelope.requestId(), "amzn1.echo-api.request.1d6e9b42-7c3a-4f58-a0e1-3b5c7d9f2a64");
  EXPECT_EQ(envelope.timestamp(), "2024-05-14T18:22:31Z");
  EXPECT_EQ(envelope.locale(), "en-US");
  EXPECT_TRUE(envelope.as<LaunchRequest>());
  EXPECT_FALSE(envelope.as<IntentRequest>());
  EXPECT_EQ(envelope.intentName(), std::nullopt);
  EXPECT_EQ(envelope.accessToken(), "tok-linked");
  EXPECT_EQ(envelope.userId(), kLinkedUser);
  EXPECT_EQ(envelope.applicationId(), kSkillId);

  auto session = envelope.session();
  ASSERT_TRUE(session);
  EXPECT_TRUE(session->isNew());
  EXPECT_EQ(session->sessionId(), "amzn1.echo-api.session.5b0e8a31-2f6c-4d7e-9a14-8c3b2d1e0f97");
  EXPECT_EQ(session->applicationId(), kSkillId);
  EXPECT_TRUE(session->attributes().empty());
  ASSERT_TRUE(session->user());
  EXPECT_EQ(session->user()->accessToken(), "tok-linked");

  auto system = envelope.system();
  EXPECT_EQ(system.applicationId(), kSkillId);
  EXPECT_EQ(system.apiEndpoint(), "https://api.amazonalexa.com");
  ASSERT_TRUE(system.apiAccessToken());
  EXPECT_TRUE(system.apiAccessToken()->starts_with("eyJ0eXAi"));
  EXPECT_EQ(system.person(), nullptr);
  ASSERT_TRUE(system.user());
  EXPECT_EQ(system.user()->userId(), kLinkedUser);
  auto device = system.device();
  ASSERT_TRUE(device);
  EXPECT_EQ(device->deviceId(),
            "amzn1.ask.device.AFQ7ZL3NXK2PD6WRM4TYHB9CGEJ5SUV8OA1IQ3R7KZ2XN6LP4DWM");
  EXPECT_TRUE(device->supports("AudioPlayer"));
  EXPECT_FALSE(device->supports("VideoApp"));
  EXPECT_EQ(device->supportedInterfaces(), std::vector<std::string_view>{"AudioPlayer"});
  EXPECT_TRUE(envelope.supportsInterface("AudioPlayer"));
  EXPECT_FALSE(envelope.supportsInterface("Alexa.Presentation.APL"));

  auto player = envelope.audioPlayer();
  ASSERT_TRUE(player);
  EXPECT_EQ(player->playerActivity(), "IDLE");
  EXPECT_EQ(player->token(), std::nullopt);
}

TEST(LaunchUnlinkedFixture, HasNoAccessTokenAnywhere) {
  auto envelope = parseFixture("launch-unlinked.json");
  EXPECT_EQ(envelope.kind(), RequestType::kLaunch);
  EXPECT_EQ(envelope.accessToken(), std::nullopt);
  EXPECT_EQ(envelope.userId(), kUnlinkedUser);
  EXPECT_EQ(envelope.session()->user()->accessToken(), std::nullopt);
  EXPECT_EQ(envelope.session()->sessionId(),
            "amzn1.echo-api.session.c4a7d1e9-3b58-4e26-8f0a-71d2e6b9c3f5");
}

TEST(IntentHelpFixture, ReadsIntentAndSessionAttributes) {
  auto envelope = parseFixture("intent-help.json");
  auto request = envelope.as<IntentRequest>();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->intent().name(), "AMAZON.HelpIntent");
  EXPECT_EQ(request->intent().confirmationStatus(), "NONE");
  EXPECT_TRUE(request->intent().slots().empty());
  EXPECT_EQ(request->intent().slot("anything"), std::nullopt);
  EXPECT_EQ(request->dialogState(), std::nullopt);
  EXPECT_EQ(envelope.intentName(), "AMAZON.HelpIntent");

  auto session = envelope.session();
  ASSERT_TRUE(session);
  EXPECT_FALSE(session->isNew());
  const auto& attributes = session->attributes();
  EXPECT_EQ(attributes.at("state"), "entry");
  EXPECT_EQ(attributes.at("model").at("ordersToday"), 0);
}

TEST(IntentWithSlotsFixture, ResolvesFilledSlotAndReportsUnfilledOne) {
  auto envelope = parseFixture("intent-with-slots.json");
  auto request = envelope.as<IntentRequest>();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->dialogState(), "IN_PROGRESS");
  auto intent = request->intent();
  EXPECT_EQ(intent.name(), "OrderDrinkIntent");
  auto slots = intent.slots();
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots[0].name(), "drink");
  EXPECT_EQ(slots[1].name(), "size");

  auto drink = intent.slot("drink");
  ASSERT_TRUE(drink);
  EXPECT_EQ(drink->value(), "latte");
  EXPECT_EQ(drink->resolvedValue(), "caffe latte");
  EXPECT_EQ(drink->resolvedId(), "LATTE");
  EXPECT_EQ(drink->confirmationStatus(), "NONE");
  EXPECT_EQ(drink->values(), std::vector<std::string_view>{"latte"});

  auto size = intent.slot("size");
  ASSERT_TRUE(size);
  EXPECT_EQ(size->value(), std::nullopt);
  EXPECT_EQ(size->resolvedValue(), std::nullopt);
  EXPECT_EQ(size->resolvedId(), std::nullopt);
  EXPECT_TRUE(size->values().empty());
  EXPECT_EQ(envelope.session()->attributes().at("state"), "askDrink");
}

TEST(SessionEndedFixtures, ReadReasonAndError) {
  auto user = parseFixture("session-ended-user-initiated.json");
  auto ended = user.as<SessionEndedRequest>();
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->reason(), "USER_INITIATED");
  EXPECT_FALSE(ended->error());

  auto failed = parseFixture("session-ended-error.json");
  auto error_ended = failed.as<SessionEndedRequest>();
  ASSERT_TRUE(error_ended);
  EXPECT_EQ(error_ended->reason(), "ERROR");
  ASSERT_TRUE(error_ended->error());
  EXPECT_EQ(error_ended->error()->type, "INVALID_RESPONSE");
  EXPECT_EQ(error_ended->error()->message,
            "The skill response contained SSML that could not be parsed.");
  EXPECT_FALSE(failed.audioPlayer());
  EXPECT_FALSE(failed.system().device()->supports("AudioPlayer"));
}

TEST(SkillEventFixtures, HaveNoSessionAndReadBody) {
  auto linked = parseFixture("skill-event-account-linked.json");
  EXPECT_EQ(linked.kind(), RequestType::kSkillAccountLinked);
  EXPECT_FALSE(linked.session());
  EXPECT_EQ(linked.locale(), std::nullopt);
  auto event = linked.as<SkillEventRequest>();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->accessToken(), "tok-linked");
  EXPECT_EQ(event->eventCreationTime(), "2024-05-14T18:20:09Z");
  EXPECT_EQ(event->eventPublishingTime(), "2024-05-14T18:20:10Z");
  EXPECT_EQ(linked.accessToken(), "tok-linked");
  EXPECT_EQ(linked.userId(), kLinkedUser);
  EXPECT_EQ(linked.applicationId(), kSkillId);
  EXPECT_FALSE(linked.system().device());
  EXPECT_FALSE(linked.supportsInterface("AudioPlayer"));
  EXPECT_FALSE(linked.system().apiAccessToken());

  auto enabled = parseFixture("skill-event-skill-enabled.json");
  EXPECT_EQ(enabled.kind(), RequestType::kSkillEnabled);
  auto enabled_event = enabled.as<SkillEventRequest>();
  ASSERT_TRUE(enabled_event);
  EXPECT_EQ(enabled_event->body(), nullptr);
  EXPECT_EQ(enabled_event->accessToken(), std::nullopt);
  EXPECT_TRUE(enabled_event->acceptedPermissions().empty());
  EXPECT_EQ(enabled.accessToken(), std::nullopt);
  EXPECT_EQ(enabled.timestamp(), "2024-05-14T18:18:47Z");
  EXPECT_EQ(enabled_event->userInformationPersistenceStatus(), std::nullopt);

  auto disabled = parseFixture("skill-event-skill-disabled.json");
  EXPECT_EQ(disabled.kind(), RequestType::kSkillDisabled);
  auto disabled_event = disabled.as<SkillEventRequest>();
  ASSERT_TRUE(disabled_event);
  EXPECT_EQ(disabled_event->userInformationPersistenceStatus(), "NOT_PERSISTED");
  EXPECT_EQ(disabled_event->accessToken(), std::nullopt);  // only SkillAccountLinked has one
  EXPECT_EQ(disabled.userId(), kLinkedUser);
}

TEST(CanFulfillFixture, ReadsIntentWithSlots) {
  auto envelope = parseFixture("can-fulfill.json");
  auto request = envelope.as<CanFulfillIntentRequest>();
  ASSERT_TRUE(request);
  EXPECT_FALSE(envelope.as<IntentRequest>());
  EXPECT_EQ(envelope.intentName(), "OrderDrinkIntent");
  EXPECT_EQ(request->dialogState(), std::nullopt);
  auto drink = request->intent().slot("drink");
  ASSERT_TRUE(drink);
  EXPECT_EQ(drink->value(), "cappuccino");
  EXPECT_EQ(drink->resolvedValue(), "cappuccino");
  EXPECT_EQ(drink->resolvedId(), "CAPPUCCINO");
  EXPECT_TRUE(envelope.session()->isNew());
  EXPECT_TRUE(envelope.system().device()->supportedInterfaces().empty());
}

TEST(AudioPlayerFixture, ReadsTokenOffsetAndPlayerContext) {
  auto envelope = parseFixture("audioplayer-playback-started.json");
  EXPECT_EQ(envelope.kind(), RequestType::kPlaybackStarted);
  EXPECT_FALSE(envelope.session());
  auto request = envelope.as<AudioPlayerRequest>();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->token(), R"({"episode":"ep-042","index":3})");
  EXPECT_EQ(request->offsetInMilliseconds(), 0);
  EXPECT_FALSE(request->error());
  EXPECT_FALSE(request->currentPlaybackState());
  auto player = envelope.audioPlayer();
  ASSERT_TRUE(player);
  EXPECT_EQ(player->playerActivity(), "PLAYING");
  EXPECT_EQ(player->offsetInMilliseconds(), 0);
  EXPECT_EQ(player->token(), request->token());
  EXPECT_EQ(envelope.accessToken(), "tok-linked");
}

TEST(RequestEnvelope, CopiesShareTheJsonSoViewsStayValid) {
  std::optional<IntentRequest> request;
  std::optional<RequestEnvelope> copy;
  {
    auto envelope = parseFixture("intent-with-slots.json");
    copy = envelope;
    request = copy->as<IntentRequest>();
  }
  ASSERT_TRUE(request);
  EXPECT_EQ(request->intent().slot("drink")->resolvedValue(), "caffe latte");
  EXPECT_EQ(&copy->json(), &copy->json());
}

// --- every request type of spec §2.1, from minimal envelopes ---

json::object envelope(json::object request, bool with_session = true) {
  request.emplace("requestId", "amzn1.echo-api.request.test");
  request.emplace("timestamp", "2024-05-14T18:22:31Z");
  json::object root{
      {"version", "1.0"},
      {"context",
       {{"System",
         {{"application", {{"applicationId", kSkillId}}}, {"user", {{"userId", "u-1"}}}}}}},
      {"request", std::move(request)}};
  if (with_session) {
    root["session"] = {{"new", false},
                       {"sessionId", "s-1"},
                       {"application", {{"applicationId", "session-skill"}}},
                       {"user", {{"userId", "session-user"}, {"accessToken", "session-token"}}}};
  }
  return root;
}

RequestEnvelope parseObject(const json::object& root) {
  auto parsed = parseRequest(json::serialize(root));
  if (!parsed) throw std::runtime_error(parsed.error().message());
  return *parsed;
}

struct TypeCase {
  std::string_view type;
  RequestType kind;
};

class EveryRequestType : public ::testing::TestWithParam<TypeCase> {};

TEST_P(EveryRequestType, ParsesAndMapsToItsKind) {
  const auto& param = GetParam();
  json::object request{{"type", param.type}};
  if (param.kind == RequestType::kIntent || param.kind == RequestType::kCanFulfillIntent) {
    request["intent"] = {{"name", "SomeIntent"}};
  }
  auto parsed = parseObject(envelope(request));
  EXPECT_EQ(parsed.type(), param.type);
  EXPECT_EQ(parsed.kind(), param.kind);
  EXPECT_EQ(requestTypeFromString(param.type), param.kind);
  EXPECT_EQ(parsed.as<Request>()->requestId(), "amzn1.echo-api.request.test");
}

INSTANTIATE_TEST_SUITE_P(
    Alexa, EveryRequestType,
    ::testing::Values(
        TypeCase{"LaunchRequest", RequestType::kLaunch},
        TypeCase{"IntentRequest", RequestType::kIntent},
        TypeCase{"SessionEndedRequest", RequestType::kSessionEnded},
        TypeCase{"CanFulfillIntentRequest", RequestType::kCanFulfillIntent},
        TypeCase{"SessionResumedRequest", RequestType::kSessionResumed},
        TypeCase{"AlexaSkillEvent.SkillEnabled", RequestType::kSkillEnabled},
        TypeCase{"AlexaSkillEvent.SkillDisabled", RequestType::kSkillDisabled},
        TypeCase{"AlexaSkillEvent.SkillAccountLinked", RequestType::kSkillAccountLinked},
        TypeCase{"AlexaSkillEvent.SkillPermissionAccepted", RequestType::kSkillPermissionAccepted},
        TypeCase{"AlexaSkillEvent.SkillPermissionChanged", RequestType::kSkillPermissionChanged},
        TypeCase{"AlexaSkillEvent.ProactiveSubscriptionChanged",
                 RequestType::kProactiveSubscriptionChanged},
        TypeCase{"AudioPlayer.PlaybackStarted", RequestType::kPlaybackStarted},
        TypeCase{"AudioPlayer.PlaybackFinished", RequestType::kPlaybackFinished},
        TypeCase{"AudioPlayer.PlaybackStopped", RequestType::kPlaybackStopped},
        TypeCase{"AudioPlayer.PlaybackNearlyFinished", RequestType::kPlaybackNearlyFinished},
        TypeCase{"AudioPlayer.PlaybackFailed", RequestType::kPlaybackFailed},
        TypeCase{"PlaybackController.NextCommandIssued", RequestType::kPlaybackNextCommandIssued},
        TypeCase{"PlaybackController.PreviousCommandIssued",
                 RequestType::kPlaybackPreviousCommandIssued},
        TypeCase{"PlaybackController.PlayCommandIssued", RequestType::kPlaybackPlayCommandIssued},
        TypeCase{"PlaybackController.PauseCommandIssued", RequestType::kPlaybackPauseCommandIssued},
        TypeCase{"System.ExceptionEncountered", RequestType::kExceptionEncountered},
        TypeCase{"Display.ElementSelected", RequestType::kDisplayElementSelected},
        TypeCase{"Alexa.Presentation.APL.UserEvent", RequestType::kAplUserEvent},
        TypeCase{"Connections.Response", RequestType::kConnectionsResponse},
        TypeCase{"Messaging.MessageReceived", RequestType::kUnknown}));

TEST(UnknownRequestType, StillParsesWithTypeAndJsonReachable) {
  auto parsed = parseObject(envelope(
      {{"type", "AlexaHouseholdListEvent.ItemsCreated"}, {"body", {{"listId", "l-1"}}}}, false));
  EXPECT_EQ(parsed.kind(), RequestType::kUnknown);
  EXPECT_EQ(parsed.type(), "AlexaHouseholdListEvent.ItemsCreated");
  EXPECT_FALSE(parsed.as<SkillEventRequest>());
  EXPECT_EQ(parsed.request().raw().at("body").at("listId"), "l-1");
  EXPECT_EQ(parsed.json().at("request").at("type"), "AlexaHouseholdListEvent.ItemsCreated");
}

TEST(RequestTypeViews, EachAcceptsOnlyItsOwnTypes) {
  EXPECT_TRUE(SkillEventRequest::accepts(RequestType::kSkillDisabled));
  EXPECT_FALSE(SkillEventRequest::accepts(RequestType::kLaunch));
  EXPECT_TRUE(AudioPlayerRequest::accepts(RequestType::kPlaybackFailed));
  EXPECT_FALSE(AudioPlayerRequest::accepts(RequestType::kPlaybackPlayCommandIssued));
  EXPECT_TRUE(PlaybackControllerRequest::accepts(RequestType::kPlaybackPauseCommandIssued));
  EXPECT_FALSE(PlaybackControllerRequest::accepts(RequestType::kPlaybackStopped));
  EXPECT_FALSE(LaunchRequest::accepts(RequestType::kUnknown));
  EXPECT_TRUE(Request::accepts(RequestType::kUnknown));
}

TEST(SessionResumedRequest, ExposesCause) {
  auto parsed = parseObject(
      envelope({{"type", "SessionResumedRequest"}, {"cause", {{"type", "ConnectionCompleted"}}}}));
  auto request = parsed.as<SessionResumedRequest>();
  ASSERT_TRUE(request);
  ASSERT_NE(request->cause(), nullptr);
  EXPECT_EQ(request->cause()->at("type"), "ConnectionCompleted");
}

TEST(SkillPermissionAccepted, ListsAcceptedScopes) {
  auto parsed = parseObject(envelope(
      {{"type", "AlexaSkillEvent.SkillPermissionAccepted"},
       {"eventCreationTime", "2024-05-14T18:20:09Z"},
       {"body",
        {{"acceptedPermissions", json::array{{{"scope", "alexa::profile:email:read"}},
                                             {{"scope", "read::alexa:device:all:address"}},
                                             {{"noScope", true}},
                                             7}},
         {"acceptedPersonPermissions", json::array{{{"scope", "alexa::profile:name:read"}}}}}}},
      false));
  auto event = parsed.as<SkillEventRequest>();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->acceptedPermissions(),
            (std::vector<std::string_view>{"alexa::profile:email:read",
                                           "read::alexa:device:all:address"}));
  EXPECT_EQ(event->acceptedPersonPermissions(),
            std::vector<std::string_view>{"alexa::profile:name:read"});
  EXPECT_EQ(event->eventPublishingTime(), std::nullopt);
}

TEST(AudioPlayerPlaybackFailed, ReadsErrorAndCurrentPlaybackState) {
  auto parsed = parseObject(
      envelope({{"type", "AudioPlayer.PlaybackFailed"},
                {"token", "t-9"},
                {"error", {{"type", "MEDIA_ERROR_SERVICE_UNAVAILABLE"}, {"message", "503"}}},
                {"currentPlaybackState",
                 {{"token", "t-8"},
                  {"offsetInMilliseconds", 9007199254740993LL},
                  {"playerActivity", "PLAYING"}}}},
               false));
  auto request = parsed.as<AudioPlayerRequest>();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->token(), "t-9");
  EXPECT_EQ(request->offsetInMilliseconds(), std::nullopt);
  ASSERT_TRUE(request->error());
  EXPECT_EQ(request->error()->type, "MEDIA_ERROR_SERVICE_UNAVAILABLE");
  EXPECT_EQ(request->error()->message, "503");
  auto state = request->currentPlaybackState();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->token(), "t-8");
  EXPECT_EQ(state->offsetInMilliseconds(), 9007199254740993LL);  // beyond double precision
  EXPECT_EQ(state->playerActivity(), "PLAYING");
}

TEST(AudioPlayerOffset, RejectsNonIntegerAndOutOfRangeValues) {
  for (const auto& offset : {json::value(1.5), json::value("12"), json::value(-1),
                             json::value(18446744073709551615ULL)}) {
    auto parsed = parseObject(envelope(
        {{"type", "AudioPlayer.PlaybackStopped"}, {"offsetInMilliseconds", offset}}, false));
    auto request = parsed.as<AudioPlayerRequest>();
    ASSERT_TRUE(request);
    if (offset.is_int64()) {
      EXPECT_EQ(request->offsetInMilliseconds(), -1);
    } else {
      EXPECT_EQ(request->offsetInMilliseconds(), std::nullopt) << json::serialize(offset);
    }
  }
}

TEST(PlaybackControllerRequest, HasCommonFieldsOnly) {
  auto parsed = parseObject(envelope({{"type", "PlaybackController.NextCommandIssued"}}, false));
  auto request = parsed.as<PlaybackControllerRequest>();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->type(), "PlaybackController.NextCommandIssued");
  EXPECT_FALSE(parsed.as<AudioPlayerRequest>());
}

TEST(ExceptionEncountered, ReadsErrorAndCause) {
  auto parsed = parseObject(envelope({{"type", "System.ExceptionEncountered"},
                                      {"error", {{"type", "INVALID_RESPONSE"}}},
                                      {"cause", {{"requestId", "amzn1.echo-api.request.bad"}}}},
                                     false));
  auto request = parsed.as<ExceptionEncounteredRequest>();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->error()->type, "INVALID_RESPONSE");
  EXPECT_EQ(request->error()->message, "");
  EXPECT_EQ(request->causeRequestId(), "amzn1.echo-api.request.bad");
}

TEST(DisplayElementSelected, ReadsToken) {
  auto parsed = parseObject(envelope({{"type", "Display.ElementSelected"}, {"token", "item-3"}}));
  EXPECT_EQ(parsed.as<DisplayElementSelectedRequest>()->token(), "item-3");
}

TEST(AplUserEvent, ExposesTokenArgumentsSourceAndComponents) {
  auto parsed = parseObject(envelope({{"type", "Alexa.Presentation.APL.UserEvent"},
                                      {"token", "doc-1"},
                                      {"arguments", json::array{"next", 2}},
                                      {"source", {{"type", "TouchWrapper"}, {"id", "btn"}}},
                                      {"components", {{"field", "text"}}}}));
  auto request = parsed.as<AplUserEventRequest>();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->token(), "doc-1");
  ASSERT_NE(request->arguments(), nullptr);
  EXPECT_EQ(*request->arguments(), (json::array{"next", 2}));
  EXPECT_EQ(request->source()->at("id"), "btn");
  EXPECT_EQ(request->components()->at("field"), "text");
}

TEST(AplUserEvent, MissingPartsReadAsNull) {
  auto parsed = parseObject(
      envelope({{"type", "Alexa.Presentation.APL.UserEvent"}, {"arguments", "not-an-array"}}));
  auto request = parsed.as<AplUserEventRequest>();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->token(), std::nullopt);
  EXPECT_EQ(request->arguments(), nullptr);
  EXPECT_EQ(request->source(), nullptr);
  EXPECT_EQ(request->components(), nullptr);
}

TEST(ConnectionsResponse, ReadsPurchaseResult) {
  auto parsed = parseObject(
      envelope({{"type", "Connections.Response"},
                {"name", "Buy"},
                {"status", {{"code", "200"}, {"message", "OK"}}},
                {"payload", {{"purchaseResult", "ACCEPTED"}, {"productId", "amzn1.adg.product.x"}}},
                {"token", "correlation"}}));
  auto request = parsed.as<ConnectionsResponseRequest>();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->name(), "Buy");
  EXPECT_EQ(request->statusCode(), "200");
  EXPECT_EQ(request->statusMessage(), "OK");
  EXPECT_EQ(request->payload()->at("purchaseResult"), "ACCEPTED");
  EXPECT_EQ(request->token(), "correlation");
}

TEST(IntentRequest, ResolvesFirstSuccessfulAuthorityAndMultiValueSlots) {
  json::object resolutions{
      {"resolutionsPerAuthority",
       json::array{{{"authority", "dynamic"}, {"status", {{"code", "ER_SUCCESS_NO_MATCH"}}}},
                   {{"authority", "broken"},
                    {"status", {{"code", "ER_SUCCESS_MATCH"}}},
                    {"values", json::array{}}},
                   {{"authority", "static"},
                    {"status", {{"code", "ER_SUCCESS_MATCH"}}},
                    {"values", json::array{{{"value", {{"name", "Flat White"}, {"id", "FW"}}}},
                                           {{"value", {{"name", "second"}}}}}}}}}};
  json::object slots{
      {"drink", {{"name", "drink"}, {"value", "flat"}, {"resolutions", resolutions}}},
      {"toppings",
       {{"name", "toppings"},
        {"slotValue",
         {{"type", "List"},
          {"values", json::array{{{"type", "Simple"}, {"value", "cinnamon"}},
                                 {{"type", "Simple"}, {"value", "cocoa"}}}}}}}},
      {"nomatch",
       {{"name", "nomatch"},
        {"value", "tea"},
        {"resolutions",
         {{"resolutionsPerAuthority",
           json::array{{{"status", {{"code", "ER_SUCCESS_NO_MATCH"}}}}}}}}}}};
  auto parsed = parseObject(envelope(
      {{"type", "IntentRequest"},
       {"dialogState", "STARTED"},
       {"intent", {{"name", "OrderIntent"}, {"confirmationStatus", "DENIED"}, {"slots", slots}}}}));
  auto request = parsed.as<IntentRequest>();
  ASSERT_TRUE(request);
  auto intent = request->intent();
  EXPECT_EQ(intent.confirmationStatus(), "DENIED");
  EXPECT_EQ(request->dialogState(), "STARTED");
  EXPECT_EQ(intent.slot("drink")->resolvedValue(), "Flat White");
  EXPECT_EQ(intent.slot("drink")->resolvedId(), "FW");
  EXPECT_EQ(intent.slot("toppings")->values(),
            (std::vector<std::string_view>{"cinnamon", "cocoa"}));
  EXPECT_EQ(intent.slot("toppings")->value(), std::nullopt);
  EXPECT_EQ(intent.slot("nomatch")->resolvedValue(), "tea");
  EXPECT_EQ(intent.slot("nomatch")->resolvedId(), std::nullopt);
}

TEST(RequestEnvelope, PrefersContextUserAndApplicationOverSession) {
  auto parsed = parseObject(envelope({{"type", "LaunchRequest"}}));
  EXPECT_EQ(parsed.userId(), "u-1");
  EXPECT_EQ(parsed.applicationId(), kSkillId);
  // Context has no token here, so the session's is used.
  EXPECT_EQ(parsed.accessToken(), "session-token");

  auto root = envelope({{"type", "LaunchRequest"}});
  root["context"].as_object()["System"].as_object()["user"].as_object()["accessToken"] = "ctx";
  root["context"].as_object()["System"].as_object().erase("application");
  root["context"].as_object()["System"].as_object().erase("user");
  auto fallback = parseObject(root);
  EXPECT_EQ(fallback.userId(), "session-user");
  EXPECT_EQ(fallback.applicationId(), "session-skill");
  EXPECT_EQ(fallback.accessToken(), "session-token");

  auto with_context_token = envelope({{"type", "LaunchRequest"}});
  with_context_token["context"]
      .as_object()["System"]
      .as_object()["user"]
      .as_object()["accessToken"] = "context-token";
  EXPECT_EQ(parseObject(with_context_token).accessToken(), "context-token");
}

TEST(User, ReadsPermissionsScopesAndConsentToken) {
  auto root = envelope({{"type", "LaunchRequest"}});
  root["context"].as_object()["System"].as_object()["user"] = {
      {"userId", "u-1"},
      {"permissions",
       {{"consentToken", "consent"},
        {"scopes", {{"alexa::profile:email:read", {{"status", "GRANTED"}}}}}}}};
  auto parsed = parseObject(root);
  auto user = parsed.system().user();
  ASSERT_TRUE(user);
  EXPECT_EQ(user->consentToken(), "consent");
  EXPECT_EQ(user->scopeStatus("alexa::profile:email:read"), "GRANTED");
  EXPECT_EQ(user->scopeStatus("alexa::profile:name:read"), std::nullopt);
}

TEST(EnvelopeFromJson, AppliesTheSameChecks) {
  EXPECT_TRUE(envelopeFromJson(envelope({{"type", "LaunchRequest"}})));
  EXPECT_EQ(envelopeFromJson(json::array{}).error(), Error::kNotAnEnvelope);
}

// --- bad input: always an Error, never a crash ---

std::string validBody() { return readFixture("alexa/intent-with-slots.json"); }

TEST(ParseRequest, ConsecutiveRequestsOnAThreadReuseTheArenaBlock) {
  const void* first = nullptr;
  {
    auto envelope = parseRequest(validBody());
    ASSERT_TRUE(envelope);
    first = &*envelope->json().as_object().begin();
  }
#if defined(__SANITIZE_ADDRESS__)
  EXPECT_TRUE(__asan_address_is_poisoned(first));  // kept for the next request, not readable
#endif
  auto next = parseRequest(validBody());
  ASSERT_TRUE(next);
  EXPECT_EQ(&*next->json().as_object().begin(), first);
}

TEST(ParseRequest, AValueCopiedOutKeepsItsArenaFromBeingReused) {
  std::optional<json::value> copied;
  const void* first = nullptr;
  {
    auto envelope = parseRequest(validBody());
    ASSERT_TRUE(envelope);
    first = &*envelope->json().as_object().begin();
    copied.emplace(envelope->json().at("request"));  // a copy shares the request's arena
    ASSERT_EQ(copied->storage().get(), envelope->json().storage().get());
  }
  auto next = parseRequest(validBody());
  ASSERT_TRUE(next);
  EXPECT_NE(&*next->json().as_object().begin(), first);
  EXPECT_EQ(copied->at("type"), "IntentRequest");  // still readable (ASan checks)
}

TEST(ParseRequest, RejectsEmptyBody) { EXPECT_EQ(parseRequest("").error(), Error::kEmptyBody); }

TEST(ParseRequest, RejectsEveryTruncationOfAValidBody) {
  auto body = validBody();
  body.erase(body.find_last_not_of(" \n") + 1);  // a cut in trailing whitespace is still whole
  ASSERT_TRUE(parseRequest(body));
  for (std::size_t length = 1; length < body.size(); ++length) {
    auto parsed = parseRequest(std::string_view(body).substr(0, length));
    ASSERT_FALSE(parsed) << "length " << length;
    EXPECT_EQ(parsed.error(), Error::kMalformedJson) << "length " << length;
  }
}

TEST(ParseRequest, RejectsMalformedJson) {
  for (std::string_view body :
       {"{", "}", "nul", "{\"version\":\"1.0\",}", "{'version':'1.0'}", "{\"a\":1} {\"b\":2}",
        "\xff\xfe{}", "{\"version\":\"\xc3\x28\"}", "{\"version\":\"1.0\"\x01}"}) {
    EXPECT_EQ(parseRequest(body).error(), Error::kMalformedJson) << body;
  }
}

TEST(ParseRequest, RejectsNonObjectRoots) {
  for (std::string_view body : {"[]", "5", "\"text\"", "null", "true", "[{\"version\":\"1.0\"}]"}) {
    EXPECT_EQ(parseRequest(body).error(), Error::kNotAnEnvelope) << body;
  }
}

TEST(ParseRequest, RejectsBodiesOverTheSizeCap) {
  std::string big = R"({"version":"1.0","padding":")" + std::string(10 * 1024 * 1024, 'a') + "\"}";
  EXPECT_EQ(parseRequest(big).error(), Error::kBodyTooLarge);
  EXPECT_EQ(parseRequest(validBody(), {.max_body_bytes = 100, .max_depth = 64}).error(),
            Error::kBodyTooLarge);
}

TEST(ParseRequest, HandlesAHugeStringWhenTheCapAllowsIt) {
  auto root = envelope(
      {{"type", "IntentRequest"}, {"intent", {{"name", std::string(10 * 1024 * 1024, 'n')}}}});
  auto body = json::serialize(root);
  auto parsed = parseRequest(body, {.max_body_bytes = 16 * 1024 * 1024, .max_depth = 64});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->intentName()->size(), 10u * 1024 * 1024);
}

TEST(ParseRequest, RejectsDeepNesting) {
  const std::size_t depth = 100'000;
  std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  EXPECT_EQ(parseRequest(arrays, {.max_body_bytes = 1 << 20, .max_depth = 64}).error(),
            Error::kTooDeep);
  std::string objects;
  for (std::size_t i = 0; i < depth; ++i) objects += "{\"a\":";
  objects += "1" + std::string(depth, '}');
  EXPECT_EQ(parseRequest(objects, {.max_body_bytes = 1 << 22, .max_depth = 64}).error(),
            Error::kTooDeep);
  // Unterminated deep nesting is also "too deep", found before the missing brackets.
  EXPECT_EQ(parseRequest(std::string(depth, '[')).error(), Error::kTooDeep);
}

TEST(ParseRequest, AcceptsNestingUpToTheLimit) {
  auto root = envelope({{"type", "LaunchRequest"}});
  json::value nested = 1;
  for (int i = 0; i < 40; ++i) nested = json::array{nested};
  root["session"].as_object()["attributes"] = {{"deep", nested}};
  auto body = json::serialize(root);
  EXPECT_TRUE(parseRequest(body, {.max_body_bytes = 1 << 20, .max_depth = 64}));
  EXPECT_EQ(parseRequest(body, {.max_body_bytes = 1 << 20, .max_depth = 32}).error(),
            Error::kTooDeep);
}

struct Mutation {
  std::string_view name;
  void (*apply)(json::object&);
};

class BrokenEnvelope : public ::testing::TestWithParam<Mutation> {};

TEST_P(BrokenEnvelope, IsNotAnEnvelope) {
  auto root = json::parse(validBody()).as_object();
  GetParam().apply(root);
  auto parsed = parseRequest(json::serialize(root));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), Error::kNotAnEnvelope);
  EXPECT_EQ(parsed.error().category().name(), std::string("parley.alexa"));
}

json::object& at(json::object& root, std::initializer_list<std::string_view> path) {
  json::object* current = &root;
  for (auto key : path) current = &(*current)[key].as_object();
  return *current;
}

INSTANTIATE_TEST_SUITE_P(
    Alexa, BrokenEnvelope,
    ::testing::Values(
        Mutation{"NoVersion", [](json::object& r) { r.erase("version"); }},
        Mutation{"NumericVersion", [](json::object& r) { r["version"] = 1.0; }},
        Mutation{"NoRequest", [](json::object& r) { r.erase("request"); }},
        Mutation{"RequestIsNumber", [](json::object& r) { r["request"] = 5; }},
        Mutation{"RequestIsNull", [](json::object& r) { r["request"] = nullptr; }},
        Mutation{"NoType", [](json::object& r) { at(r, {"request"}).erase("type"); }},
        Mutation{"TypeIsArray", [](json::object& r) { at(r, {"request"})["type"] = json::array{}; }},
        Mutation{"NoRequestId", [](json::object& r) { at(r, {"request"}).erase("requestId"); }},
        Mutation{"NoTimestamp", [](json::object& r) { at(r, {"request"}).erase("timestamp"); }},
        Mutation{"LocaleIsObject", [](json::object& r) { at(r, {"request"})["locale"] = json::object{}; }},
        Mutation{"NoContext", [](json::object& r) { r.erase("context"); }},
        Mutation{"ContextIsString", [](json::object& r) { r["context"] = "System"; }},
        Mutation{"NoSystem", [](json::object& r) { at(r, {"context"}).erase("System"); }},
        Mutation{"SystemIsArray", [](json::object& r) { at(r, {"context"})["System"] = json::array{}; }},
        Mutation{"SystemUserIsString", [](json::object& r) { at(r, {"context", "System"})["user"] = "u"; }},
        Mutation{"AccessTokenIsNumber",
                 [](json::object& r) { at(r, {"context", "System", "user"})["accessToken"] = 42; }},
        Mutation{"ApplicationIdIsBool",
                 [](json::object& r) {
                   at(r, {"context", "System", "application"})["applicationId"] = true;
                 }},
        Mutation{"DeviceIsNumber", [](json::object& r) { at(r, {"context", "System"})["device"] = 3; }},
        Mutation{"SupportedInterfacesIsArray",
                 [](json::object& r) {
                   at(r, {"context", "System", "device"})["supportedInterfaces"] = json::array{};
                 }},
        Mutation{"ApiEndpointIsObject",
                 [](json::object& r) { at(r, {"context", "System"})["apiEndpoint"] = json::object{}; }},
        Mutation{"AudioPlayerIsString", [](json::object& r) { at(r, {"context"})["AudioPlayer"] = "x"; }},
        Mutation{"SessionIsArray", [](json::object& r) { r["session"] = json::array{}; }},
        Mutation{"SessionNewIsString", [](json::object& r) { at(r, {"session"})["new"] = "false"; }},
        Mutation{"SessionIdIsNumber", [](json::object& r) { at(r, {"session"})["sessionId"] = 1; }},
        Mutation{"AttributesIsArray",
                 [](json::object& r) { at(r, {"session"})["attributes"] = json::array{}; }},
        Mutation{"SessionUserIsArray", [](json::object& r) { at(r, {"session"})["user"] = json::array{}; }},
        Mutation{"IntentMissing", [](json::object& r) { at(r, {"request"}).erase("intent"); }},
        Mutation{"IntentIsString", [](json::object& r) { at(r, {"request"})["intent"] = "Help"; }},
        Mutation{"IntentNameMissing", [](json::object& r) { at(r, {"request", "intent"}).erase("name"); }},
        Mutation{"SlotsIsArray",
                 [](json::object& r) { at(r, {"request", "intent"})["slots"] = json::array{}; }},
        Mutation{"SlotIsString",
                 [](json::object& r) { at(r, {"request", "intent", "slots"})["drink"] = "latte"; }},
        Mutation{"SlotValueIsNumber",
                 [](json::object& r) { at(r, {"request", "intent", "slots", "drink"})["value"] = 2; }},
        Mutation{"DialogStateIsNumber", [](json::object& r) { at(r, {"request"})["dialogState"] = 1; }},
        Mutation{"UserIdIsNumber", [](json::object& r) { at(r, {"context", "System", "user"})["userId"] = 7; }},
        Mutation{"PermissionsIsString",
                 [](json::object& r) { at(r, {"context", "System", "user"})["permissions"] = "all"; }},
        Mutation{"DeviceIdIsArray",
                 [](json::object& r) { at(r, {"context", "System", "device"})["deviceId"] = json::array{}; }},
        Mutation{"ApiAccessTokenIsBool",
                 [](json::object& r) { at(r, {"context", "System"})["apiAccessToken"] = false; }},
        Mutation{"SessionApplicationIsString", [](json::object& r) { at(r, {"session"})["application"] = "a"; }},
        Mutation{"SessionAccessTokenIsObject",
                 [](json::object& r) { at(r, {"session", "user"})["accessToken"] = json::object{}; }},
        Mutation{"VersionIsNull", [](json::object& r) { r["version"] = nullptr; }},
        Mutation{"TypeIsNull", [](json::object& r) { at(r, {"request"})["type"] = nullptr; }},
        Mutation{"IntentIsNull", [](json::object& r) { at(r, {"request"})["intent"] = nullptr; }},
        Mutation{"ConfirmationStatusIsBool",
                 [](json::object& r) { at(r, {"request", "intent"})["confirmationStatus"] = true; }},
        Mutation{"SlotNameIsNumber",
                 [](json::object& r) { at(r, {"request", "intent", "slots", "drink"})["name"] = 1; }}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(ParseRequest, TreatsNullOptionalFieldsAsAbsent) {
  auto root = json::parse(validBody()).as_object();
  root["session"].as_object()["attributes"] = nullptr;
  root["request"].as_object()["locale"] = nullptr;
  auto parsed = parseRequest(json::serialize(root));
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->session()->attributes().empty());
  EXPECT_EQ(parsed->locale(), std::nullopt);
}

TEST(ParseRequest, IgnoresUnknownKeysAndOrder) {
  auto root = json::parse(validBody()).as_object();
  root["somethingNew"] = json::array{1, 2};
  root["request"].as_object()["futureField"] = {{"x", 1}};
  json::object reordered;
  for (auto key : {"request", "somethingNew", "context", "session", "version"}) {
    reordered[key] = root[key];
  }
  auto parsed = parseRequest(json::serialize(reordered));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->intentName(), "OrderDrinkIntent");
}

TEST(ErrorCategory, HasAMessageForEveryError) {
  for (int value = static_cast<int>(Error::kEmptyBody);
       value <= static_cast<int>(Error::kResponseTooLarge); ++value) {
    auto message = make_error_code(static_cast<Error>(value)).message();
    EXPECT_FALSE(message.empty());
    EXPECT_NE(message, "unknown alexa error") << value;
  }
}

}  // namespace
}  // namespace parley::alexa
