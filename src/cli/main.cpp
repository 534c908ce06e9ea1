#include <CLI/CLI.hpp>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Parley: Alexa skills with account linking"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "parley 0.1.0");
  parley::cli::registerCommands(app);
  // Lambda starts the packaged binary as `bootstrap`, without arguments.
  std::vector<const char*> args(argv, argv + argc);
  const std::string_view name = argc > 0 ? argv[0] : "";
  const bool as_bootstrap = name == "bootstrap" || name.ends_with("/bootstrap");
  // NOLINTNEXTLINE(concurrency-mt-unsafe): no other thread exists yet
  if (argc == 1 && (as_bootstrap || std::getenv("AWS_LAMBDA_RUNTIME_API") != nullptr)) {
    args.push_back("lambda");
  }
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  return parley::cli::exitCode();
}
