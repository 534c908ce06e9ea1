#include <CLI/CLI.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Parley: Alexa skills with account linking"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "parley 0.1.0");
  parley::cli::registerCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  return parley::cli::exitCode();
}
