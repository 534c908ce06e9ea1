#include "parley/storage/sqlite/connection_pool.hpp"

#include "parley/core/log.hpp"

namespace parley::storage::sqlite {
namespace {

constexpr std::string_view kMemory = ":memory:";

}  // namespace

ConnectionPool::ConnectionPool(PoolOptions options, const std::function<void(Database&)>& migrate)
    : options_(std::move(options)) {
  if (options_.path == kMemory || options_.max_connections == 0) options_.max_connections = 1;
  auto first = open(true);
  migrate(*first);
  idle_.push_back(std::move(first));
  open_count_ = 1;
}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<Database> ConnectionPool::open(bool first) {
  auto database = std::make_unique<Database>(
      options_.path, OpenOptions{.read_only = false, .busy_timeout = options_.busy_timeout});
  // The journal mode is a property of the file: setting it once is enough.
  if (first && options_.path != kMemory) {
    auto mode = database->queryText("PRAGMA journal_mode = WAL");
    if (mode != "wal") {
      core::logger("storage")->warn("sqlite: {}: journal mode is {}, not wal", options_.path, mode);
    }
  }
  // NORMAL is durable across application crashes in WAL mode and skips an fsync per commit.
  database->exec("PRAGMA synchronous = NORMAL");
  return database;
}

std::unique_ptr<Database> ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  released_.wait(lock, [this] { return !idle_.empty() || open_count_ < options_.max_connections; });
  if (!idle_.empty()) {
    auto database = std::move(idle_.back());
    idle_.pop_back();
    return database;
  }
  ++open_count_;
  lock.unlock();
  try {
    return open(false);
  } catch (...) {
    lock.lock();
    --open_count_;
    released_.notify_one();
    throw;
  }
}

void ConnectionPool::release(std::unique_ptr<Database> database) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(database));
  }
  released_.notify_one();
}

}  // namespace parley::storage::sqlite
