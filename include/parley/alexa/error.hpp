#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace parley::alexa {

// Why a request body, a response or an SSML document was rejected.
enum class Error {
  // Request envelope (parseRequest).
  kEmptyBody = 1,
  kBodyTooLarge,
  kTooDeep,
  kMalformedJson,
  kNotAnEnvelope,  // valid JSON, but a required field is missing or a field has the wrong type
  // SSML (validateSsml, ResponseBuilder::addStatement).
  kSsmlMalformed,             // not well-formed XML, or not valid UTF-8
  kSsmlNotSpeakRoot,          // the single root element is not <speak>
  kSsmlUnsupportedTag,        // a tag outside spec §4
  kSsmlUnsupportedAttribute,  // an attribute, or an attribute value, outside spec §4
  kSsmlLimitExceeded,         // too many <audio> clips, a <break> over the maximum
  // Response (ResponseBuilder::serialize), spec §3.9.
  kSpeechTooLong,
  kCardTooLong,
  kImageUrlTooLong,
  kAudioStreamTooLong,  // AudioPlayer.Play token or url over its limit
  kResponseTooLarge,
};

const boost::system::error_category& errorCategory() noexcept;

inline boost::system::error_code make_error_code(Error error) noexcept {
  return {static_cast<int>(error), errorCategory()};
}

}  // namespace parley::alexa

template <>
struct boost::system::is_error_code_enum<parley::alexa::Error> : std::true_type {};
