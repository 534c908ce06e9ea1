#pragma once

#include "parley/storage/sqlite/connection_pool.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::storage::sqlite {

using UserStoreOptions = PoolOptions;

// The embedded default UserStore: the users table in one SQLite file, through a ConnectionPool
// (thread-safe, parallel readers). The constructor opens the file and creates or migrates the
// schema, so a bad path fails at startup with StorageError. Destroy the store only after every
// call into it has returned.
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

  const std::string& path() const { return pool_.path(); }

  // The users table's entry in schema_versions.
  static constexpr std::string_view kSchemaComponent = "users";

 private:
  ConnectionPool pool_;
};

}  // namespace parley::storage::sqlite
