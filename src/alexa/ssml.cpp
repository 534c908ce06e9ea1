#include "parley/alexa/ssml.hpp"

#include <algorithm>
#include <array>
#include <boost/container/small_vector.hpp>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "parley/alexa/error.hpp"
#include "utf8.hpp"

namespace parley::alexa {
namespace {

bool oneOf(std::string_view value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// "12" or "12.5" followed by exactly `suffix`; returns the number.
std::optional<double> numberWithSuffix(std::string_view value, std::string_view suffix) {
  if (value.size() <= suffix.size() || !value.ends_with(suffix)) return std::nullopt;
  value.remove_suffix(suffix.size());
  const auto dot = value.find('.');
  const auto integer = value.substr(0, dot);
  const auto fraction = dot == std::string_view::npos ? std::string_view{} : value.substr(dot + 1);
  if (integer.empty() || integer.size() > 9 ||
      !std::all_of(integer.begin(), integer.end(), isDigit)) {
    return std::nullopt;
  }
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 9 ||
                                        !std::all_of(fraction.begin(), fraction.end(), isDigit))) {
    return std::nullopt;
  }
  double number = 0;
  for (char c : integer) number = number * 10 + (c - '0');
  double scale = 0.1;
  for (char c : fraction) number += (c - '0') * scale, scale /= 10;
  return number;
}

std::optional<double> signedNumberWithSuffix(std::string_view value, std::string_view suffix) {
  if (value.empty() || (value.front() != '+' && value.front() != '-')) return std::nullopt;
  return numberWithSuffix(value.substr(1), suffix);
}

// Break time as milliseconds ("3s", "500ms").
std::optional<double> breakMilliseconds(std::string_view value) {
  if (auto ms = numberWithSuffix(value, "ms")) return ms;
  if (auto s = numberWithSuffix(value, "s")) return *s * 1000;
  return std::nullopt;
}

bool validStrength(std::string_view v) {
  return oneOf(v, {"none", "x-weak", "weak", "medium", "strong", "x-strong"});
}
bool validTime(std::string_view v) { return breakMilliseconds(v).has_value(); }
bool validLevel(std::string_view v) { return oneOf(v, {"strong", "moderate", "reduced"}); }
bool validRate(std::string_view v) {
  return oneOf(v, {"x-slow", "slow", "medium", "fast", "x-fast"}) ||
         numberWithSuffix(v, "%").has_value();
}
bool validPitch(std::string_view v) {
  return oneOf(v, {"x-low", "low", "medium", "high", "x-high"}) ||
         signedNumberWithSuffix(v, "%").has_value();
}
bool validVolume(std::string_view v) {
  return oneOf(v, {"silent", "x-soft", "soft", "medium", "loud", "x-loud"}) ||
         signedNumberWithSuffix(v, "dB").has_value();
}
bool validInterpretAs(std::string_view v) {
  return oneOf(v, {"characters", "spell-out", "cardinal", "number", "ordinal", "digits", "fraction",
                   "unit", "date", "time", "telephone", "address", "interjection", "expletive"});
}
bool validDateFormat(std::string_view v) {
  return oneOf(v, {"mdy", "dmy", "ymd", "md", "dm", "ym", "my", "d", "m", "y"});
}
bool validAlphabet(std::string_view v) { return oneOf(v, {"ipa", "x-sampa"}); }
bool nonEmpty(std::string_view v) { return !v.empty(); }
bool validRole(std::string_view v) {
  return oneOf(v, {"amazon:VB", "amazon:VBD", "amazon:NN", "amazon:SENSE_1"});
}
bool validAudioSource(std::string_view v) {
  return (v.starts_with("https://") && v.size() > 8) ||
         (v.starts_with("soundbank://") && v.size() > 12);
}
bool validEffect(std::string_view v) { return v == "whispered"; }
bool validEmotion(std::string_view v) { return oneOf(v, {"excited", "disappointed"}); }
bool validIntensity(std::string_view v) { return oneOf(v, {"low", "medium", "high"}); }
bool validDomain(std::string_view v) {
  return oneOf(v, {"conversational", "long-form", "music", "news", "fun"});
}
// Polly voice names are plain ASCII words; the spec's list is only examples.
bool validVoice(std::string_view v) {
  return !v.empty() && v.size() <= 32 && std::all_of(v.begin(), v.end(), isAlpha);
}
// ll-CC; the spec's list comes from one SDK enum and Alexa may accept more.
bool validLang(std::string_view v) {
  return v.size() == 5 && isAlpha(v[0]) && isAlpha(v[1]) && v[2] == '-' && isAlpha(v[3]) &&
         isAlpha(v[4]) && v[0] >= 'a' && v[1] >= 'a' && v[3] <= 'Z' && v[4] <= 'Z';
}

struct AttributeSpec {
  std::string_view name;
  bool required;
  bool (*valid)(std::string_view);
};

struct TagSpec {
  std::string_view name;
  bool empty;  // <break/>, <audio/>: no content allowed
  std::span<const AttributeSpec> attributes;
};

constexpr AttributeSpec kBreak[] = {{"strength", false, validStrength}, {"time", false, validTime}};
constexpr AttributeSpec kEmphasis[] = {{"level", false, validLevel}};
constexpr AttributeSpec kProsody[] = {
    {"rate", false, validRate}, {"pitch", false, validPitch}, {"volume", false, validVolume}};
constexpr AttributeSpec kSayAs[] = {{"interpret-as", true, validInterpretAs},
                                    {"format", false, validDateFormat}};
constexpr AttributeSpec kPhoneme[] = {{"alphabet", false, validAlphabet}, {"ph", true, nonEmpty}};
constexpr AttributeSpec kSub[] = {{"alias", true, nonEmpty}};
constexpr AttributeSpec kW[] = {{"role", true, validRole}};
constexpr AttributeSpec kAudio[] = {{"src", true, validAudioSource}};
constexpr AttributeSpec kEffect[] = {{"name", true, validEffect}};
constexpr AttributeSpec kEmotion[] = {{"name", true, validEmotion},
                                      {"intensity", true, validIntensity}};
constexpr AttributeSpec kDomain[] = {{"name", true, validDomain}};
constexpr AttributeSpec kVoice[] = {{"name", true, validVoice}};
constexpr AttributeSpec kLang[] = {{"xml:lang", true, validLang}};

constexpr std::array kTags{
    TagSpec{"speak", false, {}},
    TagSpec{"p", false, {}},
    TagSpec{"s", false, {}},
    TagSpec{"break", true, kBreak},
    TagSpec{"emphasis", false, kEmphasis},
    TagSpec{"prosody", false, kProsody},
    TagSpec{"say-as", false, kSayAs},
    TagSpec{"phoneme", false, kPhoneme},
    TagSpec{"sub", false, kSub},
    TagSpec{"w", false, kW},
    TagSpec{"audio", true, kAudio},
    TagSpec{"amazon:effect", false, kEffect},
    TagSpec{"amazon:emotion", false, kEmotion},
    TagSpec{"amazon:domain", false, kDomain},
    TagSpec{"voice", false, kVoice},
    TagSpec{"lang", false, kLang},
};

const TagSpec* findTag(std::string_view name) {
  for (const auto& tag : kTags) {
    if (tag.name == name) return &tag;
  }
  return nullptr;
}

bool isNameStart(char c) { return isAlpha(c) || c == '_' || c == ':'; }
bool isNameChar(char c) { return isNameStart(c) || isDigit(c) || c == '-' || c == '.'; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

struct Attribute {
  std::string_view name;
  std::string value;  // entities decoded
};

struct Open {
  std::string_view name;
  bool empty;
};

// The end of the run of printable ASCII (0x20-0x7F) starting at `pos`.
std::size_t printableAsciiEnd(std::string_view text, std::size_t pos) {
  return utf8::runEnd(
      text, pos,
      [](std::uint64_t word) { return utf8::word::highBit(word) | utf8::word::below(word, 0x20); },
      [](unsigned char c) { return c < 0x20 || c >= 0x80; });
}

// A single forward pass over the document; no recursion, so nesting depth costs only heap.
class Validator {
 public:
  Validator(std::string_view text, const SsmlOptions& options) : text_(text), options_(options) {}

  boost::system::result<void> run() {
    for (std::size_t pos = 0; pos < text_.size();) {
      pos = printableAsciiEnd(text_, pos);  // nearly all speech: no decoding
      if (pos == text_.size()) break;
      const auto decoded = utf8::decode(text_, pos);
      if (!decoded.valid || !utf8::isXmlChar(decoded.code_point)) return Error::kSsmlMalformed;
      pos += decoded.length;
    }
    skipSpace();
    if (pos_ == text_.size() || text_[pos_] != '<') return Error::kSsmlNotSpeakRoot;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '<') {
        if (auto result = markup(); !result) return result;
      } else if (auto result = characters(); !result) {
        return result;
      }
    }
    if (!stack_.empty() || !root_closed_) return Error::kSsmlMalformed;
    return {};
  }

 private:
  void skipSpace() {
    while (pos_ < text_.size() && isSpace(text_[pos_])) ++pos_;
  }

  std::string_view name() {
    const auto start = pos_;
    if (pos_ < text_.size() && isNameStart(text_[pos_])) {
      ++pos_;
      while (pos_ < text_.size() && isNameChar(text_[pos_])) ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  // At '&': a predefined or numeric character reference; appends the character to `out`.
  bool reference(std::string* out) {
    // References are short; bounding the search keeps a run of bare '&' linear.
    const auto end = text_.substr(0, pos_ + 12).find(';', pos_);
    if (end == std::string_view::npos) return false;
    const auto body = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    static constexpr std::pair<std::string_view, char> kNamed[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    for (const auto& [entity, c] : kNamed) {
      if (body == entity) {
        if (out != nullptr) out->push_back(c);
        return true;
      }
    }
    if (body.size() < 2 || body[0] != '#') return false;
    const bool hex = body[1] == 'x';
    const auto digits = body.substr(hex ? 2 : 1);
    std::uint32_t code_point = 0;
    auto [last, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), code_point, hex ? 16 : 10);
    if (digits.empty() || ec != std::errc{} || last != digits.data() + digits.size() ||
        !utf8::isXmlChar(code_point)) {
      return false;
    }
    // Attribute values we check are ASCII; a placeholder keeps a non-ASCII reference visible.
    if (out != nullptr) out->push_back(code_point < 0x80 ? static_cast<char>(code_point) : '?');
    return true;
  }

  boost::system::result<void> characters() {
    if (stack_.empty() || stack_.back().empty) {
      // Outside <speak>, or inside <break/>-like elements: only white space may stand here.
      const auto error = stack_.empty() ? Error::kSsmlNotSpeakRoot : Error::kSsmlMalformed;
      for (; pos_ < text_.size() && text_[pos_] != '<'; ++pos_) {
        if (!isSpace(text_[pos_])) return error;
      }
      return {};
    }
    // Only references need a look; memchr finds them and the next tag.
    const auto run = text_.substr(0, std::min(text_.find('<', pos_), text_.size()));
    for (auto amp = run.find('&', pos_); amp != std::string_view::npos; amp = run.find('&', pos_)) {
      pos_ = amp;
      if (!reference(nullptr)) return Error::kSsmlMalformed;  // a valid one holds no '<'
    }
    pos_ = run.size();
    return {};
  }

  boost::system::result<void> markup() {
    ++pos_;  // '<'
    if (pos_ == text_.size()) return Error::kSsmlMalformed;
    if (text_[pos_] == '/') return endTag();
    if (text_[pos_] == '!' || text_[pos_] == '?') return Error::kSsmlMalformed;
    return startTag();
  }

  boost::system::result<void> endTag() {
    ++pos_;  // '/'
    const auto tag = name();
    skipSpace();
    if (tag.empty() || pos_ == text_.size() || text_[pos_] != '>') return Error::kSsmlMalformed;
    ++pos_;
    if (stack_.empty() || stack_.back().name != tag) return Error::kSsmlMalformed;
    stack_.pop_back();
    if (stack_.empty()) root_closed_ = true;
    return {};
  }

  boost::system::result<void> startTag() {
    const auto tag = name();
    if (tag.empty()) return Error::kSsmlMalformed;
    std::vector<Attribute> attributes;
    bool self_closing = false;
    while (true) {
      const auto before = pos_;
      skipSpace();
      if (pos_ == text_.size()) return Error::kSsmlMalformed;
      if (text_[pos_] == '>') {
        ++pos_;
        break;
      }
      if (text_[pos_] == '/') {
        if (pos_ + 1 == text_.size() || text_[pos_ + 1] != '>') return Error::kSsmlMalformed;
        pos_ += 2;
        self_closing = true;
        break;
      }
      if (pos_ == before) return Error::kSsmlMalformed;  // attributes need leading space
      auto attribute = this->attribute();
      if (!attribute) return attribute.error();
      for (const auto& seen : attributes) {
        if (seen.name == attribute->name) return Error::kSsmlMalformed;
      }
      attributes.push_back(std::move(*attribute));
    }

    if (root_closed_) return Error::kSsmlNotSpeakRoot;  // a second root
    if (stack_.empty() != (tag == "speak")) return Error::kSsmlNotSpeakRoot;
    if (!stack_.empty() && stack_.back().empty) return Error::kSsmlMalformed;
    const auto* spec = findTag(tag);
    if (spec == nullptr) return Error::kSsmlUnsupportedTag;
    if (auto result = checkAttributes(*spec, attributes); !result) return result;

    if (self_closing) {
      if (stack_.empty()) root_closed_ = true;
    } else {
      stack_.push_back({tag, spec->empty});
    }
    return {};
  }

  boost::system::result<Attribute> attribute() {
    Attribute out{.name = name(), .value = {}};
    if (out.name.empty()) return Error::kSsmlMalformed;
    skipSpace();
    if (pos_ == text_.size() || text_[pos_] != '=') return Error::kSsmlMalformed;
    ++pos_;
    skipSpace();
    if (pos_ == text_.size() || (text_[pos_] != '"' && text_[pos_] != '\'')) {
      return Error::kSsmlMalformed;
    }
    const char quote = text_[pos_++];
    while (true) {
      if (pos_ == text_.size() || text_[pos_] == '<') return Error::kSsmlMalformed;
      const char c = text_[pos_];
      if (c == quote) {
        ++pos_;
        return out;
      }
      if (c == '&') {
        if (!reference(&out.value)) return Error::kSsmlMalformed;
      } else {
        out.value.push_back(c);
        ++pos_;
      }
    }
  }

  boost::system::result<void> checkAttributes(const TagSpec& spec,
                                              const std::vector<Attribute>& attributes) {
    for (const auto& attribute : attributes) {
      const auto known = std::find_if(spec.attributes.begin(), spec.attributes.end(),
                                      [&](const auto& a) { return a.name == attribute.name; });
      if (known == spec.attributes.end() || !known->valid(attribute.value)) {
        return Error::kSsmlUnsupportedAttribute;
      }
    }
    const auto value_of = [&](std::string_view name) -> const std::string* {
      for (const auto& attribute : attributes) {
        if (attribute.name == name) return &attribute.value;
      }
      return nullptr;
    };
    for (const auto& required : spec.attributes) {
      if (required.required && value_of(required.name) == nullptr) {
        return Error::kSsmlUnsupportedAttribute;
      }
    }
    if (spec.name == "say-as" && value_of("format") != nullptr &&
        *value_of("interpret-as") != "date") {
      return Error::kSsmlUnsupportedAttribute;
    }
    if (spec.name == "break") {
      if (const auto* time = value_of("time")) {
        const auto limit = static_cast<double>(options_.max_break.count());
        if (*breakMilliseconds(*time) > limit) return Error::kSsmlLimitExceeded;
      }
    }
    if (spec.name == "audio" && ++audio_clips_ > options_.max_audio_clips) {
      return Error::kSsmlLimitExceeded;
    }
    return {};
  }

  std::string_view text_;
  const SsmlOptions& options_;
  std::size_t pos_ = 0;
  // Speech rarely nests deeper than a few tags: no allocation per validation for those.
  boost::container::small_vector<Open, 8> stack_;
  bool root_closed_ = false;
  std::size_t audio_clips_ = 0;
};

}  // namespace

std::string escapeSsmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t pos = 0; pos < text.size();) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte >= 0x20 && byte < 0x80 &&
        std::string_view("&<>\"'").find(text[pos]) == std::string_view::npos) {
      out.push_back(text[pos++]);  // printable ASCII that needs no escape: no decoding
      continue;
    }
    const auto decoded = utf8::decode(text, pos);
    const auto piece = text.substr(pos, decoded.length);
    pos += decoded.length;
    if (!decoded.valid) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else if (!utf8::isXmlChar(decoded.code_point)) {
      out += decoded.code_point < 0x80 ? " " : "\xEF\xBF\xBD";
    } else if (piece == "&") {
      out += "&amp;";
    } else if (piece == "<") {
      out += "&lt;";
    } else if (piece == ">") {
      out += "&gt;";
    } else if (piece == "\"") {
      out += "&quot;";
    } else if (piece == "'") {
      out += "&apos;";
    } else {
      out += piece;
    }
  }
  return out;
}

boost::system::result<void> validateSsml(std::string_view ssml, const SsmlOptions& options) {
  return Validator(ssml, options).run();
}

}  // namespace parley::alexa
