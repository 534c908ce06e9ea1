#pragma once

#include <filesystem>
#include <string>

namespace parley::testing {

// The repository root, for reading fixtures, views and templates from tests.
std::filesystem::path sourceDir();
// Where the build puts executables (the `skill` binary).
std::filesystem::path binDir();
// Contents of tests/fixtures/<relative>; throws when missing.
std::string readFixture(const std::string& relative);
std::string readFile(const std::filesystem::path& path);

}  // namespace parley::testing
