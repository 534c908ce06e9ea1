#pragma once

#include <string>

#include "parley/storage/sqlite/database.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::storage::sqlite {

// The users columns email, created_at, attributes from column `first` on, as the user `id`.
// Throws Error (SQLITE_CORRUPT, naming `path`) for values no Parley writer stores.
User userFromRow(const Statement& row, int first, std::string id, const std::string& path);

}  // namespace parley::storage::sqlite
