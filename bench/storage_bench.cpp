// Point lookups per second on the SQLite user store, the request-path operation of the HTTP
// server. Arg: max_connections (1 = one connection behind the pool's mutex).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "parley/storage/sqlite/user_store.hpp"

namespace {

using parley::storage::User;
using parley::storage::sqlite::SqliteUserStore;

constexpr int kUsers = 10000;

std::string idOf(int i) { return "user-" + std::to_string(i); }

// One pre-filled store per pool size, shared by the benchmark threads.
SqliteUserStore& store(std::size_t connections) {
  static std::map<std::size_t, std::unique_ptr<SqliteUserStore>> stores;
  auto& slot = stores[connections];
  if (!slot) {
    auto path = std::filesystem::temp_directory_path() /
                ("parley-bench-" + std::to_string(connections) + ".db");
    std::filesystem::remove(path);
    slot = std::make_unique<SqliteUserStore>(parley::storage::sqlite::UserStoreOptions{
        .path = path.string(), .max_connections = connections});
    for (int i = 0; i < kUsers; ++i) {
      slot->put(User{.id = idOf(i),
                     .email = idOf(i) + "@example.com",
                     .created_at = std::chrono::system_clock::now(),
                     .attributes = {{"plan", "free"}}});
    }
  }
  return *slot;
}

void BM_Get(benchmark::State& state) {
  static std::mutex setup;
  SqliteUserStore* users = nullptr;
  {
    std::lock_guard lock(setup);
    users = &store(static_cast<std::size_t>(state.range(0)));
  }
  int i = static_cast<int>(state.thread_index()) * 7919;
  for (auto _ : state) {
    auto user = users->get(idOf(i++ % kUsers));
    if (!user) state.SkipWithError("user missing");
    benchmark::DoNotOptimize(user);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Get)->Arg(1)->Arg(16)->Threads(1)->Threads(2)->Threads(4)->UseRealTime();

void BM_Create(benchmark::State& state) {
  auto path = std::filesystem::temp_directory_path() / "parley-bench-create.db";
  std::filesystem::remove(path);
  SqliteUserStore users({.path = path.string()});
  int i = 0;
  for (auto _ : state) {
    users.create(
        User{.id = idOf(i++), .email = "a@example.com", .created_at = {}, .attributes = {}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Create);

}  // namespace

BENCHMARK_MAIN();
