#include "sim/detail/big_alloc.h"

#include <sys/mman.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <new>

// Under AddressSanitizer a kept block is poisoned, so that a use of a
// destroyed simulator's memory is still reported while the block waits; in
// other builds the compiler's header makes the poisoning macros no-ops.
#include <sanitizer/asan_interface.h>

namespace chainsim::sim::detail {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

std::size_t alignment(std::size_t bytes) { return bytes >= kHugePage ? kHugePage : 64; }
std::size_t rounded(std::size_t bytes) {
  const std::size_t align = alignment(bytes);
  return (bytes + align - 1) / align * align;
}

// The blocks this thread released last, below 2 MiB and 4 MiB in all. A
// simulator's blocks are its queue's (doubling as it grows) and its slab's
// chunks: when every slot is taken, a larger block takes the smallest one's
// place (the small ones cost little to fault in again). Freed when the
// thread ends.
class Kept {
 public:
  Kept() = default;
  Kept(const Kept&) = delete;
  Kept& operator=(const Kept&) = delete;
  ~Kept() { release(); }

  // A kept block of exactly `size` bytes, or null.
  void* take(std::size_t size) noexcept {
    for (Block& b : blocks_) {
      if (b.p != nullptr && b.size == size) {
        void* p = b.p;
        b = Block{};
        held_ -= size;
        ASAN_UNPOISON_MEMORY_REGION(p, size);
        return p;
      }
    }
    return nullptr;
  }
  // Keeps `p` if there is room; false when the caller must free it.
  bool keep(void* p, std::size_t size) noexcept {
    if (closed_ || size >= kHugePage) return false;  // so size < kMaxHeld
    Block* slot = empty_slot();
    if (slot == nullptr) {
      slot = smallest();
      if (slot->size >= size) return false;
      drop(*slot);
    }
    // Over the bytes held, held_ > kMaxHeld - size > 0: there is a block to drop.
    while (held_ + size > kMaxHeld) drop(*smallest());
    ASAN_POISON_MEMORY_REGION(p, size);
    *slot = Block{p, size};
    held_ += size;
    return true;
  }
  // Frees every kept block; after the thread's end, keeps nothing more.
  void release(bool closing = true) noexcept {
    for (Block& b : blocks_) {
      if (b.p != nullptr) drop(b);
    }
    closed_ = closing;
  }

 private:
  static constexpr std::size_t kMaxHeld = std::size_t{4} << 20;
  struct Block {
    void* p = nullptr;
    std::size_t size = 0;
  };
  Block* empty_slot() noexcept {
    for (Block& b : blocks_) {
      if (b.p == nullptr) return &b;
    }
    return nullptr;
  }
  // The smallest kept block; null when none is.
  Block* smallest() noexcept {
    Block* least = nullptr;
    for (Block& b : blocks_) {
      if (b.p != nullptr && (least == nullptr || b.size < least->size)) least = &b;
    }
    return least;
  }
  void drop(Block& b) noexcept {
    ASAN_UNPOISON_MEMORY_REGION(b.p, b.size);
    std::free(b.p);
    held_ -= b.size;
    b = Block{};
  }
  std::array<Block, 16> blocks_{};
  std::size_t held_ = 0;
  bool closed_ = false;
};

thread_local Kept kept;

}  // namespace

void* big_alloc(std::size_t bytes) {
  const std::size_t size = rounded(bytes);
  void* p = kept.take(size);
  if (p == nullptr) {
    p = std::aligned_alloc(alignment(bytes), size);
    if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    // Advice only: failure (no THP support) leaves ordinary pages.
    if (alignment(bytes) == kHugePage) (void)madvise(p, size, MADV_HUGEPAGE);
#endif
  }
  std::memset(p, 0, size);
  return p;
}

void big_free(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  if (!kept.keep(p, rounded(bytes))) std::free(p);
}

void release_kept_blocks() noexcept { kept.release(false); }

}  // namespace chainsim::sim::detail
