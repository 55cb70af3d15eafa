#include "sim/simulator.h"

#include <cmath>
#include <new>
#include <sstream>

#include "sim/detail/big_alloc.h"

namespace chainsim::sim {

namespace {
// Pending events above which run_until() prefetches (32K slots = 2 MiB of slab,
// the size of L2 here).
constexpr std::size_t kPrefetchThreshold = 32768;
}  // namespace

Simulator::Simulator(Time start) : now_(start) {
  if (!std::isfinite(start)) throw SchedulingError("simulator start time must be finite");
}

Simulator::~Simulator() {
  for (unsigned k = 0; k < chunk_count_; ++k) {
    const std::uint32_t n = kFirstChunk << k;
    for (std::uint32_t i = 0; i < n; ++i) chunks_[k][i].~Slot();
    detail::big_free(chunks_[k], sizeof(Slot) * n);
  }
}

std::uint32_t Simulator::allocate_slot() {
  if (!free_slots_.empty()) {
    const std::uint32_t index = free_slots_.back();
    free_slots_.pop_back();
    return index;
  }
  const std::uint64_t capacity = (std::uint64_t{kFirstChunk} << chunk_count_) - kFirstChunk;
  if (slots_used_ == capacity) {
    if (chunk_count_ == kMaxChunks) throw SchedulingError("more than 2^32 events pending at once");
    const std::uint32_t n = kFirstChunk << chunk_count_;
    auto* chunk = static_cast<Slot*>(detail::big_alloc(sizeof(Slot) * n));
    for (std::uint32_t i = 0; i < n; ++i) ::new (&chunk[i]) Slot();
    chunks_[chunk_count_++] = chunk;
    // Keep the free list's capacity at least the slab's, so that freeing a
    // slot never allocates.
    free_slots_.reserve(capacity + n);
  }
  return slots_used_++;
}

void Simulator::free_slot(std::uint32_t index) noexcept {
  Slot& s = slot(index);
  s.action.reset();
  s.state = kFree;
  free_slots_.push_back(index);
}

void Simulator::fail_schedule(Time time, Priority priority) const {
  std::ostringstream msg;
  msg.precision(17);
  if (std::isnan(time) || std::isinf(time)) {
    msg << "cannot schedule an event at a non-finite time (" << time << ")";
  } else if (time < now_) {
    msg << "cannot schedule an event in the past: time " << time << " is before now " << now_;
  } else if (priority < EventQueue::kMinPriority || priority > EventQueue::kMaxPriority) {
    msg << "event priority " << priority << " is outside [" << EventQueue::kMinPriority << ", "
        << EventQueue::kMaxPriority << "]";
  } else {
    msg << "event sequence exhausted after " << next_sequence_ << " events";
  }
  throw SchedulingError(msg.str());
}

EventHandle Simulator::schedule(Time time, Priority priority, Action action) {
  // One comparison chain rejects past, NaN (all comparisons false) and +inf.
  if (!(time >= now_ && time < std::numeric_limits<Time>::infinity()) ||
      priority < EventQueue::kMinPriority || priority > EventQueue::kMaxPriority ||
      next_sequence_ > kSequenceMask) {
    fail_schedule(time, priority);
  }
  const std::uint64_t sequence = next_sequence_++;
  const std::uint32_t index = allocate_slot();
  Slot& s = slot(index);
  s.action = std::move(action);
  s.state = sequence;
  queue_.push(EventQueue::make_key(time, priority, sequence), index);
  ++live_;
  return EventHandle(index, sequence);
}

EventHandle Simulator::schedule_after(Time delay, Priority priority, Action action) {
  if (!(delay >= 0.0)) {
    std::ostringstream msg;
    msg.precision(17);
    msg << "cannot schedule an event after a negative or NaN delay (" << delay << ")";
    throw SchedulingError(msg.str());
  }
  return schedule(now_ + delay, priority, std::move(action));
}

bool Simulator::cancel(EventHandle handle) noexcept {
  if (handle.empty() || handle.slot_ >= slots_used_) return false;
  Slot& s = slot(handle.slot_);
  if (s.state != handle.sequence_) return false;  // ran, running, cancelled or reused
  s.state |= kCancelled;
  s.action.reset();
  --live_;
  return true;
}

bool Simulator::is_pending(EventHandle handle) const noexcept {
  if (handle.empty() || handle.slot_ >= slots_used_) return false;
  return slot(handle.slot_).state == handle.sequence_;
}

bool Simulator::peek(Time& time, Priority& priority) {
  while (!queue_.empty()) {
    const std::uint32_t index = queue_.top_slot();
    if ((slot(index).state & kCancelled) != 0) {
      queue_.pop();
      free_slot(index);
      continue;
    }
    const EventKey key = queue_.top_key();
    time = EventQueue::time_of(key);
    priority = EventQueue::priority_of(key);
    return true;
  }
  return false;
}

bool Simulator::has_due_slow(Time time, Priority priority) {
  const EventKey limit = EventQueue::make_key(time, priority, kSequenceMask);
  while (!queue_.empty() && queue_.top_key() <= limit) {
    const std::uint32_t index = queue_.top_slot();
    if ((slot(index).state & kCancelled) == 0) return true;
    queue_.pop();
    free_slot(index);
  }
  return false;
}

void Simulator::run_until(Time until) {
  stop_requested_ = false;
  const bool bounded = until < std::numeric_limits<Time>::infinity();
  const std::uint64_t until_bits = EventQueue::time_bits(bounded ? until : 0.0);
  while (!queue_.empty()) {
    const EventKey key = queue_.top_key();
    if (bounded && static_cast<std::uint64_t>(key >> 64) > until_bits) break;
    const std::uint32_t index = queue_.top_slot();
    queue_.pop();
    // In large runs the next event's slot is a cache miss: start loading it
    // now, while this one runs (below the threshold the slab stays in cache
    // and the hint would cost more than it saves).
    if (queue_.size() > kPrefetchThreshold) __builtin_prefetch(&slot(queue_.likely_next_slot()));
    Slot& s = slot(index);
    if ((s.state & kCancelled) != 0) {
      free_slot(index);
      continue;
    }
    now_ = EventQueue::time_of(key);
    current_priority_ = EventQueue::priority_of(key);
    s.state |= kRunning;
    --live_;
    ++events_run_;
    try {
      s.action();
    } catch (...) {
      free_slot(index);
      current_priority_ = 0;
      throw;
    }
    free_slot(index);
    if (stop_requested_) {
      current_priority_ = 0;
      return;
    }
  }
  current_priority_ = 0;
  if (bounded && until > now_) now_ = until;
}

void Simulator::reset(Time start) {
  if (!std::isfinite(start)) throw SchedulingError("simulator start time must be finite");
  while (!queue_.empty()) {
    const std::uint32_t index = queue_.top_slot();
    queue_.pop();
    free_slot(index);
  }
  live_ = 0;
  now_ = start;
  current_priority_ = 0;
  stop_requested_ = false;
}

}  // namespace chainsim::sim
