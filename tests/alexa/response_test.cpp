#include "parley/alexa/response.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "parley/alexa/error.hpp"

namespace parley::alexa {
namespace {

namespace json = boost::json;

std::string serialized(const ResponseBuilder& builder) {
  auto body = builder.serialize();
  if (!body) throw std::runtime_error(body.error().message());
  return *body;
}

// The "response" member only, as a compact string.
std::string responseOf(const ResponseBuilder& builder) {
  return json::serialize(json::parse(serialized(builder)).at("response"));
}

TEST(ResponseBuilder, EmptyReplyIsTheMinimalEnvelope) {
  EXPECT_EQ(serialized(ResponseBuilder{}),
            R"({"version":"1.0","response":{},"sessionAttributes":{}})");
}

TEST(ResponseBuilder, SpeakWrapsSsmlExactlyOnce) {
  ResponseBuilder a, b;
  a.speak("Hello <emphasis>there</emphasis>");
  b.speak("  <speak>Hello <emphasis>there</emphasis></speak>\n");
  const std::string expected =
      R"({"outputSpeech":{"type":"SSML","ssml":"<speak>Hello <emphasis>there</emphasis></speak>"}})";
  EXPECT_EQ(responseOf(a), expected);
  EXPECT_EQ(responseOf(b), expected);
  EXPECT_EQ(a.speech(), "<speak>Hello <emphasis>there</emphasis></speak>");
  EXPECT_TRUE(a.hasSpeech());
  EXPECT_FALSE(a.shouldEndSession());
}

TEST(ResponseBuilder, PlainTextSpeechAndReprompt) {
  ResponseBuilder builder;
  builder.speakPlainText("Say a number & more").repromptPlainText("Which number?").yield();
  EXPECT_EQ(responseOf(builder),
            R"({"outputSpeech":{"type":"PlainText","text":"Say a number & more"},)"
            R"("reprompt":{"outputSpeech":{"type":"PlainText","text":"Which number?"}},)"
            R"("shouldEndSession":false})");
}

TEST(ResponseBuilder, SpeechTextIsEscapedAsJson) {
  // Every control character, quotes, backslashes and UTF-8 survive the round trip, written with
  // the same escapes Boost.JSON uses (the reply is written by hand, not by Boost.JSON).
  std::string text = "say \"hi\" \\ caf\xc3\xa9 \xf0\x9f\x8e\xb5 /";
  for (char c = 1; c < 0x20; ++c) text.push_back(c);
  ResponseBuilder builder;
  builder.speakPlainText(text).repromptPlainText(text);
  const auto body = serialized(builder);
  const auto parsed = json::parse(body);
  EXPECT_EQ(parsed.at("response").at("outputSpeech").at("text"), text.c_str());
  EXPECT_EQ(parsed.at("response").at("reprompt").at("outputSpeech").at("text"), text.c_str());
  EXPECT_EQ(body, json::serialize(parsed));
}

// The escaper looks at eight bytes at a time: a character to escape is caught at every offset.
TEST(ResponseBuilder, EscapesAtEveryPositionOfLongText) {
  const std::string text = "A sentence long enough to span several words of eight bytes.";
  for (std::size_t at = 0; at < text.size(); ++at) {
    for (const char* special : {"\"", "\\", "\x01", "\n", "\x1f", "\xc3\xa9"}) {
      auto changed = text;
      changed.replace(at, 1, special);
      ResponseBuilder builder;
      builder.speakPlainText(changed);
      const auto body = serialized(builder);
      const auto parsed = json::parse(body);
      EXPECT_EQ(parsed.at("response").at("outputSpeech").at("text"), changed.c_str()) << at;
      EXPECT_EQ(body, json::serialize(parsed)) << at;
    }
  }
}

TEST(ResponseBuilder, EveryMemberTogetherIsOneValidDocument) {
  ResponseBuilder builder;
  builder.speak("Hi").reprompt("Again?").simpleCard("T", "C").stopAudio().yield();
  builder.fulfillSlot("city", "YES", "YES");
  builder.sessionAttributes()["model"] = json::object{{"n", 1}};
  const auto body = serialized(builder);
  const auto parsed = json::parse(body);
  EXPECT_EQ(body, json::serialize(parsed));
  EXPECT_EQ(parsed.at("response").as_object().size(), 6u);
  EXPECT_EQ(parsed.at("response").at("directives").at(0).at("type"), "AudioPlayer.Stop");
  EXPECT_EQ(parsed.at("sessionAttributes").at("model").at("n"), 1);
  EXPECT_EQ(builder.toJson(), parsed.as_object());
}

TEST(ResponseBuilder, SsmlReprompt) {
  ResponseBuilder builder;
  builder.reprompt("<speak>Still there?</speak>");
  EXPECT_EQ(
      responseOf(builder),
      R"({"reprompt":{"outputSpeech":{"type":"SSML","ssml":"<speak>Still there?</speak>"}}})");
  EXPECT_EQ(builder.repromptSpeech(), "<speak>Still there?</speak>");
  EXPECT_TRUE(builder.hasReprompt());
}

TEST(ResponseBuilder, AddStatementJoinsIntoOneSpeakAndYields) {
  ResponseBuilder builder;
  ASSERT_TRUE(builder.addStatement("Welcome!"));
  EXPECT_EQ(builder.shouldEndSession(), false);
  ASSERT_TRUE(builder.addStatement("<speak>Tom & Jerry &amp; friends.</speak>"));
  ASSERT_TRUE(builder.addStatement(""));
  ASSERT_TRUE(builder.addReprompt("What now?"));
  ASSERT_TRUE(builder.addReprompt("<s>Say help.</s>"));
  EXPECT_EQ(
      responseOf(builder),
      R"({"outputSpeech":{"type":"SSML","ssml":"<speak>Welcome!\nTom &amp; Jerry &amp; friends.</speak>"},)"
      R"("reprompt":{"outputSpeech":{"type":"SSML","ssml":"<speak>What now?\n<s>Say help.</s></speak>"}},)"
      R"("shouldEndSession":false})");
}

TEST(ResponseBuilder, AddStatementKeepsAnExplicitSessionFlag) {
  ResponseBuilder builder;
  builder.terminate();
  ASSERT_TRUE(builder.addStatement("Goodbye."));
  EXPECT_EQ(builder.shouldEndSession(), true);
  EXPECT_TRUE(builder.hasTerminated());
}

TEST(ResponseBuilder, AddStatementRejectsInvalidSsmlAndLeavesTheReplyUnchanged) {
  ResponseBuilder builder;
  ASSERT_TRUE(builder.addStatement("First."));
  auto bad = builder.addStatement("<p>unclosed");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), Error::kSsmlMalformed);
  EXPECT_EQ(builder.addStatement("<b>x</b>").error(), Error::kSsmlUnsupportedTag);
  EXPECT_EQ(builder.addReprompt("a < b").error(), Error::kSsmlMalformed);
  EXPECT_FALSE(builder.hasReprompt());
  EXPECT_EQ(builder.speech(), "<speak>First.</speak>");

  ResponseBuilder fresh;
  EXPECT_FALSE(fresh.addStatement("</speak><speak>"));
  EXPECT_FALSE(fresh.hasSpeech());
  EXPECT_EQ(fresh.shouldEndSession(), std::nullopt);
}

TEST(ResponseBuilder, AddStatementEscapesPlainTextSpeechFirst) {
  ResponseBuilder builder;
  builder.speakPlainText("Fish & chips");
  ASSERT_TRUE(builder.addStatement("Anything else?"));
  EXPECT_EQ(builder.speech(), "<speak>Fish &amp; chips\nAnything else?</speak>");
}

TEST(ResponseBuilder, EscapedUserDataNeverBreaksTheSpeech) {
  ResponseBuilder builder;
  ASSERT_TRUE(builder.addStatement("Linked as " + escapeSsmlText("<a&b>@example.com") + "."));
  EXPECT_EQ(builder.speech(), "<speak>Linked as &lt;a&amp;b&gt;@example.com.</speak>");
  EXPECT_TRUE(builder.serialize());
}

TEST(ResponseBuilder, SimpleCard) {
  ResponseBuilder builder;
  builder.simpleCard("Title", "Line 1\nLine 2");
  EXPECT_EQ(responseOf(builder),
            R"({"card":{"type":"Simple","title":"Title","content":"Line 1\nLine 2"}})");
  EXPECT_TRUE(builder.hasCard());
  EXPECT_TRUE(builder.hasDirectives());
}

TEST(ResponseBuilder, StandardCardWithAndWithoutImages) {
  ResponseBuilder with_images;
  with_images.standardCard("T", "Body", "https://img/s.png", "https://img/l.png");
  EXPECT_EQ(responseOf(with_images),
            R"({"card":{"type":"Standard","title":"T","text":"Body","image":)"
            R"({"smallImageUrl":"https://img/s.png","largeImageUrl":"https://img/l.png"}}})");
  ResponseBuilder large_only;
  large_only.standardCard("T", "Body", {}, "https://img/l.png");
  EXPECT_EQ(responseOf(large_only),
            R"({"card":{"type":"Standard","title":"T","text":"Body","image":)"
            R"({"largeImageUrl":"https://img/l.png"}}})");
  ResponseBuilder none;
  none.standardCard("T", "Body");
  EXPECT_EQ(responseOf(none), R"({"card":{"type":"Standard","title":"T","text":"Body"}})");
}

TEST(ResponseBuilder, LinkAccountCardReplacesAnEarlierCard) {
  ResponseBuilder builder;
  builder.simpleCard("old", "old").linkAccountCard().terminate();
  ASSERT_TRUE(builder.addStatement("Please link your account."));
  EXPECT_EQ(serialized(builder),
            R"({"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":)"
            R"("<speak>Please link your account.</speak>"},"card":{"type":"LinkAccount"},)"
            R"("shouldEndSession":true},"sessionAttributes":{}})");
}

TEST(ResponseBuilder, AskForPermissionsConsentCard) {
  ResponseBuilder builder;
  builder.askForPermissionsConsentCard({"alexa::profile:email:read", "alexa::profile:name:read"});
  EXPECT_EQ(responseOf(builder), R"({"card":{"type":"AskForPermissionsConsent","permissions":)"
                                 R"(["alexa::profile:email:read","alexa::profile:name:read"]}})");
}

TEST(ResponseBuilder, RawCardAndRawDirectivePassThrough) {
  ResponseBuilder builder;
  builder.card({{"type", "Simple"}, {"title", "t"}, {"content", "c"}});
  builder.addDirective({{"type", "Hint"}, {"hint", {{"type", "PlainText"}, {"text", "try"}}}});
  EXPECT_EQ(responseOf(builder),
            R"({"card":{"type":"Simple","title":"t","content":"c"},)"
            R"("directives":[{"type":"Hint","hint":{"type":"PlainText","text":"try"}}]})");
  EXPECT_TRUE(builder.hasDirective("Hint"));
  EXPECT_FALSE(builder.hasDirective("AudioPlayer.Play"));
}

TEST(ResponseBuilder, DialogDirectives) {
  json::object updated{{"name", "OrderDrinkIntent"},
                       {"confirmationStatus", "NONE"},
                       {"slots", {{"size", {{"name", "size"}, {"value", "large"}}}}}};
  ResponseBuilder builder;
  builder.delegateDialog()
      .delegateDialog(updated)
      .elicitSlot("size")
      .elicitSlot("size", updated)
      .confirmSlot("drink")
      .confirmIntent()
      .confirmIntent(updated);
  const std::string intent =
      R"({"name":"OrderDrinkIntent","confirmationStatus":"NONE","slots":{"size":{"name":"size","value":"large"}}})";
  EXPECT_EQ(responseOf(builder),
            R"({"directives":[{"type":"Dialog.Delegate"},)"
            R"({"type":"Dialog.Delegate","updatedIntent":)" +
                intent + "}," +
                R"({"type":"Dialog.ElicitSlot","slotToElicit":"size"},)"
                R"({"type":"Dialog.ElicitSlot","slotToElicit":"size","updatedIntent":)" +
                intent + "}," +
                R"({"type":"Dialog.ConfirmSlot","slotToConfirm":"drink"},)"
                R"({"type":"Dialog.ConfirmIntent"},)"
                R"({"type":"Dialog.ConfirmIntent","updatedIntent":)" +
                intent + "}]}");
}

TEST(ResponseBuilder, AudioPlayerDirectives) {
  ResponseBuilder builder;
  builder.playAudio({.url = "https://cdn.example.com/ep42.mp3", .token = "ep-42"})
      .playAudio({.url = "https://cdn.example.com/ep43.mp3",
                  .token = "ep-43",
                  .offset_in_milliseconds = 1500,
                  .behavior = PlayBehavior::kEnqueue,
                  .expected_previous_token = "ep-42",
                  .metadata = json::object{{"title", "Episode 43"}}})
      .stopAudio()
      .clearAudioQueue(ClearBehavior::kClearEnqueued)
      .clearAudioQueue(ClearBehavior::kClearAll);
  EXPECT_EQ(
      responseOf(builder),
      R"({"directives":[)"
      R"({"type":"AudioPlayer.Play","playBehavior":"REPLACE_ALL","audioItem":{"stream":)"
      R"({"token":"ep-42","url":"https://cdn.example.com/ep42.mp3","offsetInMilliseconds":0}}},)"
      R"({"type":"AudioPlayer.Play","playBehavior":"ENQUEUE","audioItem":{"stream":)"
      R"({"token":"ep-43","url":"https://cdn.example.com/ep43.mp3","offsetInMilliseconds":1500,)"
      R"("expectedPreviousToken":"ep-42"},"metadata":{"title":"Episode 43"}}},)"
      R"({"type":"AudioPlayer.Stop"},)"
      R"({"type":"AudioPlayer.ClearQueue","clearBehavior":"CLEAR_ENQUEUED"},)"
      R"({"type":"AudioPlayer.ClearQueue","clearBehavior":"CLEAR_ALL"}]})");
  EXPECT_TRUE(builder.hasDirective("AudioPlayer.Play"));
  EXPECT_EQ(builder.directives().size(), 5u);
}

TEST(ResponseBuilder, ReplaceEnqueuedPlayBehavior) {
  ResponseBuilder builder;
  builder.playAudio(
      {.url = "https://a/b.mp3", .token = "t", .behavior = PlayBehavior::kReplaceEnqueued});
  EXPECT_EQ(builder.directives().at(0).at("playBehavior"), "REPLACE_ENQUEUED");
}

TEST(ResponseBuilder, AplRenderDocument) {
  ResponseBuilder builder;
  builder.renderAplDocument({.token = "main",
                             .document = {{"type", "APL"}, {"version", "2023.1"}},
                             .datasources = {{"data", {{"title", "Hi"}}}}});
  builder.renderAplDocument({.token = "bare", .document = {{"type", "APL"}}});
  EXPECT_EQ(
      responseOf(builder),
      R"({"directives":[{"type":"Alexa.Presentation.APL.RenderDocument","token":"main",)"
      R"("document":{"type":"APL","version":"2023.1"},"datasources":{"data":{"title":"Hi"}}},)"
      R"({"type":"Alexa.Presentation.APL.RenderDocument","token":"bare",)"
      R"("document":{"type":"APL"}}]})");
}

TEST(ResponseBuilder, VideoAppLaunchRemovesShouldEndSession) {
  ResponseBuilder builder;
  builder.terminate().launchVideo(
      {.source = "https://cdn.example.com/v.mp4", .title = "Intro", .subtitle = std::nullopt});
  EXPECT_EQ(responseOf(builder),
            R"({"directives":[{"type":"VideoApp.Launch","videoItem":)"
            R"({"source":"https://cdn.example.com/v.mp4","metadata":{"title":"Intro"}}}]})");
  EXPECT_TRUE(builder.hasTerminated());  // the flag is kept, only not sent

  ResponseBuilder bare;
  bare.yield().launchVideo({.source = "https://v/x.mp4"});
  EXPECT_EQ(
      responseOf(bare),
      R"({"directives":[{"type":"VideoApp.Launch","videoItem":{"source":"https://v/x.mp4"}}]})");

  ResponseBuilder game;
  game.terminate().addDirective({{"type", "GameEngine.StartInputHandler"}});
  EXPECT_EQ(responseOf(game), R"({"directives":[{"type":"GameEngine.StartInputHandler"}]})");
}

TEST(ResponseBuilder, ShouldEndSessionSetter) {
  ResponseBuilder builder;
  builder.setShouldEndSession(true);
  EXPECT_EQ(responseOf(builder), R"({"shouldEndSession":true})");
  builder.setShouldEndSession(std::nullopt);
  EXPECT_EQ(responseOf(builder), R"({})");
}

TEST(ResponseBuilder, SessionAttributesAreSerialized) {
  ResponseBuilder builder;
  builder.setSessionAttributes({{"state", "askDrink"}, {"model", {{"ordersToday", 1}}}});
  builder.sessionAttributes()["extra"] = true;
  EXPECT_EQ(serialized(builder), R"({"version":"1.0","response":{},"sessionAttributes":)"
                                 R"({"state":"askDrink","model":{"ordersToday":1},"extra":true}})");
}

TEST(ResponseBuilder, ClearEmptiesTheResponseButKeepsSessionAttributes) {
  ResponseBuilder builder;
  builder.setSessionAttributes({{"state", "entry"}});
  ASSERT_TRUE(builder.addStatement("x"));
  builder.linkAccountCard().stopAudio().terminate().fulfillIntent("YES");
  builder.clear();
  EXPECT_EQ(serialized(builder),
            R"({"version":"1.0","response":{},"sessionAttributes":{"state":"entry"}})");
  EXPECT_FALSE(builder.hasDirectives());
  EXPECT_FALSE(builder.hasTerminated());
}

TEST(ResponseBuilder, ErrorReplyMatchesSpec) {
  ResponseBuilder builder;
  ASSERT_TRUE(builder.addStatement("An unrecoverable error occurred."));
  builder.terminate();
  EXPECT_EQ(serialized(builder),
            R"({"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":)"
            R"("<speak>An unrecoverable error occurred.</speak>"},"shouldEndSession":true},)"
            R"("sessionAttributes":{}})");
}

TEST(CanFulfill, FulfillIntentClampsAndRemovesSpeechRepromptAndCard) {
  for (auto [given, expected] :
       std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"YES", "YES"}, {"NO", "NO"}, {"MAYBE", "MAYBE"}, {"yes", "NO"}, {"", "NO"}}) {
    ResponseBuilder builder;
    builder.speak("x").reprompt("y").simpleCard("t", "c");
    builder.fulfillIntent(given);
    EXPECT_EQ(responseOf(builder),
              R"({"canFulfillIntent":{"canFulfill":")" + std::string(expected) + R"("}})");
  }
}

TEST(CanFulfill, FulfillSlotClampsAndCreatesTheObject) {
  ResponseBuilder builder;
  builder.fulfillSlot("drink", "MAYBE", "MAYBE");
  EXPECT_EQ(responseOf(builder), R"({"canFulfillIntent":{"canFulfill":"NO","slots":)"
                                 R"({"drink":{"canUnderstand":"MAYBE","canFulfill":"NO"}}}})");
  builder.fulfillSlot("size", "YES", "YES")
      .fulfillSlot("drink", "bogus", "YES")
      .fulfillIntent("YES");
  EXPECT_EQ(responseOf(builder), R"({"canFulfillIntent":{"canFulfill":"YES","slots":)"
                                 R"({"drink":{"canUnderstand":"NO","canFulfill":"YES"},)"
                                 R"("size":{"canUnderstand":"YES","canFulfill":"YES"}}}})");
}

// --- limits (spec §3.9) ---

TEST(ResponseLimits, SpeechOverEightThousandCharactersIsRejected) {
  const std::size_t wrapper = std::string_view("<speak></speak>").size();
  ResponseBuilder at_limit;
  at_limit.speak(std::string(8000 - wrapper, 'a'));
  EXPECT_TRUE(at_limit.serialize({.max_response_bytes = 64 * 1024}));
  ResponseBuilder over;
  over.speak(std::string(8001 - wrapper, 'a'));
  EXPECT_EQ(over.serialize({.max_response_bytes = 64 * 1024}).error(), Error::kSpeechTooLong);
  ResponseBuilder plain;
  plain.repromptPlainText(std::string(8001, 'a'));
  EXPECT_EQ(plain.serialize({.max_response_bytes = 64 * 1024}).error(), Error::kSpeechTooLong);
}

TEST(ResponseLimits, SpeechLengthCountsCharactersNotBytes) {
  std::string euros;
  for (int i = 0; i < 7000; ++i) euros += "\xe2\x82\xac";  // 3 bytes, 1 character each
  ResponseBuilder builder;
  builder.speakPlainText(euros);
  EXPECT_TRUE(builder.serialize({.max_response_bytes = 64 * 1024}));
}

TEST(ResponseLimits, InvalidSsmlIsRejectedAtSerialize) {
  ResponseBuilder builder;
  builder.speak("Tom & Jerry");
  EXPECT_EQ(builder.serialize().error(), Error::kSsmlMalformed);
  ResponseBuilder reprompt;
  reprompt.reprompt("<speak><blink>x</blink></speak>");
  EXPECT_EQ(reprompt.serialize().error(), Error::kSsmlUnsupportedTag);
  ResponseBuilder two_roots;
  two_roots.speak("<speak>a</speak><speak>b</speak>");
  EXPECT_EQ(two_roots.serialize().error(), Error::kSsmlNotSpeakRoot);
}

TEST(ResponseLimits, CardTextAndImageUrls) {
  ResponseBuilder long_card;
  long_card.simpleCard("title", std::string(7996, 'c'));
  EXPECT_EQ(long_card.serialize({.max_response_bytes = 64 * 1024}).error(), Error::kCardTooLong);
  ResponseBuilder fits;
  fits.simpleCard("title", std::string(7995, 'c'));
  EXPECT_TRUE(fits.serialize({.max_response_bytes = 64 * 1024}));
  ResponseBuilder long_url;
  long_url.standardCard("t", "x", "https://img/" + std::string(2000, 'u'));
  EXPECT_EQ(long_url.serialize().error(), Error::kImageUrlTooLong);
}

TEST(ResponseLimits, AudioStreamTokenAndUrl) {
  ResponseBuilder token;
  token.playAudio({.url = "https://a/b.mp3", .token = std::string(1025, 't')});
  EXPECT_EQ(token.serialize().error(), Error::kAudioStreamTooLong);
  ResponseBuilder url;
  url.playAudio({.url = "https://a/" + std::string(8000, 'u'), .token = "t"});
  EXPECT_EQ(url.serialize({.max_response_bytes = 64 * 1024}).error(), Error::kAudioStreamTooLong);
  ResponseBuilder fine;
  fine.playAudio({.url = "https://a/b.mp3", .token = std::string(1024, 't')});
  EXPECT_TRUE(fine.serialize());
}

TEST(ResponseLimits, WholeResponseSize) {
  ResponseBuilder builder;
  builder.sessionAttributes()["blob"] = std::string(24 * 1024, 'x');
  EXPECT_EQ(builder.serialize().error(), Error::kResponseTooLarge);
  EXPECT_TRUE(builder.serialize({.max_response_bytes = 32 * 1024}));
}

TEST(ResponseLimits, SsmlOptionsApplyToSpeech) {
  ResponseBuilder builder;
  builder.speak("<break time=\"15s\"/>");
  EXPECT_EQ(builder.serialize().error(), Error::kSsmlLimitExceeded);
  EXPECT_TRUE(builder.serialize({.ssml = {.max_break = std::chrono::seconds(20)}}));
}

TEST(ResponseLimits, StricterSsmlOptionsStillApplyToStatementsCheckedWhenAdded) {
  ResponseBuilder builder;
  ASSERT_TRUE(builder.addStatement("Wait <break time=\"8s\"/> done."));
  ASSERT_TRUE(builder.addReprompt("<audio src=\"https://example.com/a.mp3\"/>"));
  EXPECT_TRUE(builder.serialize());
  EXPECT_EQ(builder.serialize({.ssml = {.max_break = std::chrono::seconds(5)}}).error(),
            Error::kSsmlLimitExceeded);
  EXPECT_EQ(builder.serialize({.ssml = {.max_audio_clips = 0}}).error(), Error::kSsmlLimitExceeded);
}

TEST(ResponseBuilder, LongRunsOfBareAmpersandsStayCheap) {
  // A quadratic entity scan would not finish here within the test timeout.
  ResponseBuilder builder;
  ASSERT_TRUE(builder.addStatement(std::string(2 * 1024 * 1024, '&')));
  EXPECT_EQ(builder.speech()->size(), 2u * 1024 * 1024 * 5 + 15);
  EXPECT_EQ(builder.serialize().error(), Error::kSpeechTooLong);
}

TEST(ResponseBuilder, ToJsonSkipsChecks) {
  ResponseBuilder builder;
  builder.speak("Tom & Jerry");
  EXPECT_EQ(builder.toJson().at("response").at("outputSpeech").at("ssml"),
            "<speak>Tom & Jerry</speak>");
}

}  // namespace
}  // namespace parley::alexa
