#include "parley/alexa/error.hpp"

#include "parley/core/error_category.hpp"

namespace parley::alexa {
namespace {

const char* describe(Error error) noexcept {
  switch (error) {
    case Error::kEmptyBody:
      return "empty request body";
    case Error::kBodyTooLarge:
      return "request body too large";
    case Error::kTooDeep:
      return "request JSON nested too deeply";
    case Error::kMalformedJson:
      return "request body is not valid JSON";
    case Error::kNotAnEnvelope:
      return "request body is not an Alexa request envelope";
    case Error::kSsmlMalformed:
      return "SSML is not well-formed";
    case Error::kSsmlNotSpeakRoot:
      return "SSML root element is not a single <speak>";
    case Error::kSsmlUnsupportedTag:
      return "SSML uses an unsupported tag";
    case Error::kSsmlUnsupportedAttribute:
      return "SSML uses an unsupported attribute or attribute value";
    case Error::kSsmlLimitExceeded:
      return "SSML exceeds a limit (audio clips or break length)";
    case Error::kSpeechTooLong:
      return "output speech longer than allowed";
    case Error::kCardTooLong:
      return "card text longer than allowed";
    case Error::kImageUrlTooLong:
      return "card image URL longer than allowed";
    case Error::kAudioStreamTooLong:
      return "audio stream token or URL longer than allowed";
    case Error::kResponseTooLarge:
      return "response larger than allowed";
  }
  return "unknown alexa error";
}

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const core::ErrorCategory<Error> category("parley.alexa", describe);
  return category;
}

}  // namespace parley::alexa
