#include "parley/storage/sqlite/database.hpp"

#include <sqlite3.h>

#include <climits>

#include "small_blocks.hpp"

namespace parley::storage::sqlite {
namespace {

StorageError::Kind kindOf(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StorageError::Kind::kTimeout;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StorageError::Kind::kCorrupt;
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
    case SQLITE_AUTH:
      return StorageError::Kind::kUnavailable;
    default:
      return StorageError::Kind::kInternal;
  }
}

std::string describe(int code, std::string_view context, const char* message) {
  std::string what{"sqlite: "};
  what.append(context);
  what.append(": ");
  what.append(message != nullptr ? message : sqlite3_errstr(code));
  what.append(" (code ");
  what.append(std::to_string(code));
  what.append(")");
  return what;
}

// Process-wide settings, applied before the first connection initializes the library. Memory
// statistics would take a global mutex on every SQLite allocation (about 30 per skill request)
// for numbers nothing here reads; the small-block cache spares most of those allocations. Too
// late (another component initialized SQLite first) only costs that speed, so the results are
// not checked.
void configureLibraryOnce() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MALLOC, &smallBlockAllocator());
    return true;
  }();
  (void)configured;
}

}  // namespace

Error::Error(int code, const std::string& what) : StorageError(kindOf(code), what), code_(code) {}

void Database::Close::operator()(sqlite3* handle) const { sqlite3_close_v2(handle); }

Database::Database(const std::string& path, const OpenOptions& options) : path_(path) {
  configureLibraryOnce();
  int flags =
      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
      (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* raw = nullptr;
  int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  handle_.reset(raw);  // sqlite3_open_v2 hands out a handle even when it fails
  if (code != SQLITE_OK) {
    if (raw == nullptr) throw Error(code, describe(code, path, nullptr));
    fail(code, "cannot open " + path);
  }
  auto millis = options.busy_timeout.count();
  code = sqlite3_busy_timeout(raw, millis > INT_MAX ? INT_MAX : static_cast<int>(millis));
  if (code != SQLITE_OK) fail(code, "busy_timeout");
}

Database::~Database() = default;

void Database::exec(const std::string& sql) {
  int code = sqlite3_exec(handle(), sql.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) fail(code, path_);
}

std::string Database::queryText(const std::string& sql) {
  Statement statement(*this, sql);
  if (!statement.step()) return {};
  return std::string{statement.columnText(0)};
}

Statement& Database::cached(std::string_view sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    found = cache_.emplace(std::string{sql}, std::make_unique<Statement>(*this, sql)).first;
  }
  return *found->second;
}

int Database::changes() const { return sqlite3_changes(handle()); }

void Database::fail(int code, std::string_view context) const {
  // The connection's extended code is more precise than the one a call returned.
  int extended = sqlite3_extended_errcode(handle());
  if ((extended & 0xff) != (code & 0xff)) extended = code;
  throw Error(extended, describe(extended, context, sqlite3_errmsg(handle())));
}

Statement::Statement(Database& database, std::string_view sql) : database_(database) {
  int code = sqlite3_prepare_v3(database.handle(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &statement_, nullptr);
  if (code != SQLITE_OK) database_.fail(code, database_.path());
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, std::string_view text) {
  // SQLite binds a null pointer as NULL; an empty view without storage is still the text ''.
  const char* data = text.data() != nullptr ? text.data() : "";
  int code =
      sqlite3_bind_text64(statement_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (code != SQLITE_OK) database_.fail(code, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t number) {
  int code = sqlite3_bind_int64(statement_, index, number);
  if (code != SQLITE_OK) database_.fail(code, "bind");
  return *this;
}

Statement& Statement::bindNull(int index) {
  int code = sqlite3_bind_null(statement_, index);
  if (code != SQLITE_OK) database_.fail(code, "bind");
  return *this;
}

bool Statement::step() {
  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  database_.fail(code, database_.path());
}

std::int64_t Statement::columnInt(int index) const {
  return sqlite3_column_int64(statement_, index);
}

std::string_view Statement::columnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, index));
  if (text == nullptr) return {};
  return {text, static_cast<std::size_t>(sqlite3_column_bytes(statement_, index))};
}

bool Statement::columnIsNull(int index) const {
  return sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

void Statement::reset() noexcept {
  // sqlite3_reset repeats the last step's error, which step() has thrown already.
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

Transaction::Transaction(Database& database, Behavior behavior) : database_(database) {
  switch (behavior) {
    case Behavior::kDeferred:
      database_.exec("BEGIN DEFERRED");
      break;
    case Behavior::kImmediate:
      database_.exec("BEGIN IMMEDIATE");
      break;
    case Behavior::kExclusive:
      database_.exec("BEGIN EXCLUSIVE");
      break;
  }
}

Transaction::~Transaction() {
  if (done_) return;
  // Nothing to report from a destructor; a failed rollback leaves SQLite to roll back on close.
  sqlite3_exec(database_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  database_.exec("COMMIT");
  done_ = true;
}

}  // namespace parley::storage::sqlite
