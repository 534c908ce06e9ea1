#pragma once

#include <span>
#include <string>
#include <string_view>

#include "parley/storage/sqlite/database.hpp"

namespace parley::storage::sqlite {

// Brings `component`'s tables up to date: steps[i] is the SQL that moves the schema from version
// i to i + 1. Versions live in the `schema_versions` table (component, version), so several
// stores share one database file and migrate independently. Runs in one immediate transaction:
// two processes opening a fresh file at once cannot both create the tables. A database newer
// than `steps` knows throws Error (SQLITE_MISMATCH) rather than guessing.
void migrate(Database& database, std::string_view component,
             std::span<const std::string_view> steps);

// The schema version of `component` in `database`; 0 when it has never been migrated.
int schemaVersion(Database& database, std::string_view component);

}  // namespace parley::storage::sqlite
