#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace parley::verify {

// ISO-8601 date-time with an explicit zone as Alexa sends it: 2024-05-14T18:20:11Z, optionally
// with fractional seconds and a ±HH:MM offset instead of Z.
std::optional<std::chrono::system_clock::time_point> parseTimestamp(std::string_view text);

}  // namespace parley::verify
