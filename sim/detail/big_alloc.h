// Allocation of large arrays for the engine's hot structures: 64-byte
// aligned, and advised into transparent huge pages from 2 MiB up, which cuts
// TLB misses when a run holds millions of pending events.
#pragma once

#include <cstddef>

namespace chainsim::sim::detail {

// Returns zero-initialised storage of `bytes` bytes, 64-byte aligned.
// Throws std::bad_alloc on failure. Release with big_free().
void* big_alloc(std::size_t bytes);
// Releases `p` (null: nothing), which big_alloc(bytes) returned. Blocks below
// 2 MiB are kept for the thread's next big_alloc of the same size, up to 16
// and 4 MiB: a run of many short replications builds a simulator for each,
// and a block taken back from the C library is fresh memory to fault in again.
void big_free(void* p, std::size_t bytes) noexcept;
// Frees the blocks this thread keeps.
void release_kept_blocks() noexcept;

}  // namespace chainsim::sim::detail
