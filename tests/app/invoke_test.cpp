// `skill invoke` as a subprocess: the sample skill against a real SQLite file, through the
// binary users and scripts run.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json/parse.hpp>
#include <cstdlib>

#include "parley/storage/sqlite/user_store.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

namespace parley::app {
namespace {

using parley::testing::binDir;
using parley::testing::readFile;
using parley::testing::shellQuote;
using parley::testing::sourceDir;

struct Outcome {
  int exit_code{-1};
  std::string out{};
  std::string err{};
};

class Invoke : public ::testing::Test {
 protected:
  Invoke() {
    {
      storage::sqlite::SqliteUserStore users({.path = (dir_ / "users.db").string()});
      users.put({.id = "tok-linked", .email = "ada@example.com"});
    }
    config_ = dir_.write("test.json", R"({
      "storage": {"type": "sqlite", "path": ")" +
                                          (dir_ / "users.db").string() + R"("},
      "server": {"www": ")" + (sourceDir() / "www").string() +
                                          R"("},
      "skill": {"views": ")" + (sourceDir() / "app/views").string() +
                                          R"(", "seed": 1},
      "linking": {"clients": [{"id": "invoke-test", "name": "Invoke Test",
        "secret": "invoke-test-secret-0123456789abcdef0123456789",
        "redirectUris": ["https://pitangui.amazon.com/api/skill/link/MTEST"]}]},
      "log": {"level": "info"}
    })");
    // Alexa sends the access token the OAuth server issued, not the user id.
    const auto issued =
        runCommand("tokens issue --user tok-linked --config " + shellQuote(config_.string()));
    token_ = boost::json::parse(issued.out).at("access_token").as_string().c_str();
  }

  // launch-linked.json carrying the issued access token.
  std::string linkedRequest() const {
    auto text = readFile(sourceDir() / "tests/fixtures/alexa/launch-linked.json");
    for (auto at = text.find("tok-linked"); at != std::string::npos; at = text.find("tok-linked")) {
      text.replace(at, 10, token_);
    }
    return text;
  }

  // Runs `skill invoke <arguments>`, with `stdin_text` on stdin when given.
  Outcome run(const std::string& arguments, const std::optional<std::string>& stdin_text = {}) {
    return runCommand("invoke " + arguments, stdin_text);
  }
  Outcome runCommand(const std::string& arguments,
                     const std::optional<std::string>& stdin_text = {}) const {
    std::string command = shellQuote((binDir() / "skill").string()) + " " + arguments;
    if (stdin_text) command += " < " + shellQuote(dir_.write("stdin.json", *stdin_text).string());
    command += " > " + shellQuote((dir_ / "out.txt").string()) + " 2> " +
               shellQuote((dir_ / "err.txt").string());
    const int status = std::system(command.c_str());  // NOLINT(concurrency-mt-unsafe): test
    return {.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1,
            .out = readFile(dir_ / "out.txt"),
            .err = readFile(dir_ / "err.txt")};
  }
  Outcome runFixture(const std::string& name) {
    return run(shellQuote((sourceDir() / "tests/fixtures/alexa" / name).string()) + " --config " +
               shellQuote(config_.string()));
  }
  static boost::json::value json(const Outcome& outcome) { return boost::json::parse(outcome.out); }

  parley::testing::TempDir dir_;
  std::filesystem::path config_;
  std::string token_;
};

TEST_F(Invoke, GreetsTheLinkedUserFromTheDatabase) {
  const auto outcome = run("--config " + shellQuote(config_.string()), linkedRequest());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto response = json(outcome);
  EXPECT_EQ(response.at("response").at("outputSpeech").at("ssml"),
            "<speak>Welcome ada@example.com! You are authenticated.</speak>");
  EXPECT_EQ(response.at("response").at("shouldEndSession"), false);
}

TEST_F(Invoke, SendsTheLinkAccountCardWithoutOrWithAnUnknownToken) {
  const auto unlinked = runFixture("launch-unlinked.json");
  ASSERT_EQ(unlinked.exit_code, 0) << unlinked.err;
  EXPECT_EQ(json(unlinked).at("response").at("card").at("type"), "LinkAccount");
  EXPECT_EQ(json(unlinked).at("response").at("shouldEndSession"), true);

  auto unknown = readFile(sourceDir() / "tests/fixtures/alexa/launch-linked.json");
  for (auto at = unknown.find("tok-linked"); at != std::string::npos;
       at = unknown.find("tok-linked")) {
    unknown.replace(at, 10, "tok-nobody");
  }
  const auto outcome = run("--config " + shellQuote(config_.string()), unknown);
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(json(outcome).at("response").at("card").at("type"), "LinkAccount");
}

TEST_F(Invoke, AnswersHelpAndSessionEnd) {
  const auto help = runFixture("intent-help.json");
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_EQ(json(help).at("response").at("outputSpeech").at("ssml"),
            "<speak>Some help text here.</speak>");
  const auto ended = runFixture("session-ended-user-initiated.json");
  ASSERT_EQ(ended.exit_code, 0) << ended.err;
  EXPECT_EQ(json(ended),
            boost::json::parse(R"({"version": "1.0", "response": {}, "sessionAttributes": {}})"));
}

TEST_F(Invoke, LogsSkillEventsOnStderrWithoutTheToken) {
  for (const auto* fixture :
       {"skill-event-skill-enabled.json", "skill-event-account-linked.json"}) {
    const auto outcome = runFixture(fixture);
    ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_EQ(json(outcome).at("response"), boost::json::object{});
    EXPECT_NE(outcome.err.find("for user amzn1.ask.account."), std::string::npos) << outcome.err;
    EXPECT_EQ(outcome.err.find("tok-linked"), std::string::npos);
    EXPECT_EQ(outcome.out.find("amzn1.ask.account"), std::string::npos);  // logs stay off stdout
  }
}

TEST_F(Invoke, ReadsTheRequestFromStdin) {
  const auto outcome = run("--config " + shellQuote(config_.string()), linkedRequest());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_NE(outcome.out.find("Welcome ada@example.com!"), std::string::npos);
}

TEST_F(Invoke, RejectsBadInputWithOneLineAndExitCodeTwo) {
  for (const auto* body : {"{not json", "", "[1, 2]", R"({"version": "1.0"})"}) {
    const auto outcome = run("--config " + shellQuote(config_.string()), std::string(body));
    EXPECT_EQ(outcome.exit_code, 2) << body;
    EXPECT_TRUE(outcome.out.empty()) << body;
    ASSERT_FALSE(outcome.err.empty()) << body;
    EXPECT_EQ(outcome.err.find('\n'), outcome.err.size() - 1) << outcome.err;
    EXPECT_EQ(outcome.err.rfind("skill invoke: ", 0), 0U) << outcome.err;
  }
}

TEST_F(Invoke, MissingRequestFileOrConfigIsExitCodeTwo) {
  EXPECT_EQ(run(shellQuote((dir_ / "missing.json").string()) + " --config " +
                shellQuote(config_.string()))
                .exit_code,
            2);
  EXPECT_EQ(runFixture("launch-linked.json").exit_code, 0);
  const auto no_config =
      run(shellQuote((sourceDir() / "tests/fixtures/alexa/launch-linked.json").string()) +
          " --config " + shellQuote((dir_ / "nope.json").string()));
  EXPECT_EQ(no_config.exit_code, 2);
  EXPECT_NE(no_config.err.find("nope.json"), std::string::npos);
}

TEST_F(Invoke, BrokenViewsStopStartupWithOneLine) {
  dir_.write("views/en-US.json", R"({"Launch": {"Linked": {"ask": "Hi {nobody}"}}})");
  const auto config = dir_.write("broken.json", R"({
      "storage": {"type": "sqlite", "path": ")" + (dir_ / "users.db").string() +
                                                    R"("},
      "skill": {"views": ")" + (dir_ / "views").string() +
                                                    R"("}
    })");
  const auto outcome =
      run(shellQuote((sourceDir() / "tests/fixtures/alexa/launch-linked.json").string()) +
          " --config " + shellQuote(config.string()));
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_EQ(outcome.err, "skill invoke: en-US view Launch.Linked.ask: unknown variable {nobody}\n");
}

}  // namespace
}  // namespace parley::app
