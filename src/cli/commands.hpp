#pragma once

#include <CLI/CLI.hpp>

namespace parley::cli {

// Adds every subcommand to `app`; each lives in its own file.
void registerCommands(CLI::App& app);
void addUsersCommand(CLI::App& app);
void addInvokeCommand(CLI::App& app);
void addClientsCommand(CLI::App& app);
void addTokensCommand(CLI::App& app);
void addServeCommand(CLI::App& app);
void addLambdaCommand(CLI::App& app);
void addDbCommand(CLI::App& app);
// The exit code the subcommand that ran asked for.
int exitCode();
void setExitCode(int code);

}  // namespace parley::cli
