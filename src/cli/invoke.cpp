// skill invoke [FILE] [--config FILE]: one Alexa request through the sample skill, the response
// JSON on stdout. For trying the skill locally and for end-to-end tests of the whole runtime.
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "app_config.hpp"
#include "application.hpp"
#include "commands.hpp"

namespace parley::cli {
namespace {

std::optional<std::string> readRequest(const std::string& file) {
  std::ostringstream text;
  if (file.empty() || file == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  text << in.rdbuf();
  return text.str();
}

int invoke(const std::string& file, const config::Config& config) {
  logToStderr(config.log.level);
  const auto body = readRequest(file);
  if (!body) {
    std::cerr << "skill invoke: cannot read " << file << "\n";
    return 2;
  }
  try {
    const Application application{config};
    const auto response = application.skill().handle(*body);
    if (!response) {
      std::cerr << "skill invoke: " << response.error().message() << "\n";
      return 2;
    }
    std::cout << *response << "\n";
    return 0;
  } catch (const std::exception& error) {
    // Startup failures: views that do not match the skill, a database that cannot be opened.
    std::cerr << "skill invoke: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace

void addInvokeCommand(CLI::App& app) {
  auto* command = app.add_subcommand(
      "invoke", "Run one Alexa request (JSON from FILE or stdin) and print the response");
  auto file = std::make_shared<std::string>();
  command->add_option("file", *file, "Request JSON; stdin when absent or \"-\"");
  auto config_file = addConfigOption(*command);
  command->callback([file, config_file] {
    if (auto config = loadConfig(*config_file)) setExitCode(invoke(*file, *config));
  });
}

}  // namespace parley::cli
