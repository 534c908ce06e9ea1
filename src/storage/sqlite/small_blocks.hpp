#pragma once

#include <sqlite3.h>

namespace parley::storage::sqlite {

// SQLite's allocator: malloc, with a per-thread cache of small blocks in front of it. Debian
// builds SQLite without its lookaside allocator, so every statement run mallocs and frees a
// buffer per text column it reads and a cursor per table (about 15 pairs per skill request); the
// cache turns most of them into a few instructions. Blocks in the cache are poisoned for
// AddressSanitizer, so a use after free is still reported.
const sqlite3_mem_methods& smallBlockAllocator();

}  // namespace parley::storage::sqlite
