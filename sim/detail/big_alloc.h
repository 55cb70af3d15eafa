// Allocation of large arrays for the engine's hot structures: 64-byte
// aligned, and advised into transparent huge pages from 2 MiB up, which cuts
// TLB misses when a run holds millions of pending events.
#pragma once

#include <cstddef>

namespace chainsim::sim::detail {

// Returns zero-initialised storage of `bytes` bytes, 64-byte aligned.
// Throws std::bad_alloc on failure. Release with big_free().
void* big_alloc(std::size_t bytes);
void big_free(void* p) noexcept;

}  // namespace chainsim::sim::detail
