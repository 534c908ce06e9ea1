#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string_view>

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
// Runs a command's work: an exception (storage unreachable, a setup failure) ends the command
// with one line, "skill <command>: <what>", and exit code 1, never an abort.
void runGuarded(std::string_view command, const std::function<void()>& body);

}  // namespace parley::cli
