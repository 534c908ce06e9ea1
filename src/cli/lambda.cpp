// `skill lambda`: the AWS Lambda custom runtime. The packaged `bootstrap` is this binary; main()
// runs this subcommand when started as `bootstrap` or without arguments under Lambda.

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

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

// Set explicitly: Amazon Linux 2023 has none of the paths Debian's OpenSSL defaults to.
std::string caFile() {
  if (auto configured = environment("SSL_CERT_FILE"); !configured.empty()) return configured;
  for (const char* path :
       {"/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/certs/ca-certificates.crt"}) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return path;
  }
  return {};
}

// Stand-in skill: a launch greets a linked user and asks others to link. Reads the envelope with
// at(), so an event missing context.System.user fails the invocation (reported as an error).
std::string standInAlexa(std::string_view event) {
  const auto request = boost::json::parse(event);
  const auto& user = request.at("context").at("System").at("user").as_object();
  const auto* token = user.if_contains("accessToken");
  if (token != nullptr && token->is_string() && !token->get_string().empty()) {
    return R"({"version":"1.0","response":{"outputSpeech":{"type":"PlainText",)"
           R"("text":"Welcome back! Your account is linked."},"shouldEndSession":true}})";
  }
  return R"({"version":"1.0","response":{"outputSpeech":{"type":"PlainText",)"
         R"("text":"Please link your account in the Alexa app."},)"
         R"("card":{"type":"LinkAccount"},"shouldEndSession":true}})";
}

// Stand-in pages: the linking form, and its submission acknowledged by field names only.
http::Router standInRoutes() {
  http::Router router;
  router.get("/", [](const http::Request&) {
    return http::Response::html(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Parley</title>"
        "<h1>Link your account</h1><form method=post action=/login>"
        "<input name=email type=email><input name=password type=password>"
        "<button>Sign in</button></form></html>");
  });
  router.post("/login", [](const http::Request& request) {
    const auto form = request.form();
    if (!form) return http::Response::error(400);
    std::string fields;
    for (const auto& [name, value] : form->items()) fields += (fields.empty() ? "" : ",") + name;
    return http::Response::text("form fields: " + fields);
  });
  return router;
}

int runLambda() {
  const auto log = core::logger("lambda");
  const auto endpoint = environment("AWS_LAMBDA_RUNTIME_API");
  if (endpoint.empty()) {
    std::cerr << "skill lambda: AWS_LAMBDA_RUNTIME_API is not set; run it under Lambda or a "
                 "Runtime API emulator\n";
    return 2;
  }
  core::SystemClock clock;
  net::BeastHttpClient client({.ca_file = caFile()});
  lambda::RuntimeApi api(client, clock, {.endpoint = endpoint});

  // The descriptor's handler name picks what this function serves.
  const auto handler = environment("_HANDLER");
  const auto router = standInRoutes();
  lambda::Handlers handlers;
  handlers.http = [&router](const http::Request& request) { return router.handle(request); };
  if (handler.empty() || handler == "skill") {
    handlers.alexa = standInAlexa;
  } else if (handler != "web") {
    const lambda::ErrorReport report{
        .type = "Runtime.InitError",
        .message = "unknown handler \"" + handler + "\" (expected skill or web)"};
    log->error("init failed: {}", report.message);
    if (auto reported = api.reportInitError(report); !reported) {
      log->error("could not report the init error: {}", reported.error().message());
    }
    return 1;
  }

  lambda::InvocationDeadline deadline;
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
      // Only construction can throw here (e.g. an unreadable CA file): nothing to report to.
      std::cerr << "skill lambda: " << e.what() << '\n';
      setExitCode(1);
    }
  });
}

}  // namespace parley::cli
