#include "parley/aws/credentials.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aws/support/fake_http_client.hpp"
#include "net/test_server.hpp"
#include "parley/net/http_client.hpp"

namespace parley::aws {
namespace {

namespace fs = std::filesystem;
using testing::FakeHttpClient;
using namespace std::chrono_literals;

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("parley-aws-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return path_ / name;
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

constexpr const char* kCredentialsFile = R"(# comment
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = defaultsecret

[work]
aws_access_key_id=AKIDWORK
aws_secret_access_key=worksecret
aws_session_token = worktoken
[broken]
aws_access_key_id = AKIDONLY
)";

const auto kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + 12h;

TEST(EnvironmentCredentials, ReadsKeySecretAndToken) {
  auto env = fixedEnvironment({{"AWS_ACCESS_KEY_ID", "AKID"},
                               {"AWS_SECRET_ACCESS_KEY", "secret"},
                               {"AWS_SESSION_TOKEN", "token"}});
  auto credentials = credentialsFromEnvironment(env);
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->access_key_id, "AKID");
  EXPECT_EQ(credentials->secret_access_key, "secret");
  EXPECT_EQ(credentials->session_token, "token");
}

TEST(EnvironmentCredentials, NeedsBothKeyAndSecret) {
  EXPECT_FALSE(credentialsFromEnvironment(fixedEnvironment({{"AWS_ACCESS_KEY_ID", "AKID"}})));
  EXPECT_FALSE(credentialsFromEnvironment(
      fixedEnvironment({{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", "s"}})));
}

TEST(SharedFileCredentials, ReadsDefaultProfileFromHome) {
  TempDir home;
  fs::create_directories(home.path() / ".aws");
  home.write(".aws/credentials", kCredentialsFile);
  auto credentials = credentialsFromSharedFile(fixedEnvironment({{"HOME", home.path()}}));
  ASSERT_TRUE(credentials && *credentials);
  EXPECT_EQ((*credentials)->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ((*credentials)->secret_access_key, "defaultsecret");
  EXPECT_TRUE((*credentials)->session_token.empty());
}

TEST(SharedFileCredentials, HonoursAwsProfileAndFileOverride) {
  TempDir dir;
  auto file = dir.write("creds", kCredentialsFile);
  auto credentials = credentialsFromSharedFile(
      fixedEnvironment({{"AWS_SHARED_CREDENTIALS_FILE", file.string()}, {"AWS_PROFILE", "work"}}));
  ASSERT_TRUE(credentials && *credentials);
  EXPECT_EQ((*credentials)->access_key_id, "AKIDWORK");
  EXPECT_EQ((*credentials)->session_token, "worktoken");
}

TEST(SharedFileCredentials, MissingFileOrProfileIsAbsenceAndIncompleteProfileAnError) {
  TempDir dir;
  auto file = dir.write("creds", kCredentialsFile);
  auto no_file = credentialsFromSharedFile(
      fixedEnvironment({{"AWS_SHARED_CREDENTIALS_FILE", (dir.path() / "nope").string()}}));
  ASSERT_TRUE(no_file);
  EXPECT_FALSE(*no_file);
  auto no_profile = credentialsFromSharedFile(
      fixedEnvironment({{"AWS_SHARED_CREDENTIALS_FILE", file.string()}, {"AWS_PROFILE", "other"}}));
  ASSERT_TRUE(no_profile);
  EXPECT_FALSE(*no_profile);
  auto broken = credentialsFromSharedFile(fixedEnvironment(
      {{"AWS_SHARED_CREDENTIALS_FILE", file.string()}, {"AWS_PROFILE", "broken"}}));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error(), Error::kInvalidCredentials);
}

constexpr const char* kContainerAnswer =
    R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"csecret","Token":"ctoken",
        "Expiration":"2026-11-28T13:00:00Z"})";

TEST(ContainerCredentials, RelativeUriGoesToTheEcsAgentWithoutAuthorization) {
  FakeHttpClient http;
  http.pushJson(200, kContainerAnswer);
  auto credentials = credentialsFromContainer(
      fixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"}}), http,
      1s);
  ASSERT_TRUE(credentials && *credentials);
  EXPECT_EQ((*credentials)->access_key_id, "ASIACONTAINER");
  EXPECT_EQ((*credentials)->session_token, "ctoken");
  EXPECT_EQ((*credentials)->expiration, kNow + 1h);
  ASSERT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(http.requests[0].url, "http://169.254.170.2/v2/credentials/abc");
  EXPECT_TRUE(http.requests[0].headers.empty());
  EXPECT_EQ(http.timeouts[0], 1s);
}

TEST(ContainerCredentials, FullUriSendsTheTokenFromTheFileOverTheVariable) {
  TempDir dir;
  auto token_file = dir.write("token", "file-token\n");
  FakeHttpClient http;
  http.pushJson(200, kContainerAnswer);
  auto credentials = credentialsFromContainer(
      fixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9911/creds"},
                        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-token"},
                        {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.string()}}),
      http, 1s);
  ASSERT_TRUE(credentials && *credentials);
  ASSERT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(http.requests[0].url, "http://127.0.0.1:9911/creds");
  ASSERT_EQ(http.requests[0].headers.size(), 1u);
  EXPECT_EQ(http.requests[0].headers[0], net::Headers::value_type("Authorization", "file-token"));
}

TEST(ContainerCredentials, RefusesPlainHttpToArbitraryHosts) {
  FakeHttpClient http;
  auto credentials = credentialsFromContainer(
      fixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example/creds"}}), http,
      1s);
  ASSERT_FALSE(credentials);
  EXPECT_EQ(credentials.error(), Error::kCredentialsEndpointFailed);
  EXPECT_TRUE(http.requests.empty());
}

TEST(ContainerCredentials, FailuresAndBadAnswersAreTypedErrors) {
  auto env = fixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}});
  FakeHttpClient http;
  http.pushJson(500, "{}");
  http.push(boost::system::error_code(net::Error::kConnectFailed));
  http.pushJson(200, "not json");
  http.pushJson(200, R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"tomorrow"})");
  EXPECT_EQ(credentialsFromContainer(env, http, 1s).error(), Error::kCredentialsEndpointFailed);
  EXPECT_EQ(credentialsFromContainer(env, http, 1s).error(), Error::kCredentialsEndpointFailed);
  EXPECT_EQ(credentialsFromContainer(env, http, 1s).error(), Error::kInvalidCredentials);
  EXPECT_EQ(credentialsFromContainer(env, http, 1s).error(), Error::kInvalidCredentials);
}

TEST(ContainerCredentials, WorksOverRealHttpAgainstALoopbackEndpoint) {
  std::string seen_authorization;
  testing::TestServer server({.handler = [&](const testing::TestRequest& request) {
    seen_authorization = std::string(request[boost::beast::http::field::authorization]);
    testing::TestResponse response{boost::beast::http::status::ok, 11};
    response.body() = kContainerAnswer;
    return std::optional(response);
  }});
  net::BeastHttpClient http;
  auto credentials = credentialsFromContainer(
      fixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds")},
                        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer xyz"}}),
      http, 2s);
  ASSERT_TRUE(credentials && *credentials) << credentials.error().message();
  EXPECT_EQ((*credentials)->secret_access_key, "csecret");
  EXPECT_EQ(seen_authorization, "Bearer xyz");
}

TEST(ParseIso8601, AcceptsFractionsAndRejectsJunk) {
  EXPECT_EQ(parseIso8601("2026-11-28T12:00:00Z"), kNow);
  EXPECT_EQ(parseIso8601("2026-11-28T12:00:00.123Z"), kNow);
  EXPECT_FALSE(parseIso8601("2026-11-28 12:00:00"));
  EXPECT_FALSE(parseIso8601("2026-13-28T12:00:00Z"));
  EXPECT_FALSE(parseIso8601("2026-11-28T12:00:00+01:00"));
  EXPECT_FALSE(parseIso8601(""));
}

TEST(DefaultCredentialsChain, EnvironmentWinsOverFileAndContainer) {
  TempDir dir;
  auto file = dir.write("creds", kCredentialsFile);
  FakeHttpClient http;
  core::ManualClock clock(kNow);
  DefaultCredentialsChain chain(
      fixedEnvironment({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                        {"AWS_SECRET_ACCESS_KEY", "s"},
                        {"AWS_SHARED_CREDENTIALS_FILE", file.string()},
                        {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}}),
      http, clock);
  EXPECT_EQ(chain.credentials()->access_key_id, "AKIDENV");
  EXPECT_TRUE(http.requests.empty());
}

TEST(DefaultCredentialsChain, FileWinsOverContainer) {
  TempDir dir;
  auto file = dir.write("creds", kCredentialsFile);
  FakeHttpClient http;
  core::ManualClock clock(kNow);
  DefaultCredentialsChain chain(
      fixedEnvironment({{"AWS_SHARED_CREDENTIALS_FILE", file.string()},
                        {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}}),
      http, clock);
  EXPECT_EQ(chain.credentials()->access_key_id, "AKIDDEFAULT");
  EXPECT_TRUE(http.requests.empty());
}

TEST(DefaultCredentialsChain, NothingAnywhereIsNoCredentials) {
  FakeHttpClient http;
  core::ManualClock clock(kNow);
  DefaultCredentialsChain chain(fixedEnvironment({{"HOME", "/nonexistent-parley"}}), http, clock);
  auto credentials = chain.credentials();
  ASSERT_FALSE(credentials);
  EXPECT_EQ(credentials.error(), Error::kNoCredentials);
}

TEST(DefaultCredentialsChain, CachesContainerCredentialsUntilShortlyBeforeExpiry) {
  FakeHttpClient http;
  http.pushJson(200, kContainerAnswer);  // expires at kNow + 1h
  http.pushJson(200, R"({"AccessKeyId":"ASIANEXT","SecretAccessKey":"s2","Token":"t2",
                         "Expiration":"2026-11-28T14:00:00Z"})");
  core::ManualClock clock(kNow);
  DefaultCredentialsChain chain(
      fixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}}), http, clock);
  EXPECT_EQ(chain.credentials()->access_key_id, "ASIACONTAINER");
  clock.advance(54min);  // still more than the 5-minute margin left
  EXPECT_EQ(chain.credentials()->access_key_id, "ASIACONTAINER");
  EXPECT_EQ(http.requests.size(), 1u);
  clock.advance(2min);  // inside the margin: fetch again
  EXPECT_EQ(chain.credentials()->access_key_id, "ASIANEXT");
  EXPECT_EQ(http.requests.size(), 2u);
}

TEST(DefaultCredentialsChain, KeepsUnexpiredCredentialsWhenARefreshFails) {
  FakeHttpClient http;
  http.pushJson(200, kContainerAnswer);
  http.pushJson(503, "{}");
  http.pushJson(503, "{}");
  core::ManualClock clock(kNow);
  DefaultCredentialsChain chain(
      fixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}}), http, clock);
  ASSERT_TRUE(chain.credentials());
  clock.advance(58min);
  EXPECT_EQ(chain.credentials()->access_key_id, "ASIACONTAINER");
  clock.advance(3min);  // expired: the failure surfaces
  EXPECT_EQ(chain.credentials().error(), Error::kCredentialsEndpointFailed);
}

TEST(ResolveRegion, ConfiguredThenAwsRegionThenDefaultRegion) {
  auto env = fixedEnvironment({{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-east-2"}});
  EXPECT_EQ(resolveRegion("ap-south-1", env), "ap-south-1");
  EXPECT_EQ(resolveRegion("", env), "eu-west-1");
  EXPECT_EQ(resolveRegion("", fixedEnvironment({{"AWS_DEFAULT_REGION", "us-east-2"}})),
            "us-east-2");
  EXPECT_FALSE(resolveRegion("", fixedEnvironment({})));
}

}  // namespace
}  // namespace parley::aws
