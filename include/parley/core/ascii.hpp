#pragma once

#include <string>
#include <string_view>

namespace parley::core {

// ASCII case folding, as HTTP header names, media types, file extensions and e-mail addresses
// want it: std::tolower would follow the C locale, and other bytes must pass unchanged.

std::string asciiLowercase(std::string_view text);

bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b) noexcept;

bool startsWithIgnoringAsciiCase(std::string_view text, std::string_view prefix) noexcept;

}  // namespace parley::core
