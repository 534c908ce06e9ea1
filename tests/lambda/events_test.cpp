#include "parley/lambda/events.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <filesystem>
#include <map>
#include <string>

#include "parley/lambda/error.hpp"
#include "support/fixtures.hpp"

namespace parley::lambda {
namespace {
namespace json = boost::json;

json::value fixture(const std::string& name) { return json::parse(testing::readFixture(name)); }

std::string header(const http::Request& request, std::string_view name) {
  return std::string(request.header(name).value_or("<none>"));
}

std::multimap<std::string, std::string> queryOf(const std::string& target) {
  const auto ref = boost::urls::parse_origin_form(target);
  EXPECT_TRUE(ref.has_value()) << target;
  std::multimap<std::string, std::string> out;
  for (const auto& param : ref->params()) out.emplace(param.key, param.value);
  return out;
}

TEST(ClassifyEvent, TellsEachTriggerApart) {
  EXPECT_EQ(classifyEvent(fixture("lambda/alexa-launch-event.json")).value(), EventKind::kAlexa);
  EXPECT_EQ(classifyEvent(fixture("lambda/alexa-launch-event-linked.json")).value(),
            EventKind::kAlexa);
  EXPECT_EQ(classifyEvent(fixture("lambda/apigw-v1-get-root.json")).value(),
            EventKind::kApiGatewayV1);
  EXPECT_EQ(classifyEvent(fixture("lambda/apigw-v2-post-form.json")).value(),
            EventKind::kApiGatewayV2);
  EXPECT_EQ(classifyEvent(fixture("lambda/lambda-url-get-root.json")).value(),
            EventKind::kApiGatewayV2);
}

TEST(ClassifyEvent, TakesEveryAlexaFixtureForAnAlexaEvent) {
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::sourceDir() / "tests/fixtures/alexa")) {
    const auto kind = classifyEvent(json::parse(testing::readFile(entry.path())));
    ASSERT_TRUE(kind.has_value()) << entry.path();
    EXPECT_EQ(*kind, EventKind::kAlexa) << entry.path();
  }
}

TEST(ClassifyEvent, RejectsOtherJson) {
  EXPECT_EQ(classifyEvent(json::parse("[1,2]")).error(), Error::kInvalidJson);
  EXPECT_EQ(classifyEvent(json::parse("{}")).error(), Error::kUnknownEvent);
  EXPECT_EQ(classifyEvent(json::parse(R"({"request":{"type":"LaunchRequest"}})")).error(),
            Error::kUnknownEvent);
  EXPECT_EQ(classifyEvent(json::parse(R"({"version":"2.0","requestContext":{}})")).error(),
            Error::kUnknownEvent);
}

TEST(ApiGatewayV1, TurnsTheLinkingPageRequestIntoARequest) {
  const auto request =
      requestFromApiGatewayV1(fixture("lambda/apigw-v1-get-root.json").as_object());
  ASSERT_TRUE(request.has_value()) << request.error().message();
  EXPECT_EQ(request->methodString(), "GET");
  EXPECT_TRUE(request->target().starts_with("/?")) << request->target();
  const auto query = queryOf(std::string(request->target()));
  EXPECT_EQ(query.size(), 5U);
  EXPECT_EQ(query.find("redirect_uri")->second,
            "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA");
  EXPECT_EQ(query.find("state")->second, "Yz9kM2Zh-STATE-42");
  EXPECT_EQ(header(*request, "Cookie"), "lang=en-US; theme=dark");
  EXPECT_EQ(header(*request, "Host"), "k3x9q2w7ab.execute-api.us-east-1.amazonaws.com");
  EXPECT_EQ(std::distance(request->message().begin(), request->message().end()), 18);
  EXPECT_TRUE(request->body().empty());
  EXPECT_TRUE(request->https());
  EXPECT_EQ(request->remoteAddress(), "203.0.113.24");
}

TEST(ApiGatewayV1, ReencodesQueryValuesThatNeedIt) {
  auto event = fixture("lambda/apigw-v1-get-root.json").as_object();
  event["multiValueQueryStringParameters"] = json::parse(R"({"q":["a b&c=d","x"],"e":["100%"]})");
  const auto request = requestFromApiGatewayV1(event);
  ASSERT_TRUE(request.has_value());
  const auto query = queryOf(std::string(request->target()));
  EXPECT_EQ(query.count("q"), 2U);
  EXPECT_EQ(query.find("q")->second, "a b&c=d");
  EXPECT_EQ(query.find("e")->second, "100%");
}

TEST(ApiGatewayV1, FallsBackToSingleValuedFieldsAndNullQuery) {
  auto event = fixture("lambda/apigw-v1-get-root.json").as_object();
  event.erase("multiValueHeaders");
  event.erase("multiValueQueryStringParameters");
  event["queryStringParameters"] = nullptr;
  event["path"] = "/oauth/authorize";
  const auto request = requestFromApiGatewayV1(event);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->target(), "/oauth/authorize");
  EXPECT_EQ(header(*request, "Accept-Language"), "en-US,en;q=0.9");
}

TEST(ApiGatewayV2, DecodesTheBase64FormPost) {
  const auto request =
      requestFromApiGatewayV2(fixture("lambda/apigw-v2-post-form.json").as_object());
  ASSERT_TRUE(request.has_value()) << request.error().message();
  EXPECT_EQ(request->methodString(), "POST");
  EXPECT_EQ(request->target(), "/login");
  EXPECT_EQ(request->body().size(), 218U);
  EXPECT_TRUE(request->body().starts_with(
      "email=ada%40example.com&password=correct+horse+battery&state=Yz9kM2Zh-STATE-42"))
      << request->body();
  EXPECT_EQ(header(*request, "content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(header(*request, "cookie"), "lang=en-US; theme=dark");
  EXPECT_TRUE(request->https());
  EXPECT_EQ(request->remoteAddress(), "203.0.113.24");
}

// The client address feeds per-address throttling: only API Gateway's own sourceIp counts.
TEST(ApiGatewayEvents, TakeTheClientAddressFromSourceIpOnly) {
  auto v1 = fixture("lambda/apigw-v1-get-root.json").as_object();
  auto v2 = fixture("lambda/apigw-v2-post-form.json").as_object();
  auto& v1_identity = v1["requestContext"].as_object()["identity"].as_object();
  auto& v2_http = v2["requestContext"].as_object()["http"].as_object();
  v1["headers"].as_object()["X-Forwarded-For"] = "198.51.100.1";
  v1["multiValueHeaders"].as_object()["X-Forwarded-For"] = json::array{"198.51.100.1"};
  v1_identity["sourceIp"] = "2001:DB8::24";
  v2_http["sourceIp"] = "::ffff:203.0.113.25";
  EXPECT_EQ(requestFromApiGatewayV1(v1)->remoteAddress(), "2001:db8::24");
  EXPECT_EQ(requestFromApiGatewayV2(v2)->remoteAddress(), "203.0.113.25");
  for (const json::value& bad :
       {json::value("not an address"), json::value(nullptr), json::value(42)}) {
    v1_identity["sourceIp"] = bad;
    v2_http["sourceIp"] = bad;
    const auto one = requestFromApiGatewayV1(v1);
    const auto two = requestFromApiGatewayV2(v2);
    ASSERT_TRUE(one && two);
    EXPECT_EQ(one->remoteAddress(), "");
    EXPECT_EQ(two->remoteAddress(), "");
    EXPECT_TRUE(one->https() && two->https());
  }
}

TEST(ApiGatewayV2, KeepsTheFunctionUrlQueryAsSent) {
  const auto request =
      requestFromApiGatewayV2(fixture("lambda/lambda-url-get-root.json").as_object());
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->target(),
            "/?client_id=alexa-skill&response_type=code&state=Yz9kM2Zh-STATE-42&redirect_uri="
            "https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2AAAAAAAAAAAA");
  EXPECT_EQ(header(*request, "cookie"), "<none>");
  EXPECT_EQ(header(*request, "host"),
            "w3ka6yqkzb5ixzq4c7rsp2nm7e0vhnqz.lambda-url.us-east-1.on.aws");
}

TEST(ApiGatewayEvents, RejectMalformedFields) {
  const auto v1 = fixture("lambda/apigw-v1-get-root.json").as_object();
  const auto v2 = fixture("lambda/apigw-v2-post-form.json").as_object();
  const auto v1With = [&v1](std::string_view key, json::value value) {
    auto event = v1;
    event[key] = std::move(value);
    return requestFromApiGatewayV1(event);
  };
  const auto v2With = [&v2](std::string_view key, json::value value) {
    auto event = v2;
    event[key] = std::move(value);
    return requestFromApiGatewayV2(event);
  };
  EXPECT_EQ(v1With("httpMethod", 7).error(), Error::kMalformedEvent);
  EXPECT_EQ(v1With("httpMethod", "GET /evil HTTP/1.1\r\n").error(), Error::kMalformedEvent);
  EXPECT_EQ(v1With("path", "no-slash").error(), Error::kMalformedEvent);
  EXPECT_EQ(v1With("path", "/a b").error(), Error::kMalformedEvent);
  EXPECT_EQ(v1With("multiValueHeaders", json::parse(R"({"X":"not-a-list"})")).error(),
            Error::kMalformedEvent);
  EXPECT_EQ(v1With("multiValueHeaders", json::parse(R"({"X":["a\r\nSet-Cookie: b"]})")).error(),
            Error::kMalformedEvent);
  EXPECT_EQ(v1With("queryStringParameters", "a=b").error(), Error::kMalformedEvent);
  EXPECT_EQ(v1With("body", 12).error(), Error::kMalformedEvent);
  EXPECT_EQ(v2With("isBase64Encoded", "yes").error(), Error::kMalformedEvent);
  EXPECT_EQ(v2With("body", "not base64!").error(), Error::kInvalidBase64);
  EXPECT_EQ(v2With("cookies", "a=1").error(), Error::kMalformedEvent);
  EXPECT_EQ(v2With("cookies", json::parse("[1]")).error(), Error::kMalformedEvent);
  EXPECT_EQ(v2With("headers", json::parse(R"({"x":["a"]})")).error(), Error::kMalformedEvent);
  EXPECT_EQ(v2With("rawQueryString", "a=1#frag").error(), Error::kMalformedEvent);
  EXPECT_EQ(v2With("rawPath", nullptr).error(), Error::kMalformedEvent);
}

http::Response redirectWithCookies() {
  http::Response response(302);
  response.addHeader("Location", "https://pitangui.amazon.com/api/skill/link/M2?code=c&state=s")
      .addHeader("Set-Cookie", "sid=abc; Secure; HttpOnly")
      .addHeader("Set-Cookie", "csrf=def; Secure")
      .addHeader("Cache-Control", "no-store");
  return response;
}

TEST(ApiGatewayV1Response, PutsRepeatedHeadersInMultiValueHeaders) {
  const auto out = toApiGatewayV1(redirectWithCookies());
  EXPECT_EQ(out.at("statusCode"), 302);
  EXPECT_EQ(out.at("headers").at("Location"),
            "https://pitangui.amazon.com/api/skill/link/M2?code=c&state=s");
  EXPECT_EQ(out.at("headers").at("Cache-Control"), "no-store");
  EXPECT_FALSE(out.at("headers").as_object().contains("Set-Cookie"));
  EXPECT_EQ(out.at("multiValueHeaders").at("Set-Cookie"),
            json::parse(R"(["sid=abc; Secure; HttpOnly","csrf=def; Secure"])"));
  EXPECT_FALSE(out.contains("cookies"));
  EXPECT_EQ(out.at("body"), "");
  EXPECT_EQ(out.at("isBase64Encoded"), false);
}

TEST(ApiGatewayV2Response, MovesSetCookieIntoCookies) {
  auto response = redirectWithCookies();
  response.addHeader("Vary", "Accept").addHeader("vary", "Cookie");
  const auto out = toApiGatewayV2(response);
  EXPECT_EQ(out.at("statusCode"), 302);
  EXPECT_EQ(out.at("cookies"), json::parse(R"(["sid=abc; Secure; HttpOnly","csrf=def; Secure"])"));
  EXPECT_FALSE(out.contains("multiValueHeaders"));
  const auto& headers = out.at("headers").as_object();
  EXPECT_EQ(headers.size(), 3U);
  EXPECT_EQ(headers.at("Vary"), "Accept, Cookie");
  EXPECT_EQ(out.at("isBase64Encoded"), false);
}

TEST(ApiGatewayResponses, SendTextAsIsAndBinaryAsBase64) {
  const auto page = http::Response::html("<p>Caf\xc3\xa9</p>");
  EXPECT_EQ(toApiGatewayV2(page).at("body").as_string(), page.body());
  EXPECT_EQ(toApiGatewayV2(page).at("isBase64Encoded"), false);
  EXPECT_EQ(toApiGatewayV1(page).at("statusCode"), 200);

  const http::Response image(200, std::string("\x89PNG\r\n\x1a\n\0\0", 10), "image/png");
  for (const auto& out : {toApiGatewayV1(image), toApiGatewayV2(image)}) {
    EXPECT_EQ(out.at("isBase64Encoded"), true);
    EXPECT_EQ(out.at("body"), "iVBORw0KGgoAAA==");
  }

  const auto broken_text = http::Response::text("\xff\xfe");
  EXPECT_EQ(toApiGatewayV1(broken_text).at("isBase64Encoded"), true);
}

}  // namespace
}  // namespace parley::lambda
