#include "sim/event_queue.h"

#include <cstring>

#include "sim/detail/big_alloc.h"

namespace chainsim::sim {

namespace {
constexpr std::size_t kInitialCapacity = 64;
}  // namespace

EventQueue::EventQueue() { grow(); }

EventQueue::~EventQueue() { detail::big_free(data_, capacity_ * sizeof(Entry)); }

void EventQueue::grow() {
  const std::size_t new_capacity = capacity_ == 0 ? kInitialCapacity : capacity_ * 2;
  auto* fresh = static_cast<Entry*>(detail::big_alloc(new_capacity * sizeof(Entry)));
  if (size_ > 0) std::memcpy(static_cast<void*>(fresh), data_, size_ * sizeof(Entry));
  detail::big_free(data_, capacity_ * sizeof(Entry));
  data_ = fresh;
  capacity_ = new_capacity;
}

}  // namespace chainsim::sim
