#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "parley/storage/user_store.hpp"

struct sqlite3;
struct sqlite3_stmt;

// Thin RAII layer over the SQLite C API, in SQLiteCpp's shape: handles are never copied, a scoped
// transaction rolls back unless committed, and every failure throws `Error` carrying SQLite's
// extended result code.
//
// Threads: a Database and its Statements belong to one thread at a time (connections are opened
// with SQLITE_OPEN_NOMUTEX). Share a database between threads with one connection per thread or
// a pool, as SqliteUserStore does.
namespace parley::storage::sqlite {

class Statement;

class Error : public StorageError {
 public:
  // `code` is SQLite's extended result code (SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_BUSY, …).
  Error(int code, const std::string& what);
  int code() const { return code_; }

 private:
  int code_;
};

struct OpenOptions {
  bool read_only{false};
  // SQLite retries a locked database for this long before failing with SQLITE_BUSY.
  std::chrono::milliseconds busy_timeout{5000};
};

class Database {
 public:
  // Opens (creating it unless read-only) the database at `path`; ":memory:" is a private,
  // in-memory database. Throws Error when it cannot be opened.
  explicit Database(const std::string& path, const OpenOptions& options = {});
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return no rows (schema, pragmas).
  void exec(const std::string& sql);
  // The text of the single value returned by `sql` (for pragmas such as journal_mode).
  std::string queryText(const std::string& sql);
  // Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
  int changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return handle_.get(); }

  // The statement for `sql` from this connection's cache, prepared on first use: compiling SQL
  // costs more than running a point lookup. Hold a ScopedReset while using it, so the next
  // caller finds it unbound and its read ended.
  Statement& cached(std::string_view sql);

  // Throws Error for `code` with the connection's message, prefixed by `context`.
  [[noreturn]] void fail(int code, std::string_view context) const;

 private:
  struct Close {
    void operator()(sqlite3* handle) const;
  };
  // Hashes the length and both ends of the SQL, not all of it: the cache holds a few dozen
  // statements that differ there, a lookup runs on every request, and equal_to still compares
  // the whole text.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      constexpr std::size_t kEnds = 24;
      if (sql.size() <= 2 * kEnds) return std::hash<std::string_view>{}(sql);
      const std::hash<std::string_view> hash;
      return hash(sql.substr(0, kEnds)) ^ (hash(sql.substr(sql.size() - kEnds)) * 31) ^ sql.size();
    }
  };
  std::string path_;
  std::unique_ptr<sqlite3, Close> handle_;
  // Declared after handle_: statements are finalized before the connection closes.
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> cache_;
};

// A prepared statement. Reuse it: reset() between runs keeps the compiled plan.
class Statement {
 public:
  Statement(Database& database, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQL (?1, ?2, …). Values are copied.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t number);
  Statement& bindNull(int index);

  // Runs to the next row: true when a row is available, false when done.
  bool step();
  // Columns are 0-based. Text stays valid until the next step() or reset().
  std::int64_t columnInt(int index) const;
  std::string_view columnText(int index) const;
  bool columnIsNull(int index) const;

  // Ready to run again, with every parameter unbound. Also ends the statement's read, so that a
  // reader never holds back WAL checkpoints.
  void reset() noexcept;

 private:
  Database& database_;
  sqlite3_stmt* statement_{nullptr};
};

// Resets a statement when the scope ends, whatever way it ends.
class ScopedReset {
 public:
  explicit ScopedReset(Statement& statement) : statement_(statement) {}
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;
  ~ScopedReset() { statement_.reset(); }

 private:
  Statement& statement_;
};

class Transaction {
 public:
  // kImmediate takes the write lock at BEGIN, so a read-then-write transaction waits for other
  // writers (busy timeout) instead of failing with SQLITE_BUSY on its first write.
  enum class Behavior { kDeferred, kImmediate, kExclusive };

  explicit Transaction(Database& database, Behavior behavior = Behavior::kDeferred);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back unless commit() succeeded.
  ~Transaction();

  void commit();

 private:
  Database& database_;
  bool done_{false};
};

}  // namespace parley::storage::sqlite
