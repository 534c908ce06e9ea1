#pragma once

// The response a skill sends back (spec §3) and Voxa's reply semantics (spec §6.9).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/alexa/ssml.hpp"

namespace parley::alexa {

// Spec §3.9. Characters are Unicode code points, the response size is bytes of the JSON.
struct ResponseLimits {
  std::size_t max_speech_chars{8000};     // outputSpeech and reprompt, each
  std::size_t max_card_chars{8000};       // all text of the card, image URLs included
  std::size_t max_image_url_chars{2000};  // each image URL
  std::size_t max_audio_token_chars{1024};
  std::size_t max_audio_url_chars{8000};
  std::size_t max_response_bytes{24 * 1024};
  SsmlOptions ssml{};
};

enum class PlayBehavior { kReplaceAll, kEnqueue, kReplaceEnqueued };
enum class ClearBehavior { kClearEnqueued, kClearAll };

// AudioPlayer.Play (spec §3.5).
struct AudioPlay {
  std::string url{};
  std::string token{};
  std::int64_t offset_in_milliseconds{0};
  PlayBehavior behavior{PlayBehavior::kReplaceAll};
  std::optional<std::string> expected_previous_token{};
  std::optional<boost::json::object> metadata{};  // title, subtitle, art, backgroundImage
};

// Alexa.Presentation.APL.RenderDocument.
struct AplDocument {
  std::string token{};
  boost::json::object document{};
  boost::json::object datasources{};
};

// VideoApp.Launch; its presence removes shouldEndSession from the response.
struct VideoItem {
  std::string source{};
  std::optional<std::string> title{};
  std::optional<std::string> subtitle{};
};

// Builds one response. Speech is SSML: speak()/reprompt() replace it, addStatement()/
// addReprompt() append to it (§6.9). Nothing is checked against the limits until serialize().
// A second card replaces the first; callers that must refuse it check hasCard().
class ResponseBuilder {
 public:
  ResponseBuilder() = default;
  // Session attributes are allocated from `storage`: the engine passes the request's arena, so
  // building a reply's attributes allocates nothing more. Values built there join them without
  // a copy (sessionAttributes().storage()).
  explicit ResponseBuilder(boost::json::storage_ptr storage)
      : session_attributes_(std::move(storage)) {}

  // Replace the speech with `ssml`, given with or without its <speak> wrapper.
  ResponseBuilder& speak(std::string_view ssml);
  ResponseBuilder& speakPlainText(std::string_view text);
  ResponseBuilder& reprompt(std::string_view ssml);
  ResponseBuilder& repromptPlainText(std::string_view text);

  // §6.9: append a statement to the speech: strip <speak> wrappers, escape bare '&', join with a
  // newline, re-wrap and validate. On error the reply is unchanged. Sets shouldEndSession to
  // false unless already set. A plain-text speech becomes the first (escaped) SSML statement.
  boost::system::result<void> addStatement(std::string_view ssml);
  // The same for the reprompt (without touching shouldEndSession).
  boost::system::result<void> addReprompt(std::string_view ssml);

  ResponseBuilder& simpleCard(std::string_view title, std::string_view content);
  ResponseBuilder& standardCard(std::string_view title, std::string_view text,
                                std::string_view small_image_url = {},
                                std::string_view large_image_url = {});
  ResponseBuilder& linkAccountCard();
  ResponseBuilder& askForPermissionsConsentCard(const std::vector<std::string>& permissions);
  ResponseBuilder& card(boost::json::object card);  // any card object, as given

  // Dialog directives; updated_intent is an intent object (name, confirmationStatus, slots).
  ResponseBuilder& delegateDialog(std::optional<boost::json::object> updated_intent = {});
  ResponseBuilder& elicitSlot(std::string_view slot,
                              std::optional<boost::json::object> updated_intent = {});
  ResponseBuilder& confirmSlot(std::string_view slot,
                               std::optional<boost::json::object> updated_intent = {});
  ResponseBuilder& confirmIntent(std::optional<boost::json::object> updated_intent = {});

  ResponseBuilder& playAudio(const AudioPlay& play);
  ResponseBuilder& stopAudio();
  ResponseBuilder& clearAudioQueue(ClearBehavior behavior);
  ResponseBuilder& renderAplDocument(const AplDocument& apl);
  ResponseBuilder& launchVideo(const VideoItem& video);
  ResponseBuilder& addDirective(boost::json::object directive);  // any directive, as given

  // shouldEndSession: true; omitted anyway while a VideoApp.Launch or
  // GameEngine.StartInputHandler directive is present.
  ResponseBuilder& terminate();
  // shouldEndSession: false (keep the microphone open).
  ResponseBuilder& yield();
  ResponseBuilder& setShouldEndSession(std::optional<bool> value);

  // CanFulfillIntentRequest answer (§3.6, §6.12). fulfillIntent removes speech, reprompt and card
  // and clamps to YES/NO/MAYBE (else NO); fulfillSlot clamps canUnderstand to YES/NO/MAYBE and
  // canFulfill to YES/NO (else NO) and creates canFulfillIntent ({canFulfill: NO}) if missing.
  // Slots set before fulfillIntent are kept.
  ResponseBuilder& fulfillIntent(std::string_view can_fulfill);
  ResponseBuilder& fulfillSlot(std::string_view slot, std::string_view can_understand,
                               std::string_view can_fulfill);

  ResponseBuilder& setSessionAttributes(boost::json::object attributes);
  boost::json::object& sessionAttributes() { return session_attributes_; }
  const boost::json::object& sessionAttributes() const { return session_attributes_; }

  // Empties the response object (speech, card, directives, flags); keeps session attributes.
  ResponseBuilder& clear();

  bool hasSpeech() const { return speech_.has_value(); }
  bool hasReprompt() const { return reprompt_.has_value(); }
  bool hasCard() const { return card_.has_value(); }
  // Voxa's hasDirectives: any directive, or a card.
  bool hasDirectives() const { return hasCard() || !directives_.empty(); }
  bool hasDirective(std::string_view type) const;
  bool hasTerminated() const { return should_end_session_ == true; }
  std::optional<bool> shouldEndSession() const { return should_end_session_; }
  // The outputSpeech / reprompt text as it will be sent (SSML with its <speak> wrapper).
  std::optional<std::string> speech() const;
  std::optional<std::string> repromptSpeech() const;
  const boost::json::array& directives() const { return directives_; }

  // {"version":"1.0","response":{…},"sessionAttributes":{…}}, without any checks; its values
  // are allocated from `storage`.
  boost::json::object toJson(boost::json::storage_ptr storage = {}) const;
  // toJson() as a string after checking SSML validity and the limits.
  boost::system::result<std::string> serialize(const ResponseLimits& limits = {}) const;

 private:
  // toJson() as text, appended to `out`.
  void appendJson(std::string& out) const;

  struct Speech {
    bool ssml{};
    std::string content{};  // SSML without the <speak> wrapper, or plain text
    bool checked{false};    // validated with the default SsmlOptions when it was added
  };

  std::optional<Speech> speech_{};
  std::optional<Speech> reprompt_{};
  std::optional<boost::json::object> card_{};
  boost::json::array directives_{};
  std::optional<bool> should_end_session_{};
  std::optional<boost::json::object> can_fulfill_{};
  boost::json::object session_attributes_{};
};

}  // namespace parley::alexa
