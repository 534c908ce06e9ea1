// `skill lambda`: the AWS Lambda custom runtime. The packaged `bootstrap` is this binary; main()
// runs this subcommand when started as `bootstrap` or without arguments under Lambda.

#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "app_config.hpp"
#include "application.hpp"
#include "commands.hpp"
#include "parley/core/clock.hpp"
#include "parley/core/log.hpp"
#include "parley/http/router.hpp"
#include "parley/lambda/runtime.hpp"
#include "parley/net/http_client.hpp"

namespace parley::cli {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): before any thread
  return value != nullptr ? value : "";
}

// Time left to answer after storage gives up on an invocation: a spoken error or an error page
// is rendered and posted in well under a millisecond, the rest absorbs a slow post.
constexpr std::chrono::milliseconds kAnswerMargin{250};

// Init failures go to /init/error so the invoke shows Runtime.InitError instead of a timeout.
int failInit(lambda::RuntimeApi& api, std::string message) {
  const lambda::ErrorReport report{.type = "Runtime.InitError", .message = std::move(message)};
  core::logger("lambda")->error("init failed: {}", report.message);
  if (auto reported = api.reportInitError(report); !reported) {
    core::logger("lambda")->error("could not report the init error: {}",
                                  reported.error().message());
  }
  return 1;
}

int runLambda() {
  const auto log = core::logger("lambda");
  // Config paths (views, www, sqlite) are relative to the package root Lambda unpacks.
  if (const auto task_root = environment("LAMBDA_TASK_ROOT"); !task_root.empty()) {
    std::error_code ec;
    std::filesystem::current_path(task_root, ec);
    if (ec) log->warn("could not chdir to LAMBDA_TASK_ROOT {}: {}", task_root, ec.message());
  }
  const auto endpoint = environment("AWS_LAMBDA_RUNTIME_API");
  if (endpoint.empty()) {
    std::cerr << "skill lambda: AWS_LAMBDA_RUNTIME_API is not set; run it under Lambda or a "
                 "Runtime API emulator\n";
    return 2;
  }
  core::SystemClock clock;
  net::BeastHttpClient client;  // plain HTTP on the loopback: no TLS set up
  lambda::RuntimeApi api(client, clock, {.endpoint = endpoint});

  // The descriptor's handler name picks what this function serves.
  const auto handler = environment("_HANDLER");
  if (!handler.empty() && handler != "skill" && handler != "web") {
    return failInit(api, "unknown handler \"" + handler + "\" (expected skill or web)");
  }
  // loadConfig has printed the reason (CloudWatch keeps stderr); the report only points there.
  const auto config = loadConfig("");
  if (!config) return failInit(api, "configuration could not be loaded (see the log)");
  logToStderr(config->log.level);
  lambda::InvocationDeadline deadline;
  std::unique_ptr<Application> application;
  try {
    application = std::make_unique<Application>(
        *config, HostOptions{.storage_deadline = deadline.until(kAnswerMargin),
                             .check_templates_at_startup = false});
  } catch (const std::exception& error) {
    return failInit(api, error.what());
  }

  lambda::Handlers handlers;
  handlers.http = [&application](const http::Request& request) {
    return application->router().handle(request);
  };
  if (handler != "web") {
    // A rejected envelope throws so the runtime reports it to /error rather than answering.
    handlers.alexa = [&application](std::string_view event) {
      auto reply = application->skill().handle(event);
      if (!reply) throw std::runtime_error(reply.error().message());
      return std::move(*reply);
    };
  }

  lambda::Runtime runtime(api, {.handlers = std::move(handlers), .deadline = &deadline});
  const auto ended = runtime.run();
  log->error("Runtime API failed, exiting: {}", ended.message());
  return 1;
}

}  // namespace

void addLambdaCommand(CLI::App& app) {
  auto* command = app.add_subcommand(
      "lambda", "Run as an AWS Lambda custom runtime (what the packaged bootstrap does)");
  command->callback([] {
    try {
      setExitCode(runLambda());
    } catch (const std::exception& e) {
      // Init and handlers report their own failures; what is left (e.g. bad_alloc) ends here.
      std::cerr << "skill lambda: " << e.what() << '\n';
      setExitCode(1);
    }
  });
}

}  // namespace parley::cli
