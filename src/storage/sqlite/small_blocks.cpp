#include "small_blocks.hpp"

#include <sanitizer/asan_interface.h>

#include <array>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace parley::storage::sqlite {
namespace {

// Before each block: its usable size. Sixteen bytes keep malloc's alignment for the block.
constexpr std::size_t kHeader = 16;
constexpr std::array<std::size_t, 4> kClassBytes{64, 128, 256, 512};
// Per class and thread: at most 32 * (64 + 128 + 256 + 512) bytes, about 30 KiB, stay cached.
constexpr std::size_t kKeptPerClass = 32;
constexpr std::size_t kNoClass = kClassBytes.size();

struct FreeBlock {
  FreeBlock* next;
};

struct Cache {
  std::array<FreeBlock*, kClassBytes.size()> heads{};
  std::array<std::size_t, kClassBytes.size()> counts{};
  ~Cache();
};

// Set when this thread's cache is destroyed: SQLite may still free blocks while the thread exits.
thread_local constinit bool cache_gone = false;
thread_local Cache cache;

std::size_t& usable(void* block) {
  return *reinterpret_cast<std::size_t*>(static_cast<char*>(block) - kHeader);
}

void freeToHeap(void* block) { std::free(static_cast<char*>(block) - kHeader); }

// SQLite asks for at least one byte; a zero or negative request is treated as one.
std::size_t requestedBytes(int requested) {
  return static_cast<std::size_t>(requested > 0 ? requested : 1);
}

std::size_t classOf(std::size_t bytes) {
  for (std::size_t i = 0; i < kClassBytes.size(); ++i) {
    if (bytes <= kClassBytes[i]) return i;
  }
  return kNoClass;
}

std::size_t roundUp(std::size_t bytes) {
  const auto size_class = classOf(bytes);
  return size_class == kNoClass ? (bytes + 7) & ~std::size_t{7} : kClassBytes[size_class];
}

void* allocate(int requested) {
  const auto bytes = requestedBytes(requested);
  const auto size_class = classOf(bytes);
  if (size_class != kNoClass && !cache_gone && cache.heads[size_class] != nullptr) {
    FreeBlock* block = cache.heads[size_class];
    ASAN_UNPOISON_MEMORY_REGION(block, kClassBytes[size_class]);
    cache.heads[size_class] = block->next;
    --cache.counts[size_class];
    return block;
  }
  const auto size = roundUp(bytes);
  auto* raw = static_cast<char*>(std::malloc(kHeader + size));
  if (raw == nullptr) return nullptr;
  usable(raw + kHeader) = size;
  return raw + kHeader;
}

// A block's size is its class's exactly when it has one: allocate() rounds small requests up.
void release(void* block) {
  const auto size = usable(block);
  const auto size_class = classOf(size);
  if (size_class != kNoClass && !cache_gone && cache.counts[size_class] < kKeptPerClass) {
    auto* free_block = static_cast<FreeBlock*>(block);
    free_block->next = cache.heads[size_class];
    cache.heads[size_class] = free_block;
    ++cache.counts[size_class];
    ASAN_POISON_MEMORY_REGION(block, size);
    return;
  }
  freeToHeap(block);
}

void* resize(void* block, int requested) {
  const auto size = usable(block);
  if (requestedBytes(requested) <= size) return block;
  void* grown = allocate(requested);
  if (grown == nullptr) return nullptr;  // SQLite keeps the old block
  std::memcpy(grown, block, size);
  release(block);
  return grown;
}

int sizeOf(void* block) { return static_cast<int>(usable(block)); }

int roundUpRequest(int requested) { return static_cast<int>(roundUp(requestedBytes(requested))); }

int initialize(void*) { return SQLITE_OK; }

void shutDown(void*) {}

Cache::~Cache() {
  cache_gone = true;
  for (std::size_t i = 0; i < heads.size(); ++i) {
    while (heads[i] != nullptr) {
      FreeBlock* block = heads[i];
      ASAN_UNPOISON_MEMORY_REGION(block, kClassBytes[i]);
      heads[i] = block->next;
      freeToHeap(block);
    }
  }
}

}  // namespace

const sqlite3_mem_methods& smallBlockAllocator() {
  static const sqlite3_mem_methods methods{.xMalloc = allocate,
                                           .xFree = release,
                                           .xRealloc = resize,
                                           .xSize = sizeOf,
                                           .xRoundup = roundUpRequest,
                                           .xInit = initialize,
                                           .xShutdown = shutDown,
                                           .pAppData = nullptr};
  return methods;
}

}  // namespace parley::storage::sqlite
