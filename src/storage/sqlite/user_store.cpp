#include "parley/storage/sqlite/user_store.hpp"

#include <sqlite3.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "parley/core/log.hpp"
#include "parley/storage/sqlite/database.hpp"
#include "parley/storage/sqlite/schema.hpp"
#include "user_row.hpp"

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

// Runs an INSERT of `user` (kInsert or kUpsert) and answers how many rows it changed.
int write(Database& database, std::string_view sql, const User& user) {
  auto& statement = database.cached(sql);
  ScopedReset reset(statement);
  statement.bind(1, user.id)
      .bind(2, user.email)
      .bind(3, toMillis(user.created_at))
      .bind(4, boost::json::serialize(user.attributes));
  statement.step();
  return database.changes();
}

}  // namespace

User userFromRow(const Statement& row, int first, std::string id, const std::string& path) {
  User user{.id = std::move(id),
            .email = std::string{row.columnText(first)},
            .created_at = fromMillis(row.columnInt(first + 1), path),
            .attributes = {}};
  const auto text = row.columnText(first + 2);
  if (text == "{}") return user;  // what most users hold; read on every skill request
  boost::system::error_code error;
  auto attributes = boost::json::parse(text, error);
  if (error || !attributes.is_object()) {
    throw Error(SQLITE_CORRUPT, "sqlite: " + path + ": attributes of a user are not a JSON object");
  }
  user.attributes = std::move(attributes.as_object());
  return user;
}

SqliteUserStore::SqliteUserStore(UserStoreOptions options)
    : pool_(std::move(options),
            [](Database& database) { migrate(database, kSchemaComponent, kSchema); }) {}

SqliteUserStore::~SqliteUserStore() = default;

std::optional<User> SqliteUserStore::get(std::string_view id) {
  return pool_.run([&](Database& database) -> std::optional<User> {
    auto& select = database.cached(kSelect);
    ScopedReset reset(select);
    select.bind(1, id);
    if (!select.step()) return std::nullopt;
    return userFromRow(select, 0, std::string{id}, pool_.path());
  });
}

bool SqliteUserStore::create(const User& user) {
  return pool_.run([&](Database& database) { return write(database, kInsert, user) == 1; });
}

void SqliteUserStore::put(const User& user) {
  pool_.run([&](Database& database) { return write(database, kUpsert, user); });
}

bool SqliteUserStore::remove(std::string_view id) {
  return pool_.run([&](Database& database) {
    auto& statement = database.cached(kDelete);
    ScopedReset reset(statement);
    statement.bind(1, id);
    statement.step();
    return database.changes() == 1;
  });
}

}  // namespace parley::storage::sqlite
