#include "sim/detail/big_alloc.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace chainsim::sim::detail {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}  // namespace

void* big_alloc(std::size_t bytes) {
  const std::size_t align = bytes >= kHugePage ? kHugePage : 64;
  const std::size_t rounded = (bytes + align - 1) / align * align;
  void* p = std::aligned_alloc(align, rounded);
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  // Advice only: failure (no THP support) leaves ordinary pages.
  if (align == kHugePage) (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
  std::memset(p, 0, rounded);
  return p;
}

void big_free(void* p) noexcept { std::free(p); }

}  // namespace chainsim::sim::detail
