#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace parley::testing {

// The repository root, for reading fixtures, views and templates from tests.
std::filesystem::path sourceDir();
// Where the build puts executables (the `skill` binary).
std::filesystem::path binDir();
// Contents of tests/fixtures/<relative>; throws when missing.
std::string readFixture(const std::string& relative);
std::string readFile(const std::filesystem::path& path);
// `text` as one single-quoted POSIX shell word.
std::string shellQuote(std::string_view text);

struct SkillRun {
  int code{-1};  // exit status; -1 when killed by a signal
  std::string out{};
  std::string err{};
};

// Runs the built `skill args…` with `dir` as working directory and an environment of PATH plus
// `environment` only (no inherited SKILL_* or PARLEY_*); its output goes through files in `dir`.
SkillRun runSkill(const std::filesystem::path& dir, const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& environment = {});

}  // namespace parley::testing
