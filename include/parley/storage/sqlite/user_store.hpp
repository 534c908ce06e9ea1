#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "parley/storage/user_store.hpp"

namespace parley::storage::sqlite {

struct UserStoreOptions {
  // A file path, or ":memory:" for a private in-memory database (tests).
  std::string path{"parley-local.db"};
  std::chrono::milliseconds busy_timeout{5000};
  // Upper bound on open connections; callers wait when all are busy. ":memory:" always uses one,
  // because each in-memory connection would be a separate database.
  std::size_t max_connections{16};
};

// The embedded default UserStore: one SQLite file in WAL mode, so readers never wait for the
// writer and one another. Thread-safe: each call borrows a connection from a pool (opened on
// demand, each with its own prepared statements), so concurrent point lookups run in parallel
// and only writers queue on SQLite's write lock (busy timeout). The constructor opens the file
// and creates or migrates the schema, so a bad path fails at startup with StorageError. Destroy
// the store only after every call into it has returned.
class SqliteUserStore final : public UserStore {
 public:
  explicit SqliteUserStore(UserStoreOptions options);
  SqliteUserStore(const SqliteUserStore&) = delete;
  SqliteUserStore& operator=(const SqliteUserStore&) = delete;
  ~SqliteUserStore() override;

  std::optional<User> get(std::string_view id) override;
  bool create(const User& user) override;
  void put(const User& user) override;
  bool remove(std::string_view id) override;

  // The users table's entry in schema_versions.
  static constexpr std::string_view kSchemaComponent = "users";

 private:
  struct Connection;
  class Lease;

  std::unique_ptr<Connection> acquire();
  void release(std::unique_ptr<Connection> connection);

  UserStoreOptions options_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_count_{0};
};

}  // namespace parley::storage::sqlite
