#include "parley/http/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace parley::http {
namespace {

namespace fs = std::filesystem;

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("parley-static-" + std::to_string(::getpid()));
    fs::create_directories(base_ / "www" / "static" / "css");
    write(base_ / "www" / "static" / "css" / "app.css", "body{}");
    write(base_ / "www" / "static" / "logo.svg", "<svg/>");
    write(base_ / "www" / "secret.txt", "secret");
    write(base_ / "outside.txt", "outside");
    fs::create_symlink(base_ / "outside.txt", base_ / "www" / "static" / "link.txt");
    router_.prefix(Verb::get, "/static/", staticFiles({.root = base_ / "www" / "static"}));
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  Response get(std::string_view target) { return router_.handle(Request(Verb::get, target)); }

  fs::path base_;
  Router router_;
};

TEST_F(StaticFiles, ServesFilesWithContentType) {
  auto css = get("/static/css/app.css");
  EXPECT_EQ(css.status(), 200u);
  EXPECT_EQ(css.body(), "body{}");
  EXPECT_EQ(css.header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.header("Cache-Control"), "public, max-age=300");
  EXPECT_EQ(get("/static/logo.svg").header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(get("/static/%6Cogo.svg").status(), 200u);  // encoded plain letter is fine
}

TEST_F(StaticFiles, AnswersMissingFilesAndDirectoriesWith404) {
  EXPECT_EQ(get("/static/nope.css").status(), 404u);
  EXPECT_EQ(get("/static/css").status(), 404u);
  EXPECT_EQ(get("/static/css/").status(), 404u);
  EXPECT_EQ(get("/static/").status(), 404u);
}

TEST_F(StaticFiles, RefusesEveryWayOutOfTheRoot) {
  for (const char* target : {
           "/static/../secret.txt",
           "/static/css/../../secret.txt",
           "/static/%2e%2e/secret.txt",
           "/static/%2E%2E%2Fsecret.txt",
           "/static/css/..%2f..%2fsecret.txt",
           "/static/..%5csecret.txt",
           "/static//etc/passwd",
           "/static/%2Fetc%2Fpasswd",
           "/static/./css/app.css",
           "/static/css//app.css",
           "/static/css/app.css%00.png",
           "/static/%zz",
           "/static/link.txt",
       }) {
    auto response = get(target);
    EXPECT_EQ(response.status(), 404u) << target;
    EXPECT_EQ(response.body().find("secret"), std::string::npos) << target;
    EXPECT_EQ(response.body().find("outside"), std::string::npos) << target;
  }
}

TEST(ContentType, FallsBackToOctetStream) {
  EXPECT_EQ(contentTypeFor("a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(contentTypeFor("a.bin"), "application/octet-stream");
  EXPECT_EQ(contentTypeFor("Makefile"), "application/octet-stream");
}

TEST(SecurityHeaders, AddsHeadersUnlessHandlerSetThem) {
  Router router;
  router.get("/", [](const Request&) { return Response::html("x"); });
  router.get("/framed", [](const Request&) {
    return Response::html("x").setHeader("X-Frame-Options", "SAMEORIGIN");
  });
  router.after(securityHeaders({.content_security_policy = "default-src 'none'"}));
  auto plain = router.handle(Request(Verb::get, "/"));
  EXPECT_EQ(plain.header("Content-Security-Policy"), "default-src 'none'");
  EXPECT_EQ(plain.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(plain.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(plain.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(plain.header("Strict-Transport-Security"), std::nullopt);
  EXPECT_EQ(router.handle(Request(Verb::get, "/framed")).header("X-Frame-Options"), "SAMEORIGIN");
  EXPECT_EQ(router.handle(Request(Verb::get, "/404")).header("X-Content-Type-Options"), "nosniff");
}

TEST(SecurityHeaders, SendStrictTransportSecurityOnlyToHttpsRequests) {
  Router router;
  router.get("/", [](const Request&) { return Response::html("x"); });
  router.after(securityHeaders({.strict_transport_security = "max-age=31536000"}));
  Request secure(Verb::get, "/");
  secure.setHttps(true);
  EXPECT_EQ(router.handle(secure).header("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_EQ(router.handle(Request(Verb::get, "/")).header("Strict-Transport-Security"),
            std::nullopt);
}

TEST(SecurityHeaders, AValueThatWouldSplitTheHeaderFailsWhenConfigured) {
  EXPECT_THROW(securityHeaders({.referrer_policy = "no-referrer\r\nSet-Cookie: a=b"}),
               std::invalid_argument);
  EXPECT_THROW(securityHeaders({.strict_transport_security = "max-age=1\n"}),
               std::invalid_argument);
}

}  // namespace
}  // namespace parley::http
