#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "parley/aws/dynamodb.hpp"
#include "parley/config/options.hpp"
#include "parley/storage/user_store.hpp"

// What every subcommand needs from configuration: the `--config FILE` option, the loaded Config,
// and the stores it names.
namespace parley::cli {

// Adds `--config FILE` to `command`. The returned string is empty unless the option was given.
std::shared_ptr<std::string> addConfigOption(CLI::App& command);

// Loads the configuration: `--config FILE`, else SKILL_CONFIG, else the environment chosen by
// SKILL_ENV / AWS_LAMBDA_FUNCTION_NAME / local (see parley/config/config.hpp), with PARLEY_*
// overrides from the process environment. On failure prints the one-line reason to stderr, sets
// exit code 2 and returns nothing.
std::optional<config::Config> loadConfig(const std::string& config_file);

// The UserStore `options` names; throws StorageError when it cannot be opened. The one place a
// backend is chosen: add new storage types here. `deadline` bounds remote calls and their retries.
std::unique_ptr<storage::UserStore> openUserStore(const config::StorageOptions& options,
                                                  aws::DeadlineSource deadline = {});

}  // namespace parley::cli
