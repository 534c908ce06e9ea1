#include "parley/storage/user_json.hpp"

#include <array>
#include <cstdio>
#include <ctime>

namespace parley::storage {

boost::json::object toJson(const User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"createdAt", formatTimestamp(user.created_at)},
          {"attributes", user.attributes}};
}

std::string formatTimestamp(std::chrono::system_clock::time_point time) {
  auto millis = std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch());
  auto seconds = std::chrono::floor<std::chrono::seconds>(millis);
  std::time_t whole = seconds.count();
  std::tm parts{};
  ::gmtime_r(&whole, &parts);
  std::array<char, 40> text{};
  int length =
      std::snprintf(text.data(), text.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                    parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
                    parts.tm_min, parts.tm_sec, static_cast<int>((millis - seconds).count()));
  return {text.data(), static_cast<std::size_t>(length)};
}

}  // namespace parley::storage
