#include "parley/storage/sqlite/user_store.hpp"

#include <sqlite3.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "parley/core/log.hpp"
#include "parley/storage/sqlite/database.hpp"
#include "parley/storage/sqlite/schema.hpp"

namespace parley::storage::sqlite {
namespace {

constexpr std::array<std::string_view, 1> kSchema = {
    // created_at: milliseconds since the Unix epoch; attributes: a JSON object as text.
    "CREATE TABLE users ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " email TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " attributes TEXT NOT NULL DEFAULT '{}'"
    ") WITHOUT ROWID",
};

constexpr std::string_view kMemory = ":memory:";
constexpr std::string_view kSelect =
    "SELECT email, created_at, attributes FROM users WHERE id = ?1";
constexpr std::string_view kInsert =
    "INSERT INTO users (id, email, created_at, attributes)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING";
constexpr std::string_view kUpsert =
    "INSERT INTO users (id, email, created_at, attributes)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET"
    " email = excluded.email, created_at = excluded.created_at, attributes = excluded.attributes";
constexpr std::string_view kDelete = "DELETE FROM users WHERE id = ?1";

std::int64_t toMillis(std::chrono::system_clock::time_point time) {
  return std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::chrono::system_clock::time_point fromMillis(std::int64_t millis, const std::string& path) {
  // Only a foreign writer can store a time the clock cannot hold; converting it would overflow.
  constexpr auto kLimit = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::duration::max())
                              .count();
  if (millis > kLimit || millis < -kLimit) {
    throw Error(SQLITE_CORRUPT, "sqlite: " + path + ": created_at of a user is out of range");
  }
  return std::chrono::system_clock::time_point{
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::milliseconds{millis})};
}

}  // namespace

struct SqliteUserStore::Connection {
  Connection(const UserStoreOptions& options, bool first)
      : database(options.path, {.read_only = false, .busy_timeout = options.busy_timeout}),
        select(setUp(first), kSelect),
        insert(database, kInsert),
        upsert(database, kUpsert),
        remove(database, kDelete) {}

  // Runs before the statements below are prepared: they need the users table.
  Database& setUp(bool first) {
    if (first && database.path() != kMemory) {
      auto mode = database.queryText("PRAGMA journal_mode = WAL");
      if (mode != "wal") {
        core::logger("storage")->warn("sqlite: {}: journal mode is {}, not wal", database.path(),
                                      mode);
      }
    }
    // NORMAL is durable across application crashes in WAL mode and skips an fsync per commit.
    database.exec("PRAGMA synchronous = NORMAL");
    if (first) migrate(database, SqliteUserStore::kSchemaComponent, kSchema);
    return database;
  }

  Database database;
  Statement select;
  Statement insert;
  Statement upsert;
  Statement remove;
};

// A borrowed connection, returned to the pool when the call ends (also on throw).
class SqliteUserStore::Lease {
 public:
  explicit Lease(SqliteUserStore& store) : store_(store), connection_(store.acquire()) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() { store_.release(std::move(connection_)); }
  Connection* operator->() const { return connection_.get(); }

 private:
  SqliteUserStore& store_;
  std::unique_ptr<Connection> connection_;
};

SqliteUserStore::SqliteUserStore(UserStoreOptions options) : options_(std::move(options)) {
  if (options_.path == kMemory || options_.max_connections == 0) options_.max_connections = 1;
  // The first connection sets the journal mode and creates the schema, so a bad path or a
  // broken file fails here, at startup.
  idle_.push_back(std::make_unique<Connection>(options_, true));
  open_count_ = 1;
}

SqliteUserStore::~SqliteUserStore() = default;

std::unique_ptr<SqliteUserStore::Connection> SqliteUserStore::acquire() {
  std::unique_lock lock(mutex_);
  released_.wait(lock, [this] { return !idle_.empty() || open_count_ < options_.max_connections; });
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }
  ++open_count_;
  lock.unlock();
  try {
    return std::make_unique<Connection>(options_, false);
  } catch (...) {
    lock.lock();
    --open_count_;
    released_.notify_one();
    throw;
  }
}

void SqliteUserStore::release(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  released_.notify_one();
}

std::optional<User> SqliteUserStore::get(std::string_view id) {
  Lease connection(*this);
  auto& select = connection->select;
  ScopedReset reset(select);
  select.bind(1, id);
  if (!select.step()) return std::nullopt;
  User user{.id = std::string{id},
            .email = std::string{select.columnText(0)},
            .created_at = fromMillis(select.columnInt(1), options_.path),
            .attributes = {}};
  boost::system::error_code error;
  auto attributes = boost::json::parse(select.columnText(2), error);
  if (error || !attributes.is_object()) {
    throw Error(SQLITE_CORRUPT,
                "sqlite: " + options_.path + ": attributes of a user are not a JSON object");
  }
  user.attributes = std::move(attributes.as_object());
  return user;
}

bool SqliteUserStore::create(const User& user) {
  Lease connection(*this);
  auto& insert = connection->insert;
  ScopedReset reset(insert);
  insert.bind(1, user.id)
      .bind(2, user.email)
      .bind(3, toMillis(user.created_at))
      .bind(4, boost::json::serialize(user.attributes));
  insert.step();
  return connection->database.changes() == 1;
}

void SqliteUserStore::put(const User& user) {
  Lease connection(*this);
  auto& upsert = connection->upsert;
  ScopedReset reset(upsert);
  upsert.bind(1, user.id)
      .bind(2, user.email)
      .bind(3, toMillis(user.created_at))
      .bind(4, boost::json::serialize(user.attributes));
  upsert.step();
}

bool SqliteUserStore::remove(std::string_view id) {
  Lease connection(*this);
  auto& statement = connection->remove;
  ScopedReset reset(statement);
  statement.bind(1, id);
  statement.step();
  return connection->database.changes() == 1;
}

}  // namespace parley::storage::sqlite
