#include "support/fixtures.hpp"

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

}  // namespace parley::testing
