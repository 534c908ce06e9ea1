#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "parley/storage/sqlite/database.hpp"
#include "parley/storage/sqlite/schema.hpp"
#include "parley/storage/sqlite/user_store.hpp"
#include "storage/user_store_conformance.hpp"
#include "support/temp_dir.hpp"

namespace parley::storage::sqlite {
namespace {

using storage::testing::sampleUser;
using storage::testing::UserStoreBackend;
using storage::testing::UserStoreConformance;

// Each store in its own file; the directories live as long as the test binary.
std::unique_ptr<UserStore> makeFileStore() {
  static parley::testing::TempDir directory;
  static int counter = 0;
  auto path = directory / ("conformance-" + std::to_string(++counter) + ".db");
  return std::make_unique<SqliteUserStore>(UserStoreOptions{.path = path.string()});
}

INSTANTIATE_TEST_SUITE_P(Sqlite, UserStoreConformance,
                         ::testing::Values(UserStoreBackend{"File", makeFileStore},
                                           UserStoreBackend{
                                               "Memory",
                                               [] {
                                                 return std::make_unique<SqliteUserStore>(
                                                     UserStoreOptions{.path = ":memory:"});
                                               }}),
                         storage::testing::backendName);

class SqliteUserStoreTest : public ::testing::Test {
 protected:
  std::string dbPath() const { return (directory_ / "users.db").string(); }
  parley::testing::TempDir directory_;
};

TEST_F(SqliteUserStoreTest, FileDatabaseUsesWriteAheadLog) {
  SqliteUserStore store({.path = dbPath()});
  Database database(dbPath());
  EXPECT_EQ(database.queryText("PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteUserStoreTest, CreatesSchemaWithVersionOnFirstUse) {
  { SqliteUserStore store({.path = dbPath()}); }
  Database database(dbPath());
  EXPECT_EQ(schemaVersion(database, SqliteUserStore::kSchemaComponent), 1);
  EXPECT_EQ(database.queryText("SELECT name FROM sqlite_schema WHERE name = 'users'"), "users");
}

TEST_F(SqliteUserStoreTest, ReopeningKeepsUsers) {
  auto user = sampleUser("persisted");
  {
    SqliteUserStore store({.path = dbPath()});
    ASSERT_TRUE(store.create(user));
  }
  SqliteUserStore reopened({.path = dbPath()});
  EXPECT_EQ(reopened.get("persisted"), user);
  EXPECT_FALSE(reopened.create(user));
}

TEST_F(SqliteUserStoreTest, ManyThreadsReadAndWriteThroughSeveralConnections) {
  SqliteUserStore store({.path = dbPath(), .max_connections = 4});
  constexpr int kWriters = 4;
  constexpr int kReaders = 4;
  constexpr int kUsers = 100;
  for (int i = 0; i < kUsers; ++i)
    ASSERT_TRUE(store.create(sampleUser("seed" + std::to_string(i))));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kUsers; ++i) {
        if (!store.create(sampleUser("w" + std::to_string(w) + "-" + std::to_string(i)))) {
          ++failures;
        }
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      for (int round = 0; round < 5; ++round) {
        for (int i = 0; i < kUsers; ++i) {
          if (!store.get("seed" + std::to_string(i))) ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  Database database(dbPath());
  EXPECT_EQ(database.queryText("SELECT count(*) FROM users"),
            std::to_string(kUsers * (kWriters + 1)));
}

TEST_F(SqliteUserStoreTest, MissingDirectoryIsUnavailable) {
  try {
    SqliteUserStore store({.path = (directory_ / "missing" / "users.db").string()});
    FAIL() << "opened a database in a missing directory";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kUnavailable);
    EXPECT_NE(std::string{error.what()}.find("users.db"), std::string::npos) << error.what();
  }
}

TEST_F(SqliteUserStoreTest, DirectoryInPlaceOfFileIsUnavailable) {
  std::filesystem::create_directory(dbPath());
  EXPECT_THROW(SqliteUserStore({.path = dbPath()}), StorageError);
}

TEST_F(SqliteUserStoreTest, GarbageFileIsCorrupt) {
  directory_.write("users.db", std::string(8192, 'x'));
  try {
    SqliteUserStore store({.path = dbPath()});
    FAIL() << "opened a file that is no database";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kCorrupt);
    EXPECT_EQ(error.code(), SQLITE_NOTADB);
  }
}

TEST_F(SqliteUserStoreTest, NewerSchemaIsRefused) {
  {
    Database database(dbPath());
    database.exec(
        "CREATE TABLE schema_versions (component TEXT PRIMARY KEY NOT NULL, version INTEGER NOT "
        "NULL); INSERT INTO schema_versions VALUES ('users', 99)");
  }
  try {
    SqliteUserStore store({.path = dbPath()});
    FAIL() << "opened a schema from the future";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), SQLITE_MISMATCH);
    EXPECT_NE(std::string{error.what()}.find("version 99"), std::string::npos) << error.what();
  }
}

TEST_F(SqliteUserStoreTest, AttributesThatAreNotAnObjectAreCorrupt) {
  SqliteUserStore store({.path = dbPath()});
  {
    Database database(dbPath());
    database.exec("INSERT INTO users VALUES ('bad', 'b@example.com', 0, '[1, 2')");
  }
  try {
    (void)store.get("bad");
    FAIL() << "read malformed attributes";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kCorrupt);
  }
}

TEST_F(SqliteUserStoreTest, WriterWaitsForTheBusyTimeoutThenFails) {
  SqliteUserStore store({.path = dbPath(), .busy_timeout = std::chrono::milliseconds{100}});
  Database other(dbPath());
  Transaction lock(other, Transaction::Behavior::kImmediate);
  auto start = std::chrono::steady_clock::now();
  try {
    store.put(sampleUser("blocked"));
    FAIL() << "wrote while another connection held the write lock";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kTimeout);
    EXPECT_EQ(error.code() & 0xff, SQLITE_BUSY);
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{90});
  // Readers are not blocked by a writer in WAL mode.
  EXPECT_EQ(store.get("blocked"), std::nullopt);
}

}  // namespace
}  // namespace parley::storage::sqlite
