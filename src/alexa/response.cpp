#include "parley/alexa/response.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <utility>

#include "parley/alexa/error.hpp"
#include "utf8.hpp"

namespace parley::alexa {
namespace {

namespace json = boost::json;

constexpr std::string_view kSpeakOpen = "<speak>";
constexpr std::string_view kSpeakClose = "</speak>";
constexpr std::size_t kMaxReference = 12;         // "&#x10FFFF;" and the named ones fit
constexpr std::size_t kReplyReserveBytes = 1024;  // most replies fit: one allocation

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// The SDKs accept speech with or without its <speak> wrapper and always send exactly one.
std::string_view stripSpeak(std::string_view ssml) {
  const auto trimmed = trim(ssml);
  if (trimmed.size() >= kSpeakOpen.size() + kSpeakClose.size() && trimmed.starts_with(kSpeakOpen) &&
      trimmed.ends_with(kSpeakClose)) {
    return trimmed.substr(kSpeakOpen.size(),
                          trimmed.size() - kSpeakOpen.size() - kSpeakClose.size());
  }
  return ssml;
}

bool isReferenceAt(std::string_view text, std::size_t amp) {
  // References are short; bounding the search keeps a run of bare '&' linear.
  const auto end = text.substr(0, amp + kMaxReference).find(';', amp);
  if (end == std::string_view::npos) return false;
  const auto body = text.substr(amp + 1, end - amp - 1);
  if (body == "amp" || body == "lt" || body == "gt" || body == "quot" || body == "apos") {
    return true;
  }
  if (body.size() < 2 || body[0] != '#') return false;
  const bool hex = body[1] == 'x';
  const auto digits = body.substr(hex ? 2 : 1);
  if (digits.empty()) return false;
  for (char c : digits) {
    const bool digit = c >= '0' && c <= '9';
    const bool hex_letter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!digit && !(hex && hex_letter)) return false;
  }
  return true;
}

// Voxa escapes '&' in statements so view text may say "Tom & Jerry"; unlike Voxa, an existing
// entity ("&amp;", "&#39;") is left alone instead of being escaped twice.
// Appends `text` to `out` with each '&' that does not start a reference escaped.
void appendEscapingBareAmpersands(std::string& out, std::string_view text) {
  std::size_t copied = 0;  // text[copied, amp) goes out unchanged
  for (auto amp = text.find('&'); amp != std::string_view::npos; amp = text.find('&', amp + 1)) {
    if (isReferenceAt(text, amp)) continue;
    out.append(text.substr(copied, amp - copied)).append("&amp;");
    copied = amp + 1;
  }
  out.append(text.substr(copied));
}

std::string wrap(std::string_view content) {
  std::string out;
  out.reserve(content.size() + kSpeakOpen.size() + kSpeakClose.size());
  out.append(kSpeakOpen).append(content).append(kSpeakClose);
  return out;
}

json::string_view jsonView(std::string_view text) { return {text.data(), text.size()}; }

json::object dialogDirective(std::string_view type, std::optional<json::object> updated_intent) {
  json::object directive{{"type", jsonView(type)}};
  if (updated_intent) directive["updatedIntent"] = std::move(*updated_intent);
  return directive;
}

std::string_view playBehaviorName(PlayBehavior behavior) {
  switch (behavior) {
    case PlayBehavior::kEnqueue:
      return "ENQUEUE";
    case PlayBehavior::kReplaceEnqueued:
      return "REPLACE_ENQUEUED";
    case PlayBehavior::kReplaceAll:
      break;
  }
  return "REPLACE_ALL";
}

std::string_view clampCanFulfill(std::string_view value, bool allow_maybe) {
  if (value == "YES") return "YES";
  if (allow_maybe && value == "MAYBE") return "MAYBE";
  return "NO";
}

std::optional<std::string_view> stringAt(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(jsonView(key));
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string_view(value->get_string().data(), value->get_string().size());
}

boost::system::result<std::size_t> cardChars(const json::value& value, const ResponseLimits& limits,
                                             bool image);

// Characters of the card's text (title, content/text, image URLs); checks each image URL. Takes
// the card as it is kept, an object: converting it to a json::value would copy it.
boost::system::result<std::size_t> cardChars(const json::object& object,
                                             const ResponseLimits& limits, bool image) {
  std::size_t total = 0;
  for (const auto& entry : object) {
    if (entry.key() == "type") continue;  // the card's kind is not text the user sees
    auto chars = cardChars(entry.value(), limits, image || entry.key() == "image");
    if (!chars) return chars.error();
    total += *chars;
  }
  return total;
}

boost::system::result<std::size_t> cardChars(const json::value& value, const ResponseLimits& limits,
                                             bool image) {
  std::size_t total = 0;
  if (const auto* text = value.if_string()) {
    total = utf8::length({text->data(), text->size()});
    if (image && total > limits.max_image_url_chars) return Error::kImageUrlTooLong;
  } else if (const auto* object = value.if_object()) {
    return cardChars(*object, limits, image);
  } else if (const auto* array = value.if_array()) {
    for (const auto& entry : *array) {
      auto chars = cardChars(entry, limits, image);
      if (!chars) return chars.error();
      total += *chars;
    }
  }
  return total;
}

}  // namespace

ResponseBuilder& ResponseBuilder::speak(std::string_view ssml) {
  speech_ = Speech{.ssml = true, .content = std::string(stripSpeak(ssml))};
  return *this;
}

ResponseBuilder& ResponseBuilder::speakPlainText(std::string_view text) {
  speech_ = Speech{.ssml = false, .content = std::string(text)};
  return *this;
}

ResponseBuilder& ResponseBuilder::reprompt(std::string_view ssml) {
  reprompt_ = Speech{.ssml = true, .content = std::string(stripSpeak(ssml))};
  return *this;
}

ResponseBuilder& ResponseBuilder::repromptPlainText(std::string_view text) {
  reprompt_ = Speech{.ssml = false, .content = std::string(text)};
  return *this;
}

namespace {

boost::system::result<std::string> joinStatement(std::optional<std::string> existing,
                                                 std::string_view statement) {
  std::string joined = existing ? std::move(*existing) : std::string{};
  const auto piece = stripSpeak(statement);
  if (!joined.empty() && !piece.empty()) joined.push_back('\n');
  appendEscapingBareAmpersands(joined, piece);
  if (auto valid = validateSsml(wrap(joined)); !valid) return valid.error();
  return joined;
}

std::optional<std::string> ssmlContent(const std::optional<std::string>& content, bool ssml) {
  if (!content || ssml) return content;
  return escapeSsmlText(*content);
}

}  // namespace

boost::system::result<void> ResponseBuilder::addStatement(std::string_view ssml) {
  auto joined =
      joinStatement(speech_ ? ssmlContent(speech_->content, speech_->ssml) : std::nullopt, ssml);
  if (!joined) return joined.error();
  speech_ = Speech{.ssml = true, .content = std::move(*joined), .checked = true};
  if (!should_end_session_) should_end_session_ = false;
  return {};
}

boost::system::result<void> ResponseBuilder::addReprompt(std::string_view ssml) {
  auto joined = joinStatement(
      reprompt_ ? ssmlContent(reprompt_->content, reprompt_->ssml) : std::nullopt, ssml);
  if (!joined) return joined.error();
  reprompt_ = Speech{.ssml = true, .content = std::move(*joined), .checked = true};
  return {};
}

ResponseBuilder& ResponseBuilder::simpleCard(std::string_view title, std::string_view content) {
  return card({{"type", "Simple"}, {"title", jsonView(title)}, {"content", jsonView(content)}});
}

ResponseBuilder& ResponseBuilder::standardCard(std::string_view title, std::string_view text,
                                               std::string_view small_image_url,
                                               std::string_view large_image_url) {
  json::object standard{{"type", "Standard"}, {"title", jsonView(title)}, {"text", jsonView(text)}};
  if (!small_image_url.empty() || !large_image_url.empty()) {
    json::object image;
    if (!small_image_url.empty()) image["smallImageUrl"] = jsonView(small_image_url);
    if (!large_image_url.empty()) image["largeImageUrl"] = jsonView(large_image_url);
    standard["image"] = std::move(image);
  }
  return card(std::move(standard));
}

ResponseBuilder& ResponseBuilder::linkAccountCard() { return card({{"type", "LinkAccount"}}); }

ResponseBuilder& ResponseBuilder::askForPermissionsConsentCard(
    const std::vector<std::string>& permissions) {
  json::array scopes;
  for (const auto& permission : permissions) scopes.emplace_back(permission);
  return card({{"type", "AskForPermissionsConsent"}, {"permissions", std::move(scopes)}});
}

ResponseBuilder& ResponseBuilder::card(json::object card) {
  card_ = std::move(card);
  return *this;
}

ResponseBuilder& ResponseBuilder::delegateDialog(std::optional<json::object> updated_intent) {
  return addDirective(dialogDirective("Dialog.Delegate", std::move(updated_intent)));
}

ResponseBuilder& ResponseBuilder::elicitSlot(std::string_view slot,
                                             std::optional<json::object> updated_intent) {
  json::object directive{{"type", "Dialog.ElicitSlot"}, {"slotToElicit", jsonView(slot)}};
  if (updated_intent) directive["updatedIntent"] = std::move(*updated_intent);
  return addDirective(std::move(directive));
}

ResponseBuilder& ResponseBuilder::confirmSlot(std::string_view slot,
                                              std::optional<json::object> updated_intent) {
  json::object directive{{"type", "Dialog.ConfirmSlot"}, {"slotToConfirm", jsonView(slot)}};
  if (updated_intent) directive["updatedIntent"] = std::move(*updated_intent);
  return addDirective(std::move(directive));
}

ResponseBuilder& ResponseBuilder::confirmIntent(std::optional<json::object> updated_intent) {
  return addDirective(dialogDirective("Dialog.ConfirmIntent", std::move(updated_intent)));
}

ResponseBuilder& ResponseBuilder::playAudio(const AudioPlay& play) {
  json::object stream{{"token", play.token},
                      {"url", play.url},
                      {"offsetInMilliseconds", play.offset_in_milliseconds}};
  if (play.expected_previous_token) stream["expectedPreviousToken"] = *play.expected_previous_token;
  json::object audio_item{{"stream", std::move(stream)}};
  if (play.metadata) audio_item["metadata"] = *play.metadata;
  return addDirective({{"type", "AudioPlayer.Play"},
                       {"playBehavior", jsonView(playBehaviorName(play.behavior))},
                       {"audioItem", std::move(audio_item)}});
}

ResponseBuilder& ResponseBuilder::stopAudio() {
  return addDirective({{"type", "AudioPlayer.Stop"}});
}

ResponseBuilder& ResponseBuilder::clearAudioQueue(ClearBehavior behavior) {
  return addDirective(
      {{"type", "AudioPlayer.ClearQueue"},
       {"clearBehavior", behavior == ClearBehavior::kClearAll ? "CLEAR_ALL" : "CLEAR_ENQUEUED"}});
}

ResponseBuilder& ResponseBuilder::renderAplDocument(const AplDocument& apl) {
  json::object directive{{"type", "Alexa.Presentation.APL.RenderDocument"},
                         {"token", apl.token},
                         {"document", apl.document}};
  if (!apl.datasources.empty()) directive["datasources"] = apl.datasources;
  return addDirective(std::move(directive));
}

ResponseBuilder& ResponseBuilder::launchVideo(const VideoItem& video) {
  json::object item{{"source", video.source}};
  if (video.title || video.subtitle) {
    json::object metadata;
    if (video.title) metadata["title"] = *video.title;
    if (video.subtitle) metadata["subtitle"] = *video.subtitle;
    item["metadata"] = std::move(metadata);
  }
  return addDirective({{"type", "VideoApp.Launch"}, {"videoItem", std::move(item)}});
}

ResponseBuilder& ResponseBuilder::addDirective(json::object directive) {
  directives_.emplace_back(std::move(directive));
  return *this;
}

ResponseBuilder& ResponseBuilder::terminate() { return setShouldEndSession(true); }
ResponseBuilder& ResponseBuilder::yield() { return setShouldEndSession(false); }
ResponseBuilder& ResponseBuilder::setShouldEndSession(std::optional<bool> value) {
  should_end_session_ = value;
  return *this;
}

ResponseBuilder& ResponseBuilder::fulfillIntent(std::string_view can_fulfill) {
  speech_.reset();
  reprompt_.reset();
  card_.reset();
  if (!can_fulfill_) can_fulfill_.emplace();
  (*can_fulfill_)["canFulfill"] = jsonView(clampCanFulfill(can_fulfill, true));
  return *this;
}

ResponseBuilder& ResponseBuilder::fulfillSlot(std::string_view slot,
                                              std::string_view can_understand,
                                              std::string_view can_fulfill) {
  if (!can_fulfill_) can_fulfill_ = json::object{{"canFulfill", "NO"}};
  auto& slots = (*can_fulfill_)["slots"];
  if (!slots.is_object()) slots = json::object{};
  slots.get_object()[jsonView(slot)] =
      json::object{{"canUnderstand", jsonView(clampCanFulfill(can_understand, true))},
                   {"canFulfill", jsonView(clampCanFulfill(can_fulfill, false))}};
  return *this;
}

ResponseBuilder& ResponseBuilder::setSessionAttributes(json::object attributes) {
  session_attributes_ = std::move(attributes);
  return *this;
}

ResponseBuilder& ResponseBuilder::clear() {
  speech_.reset();
  reprompt_.reset();
  card_.reset();
  directives_.clear();
  should_end_session_.reset();
  can_fulfill_.reset();
  return *this;
}

bool ResponseBuilder::hasDirective(std::string_view type) const {
  if (card_ && type == "card") return true;
  for (const auto& directive : directives_) {
    const auto* object = directive.if_object();
    if (object != nullptr && stringAt(*object, "type") == type) return true;
  }
  return false;
}

std::optional<std::string> ResponseBuilder::speech() const {
  if (!speech_) return std::nullopt;
  return speech_->ssml ? wrap(speech_->content) : speech_->content;
}

std::optional<std::string> ResponseBuilder::repromptSpeech() const {
  if (!reprompt_) return std::nullopt;
  return reprompt_->ssml ? wrap(reprompt_->content) : reprompt_->content;
}

namespace {

// The end of the run from `pos` that JSON takes as it is.
std::size_t plainJsonEnd(std::string_view text, std::size_t pos) {
  namespace word = utf8::word;
  return utf8::runEnd(
      text, pos,
      [](std::uint64_t bytes) {
        return word::below(bytes, 0x20) | word::equal(bytes, '"') | word::equal(bytes, '\\');
      },
      [](unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; });
}

// `text` inside a JSON string literal, escaped as Boost.JSON escapes it: quote, backslash and
// control characters only.
void appendEscaped(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::size_t copied = 0;  // text[copied, i) goes out unchanged
  for (std::size_t i = plainJsonEnd(text, 0); i < text.size(); i = plainJsonEnd(text, i + 1)) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.append(text.substr(copied, i - copied));
    copied = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        out.append("\\u00").push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(text.substr(copied));
}

template <typename Json>
void appendValue(std::string& out, const Json& value) {
  json::serializer serializer;
  serializer.reset(&value);
  char buffer[512];
  while (!serializer.done()) {
    const auto chunk = serializer.read(buffer);
    out.append(chunk.data(), chunk.size());
  }
}

void appendOutputSpeech(std::string& out, bool ssml, std::string_view content) {
  out.append(ssml ? R"({"type":"SSML","ssml":")" : R"({"type":"PlainText","text":")");
  if (ssml) out.append(kSpeakOpen);
  appendEscaped(out, content);
  if (ssml) out.append(kSpeakClose);
  out.append("\"}");
}

}  // namespace

// Written as text rather than built as a json::object: the reply is serialized once per request
// and the values it holds need not be copied to be written.
void ResponseBuilder::appendJson(std::string& out) const {
  out.append(R"({"version":"1.0","response":{)");
  const auto size_before_members = out.size();
  const auto member = [&](std::string_view key) {
    if (out.size() != size_before_members) out.push_back(',');
    out.append("\"").append(key).append("\":");
  };
  if (speech_) {
    member("outputSpeech");
    appendOutputSpeech(out, speech_->ssml, speech_->content);
  }
  if (card_) {
    member("card");
    appendValue(out, *card_);
  }
  if (reprompt_) {
    member("reprompt");
    out.append(R"({"outputSpeech":)");
    appendOutputSpeech(out, reprompt_->ssml, reprompt_->content);
    out.push_back('}');
  }
  // Alexa rejects shouldEndSession next to these directives (spec §3.3, §6.9).
  const bool session_flag_forbidden =
      hasDirective("VideoApp.Launch") || hasDirective("GameEngine.StartInputHandler");
  if (should_end_session_ && !session_flag_forbidden) {
    member("shouldEndSession");
    out.append(*should_end_session_ ? "true" : "false");
  }
  if (!directives_.empty()) {
    member("directives");
    appendValue(out, directives_);
  }
  if (can_fulfill_) {
    member("canFulfillIntent");
    appendValue(out, *can_fulfill_);
  }
  out.append(R"(},"sessionAttributes":)");
  appendValue(out, session_attributes_);
  out.push_back('}');
}

json::object ResponseBuilder::toJson(json::storage_ptr storage) const {
  std::string text;
  appendJson(text);
  return json::parse(text, std::move(storage)).as_object();
}

boost::system::result<std::string> ResponseBuilder::serialize(const ResponseLimits& limits) const {
  for (const auto* speech : {&speech_, &reprompt_}) {
    if (!*speech) continue;
    const auto& content = (*speech)->content;
    // addStatement() already validated it; only other limits need a second pass.
    const bool checked = (*speech)->checked && limits.ssml == SsmlOptions{};
    if ((*speech)->ssml && !checked) {
      if (auto valid = validateSsml(wrap(content), limits.ssml); !valid) return valid.error();
    }
    const auto wrapper_chars = (*speech)->ssml ? kSpeakOpen.size() + kSpeakClose.size() : 0;
    if (utf8::length(content) + wrapper_chars > limits.max_speech_chars) {
      return Error::kSpeechTooLong;
    }
  }
  if (card_) {
    auto chars = cardChars(*card_, limits, false);
    if (!chars) return chars.error();
    if (*chars > limits.max_card_chars) return Error::kCardTooLong;
  }
  for (const auto& directive : directives_) {
    const auto* object = directive.if_object();
    if (object == nullptr || stringAt(*object, "type") != "AudioPlayer.Play") continue;
    const auto* item = object->if_contains("audioItem");
    const auto* stream =
        item != nullptr && item->is_object() ? item->get_object().if_contains("stream") : nullptr;
    if (stream == nullptr || !stream->is_object()) continue;
    const auto token = stringAt(stream->get_object(), "token").value_or("");
    const auto url = stringAt(stream->get_object(), "url").value_or("");
    if (utf8::length(token) > limits.max_audio_token_chars ||
        utf8::length(url) > limits.max_audio_url_chars) {
      return Error::kAudioStreamTooLong;
    }
  }
  std::string body;
  body.reserve(kReplyReserveBytes);
  appendJson(body);
  if (body.size() > limits.max_response_bytes) return Error::kResponseTooLarge;
  return body;
}

}  // namespace parley::alexa
