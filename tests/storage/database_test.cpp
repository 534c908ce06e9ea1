#include "parley/storage/sqlite/database.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <type_traits>

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

}  // namespace
}  // namespace parley::storage::sqlite
