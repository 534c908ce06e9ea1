#include "support/fixtures.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parley::testing {

std::filesystem::path sourceDir() { return PARLEY_SOURCE_DIR; }
std::filesystem::path binDir() { return PARLEY_BIN_DIR; }

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string readFixture(const std::string& relative) {
  return readFile(sourceDir() / "tests" / "fixtures" / relative);
}

std::string shellQuote(std::string_view text) {
  std::string quoted{"'"};
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

SkillRun runSkill(const std::filesystem::path& dir, const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& environment) {
  std::string command = "cd " + shellQuote(dir.string()) + " && env -i";
  if (const char* path = std::getenv("PATH")) command.append(" PATH=").append(shellQuote(path));
  for (const auto& [name, value] : environment) {
    command.append(" ").append(name).append("=").append(shellQuote(value));
  }
  command.append(" ").append(shellQuote((binDir() / "skill").string()));
  for (const auto& arg : args) command.append(" ").append(shellQuote(arg));
  command.append(" >").append(shellQuote((dir / "out").string()));
  command.append(" 2>").append(shellQuote((dir / "err").string()));
  const int status = std::system(command.c_str());  // NOLINT(concurrency-mt-unsafe)
  return SkillRun{.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                  .out = readFile(dir / "out"),
                  .err = readFile(dir / "err")};
}

}  // namespace parley::testing
