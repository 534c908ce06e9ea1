// `skill db create-tables`, `skill users|clients|tokens|invoke` and `skill serve` on DynamoDB
// (dynalite, or nothing at all), through the real binary.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <map>
#include <regex>
#include <thread>

#include "aws/support/node_tools.hpp"
#include "parley/net/http_client.hpp"
#include "parley/storage/dynamodb/link_stores.hpp"
#include "storage/dynamodb/support.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

namespace parley::storage::dynamodb {
namespace {

struct Outcome {
  int code{-1};
  std::string out{};
  std::string err{};
};

std::string quote(const std::string& text) {
  std::string quoted{"'"};
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

class DbCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = "cli-" + testing::uniquePrefix();
    writeConfig(parley::testing::sharedDynalite().endpoint());
  }
  void writeConfig(const std::string& endpoint, const std::string& log_level = "warn") {
    const auto source = parley::testing::sourceDir();
    dir_.write("config/local.json", R"({"storage": {"type": "dynamodb", "endpoint": ")" + endpoint +
                                        R"(", "tablePrefix": ")" + prefix_ + R"("},
                   "server": {"host": "127.0.0.1", "www": ")" +
                                        (source / "www").string() + R"("},
                   "skill": {"views": ")" +
                                        (source / "app/views").string() + R"(", "seed": 1},
                   "linking": {"mode": "email-only", "clients": [{"id": "config-client",
                     "secret": "config-client-secret-0123456789abcdef0123456",
                     "redirectUris": ["https://pitangui.amazon.com/api/skill/link/M1"]}]},
                   "log": {"level": ")" +
                                        log_level + R"("}})");
  }

  // An Alexa request fixture with `token` for its "tok-linked", written for `skill invoke`.
  std::string requestWith(const std::string& fixture, const std::string& token) {
    auto text = parley::testing::readFixture("alexa/" + fixture);
    for (auto at = text.find("tok-linked"); at != std::string::npos; at = text.find("tok-linked")) {
      text.replace(at, 10, token);
    }
    return dir_.write(fixture, text).string();
  }

  // Runs `skill args…` in the temp dir with only PATH, fake credentials and `environment`.
  Outcome skill(const std::vector<std::string>& args,
                std::map<std::string, std::string> environment = {
                    {"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                    {"AWS_SECRET_ACCESS_KEY", "secret"},
                    {"AWS_REGION", "us-east-1"}}) {
    std::string command = "cd " + quote(dir_.path().string()) + " && env -i";
    if (const char* path = std::getenv("PATH")) command += " PATH=" + quote(path);  // NOLINT
    for (const auto& [name, value] : environment) command += " " + name + "=" + quote(value);
    command += " " + quote((parley::testing::binDir() / "skill").string());
    for (const auto& arg : args) command += " " + quote(arg);
    command += " >" + quote((dir_ / "out").string()) + " 2>" + quote((dir_ / "err").string());
    int status = std::system(command.c_str());  // NOLINT(concurrency-mt-unsafe)
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, parley::testing::readFile(dir_ / "out"),
            parley::testing::readFile(dir_ / "err")};
  }

  parley::testing::TempDir dir_;
  std::string prefix_;
};

TEST_F(DbCommand, CreatesTablesThenUsersRoundTripThroughDynamoDb) {
  auto created = skill({"db", "create-tables"});
  ASSERT_EQ(created.code, 0) << created.err;
  EXPECT_NE(created.out.find("created " + prefix_ + "users (on-demand)"), std::string::npos)
      << created.out;
  EXPECT_NE(created.out.find(prefix_ + "users is ACTIVE"), std::string::npos) << created.out;

  auto again = skill({"db", "create-tables"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find(prefix_ + "users exists already"), std::string::npos) << again.out;

  auto added = skill({"users", "add", "--email", "ada@example.com", "--id", "ada"});
  ASSERT_EQ(added.code, 0) << added.err;
  auto got = skill({"users", "get", "ada"});
  ASSERT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(boost::json::parse(got.out).at("email"), "ada@example.com");
}

// Each `skill` run costs about a second under the sanitizers: the tables come from the library.
TEST_F(DbCommand, LinkedLaunchRequestThroughTheDynamoDbLinkStores) {
  testing::TestClient client(parley::testing::sharedDynalite().endpoint());
  createTables(client.client, prefix_, {.wait = std::chrono::seconds(5)});
  ASSERT_EQ(skill({"users", "add", "--email", "ada@example.com", "--id", "ada"}).code, 0);
  auto added = skill({"clients", "add", "--id", "alexa", "--redirect-uri",
                      "https://pitangui.amazon.com/api/skill/link/M1"});
  ASSERT_EQ(added.code, 0) << added.err;
  auto listed = skill({"clients", "list"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_NE(listed.out.find("alexa\tcode\t"), std::string::npos) << listed.out;

  // Through a proxy that records each DynamoDB operation and counts connections: the user store
  // and the link stores share one client, so one keep-alive connection serves them all.
  testing::DynaliteProxy proxy;
  writeConfig(proxy.endpoint());
  auto issued = skill({"tokens", "issue", "--user", "ada", "--client", "alexa"});
  ASSERT_EQ(issued.code, 0) << issued.err;
  const auto token = std::string(boost::json::parse(issued.out).at("access_token").as_string());
  EXPECT_EQ(proxy.connections(), 1);
  proxy.takeOperations();
  // The skill request: the token, then its family and user in one batch.
  auto linked = skill({"invoke", requestWith("launch-linked.json", token)});
  ASSERT_EQ(linked.code, 0) << linked.err;
  EXPECT_EQ(boost::json::parse(linked.out).at("response").at("outputSpeech").at("ssml"),
            "<speak>Welcome ada@example.com! You are authenticated.</speak>");
  EXPECT_EQ(proxy.takeOperations(), (std::vector<std::string>{"GetItem", "BatchGetItem"}));

  auto revoked = skill({"tokens", "revoke", "--user", "ada"});
  ASSERT_EQ(revoked.code, 0) << revoked.err;
  EXPECT_EQ(revoked.out, "revoked 1 grant(s)\n");
}

// R72 and R81 on DynamoDB: SkillAccountLinked records the Alexa user, and `skill users remove`
// deletes the user, their sign-in account and Alexa user, and revokes their tokens.
TEST_F(DbCommand, RemovingAUserThroughTheDynamoDbStores) {
  testing::TestClient client(parley::testing::sharedDynalite().endpoint());
  createTables(client.client, prefix_, {.wait = std::chrono::seconds(5)});
  const LinkStoreOptions tables{.table_prefix = prefix_};
  DynamoDbAlexaUserStore alexa_users{client.client, tables};
  DynamoDbAccountStore accounts{client.client, tables};
  const std::string alexa_user =
      "amzn1.ask.account.AHV4QXR2KJ7YLMNB3WZP6TCEFGDS5UOI2XA7RJQK9LM4NB8VCW3ZYT";
  ASSERT_EQ(skill({"users", "add", "--email", "ada@example.com", "--id", "ada"}).code, 0);
  ASSERT_TRUE(accounts.create({.user_id = "ada",
                               .email = "ada@example.com",
                               .password_hash = "$argon2id$v=19$m=65536,t=3,p=1$x$y",
                               .created_at = {}}));
  auto issued = skill({"tokens", "issue", "--user", "ada", "--client", "config-client"});
  ASSERT_EQ(issued.code, 0) << issued.err;
  const auto token = std::string(boost::json::parse(issued.out).at("access_token").as_string());
  auto linked = skill({"invoke", requestWith("skill-event-account-linked.json", token)});
  ASSERT_EQ(linked.code, 0) << linked.err;
  EXPECT_EQ(alexa_users.find(alexa_user)->user_id, "ada");

  auto removed = skill({"users", "remove", "ada"});
  ASSERT_EQ(removed.code, 0) << removed.err;
  EXPECT_EQ(removed.out,
            "removed user ada (ada@example.com)\ndeleted the sign-in account\nrevoked 1 "
            "grant(s)\ndeleted 1 Alexa user link(s)\n");
  EXPECT_FALSE(alexa_users.find(alexa_user));
  EXPECT_FALSE(accounts.findByEmail("ada@example.com"));
  auto launch = skill({"invoke", requestWith("launch-linked.json", token)});
  ASSERT_EQ(launch.code, 0) << launch.err;
  EXPECT_EQ(boost::json::parse(launch.out).at("response").at("card").at("type"), "LinkAccount");
  EXPECT_EQ(skill({"users", "remove", "ada"}).code, 1);
}

// `skill serve` with DynamoDB unreachable: it starts, and the OAuth endpoints answer 503 with
// OAuth's server_error (never invalid_grant, which would unlink the user) or an error page.
TEST_F(DbCommand, OAuthEndpointsAnswer503WhileDynamoDbIsDown) {
  writeConfig(testing::unusedEndpoint(), "info");
  const std::string binary = (parley::testing::binDir() / "skill").string();
  const std::string config = (dir_ / "config/local.json").string();
  const std::string log = (dir_ / "serve.log").string();
  std::vector<std::string> environment{"AWS_ACCESS_KEY_ID=AKIDTEST", "AWS_SECRET_ACCESS_KEY=secret",
                                       "AWS_REGION=us-east-1"};
  if (const char* path = std::getenv("PATH")) environment.push_back("PATH=" + std::string(path));
  std::vector<char*> envp;
  for (auto& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> args{binary, "serve", "--port", "0", "--config", config};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  struct Reaper {
    pid_t pid;
    ~Reaper() {
      ::kill(pid, SIGTERM);
      int status = 0;
      for (int i = 0; i < 250 && ::waitpid(pid, &status, WNOHANG) != pid; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (i == 249) {
          ::kill(pid, SIGKILL);
          ::waitpid(pid, &status, 0);
        }
      }
    }
  } reaper{pid};

  int port = 0;
  const std::regex listening{R"(listening on http://127\.0\.0\.1:(\d+))"};
  for (int attempt = 0; attempt < 300 && port == 0; ++attempt) {
    std::smatch match;
    const auto text = parley::testing::readFile(log);
    if (std::regex_search(text, match, listening)) port = std::stoi(match[1]);
    if (port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(port, 0) << parley::testing::readFile(log);
  const auto base = "http://127.0.0.1:" + std::to_string(port);
  net::BeastHttpClient http;

  auto token = http.send(
      {.method = "POST",
       .url = base + "/oauth/token",
       .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
       .body = "grant_type=authorization_code&code=abc&client_id=config-client&client_secret="
               "config-client-secret-0123456789abcdef0123456&redirect_uri=https%3A%2F%2F"
               "pitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM1"});
  ASSERT_TRUE(token) << token.error().message();
  EXPECT_EQ(token->status, 503u);
  EXPECT_EQ(boost::json::parse(token->body).at("error"), "server_error");
  EXPECT_EQ(token->header("Cache-Control").value_or(""), "no-store");

  auto page = http.send({.method = "GET",
                         .url = base + "/authorize?response_type=code&client_id=config-client&"
                                       "redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2F"
                                       "skill%2Flink%2FM1&state=s1"});
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->status, 503u);
  EXPECT_NE(page->body.find("try again"), std::string::npos) << page->body;

  auto health = http.send({.method = "GET", .url = base + "/healthz"});
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200u);  // still serving
  EXPECT_NE(parley::testing::readFile(log).find("storage failure"), std::string::npos);
}

TEST_F(DbCommand, MissingRegionIsOneLineAndExitCodeOne) {
  auto run = skill({"db", "create-tables"},
                   {{"AWS_ACCESS_KEY_ID", "AKIDTEST"}, {"AWS_SECRET_ACCESS_KEY", "secret"}});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("AWS_REGION"), std::string::npos) << run.err;
}

TEST_F(DbCommand, MissingCredentialsAreReportedAndExitCodeOne) {
  auto run =
      skill({"db", "create-tables"}, {{"AWS_REGION", "us-east-1"}, {"HOME", "/nonexistent"}});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("no AWS credentials"), std::string::npos) << run.err;
}

TEST_F(DbCommand, RefusesWhenStorageIsNotDynamoDb) {
  dir_.write("config/local.json", R"({"storage": {"type": "sqlite", "path": "x.db"}})");
  auto run = skill({"db", "create-tables"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("not \"dynamodb\""), std::string::npos) << run.err;
}

}  // namespace
}  // namespace parley::storage::dynamodb
