// `skill serve` as a user runs it: a real process on 127.0.0.1, a real HTTP client, the original
// kit's whole flow (sign-up page → form → redirect with token → POST /skill → welcome).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/algorithm/string.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "parley/net/http_client.hpp"
#include "support/fixtures.hpp"
#include "support/raw_client.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace parley {
namespace {

using parley::testing::binDir;
using parley::testing::readFile;
using parley::testing::sourceDir;

constexpr std::string_view kRedirect = "https://pitangui.amazon.com/api/skill/link/MTEST";
constexpr std::string_view kAndroid =
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36";

// A `skill serve` child process on an ephemeral port; SIGTERM and reaped at scope end.
class ServeProcess {
 public:
  ServeProcess(const std::filesystem::path& config, const std::filesystem::path& log) : log_(log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const std::string binary = (binDir() / "skill").string();
    const std::string config_arg = config.string();
    std::vector<char*> argv{const_cast<char*>(binary.c_str()),
                            const_cast<char*>("serve"),
                            const_cast<char*>("--port"),
                            const_cast<char*>("0"),
                            const_cast<char*>("--config"),
                            const_cast<char*>(config_arg.c_str()),
                            nullptr};
    if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ) != 0) pid_ = 0;
    posix_spawn_file_actions_destroy(&actions);
    const std::regex listening{R"(listening on http://127\.0\.0\.1:(\d+))"};
    for (int attempt = 0; attempt < 300 && port_ == 0 && pid_ != 0; ++attempt) {
      std::smatch match;
      const auto text = readFile(log_);
      if (std::regex_search(text, match, listening)) port_ = std::stoi(match[1]);
      if (port_ == 0 && !reaped()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~ServeProcess() { stop(); }

  // SIGTERM, then the exit status (-1 when it had to be killed).
  int stop() {
    if (pid_ == 0) return exit_code_;
    ::kill(pid_, SIGTERM);
    for (int attempt = 0; attempt < 500; ++attempt) {
      if (reaped()) return exit_code_;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    int status = 0;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
    return -1;
  }

  int port() const { return port_; }
  std::string log() const { return readFile(log_); }

 private:
  // True once the process has exited (its status kept for stop()).
  bool reaped() {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    pid_ = 0;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return true;
  }

  std::filesystem::path log_;
  pid_t pid_{0};
  int port_{0};
  int exit_code_{-1};
};

class Serve : public ::testing::Test {
 protected:
  // `server_keys`: more members of the "server" object, each starting with a comma.
  void start(std::string_view mode, bool success_page = true, std::size_t body_limit = 65536,
             std::string_view server_keys = {}) {
    config_ =
        dir_.write("config.json", R"({
      "server": {"host": "127.0.0.1", "port": 0, "www": ")" +
                                      (sourceDir() / "www").string() + R"(", "bodyLimit": )" +
                                      std::to_string(body_limit) + R"(, "idleTimeoutSeconds": 2)" +
                                      std::string(server_keys) + R"(},
      "storage": {"type": "sqlite", "path": ")" +
                                      (dir_ / "parley.db").string() + R"("},
      "skill": {"views": ")" + (sourceDir() / "app/views").string() +
                                      R"(", "seed": 1},
      "linking": {"mode": ")" + std::string(mode) +
                                      R"(", "successPage": )" + (success_page ? "true" : "false") +
                                      R"(,
        "clients": [{"id": "serve-test", "name": "Serve Test",
          "secret": "serve-test-secret-0123456789abcdef0123456789",
          "redirectUris": [")" + std::string(kRedirect) +
                                      R"("], "responseTypes": )" + response_types_ + R"(}]},
      "log": {"level": "info"}
    })");
    server_ = std::make_unique<ServeProcess>(config_, dir_ / "serve.log");
    ASSERT_NE(server_->port(), 0) << server_->log();
  }

  net::Response send(std::string method, std::string_view path, std::string body = {},
                     net::Headers headers = {}) {
    auto response = client_.send(
        {.method = std::move(method),
         .url = "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path),
         .headers = std::move(headers),
         .body = std::move(body)});
    EXPECT_TRUE(response) << (response ? "" : response.error().message());
    return response ? *response : net::Response{};
  }

  net::Response skill(const std::string& body) {
    return send("POST", "/skill", body, {{"Content-Type", "application/json"}});
  }

  static std::string launchWithToken(const std::string& token) {
    auto text = readFile(sourceDir() / "tests/fixtures/alexa/launch-linked.json");
    for (auto at = text.find("tok-linked"); at != std::string::npos; at = text.find("tok-linked")) {
      text.replace(at, 10, token);
    }
    return text;
  }

  static std::string hidden(const std::string& page, const std::string& name) {
    std::smatch match;
    const std::regex input{"name=\"" + name + "\" value=\"([^\"]*)\""};
    return std::regex_search(page, match, input) ? match[1].str() : std::string{};
  }

  static std::string cookieOf(const net::Response& response) {
    auto value = std::string(response.header("Set-Cookie").value_or(""));
    return value.substr(0, value.find(';'));
  }

  static std::string authorizeQuery(std::string_view response_type, std::string_view state) {
    boost::urls::url url{"/"};
    url.params().append({"response_type", response_type});
    url.params().append({"client_id", "serve-test"});
    url.params().append({"redirect_uri", kRedirect});
    url.params().append({"state", state});
    return std::string(url.buffer());
  }

  // GET the sign-up page, POST the e-mail as the original's form did; returns the final response.
  net::Response linkByEmail(std::string_view email, std::string_view user_agent) {
    const auto page = send("GET", authorizeQuery("token", "st&ate=1"));
    EXPECT_EQ(page.status, 200u) << page.body;
    const auto form = "request=" + hidden(page.body, "request") +
                      "&csrf=" + hidden(page.body, "csrf") +
                      "&email=" + boost::urls::encode(email, boost::urls::unreserved_chars);
    return send("POST", "/", form,
                {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Cookie", cookieOf(page)},
                 {"Origin", "http://127.0.0.1:" + std::to_string(server_->port())},
                 {"User-Agent", std::string(user_agent)}});
  }

  // POSTs `fields` with the request handle, CSRF token and cookie of the sign-in `page`.
  net::Response submit(std::string_view path, const net::Response& page, std::string fields,
                       std::string_view user_agent = "Mozilla/5.0 (X11; Linux x86_64)") {
    const auto form =
        "request=" + hidden(page.body, "request") + "&csrf=" + hidden(page.body, "csrf") + fields;
    return send("POST", path, form,
                {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Cookie", cookieOf(page)},
                 {"Origin", "http://127.0.0.1:" + std::to_string(server_->port())},
                 {"User-Agent", std::string(user_agent)}});
  }

  static std::string fragmentParam(std::string_view location, std::string_view name) {
    const std::string fragment{location.substr(location.find('#') + 1)};
    auto params = boost::urls::parse_query(fragment);
    if (!params) return {};
    for (const auto& param : *params) {
      if (param.key.decode() == name) return param.value.decode();
    }
    return {};
  }

  parley::testing::TempDir dir_;
  std::string response_types_{R"(["code", "token"])"};  // of the config client
  std::filesystem::path config_;
  std::unique_ptr<ServeProcess> server_;
  net::BeastHttpClient client_;
};

TEST_F(Serve, LinksByEmailThenGreetsTheUserByToken) {
  start("email-only");
  const auto linked = linkByEmail("ada@example.com", kAndroid);
  ASSERT_TRUE(linked.status == 302 || linked.status == 303) << linked.status << linked.body;
  const std::string location{linked.header("Location").value_or("")};
  ASSERT_EQ(location.rfind(std::string(kRedirect) + "#", 0), 0u) << location;
  EXPECT_EQ(fragmentParam(location, "state"), "st&ate=1");
  EXPECT_EQ(fragmentParam(location, "token_type"), "Bearer");
  const auto token = fragmentParam(location, "access_token");
  ASSERT_GE(token.size(), 32u);

  const auto reply = skill(launchWithToken(token));
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.header("Content-Type").value_or(""), "application/json");
  const auto json = boost::json::parse(reply.body);
  EXPECT_EQ(json.at("response").at("outputSpeech").at("ssml"),
            "<speak>Welcome ada@example.com! You are authenticated.</speak>");
  EXPECT_EQ(server_->log().find(token), std::string::npos) << "the token reached the log";
  EXPECT_EQ(server_->log().find("ada@example.com"), std::string::npos) << "an e-mail was logged";
}

TEST_F(Serve, DesktopBrowsersGetASuccessPageThatFollowsTheLink) {
  start("email-only");
  const auto linked = linkByEmail("grace@example.com", "Mozilla/5.0 (X11; Linux x86_64)");
  ASSERT_EQ(linked.status, 200u) << linked.body;
  EXPECT_NE(linked.body.find("http-equiv=\"refresh\""), std::string::npos);
  EXPECT_NE(linked.body.find(std::string(kRedirect)), std::string::npos);
  EXPECT_EQ(linked.body.find("<script"), std::string::npos);
}

TEST_F(Serve, WithoutTheSuccessPageEveryoneIsRedirected) {
  start("email-only", /*success_page=*/false);
  const auto linked = linkByEmail("grace@example.com", "Mozilla/5.0 (X11; Linux x86_64)");
  EXPECT_TRUE(linked.status == 302 || linked.status == 303) << linked.status;
}

TEST_F(Serve, UnlinkedUsersGetTheLinkAccountCard) {
  start("accounts");
  const auto reply = skill(readFile(sourceDir() / "tests/fixtures/alexa/launch-unlinked.json"));
  ASSERT_EQ(reply.status, 200u);
  const auto json = boost::json::parse(reply.body);
  EXPECT_EQ(json.at("response").at("card").at("type"), "LinkAccount");
  EXPECT_EQ(json.at("response").at("shouldEndSession"), true);
  // A token nobody issued is the same as none.
  const auto unknown = boost::json::parse(skill(launchWithToken("forged-token")).body);
  EXPECT_EQ(unknown.at("response").at("card").at("type"), "LinkAccount");
}

TEST_F(Serve, RejectsBadClientsAndRedirectsWithoutRedirecting) {
  start("email-only");
  auto query = authorizeQuery("token", "s");
  auto bad_client = query;
  bad_client.replace(bad_client.find("serve-test"), 10, "evil");
  const auto unknown_client = send("GET", bad_client);
  EXPECT_EQ(unknown_client.status, 400u);
  EXPECT_FALSE(unknown_client.header("Location"));
  EXPECT_NE(unknown_client.header("Content-Type").value_or("").find("text/html"),
            std::string::npos);

  const auto evil = send(
      "GET", "/?response_type=token&client_id=serve-test&state=s&redirect_uri=" +
                 boost::urls::encode("https://evil.example/cb", boost::urls::unreserved_chars));
  EXPECT_EQ(evil.status, 400u);
  EXPECT_FALSE(evil.header("Location"));
  EXPECT_EQ(evil.body.find("evil.example"), std::string::npos);

  const auto unsupported = send("GET", authorizeQuery("id_token", "s1"));
  EXPECT_EQ(unsupported.status, 302u);
  const std::string location{unsupported.header("Location").value_or("")};
  EXPECT_NE(location.find("error=unsupported_response_type"), std::string::npos) << location;
  EXPECT_NE(location.find("state=s1"), std::string::npos) << location;
}

TEST_F(Serve, PagesCarrySecurityHeadersAndEscapeReflectedValues) {
  start("email-only");
  const auto page = send("GET", authorizeQuery("token", "<script>alert(1)</script>"));
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.header("Content-Security-Policy").value_or("").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(page.header("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_TRUE(page.header("Referrer-Policy"));
  EXPECT_NE(page.header("Cache-Control").value_or("").find("no-store"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  const auto css = send("GET", "/static/style.css");
  EXPECT_EQ(css.status, 200u);
  EXPECT_NE(css.header("Content-Type").value_or("").find("text/css"), std::string::npos);
}

// T19: the authorization endpoint is GET only (HEAD is answered by the GET handler).
TEST_F(Serve, AuthorizeAnswersOtherMethodsWith405AndAllowGet) {
  start("accounts");
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    const auto reply = send(method, "/authorize" + authorizeQuery("code", "s").substr(1), "a=1",
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(reply.status, 405u) << method;
    EXPECT_EQ(reply.header("Allow").value_or(""), "GET, HEAD") << method;
    EXPECT_FALSE(reply.header("Set-Cookie")) << method;
  }
}

// T49 (R50, R51): every HTML page of the flow, including the error pages.
TEST_F(Serve, SignInAndErrorPagesForbidFramingSniffingReferrersAndCaching) {
  start("accounts");
  auto expect_headers = [](const net::Response& page, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(page.header("Content-Type").value_or(""), "text/html; charset=utf-8");
    const std::string csp{page.header("Content-Security-Policy").value_or("")};
    for (const char* directive : {"default-src 'none'", "style-src 'self'", "form-action 'self'",
                                  "frame-ancestors 'none'", "base-uri 'none'"}) {
      EXPECT_NE(csp.find(directive), std::string::npos) << directive << " in " << csp;
    }
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(page.header("X-Frame-Options").value_or(""), "DENY");
    EXPECT_EQ(page.header("X-Content-Type-Options").value_or(""), "nosniff");
    EXPECT_EQ(page.header("Referrer-Policy").value_or(""), "no-referrer");
    EXPECT_EQ(page.header("Cache-Control").value_or(""), "no-store");
  };
  const auto page = send("GET", "/authorize" + authorizeQuery("code", "s").substr(1));
  ASSERT_EQ(page.status, 200u);
  expect_headers(page, "sign-in page");
  // The final 303 goes to Alexa, so form-action lists the client's redirect origin (R50).
  EXPECT_NE(page.header("Content-Security-Policy")->find("form-action 'self' https://pitangui"),
            std::string::npos);

  auto bad_client = authorizeQuery("code", "s");
  bad_client.replace(bad_client.find("serve-test"), 10, "evil");
  const auto invalid_link = send("GET", bad_client);
  EXPECT_EQ(invalid_link.status, 400u);
  expect_headers(invalid_link, "400 invalid link");

  const auto forged = send("POST", "/authorize/login", "request=x&csrf=y",
                           {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(forged.status, 403u);
  expect_headers(forged, "403 unverified form");

  const auto wrong_password =
      submit("/authorize/login", page, "&email=nobody%40example.com&password=wrong-password");
  EXPECT_EQ(wrong_password.status, 200u);
  EXPECT_NE(wrong_password.body.find("E-mail or password is incorrect."), std::string::npos);
  expect_headers(wrong_password, "sign-in page with an error");

  const auto second = send("GET", "/authorize" + authorizeQuery("code", "s2").substr(1));
  const auto success =
      submit("/authorize/signup", second, "&email=ada%40example.com&password=correct-horse");
  EXPECT_EQ(success.status, 200u);
  expect_headers(success, "success page");

  const auto third = send("GET", "/authorize" + authorizeQuery("code", "s3").substr(1));
  const auto redirect = submit("/authorize/cancel", third, "", kAndroid);
  EXPECT_EQ(redirect.status, 303u);
  expect_headers(redirect, "redirect fallback page");
}

// T50 (R47, R52): the browser-binding cookie of the sign-in page.
TEST_F(Serve, BindingCookieIsHostOnlySecureHttpOnlyLaxAndShortLived) {
  start("accounts");
  const auto page = send("GET", "/authorize" + authorizeQuery("token", "s").substr(1));
  ASSERT_EQ(page.status, 200u);
  std::vector<std::string> cookies;
  for (const auto& [name, value] : page.headers) {
    if (boost::algorithm::iequals(name, "Set-Cookie")) cookies.push_back(value);
  }
  ASSERT_EQ(cookies.size(), 1u);
  std::vector<std::string> parts;
  boost::algorithm::split(parts, cookies[0], boost::algorithm::is_any_of(";"));
  for (auto& part : parts) boost::algorithm::trim(part);
  EXPECT_EQ(parts[0].rfind("__Host-al_req=", 0), 0u) << cookies[0];
  EXPECT_EQ(parts[0].size(), std::string("__Host-al_req=").size() + 43) << "32 random bytes";
  const std::set<std::string> attributes(parts.begin() + 1, parts.end());
  for (const char* expected : {"Secure", "HttpOnly", "SameSite=Lax", "Path=/"}) {
    EXPECT_TRUE(attributes.contains(expected)) << expected << " in " << cookies[0];
  }
  int max_age = -1;
  for (const auto& attribute : attributes) {
    EXPECT_FALSE(boost::algorithm::istarts_with(attribute, "Domain")) << cookies[0];
    EXPECT_FALSE(boost::algorithm::istarts_with(attribute, "Expires")) << cookies[0];
    if (attribute.rfind("Max-Age=", 0) == 0) max_age = std::stoi(attribute.substr(8));
  }
  EXPECT_GT(max_age, 0) << cookies[0];
  EXPECT_LE(max_age, 600) << cookies[0];
}

TEST_F(Serve, AnswersBadInputWithClearErrors) {
  start("accounts", true, /*body_limit=*/4096);
  EXPECT_EQ(send("GET", "/healthz").status, 200u);
  EXPECT_EQ(send("GET", "/nowhere").status, 404u);
  const auto wrong_method = send("GET", "/skill");
  EXPECT_EQ(wrong_method.status, 405u);
  EXPECT_EQ(wrong_method.header("Allow").value_or(""), "POST");

  const auto not_json = send("POST", "/skill", "{}", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(not_json.status, 415u);
  EXPECT_EQ(send("POST", "/skill", "{}", {{"Content-Type", "application/jso"}}).status, 415u);
  // Media types compare without regard to ASCII case, parameters allowed: past the type check,
  // "{}" is refused as no Alexa request.
  EXPECT_EQ(
      send("POST", "/skill", "{}", {{"Content-Type", "Application/JSON; charset=utf-8"}}).status,
      400u);
  for (const std::string body : {"{", "[]", R"({"version":"1.0"})", "null", ""}) {
    const auto reply = skill(body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_TRUE(boost::json::parse(reply.body).as_object().contains("error")) << reply.body;
  }
  EXPECT_EQ(skill(std::string(5000, ' ')).status, 413u);
  EXPECT_EQ(send("GET", "/healthz", {}, {{"X-Big", std::string(9000, 'a')}}).status, 431u);
  // Still serving after all of that.
  EXPECT_EQ(skill(readFile(sourceDir() / "tests/fixtures/alexa/intent-help.json")).status, 200u);
}

// Seeded random damage to valid skill requests (sized and chunked), the sign-up page's query, its
// form post and a token request (bytes flipped, cut, inserted, duplicated): each gets a 4xx/2xx
// answer or a close, never a hang or a 5xx, and the server (under ASan in the Debug preset) still
// answers correctly afterwards.
TEST_F(Serve, SurvivesMangledRequests) {
  start("accounts", true, /*body_limit=*/4096);
  const auto port = static_cast<unsigned short>(server_->port());
  const auto json = readFile(sourceDir() / "tests/fixtures/alexa/intent-help.json");
  const std::string form = "request=abc&csrf=def&email=ada%40example.com";
  const std::string token_form =
      "grant_type=authorization_code&code=abc&client_id=serve-test&client_secret=serve-test-"
      "secret-0123456789abcdef0123456789&redirect_uri=" +
      boost::urls::encode(kRedirect, boost::urls::unreserved_chars);
  const std::vector<std::string> originals{
      "POST /skill HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
          std::to_string(json.size()) + "\r\n\r\n" + json,
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Cookie: __Host-al_req=x\r\nContent-Length: " +
          std::to_string(form.size()) + "\r\n\r\n" + form,
      "POST /skill HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
          (std::ostringstream{} << std::hex << json.size()).str() + "\r\n" + json + "\r\n0\r\n\r\n",
      "GET " + authorizeQuery("token", "st") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
          std::to_string(token_form.size()) + "\r\n\r\n" + token_form};
  std::mt19937 random(20261129);
  const auto below = [&random](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  std::map<unsigned, int> statuses;
  for (int round = 0; round < 1000; ++round) {
    auto bytes = originals[round % originals.size()];
    for (int damage = 0, count = 1 + static_cast<int>(below(4)); damage < count; ++damage) {
      const auto at = below(bytes.size());
      switch (below(4)) {
        case 0:
          bytes[at] = static_cast<char>(below(256));
          break;
        case 1:
          bytes.erase(at, 1 + below(std::min<std::size_t>(40, bytes.size() - at)));
          break;
        case 2:
          for (auto n = 1 + below(8); n > 0; --n) {
            bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                         static_cast<char>(below(256)));
          }
          break;
        default:
          bytes.insert(at, bytes.substr(at, 1 + below(60)));
      }
      if (bytes.empty()) bytes = "\r\n";
    }
    parley::testing::RawClient raw(port, std::chrono::seconds(3));
    raw.trySend(bytes);
    raw.finishSending();
    const auto response = raw.readResponse();
    const unsigned status = response ? response->result_int() : 0;  // 0: closed without one
    // EOF or reset: the server is done with us; a read timing out means it hung.
    ASSERT_TRUE(raw.closedByServer()) << "round " << round << ": no answer and no close";
    ASSERT_LT(status, 500u) << "round " << round << ":\n" << bytes;
    ++statuses[status];
  }
  // The damage reached past the parser: some requests were refused and some still answered.
  EXPECT_GT(statuses[400], 0);
  EXPECT_GT(statuses[200], 0);
  const auto reply = skill(json);
  EXPECT_EQ(reply.status, 200u);
  EXPECT_NE(reply.body.find("Some help text here."), std::string::npos);
  EXPECT_EQ(server_->stop(), 0) << server_->log();
}

TEST_F(Serve, AnswersManyClientsAtOnce) {
  start("accounts");
  const auto body = readFile(sourceDir() / "tests/fixtures/alexa/intent-help.json");
  std::atomic<int> correct{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 16; ++c) {
    clients.emplace_back([&] {
      net::BeastHttpClient own;
      for (int i = 0; i < 25; ++i) {
        auto reply =
            own.send({.method = "POST",
                      .url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/skill",
                      .headers = {{"Content-Type", "application/json"}},
                      .body = body});
        if (reply && reply->status == 200 &&
            reply->body.find("Some help text here.") != std::string::npos) {
          ++correct;
        }
      }
    });
  }
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(correct.load(), 16 * 25);
}

// T22 (R15): a config client without "token" in responseTypes has no implicit grant.
TEST_F(Serve, ConfigClientWithoutTokenResponseTypeRefusesTheImplicitGrant) {
  response_types_ = R"(["code"])";
  start("accounts");
  const auto implicit = send("GET", "/authorize" + authorizeQuery("token", "s1").substr(1));
  EXPECT_EQ(implicit.status, 302u);
  const std::string location{implicit.header("Location").value_or("")};
  EXPECT_EQ(location.rfind(std::string(kRedirect) + "#", 0), 0u) << location;
  EXPECT_EQ(fragmentParam(location, "error"), "unauthorized_client") << location;
  EXPECT_EQ(fragmentParam(location, "state"), "s1");
  EXPECT_FALSE(implicit.header("Set-Cookie")) << "no sign-in page for a refused grant";
  EXPECT_EQ(send("GET", "/authorize" + authorizeQuery("code", "s2").substr(1)).status, 200u);
}

// R4: without HTTPS nothing is processed; 127.0.0.1 is not the trusted proxy, so its
// X-Forwarded-Proto is a client's claim and changes nothing.
TEST_F(Serve, RedirectsOrRefusesPlainHttpWhenHttpsIsRequired) {
  start("accounts", true, 65536, R"(, "trustedProxies": ["10.0.0.1"], "requireHttps": true)");
  const auto target = "/authorize" + authorizeQuery("code", "s").substr(1);
  for (const net::Headers& headers :
       {net::Headers{}, net::Headers{{"X-Forwarded-Proto", "https"}}}) {
    const auto page = send("GET", target, {}, headers);
    EXPECT_EQ(page.status, 301u);
    EXPECT_EQ(page.header("Location").value_or(""), "https://127.0.0.1" + target);
    EXPECT_FALSE(page.header("Set-Cookie")) << "the sign-in page was rendered";
    EXPECT_FALSE(page.header("Strict-Transport-Security"));
  }
  EXPECT_EQ(send("HEAD", "/static/style.css").header("Location").value_or(""),
            "https://127.0.0.1/static/style.css");

  const auto form = send("POST", "/authorize/login", "request=x&csrf=y&email=a%40b.c&password=p",
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 403u);
  EXPECT_EQ(form.header("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_NE(form.body.find("HTTPS is required."), std::string::npos) << form.body;

  const auto token = send("POST", "/oauth/token",
                          "grant_type=authorization_code&code=ac_x&client_id=serve-test&"
                          "client_secret=serve-test-secret-0123456789abcdef0123456789",
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(token.status, 403u);
  EXPECT_EQ(token.header("Cache-Control").value_or(""), "no-store");
  const auto error = boost::json::parse(token.body);
  EXPECT_EQ(error.at("error"), "invalid_request");
  EXPECT_EQ(error.at("error_description"), "HTTPS is required.");
  // An API client is refused even on GET: a redirect would have it resend its token.
  const auto userinfo = send("GET", "/oauth/userinfo", {}, {{"Authorization", "Bearer at_x"}});
  EXPECT_EQ(userinfo.status, 403u);
  EXPECT_FALSE(userinfo.header("Location"));
  const auto reply = skill(readFile(sourceDir() / "tests/fixtures/alexa/intent-help.json"));
  EXPECT_EQ(reply.status, 403u);
  EXPECT_EQ(boost::json::parse(reply.body).at("error"), "HTTPS is required.");

  EXPECT_EQ(send("GET", "/healthz").status, 200u) << "load balancers probe over plain HTTP";
}

TEST_F(Serve, ServesWhatATrustedProxyReceivedOverHttpsWithHsts) {
  start("accounts", true, 65536, R"(, "trustedProxies": ["127.0.0.1"], "requireHttps": true)");
  const net::Headers via_https{{"X-Forwarded-For", "198.51.100.7"}, {"X-Forwarded-Proto", "https"}};
  const auto target = "/authorize" + authorizeQuery("code", "s").substr(1);
  const auto page = send("GET", target, {}, via_https);
  ASSERT_EQ(page.status, 200u) << page.body;
  EXPECT_EQ(page.header("Strict-Transport-Security").value_or(""), "max-age=31536000");
  // The browser's origin is https:// now, and the form is accepted as same-origin.
  const auto form = "request=" + hidden(page.body, "request") +
                    "&csrf=" + hidden(page.body, "csrf") +
                    "&email=nobody%40example.com&password=wrong-password";
  auto headers = via_https;
  headers.insert(headers.end(),
                 {{"Content-Type", "application/x-www-form-urlencoded"},
                  {"Cookie", cookieOf(page)},
                  {"Origin", "https://127.0.0.1:" + std::to_string(server_->port())}});
  const auto wrong = send("POST", "/authorize/login", form, headers);
  EXPECT_EQ(wrong.status, 200u);
  EXPECT_NE(wrong.body.find("E-mail or password is incorrect."), std::string::npos);
  // The same proxy forwarding a plain-HTTP request.
  EXPECT_EQ(send("GET", target, {}, {{"X-Forwarded-Proto", "http"}}).status, 301u);
}

// R62: 20 form posts per client address; behind a trusted proxy the address is the forwarded one.
class ServeThrottle : public Serve {
 protected:
  // POSTs an invalid e-mail (counted, then re-rendered without hashing a password) as
  // `client`; returns the status.
  unsigned post(const std::string& client) {
    const auto form = "request=" + hidden(page_.body, "request") +
                      "&csrf=" + hidden(page_.body, "csrf") +
                      "&email=not-an-email&password=whatever";
    auto reply = send("POST", "/authorize/login", form,
                      {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Cookie", cookie_},
                       {"Origin", "http://127.0.0.1:" + std::to_string(server_->port())},
                       {"X-Forwarded-For", client}});
    if (reply.status == 400) page_ = reply;  // a fresh CSRF token for the next post
    return reply.status;
  }

  void openPage() {
    page_ = send("GET", "/authorize" + authorizeQuery("code", "s").substr(1));
    ASSERT_EQ(page_.status, 200u);
    cookie_ = cookieOf(page_);
  }

  net::Response page_;
  std::string cookie_;
};

TEST_F(ServeThrottle, CountsPostsPerForwardedClientAddress) {
  start("accounts", true, 65536, R"(, "trustedProxies": ["127.0.0.1"])");
  openPage();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(post("198.51.100.7"), 400u) << i;
  EXPECT_EQ(post("198.51.100.7"), 429u);
  // Another client behind the same proxy has its own count.
  EXPECT_EQ(post("198.51.100.8"), 400u);
}

TEST_F(ServeThrottle, IgnoresForwardedAddressesFromAnUntrustedPeer) {
  start("accounts");
  openPage();
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(post("198.51.100." + std::to_string(i)), 400u) << i;
  }
  EXPECT_EQ(post("198.51.100.99"), 429u) << "a spoofed X-Forwarded-For escaped the limit";
}

TEST_F(Serve, RefusesToStartWithBadProxySettings) {
  const auto run = [this](std::string_view server_keys) {
    const auto config =
        dir_.write("bad.json", R"({"storage": {"path": ":memory:"}, "server": {"port": 0)" +
                                   std::string(server_keys) + "}}");
    ServeProcess process(config, dir_ / "bad.log");
    EXPECT_EQ(process.port(), 0);
    EXPECT_EQ(process.stop(), 2);
    return process.log();
  };
  EXPECT_NE(
      run(R"(, "trustedProxies": ["10.0.0.0/8", "proxy.internal"])")
          .find("server.trustedProxies: \"proxy.internal\" is not an IP address or CIDR range"),
      std::string::npos);
  EXPECT_NE(run(R"(, "requireHttps": true)").find("server.requireHttps: needs server.tls"),
            std::string::npos);
}

// A token pepper that is not 64 hex characters stops `skill serve` before it listens, with a
// message that names the variable and never repeats its value.
TEST_F(Serve, RefusesToStartWithAMalformedTokenPepper) {
  const std::string bad_pepper = "not-a-pepper-" + std::string(51, 'q');  // 64 characters
  ::setenv("PARLEY_TOKEN_PEPPER", bad_pepper.c_str(), 1);                 // inherited by the child
  const auto config = dir_.write("pepper.json", R"({"storage": {"path": ":memory:"}})");
  ServeProcess process(config, dir_ / "pepper.log");
  ::unsetenv("PARLEY_TOKEN_PEPPER");
  EXPECT_EQ(process.port(), 0);
  EXPECT_EQ(process.stop(), 2);
  const auto log = process.log();
  EXPECT_EQ(log,
            "PARLEY_TOKEN_PEPPER: expected 64 hex characters (32 bytes, e.g. from `openssl rand "
            "-hex 32`)\n");
  EXPECT_EQ(log.find(bad_pepper.substr(0, 12)), std::string::npos);
}

TEST_F(Serve, StopsCleanlyOnSigterm) {
  start("accounts");
  EXPECT_EQ(send("GET", "/healthz").status, 200u);
  EXPECT_EQ(server_->stop(), 0) << server_->log();
}

}  // namespace
}  // namespace parley
