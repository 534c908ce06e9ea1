// Request parsing, response serialization and SSML checks: the per-request cost of the alexa
// module. Run: cmake --build --preset release --target alexa_bench && build/release/bin/alexa_bench
#include <benchmark/benchmark.h>

#include <string>

#include "parley/alexa/request.hpp"
#include "parley/alexa/response.hpp"
#include "parley/alexa/ssml.hpp"
#include "support/fixtures.hpp"

namespace {

using namespace parley::alexa;

void parseFixture(benchmark::State& state, const char* name) {
  const auto body = parley::testing::readFixture(std::string("alexa/") + name);
  for (auto _ : state) {
    auto envelope = parseRequest(body);
    benchmark::DoNotOptimize(envelope);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK_CAPTURE(parseFixture, launch, "launch-linked.json");
BENCHMARK_CAPTURE(parseFixture, intent_with_slots, "intent-with-slots.json");

void buildAndSerialize(benchmark::State& state) {
  for (auto _ : state) {
    ResponseBuilder reply;
    reply.setSessionAttributes({{"state", "askDrink"}, {"model", {{"ordersToday", 1}}}});
    (void)reply.addStatement("Welcome back, " + escapeSsmlText("tj&co@example.com") + "!");
    (void)reply.addStatement("What would you like to <emphasis>drink</emphasis>?");
    (void)reply.addReprompt("Say a drink, for example a latte.");
    reply.simpleCard("Coffee", "Order a drink");
    auto body = reply.serialize();
    benchmark::DoNotOptimize(body);
  }
}
BENCHMARK(buildAndSerialize);

void validateKilobyteOfSsml(benchmark::State& state) {
  std::string ssml = "<speak>";
  while (ssml.size() < 1024) {
    ssml +=
        "<p>Hello <emphasis level=\"strong\">there</emphasis> &amp; welcome.</p>"
        "<break time=\"500ms\"/>";
  }
  ssml += "</speak>";
  for (auto _ : state) {
    auto result = validateSsml(ssml);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * ssml.size()));
}
BENCHMARK(validateKilobyteOfSsml);

}  // namespace

BENCHMARK_MAIN();
