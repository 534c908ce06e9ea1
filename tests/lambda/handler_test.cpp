#include "parley/lambda/handler.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>
#include <string>

#include "parley/lambda/error.hpp"
#include "support/fixtures.hpp"

namespace parley::lambda {
namespace {
namespace json = boost::json;

Handlers echoHandlers(std::string* alexa_seen, http::Request* http_seen) {
  Handlers handlers;
  handlers.alexa = [alexa_seen](std::string_view event) {
    *alexa_seen = std::string(event);
    return std::string(R"({"version":"1.0","response":{}})");
  };
  handlers.http = [http_seen](const http::Request& request) {
    *http_seen = request;
    auto response = http::Response::text(
        std::string(request.methodString()) + " " + std::string(request.target()), 201);
    response.addHeader("Set-Cookie", "a=1");
    return response;
  };
  return handlers;
}

TEST(HandleEvent, GivesTheAlexaHandlerTheEventVerbatim) {
  std::string alexa_seen;
  http::Request http_seen;
  const auto event = testing::readFixture("lambda/alexa-launch-event-linked.json");
  const auto result = handleEvent(echoHandlers(&alexa_seen, &http_seen), event);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(*result, R"({"version":"1.0","response":{}})");
  EXPECT_EQ(alexa_seen, event);
}

TEST(HandleEvent, AnswersEachHttpKindInItsOwnShape) {
  std::string alexa_seen;
  http::Request http_seen;
  const auto handlers = echoHandlers(&alexa_seen, &http_seen);

  const auto v1 = json::parse(
      handleEvent(handlers, testing::readFixture("lambda/apigw-v1-get-root.json")).value());
  EXPECT_EQ(v1.at("statusCode"), 201);
  EXPECT_EQ(v1.at("headers").at("Set-Cookie"), "a=1");
  EXPECT_TRUE(v1.at("body").as_string().starts_with("GET /?client_id=alexa-skill"));

  const auto v2 = json::parse(
      handleEvent(handlers, testing::readFixture("lambda/apigw-v2-post-form.json")).value());
  EXPECT_EQ(v2.at("cookies"), json::parse(R"(["a=1"])"));
  EXPECT_EQ(v2.at("body"), "POST /login");
  EXPECT_EQ(http_seen.body().size(), 218U);
  EXPECT_TRUE(alexa_seen.empty());
}

TEST(HandleEvent, RejectsWhatItCannotRoute) {
  std::string alexa_seen;
  http::Request http_seen;
  const auto handlers = echoHandlers(&alexa_seen, &http_seen);
  EXPECT_EQ(handleEvent(handlers, "not json").error(), Error::kInvalidJson);
  EXPECT_EQ(handleEvent(handlers, "\"text\"").error(), Error::kInvalidJson);
  EXPECT_EQ(handleEvent(handlers, R"({"detail-type":"Scheduled Event"})").error(),
            Error::kUnknownEvent);
  EXPECT_EQ(handleEvent(Handlers{}, testing::readFixture("lambda/alexa-launch-event.json")).error(),
            Error::kNoHandler);
  EXPECT_EQ(
      handleEvent(Handlers{}, testing::readFixture("lambda/lambda-url-get-root.json")).error(),
      Error::kNoHandler);
}

TEST(HandleEvent, LetsHandlerExceptionsThrough) {
  Handlers handlers;
  handlers.alexa = [](std::string_view) -> std::string { throw std::runtime_error("table gone"); };
  EXPECT_THROW((void)handleEvent(handlers, testing::readFixture("lambda/alexa-launch-event.json")),
               std::runtime_error);
}

// Bad input never crashes: every prefix of every fixture is either handled or rejected.
TEST(HandleEvent, SurvivesEveryTruncationOfEveryFixture) {
  std::string alexa_seen;
  http::Request http_seen;
  const auto handlers = echoHandlers(&alexa_seen, &http_seen);
  for (const char* name : {"lambda/alexa-launch-event.json", "lambda/apigw-v1-get-root.json",
                           "lambda/apigw-v2-post-form.json", "lambda/lambda-url-get-root.json"}) {
    const auto event = testing::readFixture(name);
    std::size_t rejected = 0;
    for (std::size_t size = 0; size < event.size(); ++size) {
      rejected += handleEvent(handlers, event.substr(0, size)).has_error() ? 1 : 0;
    }
    // The complete document ends in "}\n": only it and its "}" prefix parse.
    EXPECT_GE(rejected, event.size() - 2) << name;
  }
}

}  // namespace
}  // namespace parley::lambda
