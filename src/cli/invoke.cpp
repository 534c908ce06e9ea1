// skill invoke [FILE] [--config FILE]: one Alexa request through the sample skill, the response
// JSON on stdout. For trying the skill locally and for end-to-end tests of the whole runtime.
#include <spdlog/sinks/stdout_color_sinks.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "app_config.hpp"
#include "commands.hpp"
#include "sample_skill.hpp"

namespace parley::cli {
namespace {

// stdout carries the response; every log line goes to stderr.
void logToStderr(const std::string& level) {
  auto logger = std::make_shared<spdlog::logger>(
      "parley", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

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
    const auto users = openUserStore(config.storage);
    const auto engine = app::makeSampleSkill(
        *users,
        {.views = config.skill.views,
         .skill = {.seed = config.skill.seed, .application_ids = config.skill.application_ids}});
    const auto response = engine->handle(*body);
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
