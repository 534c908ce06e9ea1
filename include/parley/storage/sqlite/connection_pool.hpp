#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "parley/storage/sqlite/database.hpp"

namespace parley::storage::sqlite {

struct PoolOptions {
  // A file path, or ":memory:" for a private in-memory database (tests).
  std::string path{"parley-local.db"};
  std::chrono::milliseconds busy_timeout{5000};
  // Upper bound on open connections; callers wait when all are busy. ":memory:" always uses one,
  // because each in-memory connection would be a separate database.
  std::size_t max_connections{16};
};

// Connections to one SQLite file in WAL mode (readers never wait for the writer or one another),
// opened on demand, each with its own statement cache (Database::cached). Each run() borrows one
// connection for its duration, so concurrent point lookups run in parallel and only writers
// queue on SQLite's write lock (busy timeout). The constructor opens the first connection and
// runs `migrate` on it, so a bad path or a broken file fails there, at startup. Destroy the pool
// only after every run() has returned.
class ConnectionPool {
 public:
  ConnectionPool(PoolOptions options, const std::function<void(Database&)>& migrate);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool();

  template <typename Work>
  auto run(Work&& work) {
    Lease lease(*this);
    return work(*lease.database);
  }

  const std::string& path() const { return options_.path; }

 private:
  // A borrowed connection, returned to the pool when the call ends (also on throw).
  struct Lease {
    explicit Lease(ConnectionPool& owner) : pool(owner), database(owner.acquire()) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool.release(std::move(database)); }
    ConnectionPool& pool;
    std::unique_ptr<Database> database;
  };

  std::unique_ptr<Database> open(bool first);
  std::unique_ptr<Database> acquire();
  void release(std::unique_ptr<Database> database);

  PoolOptions options_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<Database>> idle_;
  std::size_t open_count_{0};
};

}  // namespace parley::storage::sqlite
