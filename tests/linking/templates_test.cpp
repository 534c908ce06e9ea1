// Renders www/templates with the page models the Authorizer produces, as the host does.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <kainjow/mustache.hpp>

#include "harness.hpp"
#include "support/fixtures.hpp"

namespace parley::linking {
namespace {

namespace mustache = kainjow::mustache;

mustache::data toData(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      mustache::data data{mustache::data::type::object};
      for (const auto& [key, item] : value.as_object()) data.set(std::string{key}, toData(item));
      return data;
    }
    case boost::json::kind::array: {
      mustache::data data{mustache::data::type::list};
      for (const auto& item : value.as_array()) data.push_back(toData(item));
      return data;
    }
    case boost::json::kind::string:
      return mustache::data{std::string{value.as_string()}};
    case boost::json::kind::bool_:
      return value.as_bool() ? mustache::data{mustache::data::type::bool_true}
                             : mustache::data{mustache::data::type::bool_false};
    default:
      return mustache::data{boost::json::serialize(value)};
  }
}

std::string render(const std::string& view, const boost::json::object& model) {
  mustache::mustache tmpl{
      testing::readFile(testing::sourceDir() / "www/templates" / (view + ".mustache"))};
  EXPECT_TRUE(tmpl.is_valid()) << tmpl.error_message();
  return tmpl.render(toData(model));
}

class TemplatesTest : public testing::LinkingHarness {};

TEST_F(TemplatesTest, SignInPageEscapesEveryReflectedValueAndHasNoScript) {
  auto outcome = authorize(goodParams("\"><script>alert(1)</script>"));
  auto& page = std::get<ShowPage>(outcome);
  auto browser_handle = std::string{page.model.at("request").as_string()};
  auto csrf = std::string{page.model.at("csrf").as_string()};
  auto html = render(page.view, page.model);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("alert(1)"), std::string::npos);  // state is never rendered (R61)
  EXPECT_EQ(html.find("pitangui"), std::string::npos);
  EXPECT_NE(html.find("Parley &lt;Test&gt; &amp; Co"), std::string::npos);
  EXPECT_NE(html.find("Set-up Your Contact Info"), std::string::npos);
  EXPECT_NE(html.find("name=\"email\""), std::string::npos);
  EXPECT_NE(html.find("SUBMIT"), std::string::npos);
  EXPECT_NE(html.find("<label for=\"email\">"), std::string::npos);
  EXPECT_NE(html.find("value=\"" + csrf + "\""), std::string::npos);
  EXPECT_NE(html.find("name=\"viewport\""), std::string::npos);

  // T41: an invalid e-mail comes back escaped.
  std::string body = "request=" + browser_handle + "&csrf=" + csrf +
                     "&email=%3Cscript%3Ealert(1)%3C%2Fscript%3E%40x.y";
  auto again = authorizer_->signUp(FormInput{.form = *parseUrlEncoded(body),
                                             .body_bytes = body.size(),
                                             .content_type = "application/x-www-form-urlencoded",
                                             .binding_cookie = page.cookies.at(0).value,
                                             .origin = {},
                                             .sec_fetch_site = {},
                                             .server_origin = {},
                                             .user_agent = {},
                                             .client_ip = "192.0.2.9"});
  auto& retry = std::get<ShowPage>(again);
  auto retry_html = render(retry.view, retry.model);
  EXPECT_EQ(retry_html.find("<script"), std::string::npos);
  EXPECT_NE(retry_html.find("&lt;script&gt;alert(1)&lt;/script&gt;@x.y"), std::string::npos);
  EXPECT_NE(retry_html.find("role=\"alert\""), std::string::npos);
}

TEST_F(TemplatesTest, SuccessPageFollowsTheLinkWithoutScript) {
  boost::json::object model{{"title", "Success"},
                            {"client_name", "Skill"},
                            {"redirect_url", "https://a.example/cb#access_token=x&state=a%26b"}};
  auto html = render("success", model);
  EXPECT_NE(html.find("http-equiv=\"refresh\" "
                      "content=\"0;url=https://a.example/cb#access_token=x&amp;state=a%26b\""),
            std::string::npos);
  EXPECT_NE(html.find("href=\"https://a.example/cb#access_token=x&amp;state=a%26b\""),
            std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST_F(TemplatesTest, ErrorAndRedirectPagesRenderTheirModels) {
  ErrorPage error{.status = 400, .message = "Bad <link>", .retry_after = {}};
  auto html = render("error", error.model());
  EXPECT_NE(html.find("Bad &lt;link&gt;"), std::string::npos);
  Redirect redirect{.status = 303, .location = "https://a.example/cb?code=c&state=s"};
  EXPECT_NE(
      render("redirect", redirect.model()).find("href=\"https://a.example/cb?code=c&amp;state=s\""),
      std::string::npos);
}

TEST(SecurityHeaders, ForbidFramingAndListFormTargets) {
  auto headers = htmlSecurityHeaders({"https://pitangui.amazon.com"});
  std::map<std::string, std::string> map(headers.begin(), headers.end());
  EXPECT_EQ(map["Content-Security-Policy"],
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' "
            "https://pitangui.amazon.com; frame-ancestors 'none'; base-uri 'none'");
  EXPECT_EQ(map["X-Frame-Options"], "DENY");
  EXPECT_EQ(map["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(map["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(map["Cache-Control"], "no-store");
}

}  // namespace
}  // namespace parley::linking
