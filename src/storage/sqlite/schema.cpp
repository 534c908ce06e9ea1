#include "parley/storage/sqlite/schema.hpp"

#include <sqlite3.h>

namespace parley::storage::sqlite {
namespace {

constexpr std::string_view kVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_versions ("
    " component TEXT PRIMARY KEY NOT NULL,"
    " version INTEGER NOT NULL)";

int readVersion(Database& database, std::string_view component) {
  Statement select(database, "SELECT version FROM schema_versions WHERE component = ?1");
  select.bind(1, component);
  return select.step() ? static_cast<int>(select.columnInt(0)) : 0;
}

}  // namespace

void migrate(Database& database, std::string_view component,
             std::span<const std::string_view> steps) {
  Transaction transaction(database, Transaction::Behavior::kImmediate);
  database.exec(std::string{kVersionTable});
  int version = readVersion(database, component);
  int known = static_cast<int>(steps.size());
  if (version > known) {
    throw Error(SQLITE_MISMATCH, "sqlite: " + database.path() + ": schema of " +
                                     std::string{component} + " is version " +
                                     std::to_string(version) + ", this build knows up to " +
                                     std::to_string(known));
  }
  if (version == known) return;  // nothing written; the transaction rolls back harmlessly
  for (int step = version; step < known; ++step) {
    database.exec(std::string{steps[static_cast<std::size_t>(step)]});
  }
  Statement upsert(database,
                   "INSERT INTO schema_versions (component, version) VALUES (?1, ?2)"
                   " ON CONFLICT (component) DO UPDATE SET version = excluded.version");
  upsert.bind(1, component).bind(2, static_cast<std::int64_t>(known));
  upsert.step();
  transaction.commit();
}

int schemaVersion(Database& database, std::string_view component) {
  Statement exists(database,
                   "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_versions'");
  if (!exists.step()) return 0;
  return readVersion(database, component);
}

}  // namespace parley::storage::sqlite
