#include "parley/lambda/runtime.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "fake_runtime_api.hpp"
#include "parley/lambda/error.hpp"
#include "parley/net/http_client.hpp"
#include "support/fixtures.hpp"

namespace parley::lambda {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using testing::FakeRuntimeApi;
using testing::Posted;

// A stand-in skill and route table, as the lead's hosting module will provide.
std::string standInAlexa(std::string_view event) {
  const auto request = json::parse(event);
  if (request.at("request").at("type") == "IntentRequest") throw std::runtime_error("store down");
  const bool linked = request.at("session").at("user").as_object().contains("accessToken");
  return linked
             ? R"({"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Welcome back"}}})"
             : R"({"version":"1.0","response":{"card":{"type":"LinkAccount"}}})";
}

http::Response standInRoutes(const http::Request& request) {
  if (request.method() == http::Verb::get && request.target().starts_with("/?")) {
    return http::Response::html("<form method=post action=/login>");
  }
  if (request.method() == http::Verb::post && request.target() == "/login" &&
      request.body().starts_with("email=ada%40example.com&")) {
    auto response =
        http::Response::redirect("https://pitangui.amazon.com/api/skill/link/M2?code=c");
    response.addHeader("Set-Cookie", "sid=1; HttpOnly");
    return response;
  }
  return http::Response::error(404);
}

class RuntimeLoop : public ::testing::Test {
 protected:
  RuntimeLoop()
      : api_(client_, clock_, {.endpoint = fake_.endpoint()}),
        runtime_(api_, {.handlers = {.http = standInRoutes, .alexa = standInAlexa},
                        .deadline = &deadline_}) {}

  // Runs the loop until the fake runs dry; returns how it ended.
  boost::system::error_code drain() {
    fake_.finish();
    return runtime_.run();
  }

  Posted postFor(const std::string& id) {
    const auto posted = fake_.postFor(id);
    EXPECT_TRUE(posted.has_value()) << id;
    return posted.value_or(Posted{});
  }

  FakeRuntimeApi fake_;
  core::SystemClock clock_;
  net::BeastHttpClient client_;
  RuntimeApi api_;
  InvocationDeadline deadline_;
  Runtime runtime_;
};

TEST_F(RuntimeLoop, AnswersEveryKindOfEventAndReportsFailuresWithoutStopping) {
  const auto unlinked = fake_.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  const auto linked = fake_.enqueue(testing::readFixture("lambda/alexa-launch-event-linked.json"));
  const auto page = fake_.enqueue(testing::readFixture("lambda/apigw-v1-get-root.json"));
  const auto form = fake_.enqueue(testing::readFixture("lambda/apigw-v2-post-form.json"));
  const auto url = fake_.enqueue(testing::readFixture("lambda/lambda-url-get-root.json"));
  const auto throws = fake_.enqueue(testing::readFixture("alexa/intent-help.json"));
  const auto unknown = fake_.enqueue(R"({"Records":[]})");
  const auto garbage = fake_.enqueue("{\"version\":");
  const auto bad_base64 = fake_.enqueue([] {
    auto event = json::parse(testing::readFixture("lambda/apigw-v2-post-form.json"));
    event.as_object()["body"] = "%%%";
    return json::serialize(event);
  }());
  const auto after = fake_.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));

  EXPECT_EQ(drain(), Error::kRuntimeApiFailed);  // the fake's 500 once the queue is empty
  ASSERT_EQ(fake_.posts().size(), 10U);

  const auto alexa = postFor(unlinked);
  EXPECT_EQ(alexa.kind, Posted::Kind::kResponse);
  EXPECT_EQ(json::parse(alexa.body).at("response").at("card").at("type"), "LinkAccount");
  EXPECT_EQ(json::parse(postFor(linked).body).at("response").at("outputSpeech").at("text"),
            "Welcome back");

  const auto v1 = json::parse(postFor(page).body);
  EXPECT_EQ(v1.at("statusCode"), 200);
  EXPECT_EQ(v1.at("headers").at("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(v1.at("body"), "<form method=post action=/login>");
  EXPECT_TRUE(v1.as_object().contains("multiValueHeaders"));

  const auto v2 = json::parse(postFor(form).body);
  EXPECT_EQ(v2.at("statusCode"), 302);
  EXPECT_EQ(v2.at("cookies"), json::parse(R"(["sid=1; HttpOnly"])"));
  EXPECT_EQ(json::parse(postFor(url).body).at("statusCode"), 200);

  const auto failed = postFor(throws);
  EXPECT_EQ(failed.kind, Posted::Kind::kError);
  EXPECT_EQ(failed.error_type, "Handler.Exception");
  EXPECT_EQ(
      json::parse(failed.body),
      json::parse(
          R"({"errorMessage":"store down","errorType":"Handler.Exception","stackTrace":[]})"));

  EXPECT_EQ(postFor(unknown).error_type, "Runtime.UnknownEvent");
  EXPECT_EQ(json::parse(postFor(unknown).body).at("errorType"), "Runtime.UnknownEvent");
  EXPECT_EQ(postFor(garbage).kind, Posted::Kind::kError);
  EXPECT_EQ(postFor(garbage).error_type, "Runtime.MalformedEvent");
  EXPECT_EQ(postFor(bad_base64).error_type, "Runtime.MalformedEvent");
  EXPECT_EQ(json::parse(postFor(bad_base64).body).at("errorMessage"),
            "event body is not valid base64");
  EXPECT_EQ(postFor(after).kind, Posted::Kind::kResponse);
}

TEST(RuntimeDeadline, IsVisibleToHandlersOnlyDuringTheInvocation) {
  FakeRuntimeApi fake({.timeout = 3s});
  core::SystemClock clock;
  net::BeastHttpClient client;
  RuntimeApi api(client, clock, {.endpoint = fake.endpoint()});
  InvocationDeadline deadline;
  std::vector<std::optional<std::chrono::milliseconds>> seen;
  std::vector<std::string> traces;
  Handlers handlers;
  handlers.alexa = [&](std::string_view) {
    seen.push_back(deadline.remaining(clock.now()));
    const char* trace = std::getenv("_X_AMZN_TRACE_ID");  // NOLINT(concurrency-mt-unsafe)
    traces.emplace_back(trace != nullptr ? trace : "");
    return std::string("{}");
  };
  Runtime runtime(api, {.handlers = handlers, .deadline = &deadline});

  const auto event = testing::readFixture("lambda/alexa-launch-event.json");
  const auto first = fake.enqueue(event);
  fake.enqueue(event, "5000");  // @vercel/fun's relative value
  fake.enqueue(event, "soon");
  fake.finish();
  EXPECT_EQ(runtime.run(), Error::kRuntimeApiFailed);

  ASSERT_EQ(seen.size(), 3U);
  ASSERT_TRUE(seen[0].has_value());
  EXPECT_GT(*seen[0], 2s);
  EXPECT_LE(*seen[0], 3s);
  ASSERT_TRUE(seen[1].has_value());
  EXPECT_GT(*seen[1], 4s);
  EXPECT_LE(*seen[1], 5s);
  EXPECT_FALSE(seen[2].has_value());
  EXPECT_FALSE(deadline.get().has_value());
  EXPECT_NE(traces[0].find(first), std::string::npos);
}

TEST(InvocationDeadline, CountsDownToZero) {
  InvocationDeadline deadline;
  // Deadlines are whole milliseconds, as Lambda sends them.
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  EXPECT_FALSE(deadline.remaining(now).has_value());
  deadline.set(now + 1500ms);
  EXPECT_EQ(deadline.remaining(now), 1500ms);
  EXPECT_EQ(deadline.remaining(now + 2s), 0ms);
  deadline.set(std::nullopt);
  EXPECT_FALSE(deadline.get().has_value());
}

class RuntimeApiCalls : public ::testing::Test {
 protected:
  FakeRuntimeApi fake_;
  core::SystemClock clock_;
  net::BeastHttpClient client_;
  RuntimeApi api_{client_, clock_, {.endpoint = fake_.endpoint()}};
};

TEST_F(RuntimeApiCalls, ReadsTheInvocationHeaders) {
  const auto id = fake_.enqueue("{}");
  const auto invocation = api_.next();
  ASSERT_TRUE(invocation.has_value());
  EXPECT_EQ(invocation->request_id, id);
  EXPECT_EQ(invocation->event, "{}");
  EXPECT_EQ(invocation->function_arn,
            "arn:aws:lambda:us-east-1:123456789012:function:parley-skill-dev-skill");
  EXPECT_TRUE(invocation->trace_id.starts_with("Root=1-"));
  ASSERT_TRUE(invocation->deadline.has_value());
  EXPECT_GT(*invocation->deadline, std::chrono::system_clock::now());
}

TEST_F(RuntimeApiCalls, RefusesASecondResultForTheSameInvocation) {
  const auto id = fake_.enqueue("{}");
  ASSERT_TRUE(api_.next().has_value());
  EXPECT_TRUE(api_.respond(id, "{}").has_value());
  EXPECT_EQ(api_.respond(id, "{}").error(), Error::kInvalidState);
  EXPECT_EQ(api_.reportError(id, {.type = "X.Y", .message = "m"}).error(), Error::kInvalidState);
}

TEST_F(RuntimeApiCalls, ReportsInitErrors) {
  ASSERT_TRUE(api_.reportInitError({.type = "Runtime.InitError", .message = "no config"}));
  const auto posts = fake_.posts();
  ASSERT_EQ(posts.size(), 1U);
  EXPECT_EQ(posts[0].kind, Posted::Kind::kInitError);
  EXPECT_EQ(posts[0].error_type, "Runtime.InitError");
  EXPECT_EQ(json::parse(posts[0].body),
            json::parse(
                R"({"errorMessage":"no config","errorType":"Runtime.InitError","stackTrace":[]})"));
}

TEST_F(RuntimeApiCalls, FailsWhenTheRuntimeApiIsGone) {
  RuntimeApi nowhere(client_, clock_, {.endpoint = "127.0.0.1:1"});
  EXPECT_TRUE(nowhere.next().has_error());
}

TEST(RuntimeLoopLimits, GoesOnAfterAResultTooLargeForLambda) {
  FakeRuntimeApi fake;
  core::SystemClock clock;
  net::BeastHttpClient client;
  RuntimeApi api(client, clock, {.endpoint = fake.endpoint()});
  int calls = 0;
  Handlers handlers;
  handlers.alexa = [&calls](std::string_view) {
    return ++calls == 1 ? "\"" + std::string(6'500'000, 'x') + "\"" : std::string("{}");
  };
  Runtime runtime(api, {.handlers = handlers});
  const auto event = testing::readFixture("lambda/alexa-launch-event.json");
  const auto big = fake.enqueue(event);
  const auto small = fake.enqueue(event);
  fake.finish();
  EXPECT_EQ(runtime.run(), Error::kRuntimeApiFailed);
  EXPECT_FALSE(fake.postFor(big).has_value());
  ASSERT_TRUE(fake.postFor(small).has_value());
  EXPECT_EQ(fake.postFor(small)->body, "{}");
}

}  // namespace
}  // namespace parley::lambda
