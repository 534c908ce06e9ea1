// The skill runtime per request: parse → dispatch → render → serialize, for the linked
// LaunchRequest of the sample skill against an in-memory store. Target: < 20 µs per request.
#include <benchmark/benchmark.h>

#include "fakes/memory_user_store.hpp"
#include "parley/alexa/request.hpp"
#include "sample_skill.hpp"
#include "support/fixtures.hpp"

namespace {

struct Runtime {
  Runtime() {
    users.put({.id = "tok-linked", .email = "ada@example.com"});
    engine = parley::app::makeSampleSkill(
        users, {.views = parley::testing::sourceDir() / "app/views", .skill = {.seed = 1}});
  }
  parley::fakes::MemoryUserStore users;
  std::unique_ptr<parley::statemachine::Engine> engine;
  std::string body = parley::testing::readFixture("alexa/launch-linked.json");
};

void fullRequest(benchmark::State& state) {
  Runtime runtime;
  for (auto _ : state) {
    auto response = runtime.engine->handle(runtime.body);
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(fullRequest);

void parseOnly(benchmark::State& state) {
  Runtime runtime;
  for (auto _ : state) {
    auto envelope = parley::alexa::parseRequest(runtime.body);
    benchmark::DoNotOptimize(envelope);
  }
}
BENCHMARK(parseOnly);

void dispatchAndRender(benchmark::State& state) {
  Runtime runtime;
  const auto envelope = parley::alexa::parseRequest(runtime.body);
  for (auto _ : state) {
    auto reply = runtime.engine->reply(*envelope);
    benchmark::DoNotOptimize(reply);
  }
}
BENCHMARK(dispatchAndRender);

}  // namespace

BENCHMARK_MAIN();
