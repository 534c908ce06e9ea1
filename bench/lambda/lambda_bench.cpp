// The packaged bootstrap under the fake Runtime API:
//   ColdStart/bootstrap   exec() to the first result posted (what Lambda adds to the first call),
//                         config/test.json (SQLite in memory, schema created at start)
//   ColdStart/deployed    the same with the environment deploy/serverless.yml sets (production
//                         config, DynamoDB, signature verifier, CA file); the unlinked launch
//                         needs no table, so nothing leaves the machine
//   ColdStart/node_floor  the same for node_runtime.js, a bare Node.js loop: the least a Node
//                         function (the original's runtime) pays
//   Invocation            one Alexa launch round trip in a warm process, /next to the result
// Counters: peak RSS (VmHWM) of the bootstrap after the invocations. Targets: cold start < 10 ms,
// RSS < 15 MB. Run: build/release/bin/lambda_bench (after `make package`).

#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fake_runtime_api.hpp"
#include "support/fixtures.hpp"

namespace {
namespace fs = std::filesystem;
using parley::testing::FakeRuntimeApi;
using parley::testing::Posted;
using namespace std::chrono_literals;

// The zip unpacked once into a temporary directory.
const fs::path& bootstrap() {
  static const fs::path path = [] {
    const auto zip = parley::testing::sourceDir() / "dist" / "skill-lambda.zip";
    if (!fs::exists(zip)) throw std::runtime_error("no dist/skill-lambda.zip; run make package");
    std::string dir = (fs::temp_directory_path() / "parley-bench-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    const auto unzip = "unzip -q '" + zip.string() + "' -d '" + dir + "'";
    if (std::system(unzip.c_str()) != 0) {  // NOLINT(concurrency-mt-unsafe,cert-env33-c)
      throw std::runtime_error("unzip failed");
    }
    return fs::path(dir) / "bootstrap";
  }();
  return path;
}

enum class Runtime { kBootstrap, kDeployed, kNodeFloor };

// config/test.json: SQLite in memory, so nothing outside the process is measured.
pid_t start(const FakeRuntimeApi& fake, Runtime runtime = Runtime::kBootstrap) {
  std::vector<std::string> env = {"AWS_LAMBDA_RUNTIME_API=" + fake.endpoint(), "_HANDLER=skill"};
  std::vector<std::string> command;
  if (runtime == Runtime::kDeployed) {
    const std::string ca_file = "/etc/ssl/certs/ca-certificates.crt";  // AL2023: /etc/pki/…
    env.insert(
        env.end(),
        {"SKILL_ENV=production", "PARLEY_STORAGE_TYPE=dynamodb", "PARLEY_STORAGE_REGION=us-east-1",
         "PARLEY_STORAGE_TABLE_PREFIX=parley-skill-prod-", "PARLEY_STORAGE_CA_FILE=" + ca_file,
         "SSL_CERT_FILE=" + ca_file,
         "PARLEY_LINKING_CLIENT_ALEXA_SECRET=0123456789abcdef0123456789abcdef",
         "PARLEY_TOKEN_PEPPER=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
         "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=example"});
  } else {
    env.emplace_back("SKILL_ENV=test");
  }
  if (runtime != Runtime::kNodeFloor) {
    env.push_back("LAMBDA_TASK_ROOT=" + bootstrap().parent_path().string());
    command = {bootstrap().string()};
  } else {
    const auto script = parley::testing::sourceDir() / "bench" / "lambda" / "node_runtime.js";
    command = {"node", script.string()};
  }
  std::vector<char*> envp;
  for (auto& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<char*> argv;
  for (auto& part : command) argv.push_back(part.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::freopen("/dev/null", "w", stdout);           // NOLINT(cert-err33-c): best effort in the child
    ::execvpe(argv[0], argv.data(), envp.data());  // PATH of this process finds node
    ::_exit(127);
  }
  return pid;
}

long peakRssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  return -1;
}

void reap(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
}

void ColdStart(benchmark::State& state, Runtime runtime) {
  const auto event = parley::testing::readFixture("lambda/alexa-launch-event.json");
  for (auto _ : state) {
    FakeRuntimeApi fake;
    fake.enqueue(event);
    fake.finish();
    const auto begin = std::chrono::steady_clock::now();
    const auto pid = start(fake, runtime);
    if (!fake.waitForPosts(1, 10s)) {
      ::kill(pid, SIGKILL);
      reap(pid);
      state.SkipWithError("no result within 10 s");
      break;
    }
    const auto posted = fake.posts().front();
    reap(pid);
    // An init error comes back fast too; only the skill's answer counts.
    if (posted.kind != Posted::Kind::kResponse) {
      state.SkipWithError(("not a response: " + posted.body).c_str());
      break;
    }
    state.SetIterationTime(std::chrono::duration<double>(posted.at - begin).count());
  }
}
BENCHMARK_CAPTURE(ColdStart, bootstrap, Runtime::kBootstrap)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(50);
BENCHMARK_CAPTURE(ColdStart, deployed, Runtime::kDeployed)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(50);
BENCHMARK_CAPTURE(ColdStart, node_floor, Runtime::kNodeFloor)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20);

void Invocation(benchmark::State& state) {
  const auto event = parley::testing::readFixture("lambda/alexa-launch-event-linked.json");
  FakeRuntimeApi fake;
  const auto pid = start(fake);
  std::size_t posted = 0;
  for (auto _ : state) {
    const auto begin = std::chrono::steady_clock::now();
    fake.enqueue(event);
    if (!fake.waitForPosts(++posted, 10s)) {
      state.SkipWithError("no result within 10 s");
      break;
    }
    state.SetIterationTime(std::chrono::duration<double>(fake.posts().back().at - begin).count());
  }
  state.counters["peak_rss_MB"] = static_cast<double>(peakRssKb(pid)) / 1024.0;
  fake.finish();
  reap(pid);
}
BENCHMARK(Invocation)->UseManualTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
