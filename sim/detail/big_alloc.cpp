#include "sim/detail/big_alloc.h"

#include <sys/mman.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <new>

namespace chainsim::sim::detail {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

std::size_t alignment(std::size_t bytes) { return bytes >= kHugePage ? kHugePage : 64; }
std::size_t rounded(std::size_t bytes) {
  const std::size_t align = alignment(bytes);
  return (bytes + align - 1) / align * align;
}

// The blocks this thread released last, below 2 MiB and 4 MiB in all; freed
// when the thread ends.
class Kept {
 public:
  Kept() = default;
  Kept(const Kept&) = delete;
  Kept& operator=(const Kept&) = delete;
  ~Kept() {
    for (Block& b : blocks_) std::free(b.p);
  }
  // A kept block of exactly `size` bytes, or null.
  void* take(std::size_t size) noexcept {
    for (Block& b : blocks_) {
      if (b.p != nullptr && b.size == size) {
        void* p = b.p;
        b = Block{};
        held_ -= size;
        return p;
      }
    }
    return nullptr;
  }
  // Keeps `p` if there is room; false when the caller must free it.
  bool keep(void* p, std::size_t size) noexcept {
    if (size >= kHugePage || held_ + size > kMaxHeld) return false;
    for (Block& b : blocks_) {
      if (b.p == nullptr) {
        b = Block{p, size};
        held_ += size;
        return true;
      }
    }
    return false;
  }

 private:
  static constexpr std::size_t kMaxHeld = std::size_t{4} << 20;
  struct Block {
    void* p = nullptr;
    std::size_t size = 0;
  };
  std::array<Block, 4> blocks_{};
  std::size_t held_ = 0;
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
    if (size >= kHugePage) (void)madvise(p, size, MADV_HUGEPAGE);
#endif
  }
  std::memset(p, 0, size);
  return p;
}

void big_free(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  if (!kept.keep(p, rounded(bytes))) std::free(p);
}

}  // namespace chainsim::sim::detail
