// The packaged bootstrap, unzipped alone into an empty directory (a chroot of it when running as
// root) with only Lambda's variables in its environment, driven by the fake Runtime API.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

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
  pid_t start(const FakeRuntimeApi& fake, const std::string& handler) {
    const fs::path task = root_ / "task";
    const bool chroot = ::geteuid() == 0;
    task_root_ = chroot ? "/" : task.string();
    std::vector<std::string> env = {"AWS_LAMBDA_RUNTIME_API=" + fake.endpoint(),
                                    "_HANDLER=" + handler, "LAMBDA_TASK_ROOT=" + task_root_};
    std::vector<char*> envp;
    for (auto& entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);
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
  const auto listing = capture("unzip -Z1 '" + zipPath().string() + "'");
  EXPECT_TRUE(listing.starts_with("bootstrap\n")) << listing;
  EXPECT_EQ(listing.find("config/local.json"), std::string::npos) << listing;
}

TEST_F(PackagedBootstrap, ServesEveryTriggerAndReportsFailuresFromAnEmptyRoot) {
  FakeRuntimeApi fake;
  const auto unlinked = fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  const auto linked = fake.enqueue(testing::readFixture("lambda/alexa-launch-event-linked.json"));
  const auto page = fake.enqueue(testing::readFixture("lambda/apigw-v1-get-root.json"));
  const auto form = fake.enqueue(testing::readFixture("lambda/apigw-v2-post-form.json"));
  const auto url = fake.enqueue(testing::readFixture("lambda/lambda-url-get-root.json"));
  const auto failing = fake.enqueue([] {
    auto event = json::parse(testing::readFixture("lambda/alexa-launch-event.json"));
    event.at("context").at("System").as_object().erase("user");
    return json::serialize(event);
  }());
  const auto garbage = fake.enqueue("{\"version\":\"2.0\",");
  const auto unknown = fake.enqueue(R"({"Records":[{"eventSource":"aws:sqs"}]})");
  const auto last = fake.enqueue(testing::readFixture("lambda/alexa-launch-event.json"));
  fake.finish();

  const auto pid = start(fake, "skill");
  EXPECT_EQ(waitFor(pid, 20s), 1) << output();  // it exits once the Runtime API fails
  ASSERT_EQ(fake.posts().size(), 9U) << output();

  const auto body = [&fake](const std::string& id, Posted::Kind kind = Posted::Kind::kResponse) {
    const auto posted = fake.postFor(id);
    EXPECT_TRUE(posted.has_value()) << id;
    if (!posted) return json::value{};
    EXPECT_EQ(posted->kind, kind) << posted->body;
    return json::parse(posted->body);
  };
  EXPECT_EQ(body(unlinked).at("response").at("card").at("type"), "LinkAccount");
  EXPECT_FALSE(body(linked).at("response").as_object().contains("card"));
  EXPECT_EQ(body(linked).at("response").at("outputSpeech").at("text"),
            "Welcome back! Your account is linked.");

  const auto v1 = body(page);
  EXPECT_EQ(v1.at("statusCode"), 200);
  EXPECT_EQ(v1.at("headers").at("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(v1.at("body").as_string().find("<form method=post"), json::string::npos);
  EXPECT_EQ(v1.at("isBase64Encoded"), false);

  const auto v2 = body(form);
  EXPECT_EQ(v2.at("statusCode"), 200);
  EXPECT_EQ(v2.at("body"),
            "form fields: email,password,state,client_id,response_type,redirect_uri,scope");
  EXPECT_FALSE(v2.as_object().contains("multiValueHeaders"));
  EXPECT_EQ(body(url).at("statusCode"), 200);

  const auto error = body(failing, Posted::Kind::kError);
  EXPECT_EQ(error.at("errorType"), "Handler.Exception");
  EXPECT_EQ(error.at("stackTrace"), json::array{});
  EXPECT_EQ(fake.postFor(failing)->error_type, "Handler.Exception");
  EXPECT_EQ(body(garbage, Posted::Kind::kError).at("errorType"), "Runtime.MalformedEvent");
  EXPECT_EQ(body(unknown, Posted::Kind::kError).at("errorType"), "Runtime.UnknownEvent");
  EXPECT_EQ(body(last).at("response").at("card").at("type"), "LinkAccount");

  // The log names failures by request id and never carries the linked user's token.
  const auto log = output();
  EXPECT_NE(log.find(failing), std::string::npos) << log;
  EXPECT_EQ(log.find("prl_at_"), std::string::npos) << log;
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
