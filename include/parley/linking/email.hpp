#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley::linking {

// The normalized form of an e-mail address (trimmed, lower-case), or nullopt when it is not an
// acceptable address (R58, R59): at most 254 bytes, ASCII only, exactly one '@', a local part of
// RFC 5322 atext characters and dots, a dotted domain of letters, digits and hyphens.
std::optional<std::string> normalizeEmail(std::string_view email);

}  // namespace parley::linking
