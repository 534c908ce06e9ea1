#include "commands.hpp"

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

}  // namespace parley::cli
