// `skill db create-tables` and `skill users` against dynalite, through the real binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <map>

#include "aws/support/node_tools.hpp"
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
  void writeConfig(const std::string& endpoint) {
    dir_.write("config/local.json", R"({"storage": {"type": "dynamodb", "endpoint": ")" + endpoint +
                                        R"(", "tablePrefix": ")" + prefix_ +
                                        R"("}, "log": {"level": "warn"}})");
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
