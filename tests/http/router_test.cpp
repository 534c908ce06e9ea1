#include "parley/http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace parley::http {
namespace {

Router::Handler say(std::string text) {
  return [text](const Request&) { return Response::text(text); };
}

TEST(Router, DispatchesByMethodAndExactPath) {
  Router router;
  router.get("/a", say("get a")).post("/a", say("post a")).get("/b", say("get b"));
  EXPECT_EQ(router.handle(Request(Verb::get, "/a")).body(), "get a");
  EXPECT_EQ(router.handle(Request(Verb::post, "/a")).body(), "post a");
  EXPECT_EQ(router.handle(Request(Verb::get, "/b?x=1")).body(), "get b");
  EXPECT_EQ(router.handle(Request(Verb::get, "/a/")).status(), 404u);
}

TEST(Router, AnswersUnknownPathWith404) {
  Router router;
  router.get("/a", say("a"));
  auto response = router.handle(Request(Verb::get, "/nope"));
  EXPECT_EQ(response.status(), 404u);
  EXPECT_EQ(response.body(), "Not Found\n");
}

TEST(Router, AnswersWrongMethodWith405AndAllow) {
  Router router;
  router.get("/oauth/token", say("g")).post("/oauth/token", say("p"));
  auto response = router.handle(Request(Verb::delete_, "/oauth/token"));
  EXPECT_EQ(response.status(), 405u);
  EXPECT_EQ(response.header("Allow"), "GET, HEAD, POST");
}

TEST(Router, FallsBackFromHeadToGet) {
  Router router;
  router.get("/page", say("page"));
  EXPECT_EQ(router.handle(Request(Verb::head, "/page")).status(), 200u);
}

TEST(Router, MatchesLongestPrefixAfterExactPaths) {
  Router router;
  router.prefix(Verb::get, "/static/", say("static"))
      .prefix(Verb::get, "/static/img/", say("img"))
      .get("/static/exact", say("exact"));
  EXPECT_EQ(router.handle(Request(Verb::get, "/static/app.css")).body(), "static");
  EXPECT_EQ(router.handle(Request(Verb::get, "/static/img/a.png")).body(), "img");
  EXPECT_EQ(router.handle(Request(Verb::get, "/static/exact")).body(), "exact");
  EXPECT_EQ(router.handle(Request(Verb::get, "/staticx")).status(), 404u);
  EXPECT_EQ(router.handle(Request(Verb::post, "/static/app.css")).status(), 405u);
}

TEST(Router, RunsAfterHooksOnEveryResponseInOrder) {
  Router router;
  router.get("/a", say("a"))
      .after([](const Request&, Response& r) { r.setHeader("X-Order", "1"); })
      .after([](const Request&, Response& r) {
        r.setHeader("X-Order", std::string(r.header("X-Order").value_or("")) + "2");
      });
  EXPECT_EQ(router.handle(Request(Verb::get, "/a")).header("X-Order"), "12");
  EXPECT_EQ(router.handle(Request(Verb::get, "/missing")).header("X-Order"), "12");
}

TEST(Router, BeforeHookAnswersInsteadOfAnyRouteAndAfterHooksStillRun) {
  Router router;
  int handled = 0;
  router.get("/a", [&handled](const Request&) {
    ++handled;
    return Response::text("a");
  });
  router
      .before([](const Request& r) -> std::optional<Response> {
        if (r.header("X-Block")) return Response::text("blocked", 403);
        return std::nullopt;
      })
      .after([](const Request&, Response& r) { r.setHeader("X-After", "yes"); });
  auto blocked = Request(Verb::get, "/a");
  blocked.setHeader("X-Block", "1");
  auto answer = router.handle(blocked);
  EXPECT_EQ(answer.status(), 403u);
  EXPECT_EQ(answer.body(), "blocked");
  EXPECT_EQ(answer.header("X-After"), "yes");
  EXPECT_EQ(handled, 0);
  EXPECT_EQ(router.match(blocked).route, nullptr);
  auto missing = Request(Verb::get, "/missing");
  missing.setHeader("X-Block", "1");
  EXPECT_EQ(router.handle(missing).status(), 403u);
  EXPECT_EQ(router.handle(Request(Verb::get, "/a")).body(), "a");
  EXPECT_EQ(handled, 1);
}

TEST(Router, TurnsThrowingHandlerInto500) {
  Router router;
  router.get("/boom", [](const Request&) -> Response { throw std::runtime_error("db down"); });
  auto response = router.handle(Request(Verb::get, "/boom"));
  EXPECT_EQ(response.status(), 500u);
  EXPECT_EQ(response.body().find("db down"), std::string::npos);
}

TEST(Router, ReportsBlockingRoutesInMatch) {
  Router router;
  router.post("/slow", say("s"), {.blocking = true}).get("/fast", say("f"));
  auto slow = router.match(Request(Verb::post, "/slow"));
  ASSERT_NE(slow.route, nullptr);
  EXPECT_TRUE(slow.route->options.blocking);
  auto fast = router.match(Request(Verb::get, "/fast"));
  ASSERT_NE(fast.route, nullptr);
  EXPECT_FALSE(fast.route->options.blocking);
  EXPECT_EQ(router.match(Request(Verb::get, "/none")).route, nullptr);
}

TEST(Request, SplitsPathAndQuery) {
  Request request(Verb::get, "/oauth/authorize?client_id=a%20b&state=x");
  EXPECT_EQ(request.path(), "/oauth/authorize");
  EXPECT_EQ(request.rawQuery(), "client_id=a%20b&state=x");
  EXPECT_EQ(Request(Verb::get, "/plain").rawQuery(), "");
}

TEST(Request, DecodesQueryAndDetectsRepeatedParameters) {
  Request request(Verb::get, "/x?scope=a+b&state=1&state=2&flag&empty=");
  auto query = request.query();
  ASSERT_TRUE(query);
  EXPECT_EQ(query->get("scope"), "a+b");  // '+' is literal in a query string
  EXPECT_EQ(query->count("state"), 2u);
  EXPECT_EQ(query->all("state"), (std::vector<std::string_view>{"1", "2"}));
  EXPECT_TRUE(query->hasRepeats());
  EXPECT_EQ(query->get("flag"), "");
  EXPECT_EQ(query->get("empty"), "");
  EXPECT_EQ(query->get("missing"), std::nullopt);
}

TEST(Request, RejectsMalformedPercentEscapes) {
  auto query = Request(Verb::get, "/x?a=%zz").query();
  ASSERT_FALSE(query);
  EXPECT_EQ(query.error(), make_error_code(Error::kMalformedQuery));
}

TEST(Request, ParsesFormBodies) {
  Request request(Verb::post, "/login", "email=a%40b.c&password=p+w%26d&redirect_uri=x");
  request.setHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
  auto form = request.form();
  ASSERT_TRUE(form);
  EXPECT_EQ(form->get("email"), "a@b.c");
  EXPECT_EQ(form->get("password"), "p w&d");
  EXPECT_FALSE(form->hasRepeats());
  EXPECT_EQ(form->size(), 3u);
}

TEST(Request, RefusesFormOfAnotherContentType) {
  Request json(Verb::post, "/login", R"({"a":1})");
  json.setHeader("Content-Type", "application/json");
  EXPECT_EQ(json.form().error(), make_error_code(Error::kNotForm));
  Request bad(Verb::post, "/login", "a=%4");
  bad.setHeader("Content-Type", "application/x-www-form-urlencoded");
  EXPECT_EQ(bad.form().error(), make_error_code(Error::kMalformedForm));
}

TEST(Request, ReadsCookies) {
  Request request(Verb::get, "/");
  request.message().insert("Cookie", "a=1; session=abc123 ; quoted=\"q\"");
  request.message().insert("Cookie", "late=2");
  EXPECT_EQ(request.cookie("session"), "abc123");
  EXPECT_EQ(request.cookie("a"), "1");
  EXPECT_EQ(request.cookie("quoted"), "q");
  EXPECT_EQ(request.cookie("late"), "2");
  EXPECT_EQ(request.cookie("sess"), std::nullopt);
}

TEST(Response, SerializesCookiesWithAttributes) {
  Cookie cookie{
      .name = "csrf", .value = "tok", .max_age = std::chrono::seconds(600), .secure = true};
  EXPECT_EQ(cookie.serialize(), "csrf=tok; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Lax");
  auto response = Response::html("<p>x</p>").setCookie(cookie);
  EXPECT_EQ(response.header("Set-Cookie"), cookie.serialize());
  EXPECT_EQ(response.header("content-type"), "text/html; charset=utf-8");
}

TEST(Response, RefusesCookieValuesThatWouldInjectAttributes) {
  EXPECT_THROW((Cookie{.name = "a", .value = "x; Domain=evil"}.serialize()), std::invalid_argument);
  EXPECT_THROW((Cookie{.name = "a", .value = "x\r\nSet-Cookie: b"}.serialize()),
               std::invalid_argument);
  EXPECT_THROW((Cookie{.name = "", .value = "x"}.serialize()), std::invalid_argument);
}

TEST(Response, SetHeaderReplacesEveryFieldOfThatNameAddHeaderKeepsThem) {
  auto response = Response::text("x");
  response.addHeader("Vary", "Origin").addHeader("X-Trace", "1").addHeader("vary", "Cookie");
  EXPECT_EQ(response.header("VARY"), "Origin");  // the first one, case-insensitively
  response.setHeader("Vary", "Accept");
  std::vector<std::string> seen;
  response.forEachHeader([&](std::string_view name, std::string_view value) {
    seen.push_back(std::string(name) + "=" + std::string(value));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"Content-Type=text/plain; charset=utf-8", "X-Trace=1",
                                            "Vary=Accept"}));
  EXPECT_EQ(response.fields(),
            "Content-Type: text/plain; charset=utf-8\r\nX-Trace: 1\r\nVary: Accept\r\n");
  EXPECT_EQ(response.header("X-Missing"), std::nullopt);
  response.setHeader("Value-With-Colons", "a: b: c");
  EXPECT_EQ(response.header("value-with-colons"), "a: b: c");
}

// Header injection: a value can never end its line, a name never holds a separator, and the
// framing is the server's alone.
TEST(Response, RefusesFieldsThatWouldSplitTheHeaderOrChangeItsFraming) {
  Response response;
  EXPECT_THROW(response.setHeader("Location", "/a\r\nSet-Cookie: x=1"), std::invalid_argument);
  EXPECT_THROW(response.addHeader("X-A", std::string("a\0b", 3)), std::invalid_argument);
  EXPECT_THROW(response.addHeader("X-A", "line\nbreak"), std::invalid_argument);
  EXPECT_THROW(response.addHeader("Bad Name", "v"), std::invalid_argument);
  EXPECT_THROW(response.addHeader("Bad:Name", "v"), std::invalid_argument);
  EXPECT_THROW(response.addHeader("", "v"), std::invalid_argument);
  EXPECT_THROW(response.setHeader("content-length", "0"), std::invalid_argument);
  EXPECT_THROW(response.addHeader("Connection", "close"), std::invalid_argument);
  EXPECT_THROW(response.addHeader("Transfer-Encoding", "chunked"), std::invalid_argument);
  EXPECT_EQ(response.fields(), "");  // nothing was half-added
}

TEST(Response, AddsOnlyTheDefaultFieldsItDoesNotHave) {
  DefaultFields defaults;
  defaults.add("X-Frame-Options", "DENY").add("Referrer-Policy", "no-referrer");
  auto response = Response::html("x").setHeader("x-frame-options", "SAMEORIGIN");
  response.addMissing(defaults);
  EXPECT_EQ(response.fields(),
            "Content-Type: text/html; charset=utf-8\r\nx-frame-options: SAMEORIGIN\r\n"
            "Referrer-Policy: no-referrer\r\n");
  response.addMissing(defaults);  // nothing missing any more
  EXPECT_EQ(response.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(response.fields().find("Referrer-Policy"), response.fields().rfind("Referrer-Policy"));
}

TEST(Response, DefaultFieldsAreCheckedWhenAdded) {
  DefaultFields defaults;
  EXPECT_THROW(defaults.add("X-A", "a\r\nSet-Cookie: x=1"), std::invalid_argument);
  EXPECT_THROW(defaults.add("Content-Length", "0"), std::invalid_argument);
  EXPECT_THROW(defaults.add("Bad Name", "v"), std::invalid_argument);
  auto response = Response::text("x");
  const auto before = std::string(response.fields());
  response.addMissing(defaults);
  EXPECT_EQ(response.fields(), before);
}

TEST(Response, BuildsRedirects) {
  auto response = Response::redirect("https://example.com/cb?code=1");
  EXPECT_EQ(response.status(), 302u);
  EXPECT_EQ(response.header("Location"), "https://example.com/cb?code=1");
}

}  // namespace
}  // namespace parley::http
