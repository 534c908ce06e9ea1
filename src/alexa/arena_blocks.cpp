#include "arena_blocks.hpp"

#include <sanitizer/asan_interface.h>

#include <array>
#include <bit>
#include <cstddef>
#include <new>

namespace parley::alexa {
namespace {

// Before each block: its size. Boost.JSON 1.81's monotonic_resource frees a block with a size
// other than the one it asked for, so the block records its own.
constexpr std::size_t kHeader = alignof(std::max_align_t);
constexpr std::size_t kSmallestBlock = 4 * 1024;
// A block larger than this (a request near the body cap) goes back to the heap at once.
constexpr std::size_t kLargestKept = 256 * 1024;

std::size_t& sizeOf(void* block) {
  return *reinterpret_cast<std::size_t*>(static_cast<char*>(block) - kHeader);
}

// An arena that outgrew its first block frees two: both are kept.
struct Kept {
  std::array<void*, 2> blocks{};
  ~Kept();
};

// Set when this thread's kept blocks were returned at thread exit: later frees go to the heap.
thread_local constinit bool kept_gone = false;
thread_local Kept kept;

void release(void* block) { ::operator delete(static_cast<char*>(block) - kHeader); }

// A kept block (poisoned) back to the heap.
void releaseKept(void* block) {
  ASAN_UNPOISON_MEMORY_REGION(block, sizeOf(block));
  release(block);
}

Kept::~Kept() {
  kept_gone = true;
  for (void* block : blocks) {
    if (block != nullptr) releaseKept(block);
  }
}

class ArenaBlocks final : public boost::json::memory_resource {
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    if (align > kHeader) throw std::bad_alloc();
    const auto size = std::bit_ceil(bytes < kSmallestBlock ? kSmallestBlock : bytes);
    if (!kept_gone) {
      for (void*& slot : kept.blocks) {
        // Not more than twice the size asked for: a large kept block is not spent on small needs.
        if (slot == nullptr || sizeOf(slot) < size || sizeOf(slot) > 2 * size) continue;
        void* block = slot;
        slot = nullptr;
        ASAN_UNPOISON_MEMORY_REGION(block, sizeOf(block));
        return block;
      }
    }
    auto* raw = static_cast<char*>(::operator new(kHeader + size));
    *reinterpret_cast<std::size_t*>(raw) = size;
    return raw + kHeader;
  }

  // The most recently freed blocks are kept: a block of an unusual size ages out.
  void do_deallocate(void* block, std::size_t, std::size_t) override {
    const auto size = sizeOf(block);
    if (kept_gone || size > kLargestKept) {
      release(block);
      return;
    }
    if (kept.blocks.back() != nullptr) releaseKept(kept.blocks.back());
    for (std::size_t i = kept.blocks.size() - 1; i > 0; --i) kept.blocks[i] = kept.blocks[i - 1];
    ASAN_POISON_MEMORY_REGION(block, size);
    kept.blocks.front() = block;
  }

  bool do_is_equal(const memory_resource& other) const noexcept override { return this == &other; }
};

}  // namespace

boost::json::memory_resource& arenaBlocks() {
  // Never destroyed: arenas may be released during static destruction.
  static auto* resource = new ArenaBlocks;
  return *resource;
}

}  // namespace parley::alexa
