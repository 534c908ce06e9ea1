#include "aws/support/node_tools.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace parley::testing {
namespace {

struct Child {
  pid_t pid{-1};
  int stdin_fd{-1};
  int stdout_fd{-1};
  int stderr_fd{-1};
};

// fork + exec with pipes; the child gets SIGTERM if this process dies.
Child spawn(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
  std::array<int, 2> in{}, out{}, err{};
  if (pipe2(in.data(), O_CLOEXEC) != 0 || pipe2(out.data(), O_CLOEXEC) != 0 ||
      pipe2(err.data(), O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    if (chdir(cwd.c_str()) != 0) _exit(127);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  return {pid, in[1], out[0], err[0]};
}

std::string readAll(int fd) {
  std::string text;
  std::array<char, 4096> buffer{};
  for (;;) {
    ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n <= 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
  return text;
}

int reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::unique_ptr<Dynalite>& dynaliteSlot() {
  static std::unique_ptr<Dynalite> slot;
  return slot;
}

class StopDynalite : public ::testing::Environment {
 public:
  void TearDown() override { dynaliteSlot().reset(); }
};

}  // namespace

std::filesystem::path nodeToolsDir() { return PARLEY_NODE_TOOLS_DIR; }

void ensureNodeTools() {
  static std::once_flag once;
  std::call_once(once, [] {
    Child child = spawn({"bash", (nodeToolsDir() / "install.sh").string()}, nodeToolsDir());
    close(child.stdin_fd);
    std::string out = readAll(child.stdout_fd);
    std::string err = readAll(child.stderr_fd);
    close(child.stdout_fd);
    close(child.stderr_fd);
    if (reap(child.pid) != 0) throw std::runtime_error("npm ci failed: " + out + err);
  });
}

std::string runNode(const std::string& script, const std::vector<std::string>& args) {
  ensureNodeTools();
  std::vector<std::string> argv{"node", script};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child = spawn(argv, nodeToolsDir());
  close(child.stdin_fd);
  std::string out = readAll(child.stdout_fd);
  std::string err = readAll(child.stderr_fd);
  close(child.stdout_fd);
  close(child.stderr_fd);
  if (int code = reap(child.pid); code != 0) {
    throw std::runtime_error("node " + script + " exited " + std::to_string(code) + ": " + err);
  }
  return out;
}

Dynalite::Dynalite() {
  ensureNodeTools();
  Child child = spawn({"node", "dynalite-ephemeral.js"}, nodeToolsDir());
  pid_ = child.pid;
  stdin_fd_ = child.stdin_fd;
  close(child.stderr_fd);
  std::string line;
  pollfd readable{child.stdout_fd, POLLIN, 0};
  while (line.find('\n') == std::string::npos && poll(&readable, 1, 20000) > 0) {
    std::array<char, 64> buffer{};
    ssize_t n = read(child.stdout_fd, buffer.data(), buffer.size());
    if (n <= 0) break;
    line.append(buffer.data(), static_cast<std::size_t>(n));
  }
  close(child.stdout_fd);
  int port = 0;
  try {
    port = std::stoi(line);
  } catch (const std::exception&) {
    port = 0;
  }
  if (port <= 0 || port > 65535) {
    stop();
    throw std::runtime_error("dynalite did not start: '" + line + "'");
  }
  port_ = static_cast<unsigned short>(port);
}

Dynalite::~Dynalite() { stop(); }

void Dynalite::stop() {
  if (pid_ <= 0) return;
  close(stdin_fd_);
  kill(pid_, SIGTERM);
  reap(pid_);
  pid_ = -1;
}

Dynalite& sharedDynalite() {
  static bool registered = false;
  if (!registered) {
    ::testing::AddGlobalTestEnvironment(new StopDynalite);  // gtest owns it
    registered = true;
  }
  auto& slot = dynaliteSlot();
  if (!slot) slot = std::make_unique<Dynalite>();
  return *slot;
}

}  // namespace parley::testing
