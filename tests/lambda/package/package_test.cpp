// The packaged bootstrap, unzipped alone into an empty directory (a chroot of it when running as
// root) with only Lambda's variables and SKILL_ENV=test in its environment, driven by the fake
// Runtime API. It serves the real skill and pages of config/test.json (sqlite ":memory:").

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "base64.hpp"
#include "fake_runtime_api.hpp"
#include "support/fixtures.hpp"

namespace parley::lambda {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using testing::FakeRuntimeApi;
using testing::Posted;
using namespace std::chrono_literals;

fs::path zipPath() { return testing::sourceDir() / "dist" / "skill-lambda.zip"; }

std::string capture(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");  // NOLINT(cert-env33-c): fixed test commands
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer{};
  while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    out.append(buffer.data(), n);
  ::pclose(pipe);
  return out;
}

class PackagedBootstrap : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(zipPath())) GTEST_SKIP() << "no " << zipPath() << "; run `make package`";
    std::string dir_template = (fs::temp_directory_path() / "parley-lambda-XXXXXX").string();
    ASSERT_NE(::mkdtemp(dir_template.data()), nullptr);
    root_ = dir_template;
    const auto unzip =
        "unzip -q '" + zipPath().string() + "' -d '" + (root_ / "task").string() + "'";
    ASSERT_EQ(std::system(unzip.c_str()), 0);  // NOLINT(concurrency-mt-unsafe,cert-env33-c)
  }
  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
  }

  // Starts the bootstrap the way Lambda does: no arguments, Lambda's variables only.
  pid_t start(const FakeRuntimeApi& fake, const std::string& handler,
              const std::string& skill_env = "test", std::vector<std::string> more_env = {}) {
    const fs::path task = root_ / "task";
    task_root_ = chrooted() ? "/" : task.string();
    std::vector<std::string> env = {"AWS_LAMBDA_RUNTIME_API=" + fake.endpoint(),
                                    "_HANDLER=" + handler, "LAMBDA_TASK_ROOT=" + task_root_,
                                    "SKILL_ENV=" + skill_env};
    env.insert(env.end(), more_env.begin(), more_env.end());
    std::vector<char*> envp;
    for (auto& entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);
    const bool chroot = chrooted();
    std::string program = chroot ? "/bootstrap" : (task / "bootstrap").string();
    std::array<char*, 2> argv{program.data(), nullptr};
    const auto log = (root_ / "output.log").string();
    const std::string task_dir = task.string();

    const pid_t pid = ::fork();
    if (pid == 0) {  // only async-signal-safe calls until exec
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
      }
      if (chroot && ::chroot(task_dir.c_str()) != 0) ::_exit(126);
      if (::chdir(chroot ? "/" : task_dir.c_str()) != 0) ::_exit(126);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    return pid;
  }

  // The exit status, or -1 when it had to be killed after `limit`.
  static int waitFor(pid_t pid, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > until) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        return -1;
      }
      std::this_thread::sleep_for(5ms);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::string output() const { return testing::readFile(root_ / "output.log"); }

  // The bootstrap runs in a chroot of the unpacked zip when the test may create one.
  static bool chrooted() { return ::geteuid() == 0; }

  // Puts `file` where the function sees `path` (an absolute path on Lambda); returns the path
  // the function is to be given.
  std::string placeInTask(const fs::path& file, const std::string& path) const {
    const auto target = root_ / "task" / path.substr(1);
    fs::create_directories(target.parent_path());
    fs::copy_file(file, target);
    return chrooted() ? path : target.string();
  }

  fs::path root_;
  std::string task_root_;
};

TEST_F(PackagedBootstrap, IsOneStaticStrippedExecutableUnderFiveMegabytes) {
  EXPECT_LT(fs::file_size(zipPath()), 5U * 1024 * 1024);
  const auto bootstrap = root_ / "task" / "bootstrap";
  struct stat info {};
  ASSERT_EQ(::stat(bootstrap.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0755U);
  const auto description = capture("file -b '" + bootstrap.string() + "'");
  EXPECT_NE(description.find("statically linked"), std::string::npos) << description;
  EXPECT_EQ(description.find("not stripped"), std::string::npos) << description;
  std::string listing{"\n"};  // one path per line, each between newlines
  listing += capture("unzip -Z1 '" + zipPath().string() + "'");
  // bootstrap at the root, beside what the function reads relative to LAMBDA_TASK_ROOT.
  for (const char* entry : {"bootstrap", "app/views/en-US.json", "www/templates/signin.mustache",
                            "www/templates/error.mustache", "www/static/style.css",
                            "config/test.json", "config/production.json"}) {
    EXPECT_NE(listing.find(std::string{"\n"}.append(entry).append("\n")), std::string::npos)
        << entry << " missing from\n"
        << listing;
  }
  EXPECT_EQ(listing.find("config/local.json"), std::string::npos) << listing;
}

// The query of an authorization request for config/test.json's client.
json::object authorizeQuery() {
  return {{"response_type", "token"},
          {"client_id", "parley-test"},
          {"redirect_uri", "https://pitangui.amazon.com/api/skill/link/MTESTVENDOR01"},
          {"state", "s"}};
}

// The API Gateway v1 fixture asking for the sign-in page of config/test.json's client.
std::string authorizeEvent() {
  auto event = json::parse(testing::readFixture("lambda/apigw-v1-get-root.json"));
  auto& object = event.as_object();
  const json::object query = authorizeQuery();
  object["queryStringParameters"] = query;
  json::object multi;
  for (const auto& [name, value] : query) multi[name] = json::array{value};
  object["multiValueQueryStringParameters"] = std::move(multi);
  return json::serialize(event);
}

std::string withPath(const std::string& fixture, const std::string& path) {
  auto event = json::parse(testing::readFixture(fixture));
  auto& object = event.as_object();
  if (object.contains("rawPath")) {  // v2
    object["rawPath"] = path;
    object["rawQueryString"] = "";
    object["requestContext"].as_object()["http"].as_object()["path"] = path;
  } else {
    object["path"] = path;
    object["resource"] = path;
  }
  return json::serialize(event);
}

// Header names keep the case the router gave them; compare them as HTTP does.
std::string header(const json::value& reply, std::string_view name) {
  for (const auto& [key, value] : reply.at("headers").as_object()) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        }))
      return std::string(value.as_string());
  }
  return {};
}

std::string alexaLaunchWithout(std::string_view field) {
  auto event = json::parse(testing::readFixture("lambda/alexa-launch-event.json"));
  event.as_object().erase(field);
  return json::serialize(event);
}

TEST_F(PackagedBootstrap, ServesTheRealSkillAndPagesAndReportsFailuresFromAnEmptyRoot) {
  FakeRuntimeApi fake;
  const auto unlinked = fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  const auto signin = fake.enqueue(authorizeEvent());
  const auto health = fake.enqueue(withPath("lambda/apigw-v1-get-root.json", "/healthz"));
  const auto form = fake.enqueue(withPath("lambda/apigw-v2-post-form.json", "/authorize/login"));
  const auto url = fake.enqueue(withPath("lambda/lambda-url-get-root.json", "/healthz"));
  const auto no_version = fake.enqueue(alexaLaunchWithout("version"));
  const auto no_request = fake.enqueue(alexaLaunchWithout("request"));
  const auto garbage = fake.enqueue("{\"version\":\"2.0\",");
  const auto unknown = fake.enqueue(R"({"Records":[{"eventSource":"aws:sqs"}]})");
  const auto last = fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  fake.finish();

  const auto pid = start(fake, "skill");
  EXPECT_EQ(waitFor(pid, 30s), 1) << output();  // it exits once the Runtime API fails
  ASSERT_EQ(fake.posts().size(), 10U) << output();

  const auto body = [&fake](const std::string& id, Posted::Kind kind = Posted::Kind::kResponse) {
    const auto posted = fake.postFor(id);
    EXPECT_TRUE(posted.has_value()) << id;
    if (!posted) return json::value{};
    EXPECT_EQ(posted->kind, kind) << posted->body;
    return json::parse(posted->body);
  };
  const auto launch = body(unlinked);
  EXPECT_EQ(launch.at("response").at("card").at("type"), "LinkAccount") << launch;
  EXPECT_TRUE(launch.at("response")
                  .at("outputSpeech")
                  .at("ssml")
                  .as_string()
                  .starts_with("<speak>Hello! It seems you have not gone through the account "
                               "linking process."))
      << launch;

  const auto page = body(signin);
  EXPECT_EQ(page.at("statusCode"), 200) << page;
  EXPECT_EQ(header(page, "content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.at("body").as_string().find("<form"), json::string::npos) << page;
  EXPECT_NE(page.at("body").as_string().find("Parley Test"), json::string::npos) << page;
  EXPECT_EQ(page.at("isBase64Encoded"), false);

  const auto healthz = body(health);
  EXPECT_EQ(healthz.at("statusCode"), 200);
  EXPECT_EQ(healthz.at("body"), R"({"status":"ok"})");
  EXPECT_EQ(body(url).at("statusCode"), 200);

  // The base64 form decodes but carries no CSRF token: the error page, not a crash.
  const auto rejected = body(form);
  const auto status = rejected.at("statusCode").to_number<int>();
  EXPECT_GE(status, 400) << rejected;
  EXPECT_LT(status, 500) << rejected;
  EXPECT_EQ(header(rejected, "content-type"), "text/html; charset=utf-8") << rejected;
  EXPECT_FALSE(rejected.as_object().contains("multiValueHeaders"));

  // The engine rejects an envelope without version; the runtime reports what it threw.
  const auto error = body(no_version, Posted::Kind::kError);
  EXPECT_EQ(error.at("errorType"), "Handler.Exception");
  EXPECT_EQ(error.at("errorMessage"), "request body is not an Alexa request envelope");
  EXPECT_EQ(error.at("stackTrace"), json::array{});
  EXPECT_EQ(fake.postFor(no_version)->error_type, "Handler.Exception");
  // Without `request` it is no longer recognisable as an Alexa event at all.
  EXPECT_EQ(body(no_request, Posted::Kind::kError).at("errorType"), "Runtime.UnknownEvent");
  EXPECT_EQ(body(garbage, Posted::Kind::kError).at("errorType"), "Runtime.MalformedEvent");
  EXPECT_EQ(body(unknown, Posted::Kind::kError).at("errorType"), "Runtime.UnknownEvent");
  EXPECT_EQ(body(last).at("response").at("card").at("type"), "LinkAccount");

  // The log names failures by request id and never carries a query string or a password.
  const auto log = output();
  EXPECT_NE(log.find(no_version), std::string::npos) << log;
  EXPECT_EQ(log.find("MTESTVENDOR01"), std::string::npos) << log;
  EXPECT_EQ(log.find("correct+horse"), std::string::npos) << log;
}

// The function URL fixture asking for the sign-in page of config/test.json's client.
std::string authorizePageEvent() {
  auto event = json::parse(testing::readFixture("lambda/lambda-url-get-root.json"));
  auto& object = event.as_object();
  const json::object query = authorizeQuery();
  object["queryStringParameters"] = query;
  object["rawQueryString"] =
      "response_type=token&client_id=parley-test&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2F"
      "api%2Fskill%2Flink%2FMTESTVENDOR01&state=s";
  return json::serialize(event);
}

// What a phone's browser posts from that page to create an account: the HTTP API form fixture
// (base64 body, https:// Origin, cookies array) with the page's hidden fields and cookie.
std::string signUpEvent(const std::string& form, const std::string& cookie) {
  auto event = json::parse(testing::readFixture("lambda/apigw-v2-post-form.json"));
  auto& object = event.as_object();
  object["rawPath"] = "/authorize/signup";
  object["requestContext"].as_object()["http"].as_object()["path"] = "/authorize/signup";
  object["headers"].as_object()["content-length"] = std::to_string(form.size());
  object["cookies"] = json::array{cookie};
  object["body"] = detail::base64Encode(form);
  return json::serialize(event);
}

std::string hiddenField(std::string_view page, const std::string& name) {
  std::match_results<std::string_view::const_iterator> match;
  const std::regex input{"name=\"" + name + "\" value=\"([^\"]*)\""};
  return std::regex_search(page.begin(), page.end(), match, input) ? match[1].str() : std::string{};
}

std::string fragmentParameter(std::string_view location, std::string_view name) {
  const auto fragment = location.substr(location.find('#') + 1);
  const auto key = std::string(name) + "=";
  for (std::size_t at = 0; at < fragment.size();) {
    const auto end = std::min(fragment.find('&', at), fragment.size());
    if (fragment.substr(at, key.size()) == key) {
      return std::string(fragment.substr(at + key.size(), end - at - key.size()));
    }
    at = end + 1;
  }
  return {};
}

// The URL the success page's refresh goes to, HTML-unescaped (only & can occur in it).
std::string successPageLink(std::string_view page) {
  std::match_results<std::string_view::const_iterator> match;
  const std::regex refresh{R"re(http-equiv="refresh" content="0;url=([^"]*)")re"};
  if (!std::regex_search(page.begin(), page.end(), match, refresh)) return {};
  return std::regex_replace(match[1].str(), std::regex("&amp;"), "&");
}

std::string linkedLaunch(const std::string& access_token) {
  auto event = json::parse(testing::readFixture("lambda/alexa-launch-event-linked.json"));
  event.at_pointer("/session/user").as_object()["accessToken"] = access_token;
  event.at_pointer("/context/System/user").as_object()["accessToken"] = access_token;
  return json::serialize(event);
}

// From nothing to a linked user in one process (its SQLite is ":memory:"): the sign-in page,
// an account created through the form, the token handed to Alexa in the redirect, and the launch
// that carries it.
TEST_F(PackagedBootstrap, LinksAnAccountThroughItsPagesThenGreetsTheLinkedUser) {
  FakeRuntimeApi fake;
  const auto pid = start(fake, "skill");
  std::size_t answered = 0;
  const auto next = [&fake, &answered](const std::string& event) {
    const auto id = fake.enqueue(event);
    EXPECT_TRUE(fake.waitForPosts(++answered, 30s)) << id;
    const auto posted = fake.postFor(id);
    EXPECT_TRUE(posted.has_value()) << id;
    if (!posted) return json::value{};
    EXPECT_EQ(posted->kind, Posted::Kind::kResponse) << posted->body;
    return json::parse(posted->body);
  };

  const auto page = next(authorizePageEvent());
  ASSERT_EQ(page.at("statusCode"), 200) << page;
  const auto& html = page.at("body").as_string();
  ASSERT_EQ(page.at("cookies").as_array().size(), 1U) << page;
  const std::string set_cookie(page.at("cookies").at(0).as_string());
  const auto form = "request=" + hiddenField(html, "request") +
                    "&csrf=" + hiddenField(html, "csrf") +
                    "&email=ada%40example.com&password=correct+horse+battery+staple";

  // An iPhone's browser (the fixture's) gets the success page, which follows the link itself.
  const auto linked = next(signUpEvent(form, set_cookie.substr(0, set_cookie.find(';'))));
  ASSERT_EQ(linked.at("statusCode"), 200) << linked;
  const auto location = successPageLink(linked.at("body").as_string());
  ASSERT_TRUE(location.starts_with("https://pitangui.amazon.com/api/skill/link/MTESTVENDOR01#"))
      << location;
  EXPECT_EQ(fragmentParameter(location, "state"), "s");
  const auto token = fragmentParameter(location, "access_token");
  ASSERT_GE(token.size(), 32U) << location;

  const auto launch = next(linkedLaunch(token));
  EXPECT_EQ(launch.at("response").at("outputSpeech").at("ssml"),
            "<speak>Welcome ada@example.com! You are authenticated.</speak>")
      << launch;
  EXPECT_FALSE(launch.at("response").as_object().contains("card")) << launch;

  fake.finish();
  EXPECT_EQ(waitFor(pid, 10s), 1) << output();
  const auto log = output();
  EXPECT_EQ(log.find(token), std::string::npos) << log;
  EXPECT_EQ(log.find("correct"), std::string::npos) << log;
  EXPECT_EQ(log.find("ada@example.com"), std::string::npos) << log;
}

// The environment deploy/serverless.yml gives the function (stage prod), with the CA bundle where
// Amazon Linux 2023 keeps it. Nothing here needs DynamoDB: the unlinked launch looks up no user.
std::vector<std::string> deployedEnvironment(const std::string& ca_file) {
  return {"PARLEY_SKILL_APPLICATION_IDS=amzn1.ask.skill.8f3c2e71-6a4b-4c1d-b2e9-5d7a0c9f1e36",
          "PARLEY_STORAGE_TYPE=dynamodb",
          "PARLEY_STORAGE_REGION=us-east-1",
          "PARLEY_STORAGE_TABLE_PREFIX=parley-skill-prod-",
          "PARLEY_STORAGE_CA_FILE=" + ca_file,
          "SSL_CERT_FILE=" + ca_file,
          "PARLEY_TOKEN_PEPPER=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
          "AWS_REGION=us-east-1",
          "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
          "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
          "AWS_LAMBDA_FUNCTION_NAME=parley-skill-prod-skill"};
}

TEST_F(PackagedBootstrap, StartsWithTheDeployedConfigurationAndItsClientSecret) {
  const auto ca_file =
      placeInTask("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt");
  auto env = deployedEnvironment(ca_file);
  env.emplace_back("PARLEY_LINKING_CLIENT_ALEXA_SECRET=0123456789abcdef0123456789abcdef");
  FakeRuntimeApi fake;
  const auto launch = fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  const auto other_skill = fake.enqueue(
      std::regex_replace(testing::readFixture("lambda/alexa-launch-event.json"),
                         std::regex("amzn1\\.ask\\.skill\\.8f3c2e71"), "amzn1.ask.skill.0ther"));
  fake.finish();
  EXPECT_EQ(waitFor(start(fake, "skill", "production", env), 10s), 1) << output();

  const auto posted = fake.postFor(launch);
  ASSERT_TRUE(posted.has_value()) << output();
  ASSERT_EQ(posted->kind, Posted::Kind::kResponse) << posted->body;
  EXPECT_EQ(json::parse(posted->body).at("response").at("card").at("type"), "LinkAccount");
  // The allowlist from PARLEY_SKILL_APPLICATION_IDS turns away another skill's request.
  const auto refused = fake.postFor(other_skill);
  ASSERT_TRUE(refused.has_value()) << output();
  EXPECT_EQ(refused->kind, Posted::Kind::kError) << refused->body;
}

TEST_F(PackagedBootstrap, RefusesToStartWithoutTheDeployedClientSecret) {
  const auto ca_file =
      placeInTask("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt");
  FakeRuntimeApi fake;
  fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  EXPECT_EQ(waitFor(start(fake, "skill", "production", deployedEnvironment(ca_file)), 10s), 1)
      << output();
  const auto posts = fake.posts();
  ASSERT_EQ(posts.size(), 1U) << output();
  EXPECT_EQ(posts[0].kind, Posted::Kind::kInitError);
  const auto message = json::parse(posts[0].body).at("errorMessage").as_string();
  EXPECT_NE(message.find("'alexa'"), json::string::npos) << message;
  EXPECT_NE(message.find("secret"), json::string::npos) << message;
  EXPECT_EQ(fake.handedOut(), 0U);
}

// config/production.json requires the token pepper (R67): without PARLEY_TOKEN_PEPPER the deployed
// function reports an init error instead of storing tokens unpeppered.
TEST_F(PackagedBootstrap, RefusesToStartWithoutTheDeployedTokenPepper) {
  const auto ca_file =
      placeInTask("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt");
  auto env = deployedEnvironment(ca_file);
  std::erase_if(env,
                [](const std::string& entry) { return entry.starts_with("PARLEY_TOKEN_PEPPER="); });
  env.emplace_back("PARLEY_LINKING_CLIENT_ALEXA_SECRET=0123456789abcdef0123456789abcdef");
  FakeRuntimeApi fake;
  fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  EXPECT_EQ(waitFor(start(fake, "skill", "production", env), 10s), 1) << output();
  const auto posts = fake.posts();
  ASSERT_EQ(posts.size(), 1U) << output();
  EXPECT_EQ(posts[0].kind, Posted::Kind::kInitError);
  EXPECT_NE(output().find("linking.requireTokenPepper: PARLEY_TOKEN_PEPPER is not set"),
            std::string::npos)
      << output();
  EXPECT_EQ(fake.handedOut(), 0U);
}

TEST_F(PackagedBootstrap, ReportsAMissingConfigurationAsAnInitError) {
  FakeRuntimeApi fake;
  fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  EXPECT_EQ(waitFor(start(fake, "skill", "nowhere"), 10s), 1) << output();
  const auto posts = fake.posts();
  ASSERT_EQ(posts.size(), 1U) << output();
  EXPECT_EQ(posts[0].kind, Posted::Kind::kInitError);
  EXPECT_EQ(posts[0].error_type, "Runtime.InitError");
  EXPECT_EQ(json::parse(posts[0].body).at("errorMessage"),
            "configuration could not be loaded (see the log)");
  EXPECT_NE(output().find("nowhere.json"), std::string::npos) << output();
  EXPECT_EQ(fake.handedOut(), 0U);
}

TEST_F(PackagedBootstrap, ReportsAnUnknownHandlerAsAnInitError) {
  FakeRuntimeApi fake;
  fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  EXPECT_EQ(waitFor(start(fake, "nope"), 10s), 1) << output();
  const auto posts = fake.posts();
  ASSERT_EQ(posts.size(), 1U);
  EXPECT_EQ(posts[0].kind, Posted::Kind::kInitError);
  EXPECT_EQ(posts[0].error_type, "Runtime.InitError");
  EXPECT_EQ(json::parse(posts[0].body).at("errorMessage"),
            "unknown handler \"nope\" (expected skill or web)");
  EXPECT_EQ(fake.handedOut(), 0U);
}

TEST_F(PackagedBootstrap, ServesOnlyPagesAsTheWebHandler) {
  FakeRuntimeApi fake;
  const auto alexa = fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  const auto page = fake.enqueue(testing::readFixture("lambda/lambda-url-get-root.json"));
  fake.finish();
  EXPECT_EQ(waitFor(start(fake, "web"), 10s), 1) << output();
  ASSERT_TRUE(fake.postFor(alexa).has_value());
  EXPECT_EQ(fake.postFor(alexa)->error_type, "Runtime.NoHandler");
  ASSERT_TRUE(fake.postFor(page).has_value());
  EXPECT_EQ(fake.postFor(page)->kind, Posted::Kind::kResponse);
}

}  // namespace
}  // namespace parley::lambda
