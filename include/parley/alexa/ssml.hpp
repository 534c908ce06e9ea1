#pragma once

// The SSML subset Alexa speaks (spec §4).

#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::alexa {

// Escapes text (user data, slot values, variables) for SSML text or attribute values: the five
// XML characters become entities, characters XML forbids (C0 controls other than tab, CR, LF)
// become spaces, and invalid UTF-8 becomes U+FFFD, so the result is always valid SSML content.
// It escapes literally: "&amp;" becomes "&amp;amp;" (the text means those five characters).
std::string escapeSsmlText(std::string_view text);

struct SsmlOptions {
  std::chrono::milliseconds max_break{std::chrono::seconds(10)};
  std::size_t max_audio_clips{5};
  bool operator==(const SsmlOptions&) const = default;
};

// Checks a whole document: well-formed XML in UTF-8, one <speak> root, only the tags, attributes
// and attribute values of spec §4, <break>/<audio> empty, and the limits of `options`. No XML
// declaration, DOCTYPE, comments, CDATA or processing instructions. The 8000-character speech
// limit is checked by the response (ResponseLimits), not here.
boost::system::result<void> validateSsml(std::string_view ssml, const SsmlOptions& options = {});

}  // namespace parley::alexa
