#include "parley/storage/sqlite/database.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <cstring>
#include <thread>
#include <type_traits>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include "parley/storage/sqlite/schema.hpp"

namespace parley::storage::sqlite {
namespace {

static_assert(!std::is_copy_constructible_v<Database>);
static_assert(!std::is_copy_constructible_v<Statement>);
static_assert(!std::is_copy_constructible_v<Transaction>);

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { database_.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)"); }
  std::string count() { return database_.queryText("SELECT count(*) FROM t"); }
  Database database_{":memory:"};
};

TEST_F(DatabaseTest, StatementBindsStepsAndReadsColumns) {
  Statement insert(database_, "INSERT INTO t VALUES (?1, ?2)");
  insert.bind(1, "a").bind(2, std::int64_t{42});
  EXPECT_FALSE(insert.step());
  insert.reset();
  insert.bind(1, "b").bindNull(2);
  EXPECT_FALSE(insert.step());

  Statement select(database_, "SELECT k, v FROM t ORDER BY k");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.columnText(0), "a");
  EXPECT_EQ(select.columnInt(1), 42);
  EXPECT_FALSE(select.columnIsNull(1));
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.columnText(0), "b");
  EXPECT_TRUE(select.columnIsNull(1));
  EXPECT_FALSE(select.step());
}

TEST_F(DatabaseTest, CachedStatementsArePreparedOncePerSql) {
  auto& insert = database_.cached("INSERT INTO t VALUES (?1, ?2)");
  {
    ScopedReset reset(insert);
    insert.bind(1, "a").bind(2, std::int64_t{1});
    EXPECT_FALSE(insert.step());
  }
  auto& again = database_.cached(std::string{"INSERT INTO t VALUES (?1, ?2)"});
  EXPECT_EQ(&insert, &again);
  {
    ScopedReset reset(again);
    again.bind(1, "b").bind(2, std::int64_t{2});
    EXPECT_FALSE(again.step());
  }
  EXPECT_NE(&database_.cached("SELECT v FROM t WHERE k = ?1"), &insert);
  EXPECT_EQ(count(), "2");
  EXPECT_THROW(database_.cached("SELEC nothing"), Error);
  EXPECT_THROW(database_.cached("SELEC nothing"), Error);  // a failed prepare is not cached
}

// A default std::string_view has no storage; it is still the empty text, never NULL.
TEST_F(DatabaseTest, AnEmptyViewWithoutStorageBindsTheEmptyText) {
  Statement select(database_, "SELECT ?1 = ''");
  select.bind(1, std::string_view{});
  ASSERT_TRUE(select.step());
  EXPECT_FALSE(select.columnIsNull(0));
  EXPECT_EQ(select.columnInt(0), 1);
}

TEST_F(DatabaseTest, ResetUnbindsParameters) {
  Statement insert(database_, "INSERT INTO t VALUES ('x', ?1)");
  insert.bind(1, std::int64_t{7});
  insert.reset();
  insert.step();
  Statement select(database_, "SELECT v FROM t");
  ASSERT_TRUE(select.step());
  EXPECT_TRUE(select.columnIsNull(0));
}

TEST_F(DatabaseTest, ErrorsKeepSqliteExtendedCode) {
  database_.exec("INSERT INTO t VALUES ('dup', 1)");
  Statement insert(database_, "INSERT INTO t VALUES ('dup', 2)");
  try {
    insert.step();
    FAIL() << "inserted a duplicate key";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), SQLITE_CONSTRAINT_PRIMARYKEY);
    EXPECT_EQ(error.kind(), StorageError::Kind::kInternal);
  }
}

TEST_F(DatabaseTest, MalformedSqlThrowsWithSqliteMessage) {
  try {
    Statement statement(database_, "SELEC nothing");
    FAIL() << "prepared malformed SQL";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), SQLITE_ERROR);
    EXPECT_NE(std::string{error.what()}.find("syntax error"), std::string::npos) << error.what();
  }
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  {
    Transaction transaction(database_);
    database_.exec("INSERT INTO t VALUES ('gone', 1)");
  }
  EXPECT_EQ(count(), "0");
  {
    Transaction transaction(database_, Transaction::Behavior::kImmediate);
    database_.exec("INSERT INTO t VALUES ('kept', 1)");
    transaction.commit();
  }
  EXPECT_EQ(count(), "1");
}

TEST_F(DatabaseTest, TransactionRollsBackWhenAnExceptionLeavesTheScope) {
  try {
    Transaction transaction(database_, Transaction::Behavior::kExclusive);
    database_.exec("INSERT INTO t VALUES ('a', 1)");
    database_.exec("INSERT INTO t VALUES ('a', 2)");  // throws: duplicate key
    transaction.commit();
  } catch (const Error&) {
  }
  EXPECT_EQ(count(), "0");
}

TEST_F(DatabaseTest, ChangesCountsRowsOfLastWrite) {
  database_.exec("INSERT INTO t VALUES ('a', 1), ('b', 1), ('c', 2)");
  database_.exec("UPDATE t SET v = 3 WHERE v = 1");
  EXPECT_EQ(database_.changes(), 2);
}

TEST_F(DatabaseTest, MigrateRunsOnlyMissingSteps) {
  constexpr std::array<std::string_view, 1> kV1 = {"CREATE TABLE m (a INTEGER)"};
  constexpr std::array<std::string_view, 2> kV2 = {"CREATE TABLE m (a INTEGER)",
                                                   "ALTER TABLE m ADD COLUMN b INTEGER"};
  EXPECT_EQ(schemaVersion(database_, "m"), 0);
  migrate(database_, "m", kV1);
  EXPECT_EQ(schemaVersion(database_, "m"), 1);
  migrate(database_, "m", kV1);  // again: no "table m already exists"
  migrate(database_, "m", kV2);
  EXPECT_EQ(schemaVersion(database_, "m"), 2);
  database_.exec("INSERT INTO m (a, b) VALUES (1, 2)");
  EXPECT_EQ(schemaVersion(database_, "other"), 0);
}

TEST_F(DatabaseTest, FailedMigrationStepLeavesVersionUnchanged) {
  constexpr std::array<std::string_view, 2> kBroken = {"CREATE TABLE n (a INTEGER)",
                                                       "ALTER TABLE missing ADD COLUMN b"};
  EXPECT_THROW(migrate(database_, "n", kBroken), Error);
  EXPECT_EQ(schemaVersion(database_, "n"), 0);
  EXPECT_EQ(database_.queryText("SELECT count(*) FROM sqlite_schema WHERE name = 'n'"), "0");
}

TEST(Database, ReadOnlyOpenOfMissingFileFails) {
  EXPECT_THROW(Database("/nonexistent-parley/db.sqlite", {.read_only = true}), Error);
}

// SQLite's memory goes through the small-block cache once a Database has configured it.
TEST_F(DatabaseTest, SmallBlocksAreRoundedToAClassAndReusedOnTheSameThread) {
  void* first = sqlite3_malloc(100);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(sqlite3_msize(first), 128U);
  std::memset(first, 0xAB, 128);  // the whole class size is usable
  sqlite3_free(first);
  void* again = sqlite3_malloc(90);
  EXPECT_EQ(again, first);
  sqlite3_free(again);
  void* large = sqlite3_malloc(10000);  // beyond the classes: malloc, rounded to 8
  EXPECT_EQ(sqlite3_msize(large), 10000U);
  sqlite3_free(large);
}

TEST_F(DatabaseTest, ReallocatedBlocksKeepTheirContentAcrossClassesAndBeyond) {
  auto* bytes = static_cast<char*>(sqlite3_malloc(40));
  for (int i = 0; i < 40; ++i) bytes[i] = static_cast<char>(i);
  bytes = static_cast<char*>(sqlite3_realloc(bytes, 300));
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(sqlite3_msize(bytes), 512U);
  bytes = static_cast<char*>(sqlite3_realloc(bytes, 5000));
  ASSERT_NE(bytes, nullptr);
  EXPECT_GE(sqlite3_msize(bytes), 5000U);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(bytes[i], static_cast<char>(i)) << i;
  EXPECT_EQ(sqlite3_realloc(bytes, 100), bytes);  // shrinking keeps the block
  sqlite3_free(bytes);
}

TEST_F(DatabaseTest, BlocksMoveBetweenThreadsAndThreadsReturnTheirCacheWhenTheyEnd) {
  std::vector<void*> made;
  std::thread maker([&made] {
    for (int i = 0; i < 100; ++i) made.push_back(sqlite3_malloc(64 + i * 4));
  });
  maker.join();
  for (void* block : made) sqlite3_free(block);  // cached here, or freed once the cache is full
  std::thread churner([] {
    std::vector<void*> blocks;
    for (int i = 0; i < 200; ++i) blocks.push_back(sqlite3_malloc(200));
    for (void* block : blocks) sqlite3_free(block);
  });  // ends with a full cache: LeakSanitizer (debug build) reports it unless it is returned
  churner.join();
  // A database still works on memory that crossed threads.
  database_.exec("INSERT INTO t VALUES ('" + std::string(300, 'x') + "', 1)");
  EXPECT_EQ(count(), "1");
}

#if defined(__SANITIZE_ADDRESS__)
TEST_F(DatabaseTest, CachedBlocksArePoisonedSoAUseAfterFreeIsCaught) {
  auto* block = static_cast<char*>(sqlite3_malloc(64));
  EXPECT_FALSE(__asan_address_is_poisoned(block + 8));
  sqlite3_free(block);
  EXPECT_TRUE(__asan_address_is_poisoned(block + 8));
  EXPECT_EQ(sqlite3_malloc(64), block);
  EXPECT_FALSE(__asan_address_is_poisoned(block + 8));
  sqlite3_free(block);
}
#endif

}  // namespace
}  // namespace parley::storage::sqlite
