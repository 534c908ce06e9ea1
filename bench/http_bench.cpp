// HTTP module benchmarks: routing without sockets, and keep-alive round trips through the server
// driven by an in-process client (which shares the CPU with the server, so the number is a floor).
// `http_bench --serve PORT [IO_THREADS]` instead runs the same server until SIGINT, for wrk:
//   wrk -t1 -c32 -d10s -s post.lua http://127.0.0.1:PORT/skill
#include <benchmark/benchmark.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <string>
#include <thread>

#include "parley/http/server.hpp"
#include "parley/http/static_files.hpp"

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using parley::http::Request;
using parley::http::Response;
using parley::http::Router;
using parley::http::Verb;

constexpr std::string_view kBody =
    R"({"version":"1.0","request":{"type":"LaunchRequest","requestId":"amzn1.echo-api.request.1"}})";

Router benchRouter() {
  Router router;
  for (const char* path : {"/", "/login", "/logout", "/oauth/authorize", "/oauth/token"}) {
    router.get(path, [](const Request&) { return Response::html("<p>page</p>"); });
  }
  router.post("/skill", [](const Request& request) {
    return Response::json(R"({"version":"1.0","response":{"shouldEndSession":true},"n":)" +
                          std::to_string(request.body().size()) + "}");
  });
  router.after(parley::http::securityHeaders({}));
  return router;
}

void BM_RouterHandle(benchmark::State& state) {
  auto router = benchRouter();
  Request request(Verb::post, "/skill", std::string(kBody));
  request.setHeader("Content-Type", "application/json");
  for (auto _ : state) {
    auto response = router.handle(request);
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouterHandle);

asio::awaitable<void> clientLoop(asio::ip::tcp::endpoint endpoint, std::atomic<long>& budget) {
  constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
  asio::ip::tcp::socket socket(co_await asio::this_coro::executor);
  auto [connect_ec] = co_await socket.async_connect(endpoint, kUseTuple);
  if (connect_ec) co_return;
  socket.set_option(asio::ip::tcp::no_delay(true));
  const std::string request =
      "POST /skill HTTP/1.1\r\nHost: bench\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
      std::to_string(kBody.size()) + "\r\n\r\n" + std::string(kBody);
  boost::beast::flat_buffer buffer;
  while (budget.fetch_sub(1) > 0) {
    auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(request), kUseTuple);
    if (write_ec) co_return;
    bhttp::response<bhttp::string_body> response;
    auto [read_ec, read] = co_await bhttp::async_read(socket, buffer, response, kUseTuple);
    if (read_ec || response.result_int() != 200) co_return;
  }
}

// Arguments: server I/O threads, client connections.
void BM_ServerKeepAlive(benchmark::State& state) {
  auto router = benchRouter();
  parley::http::Server server(
      router,
      {.port = 0, .io_threads = static_cast<std::size_t>(state.range(0)), .log_requests = false});
  server.start();
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), server.port());
  constexpr long kBatch = 2000;
  for (auto _ : state) {
    std::atomic<long> budget{kBatch};
    asio::io_context client(1);
    for (long c = 0; c < state.range(1); ++c) {
      asio::co_spawn(client, clientLoop(endpoint, budget), asio::detached);
    }
    client.run();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  server.stop();
}
BENCHMARK(BM_ServerKeepAlive)
    ->Args({1, 32})
    ->Args({2, 32})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

int serve(int argc, char** argv) {
  auto router = benchRouter();
  parley::http::Server server(
      router, {.port = static_cast<unsigned short>(std::atoi(argv[2])),
               .io_threads = argc > 3 ? static_cast<std::size_t>(std::atoi(argv[3])) : 1,
               .stop_on_signals = true,
               .log_requests = false});
  server.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 && std::string_view(argv[1]) == "--serve") return serve(argc, argv);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
