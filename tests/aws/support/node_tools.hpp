#pragma once

// Test-only helpers around the npm tools in tests/aws/node: installing them (npm ci, once),
// running a Node script, and a dynalite (local DynamoDB) process per test binary.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace parley::testing {

std::filesystem::path nodeToolsDir();

// Runs tests/aws/node/install.sh (npm ci when node_modules is missing); throws on failure.
void ensureNodeTools();

// Runs `node <script> args...` from tests/aws/node and returns its stdout; throws with stderr
// folded in when it exits non-zero.
std::string runNode(const std::string& script, const std::vector<std::string>& args);

// A dynalite server on 127.0.0.1:<ephemeral>. The child dies with us: it stops when its stdin
// closes and gets SIGTERM as parent-death signal; the destructor stops and reaps it.
class Dynalite {
 public:
  Dynalite();
  ~Dynalite();
  Dynalite(const Dynalite&) = delete;
  Dynalite& operator=(const Dynalite&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  void stop();

  pid_t pid_{-1};
  int stdin_fd_{-1};
  unsigned short port_{0};
};

// The dynalite of this test process, started on first use and stopped by a gtest global
// environment at exit (so test binaries that never ask start nothing).
Dynalite& sharedDynalite();

}  // namespace parley::testing
