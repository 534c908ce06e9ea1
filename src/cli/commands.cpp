#include "commands.hpp"

#include <exception>
#include <iostream>

namespace parley::cli {
namespace {
int exit_code = 0;
}  // namespace

void registerCommands(CLI::App& app) {
  addUsersCommand(app);
  addInvokeCommand(app);
  addClientsCommand(app);
  addTokensCommand(app);
  addServeCommand(app);
  addLambdaCommand(app);
  addDbCommand(app);
}

int exitCode() { return exit_code; }
void setExitCode(int code) { exit_code = code; }

void runGuarded(std::string_view command, const std::function<void()>& body) {
  try {
    body();
  } catch (const std::exception& error) {
    std::cerr << "skill " << command << ": " << error.what() << '\n';
    setExitCode(1);
  }
}

}  // namespace parley::cli
