#include "parley/storage/user_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace parley::storage {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

TEST(FormatTimestamp, IsUtcWithMilliseconds) {
  EXPECT_EQ(formatTimestamp(system_clock::time_point{milliseconds{1714566896789}}),
            "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(formatTimestamp(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

TEST(FormatTimestamp, DropsFinerPartsAndRoundsDownBeforeTheEpoch) {
  EXPECT_EQ(formatTimestamp(system_clock::time_point{std::chrono::microseconds{1999}}),
            "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(formatTimestamp(system_clock::time_point{milliseconds{-1}}),
            "1969-12-31T23:59:59.999Z");
}

TEST(UserJson, HasIdEmailCreatedAtAndAttributes) {
  User user{.id = "u1",
            .email = "ada@example.com",
            .created_at = system_clock::time_point{milliseconds{1714566896789}},
            .attributes = {{"plan", "free"}}};
  EXPECT_EQ(boost::json::serialize(toJson(user)),
            R"({"id":"u1","email":"ada@example.com","createdAt":"2024-05-01T12:34:56.789Z",)"
            R"("attributes":{"plan":"free"}})");
}

}  // namespace
}  // namespace parley::storage
