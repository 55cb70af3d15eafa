// The discrete-event kernel: a clock, the pending-event set and the loop that
// plays it forward. It knows nothing of supply chains.
//
// Timeline of one event: schedule() stores the action in a slot of a slab
// (chunks of doubling size, so addresses are stable; slots recycled through a
// LIFO free list, so the slot just freed is the warm one reused) and pushes the key
// (time, priority, sequence) on the EventQueue. run_until() pops the smallest
// key, sets now() to its time, marks the slot running, calls the action in
// place and then frees the slot. A cancelled event keeps its heap entry, which
// is dropped when it reaches the top (lazy deletion).
//
// Ordering: ascending time, then ascending priority (lower first), then
// insertion order; see EventQueue. Scheduling at the current time with a
// priority lower than the running event's is allowed: it runs next.
//
// Allocation: none per event in steady state, as long as actions capture at
// most detail::InlineAction::kInlineBytes bytes; the slab and heap only grow.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/detail/inline_action.h"
#include "sim/event_queue.h"

namespace chainsim::sim {

// Simulated time, in the scenario's time unit.
using Time = double;
// Tie-break among events at one time: lower runs first.
// Range [EventQueue::kMinPriority, EventQueue::kMaxPriority].
using Priority = std::int32_t;
using Action = detail::InlineAction;

// Thrown for a misuse of the engine: scheduling in the past, a non-finite
// time, a priority out of range, or exhausting the 48-bit sequence.
class SchedulingError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Names one scheduled event. Default-constructed handles name nothing.
// A handle stays safe to use after its event ran or was cancelled (its slot
// may be reused; the sequence number tells the two apart).
class EventHandle {
 public:
  EventHandle() = default;
  bool empty() const noexcept { return sequence_ == kNone; }

 private:
  friend class Simulator;
  static constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
  EventHandle(std::uint32_t slot, std::uint64_t sequence) : slot_(slot), sequence_(sequence) {}
  std::uint32_t slot_ = 0;
  std::uint64_t sequence_ = kNone;
};

class Simulator {
 public:
  // The clock starts at `start`. REQUIRES: start is finite.
  explicit Simulator(Time start = 0.0);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // The current simulated time: the time of the running event, or where the
  // last run_until() left the clock.
  Time now() const noexcept { return now_; }
  // The priority of the running event (0 outside any event).
  Priority current_priority() const noexcept { return current_priority_; }

  // Schedules `action` to run at absolute time `time` with `priority`.
  // Returns a handle for cancel(). Throws SchedulingError when time < now(),
  // time is not finite, or priority is out of range.
  EventHandle schedule(Time time, Priority priority, Action action);
  // Schedules `action` at now() + delay. Throws SchedulingError when delay is
  // negative or not finite.
  EventHandle schedule_after(Time delay, Priority priority, Action action);

  // Cancels a pending event: it will not run and its captures are destroyed
  // now. Returns true if an event was cancelled; cancelling an event that
  // already ran, is running, or was already cancelled is a no-op returning
  // false.
  bool cancel(EventHandle handle) noexcept;
  // True while the event is scheduled and neither ran nor was cancelled.
  bool is_pending(EventHandle handle) const noexcept;

  // Runs every event with time <= until in order, then advances the clock to
  // `until` (when finite). Returns early, clock at the last event's time, if an
  // action calls stop(). An exception thrown by an action propagates; the
  // event counts as run.
  void run_until(Time until);
  // Runs until no event is pending or stop() is called.
  void run() { run_until(std::numeric_limits<Time>::infinity()); }
  // Ends the current run_until()/run() after the running action returns.
  void stop() noexcept { stop_requested_ = true; }

  // Number of events scheduled and neither run nor cancelled.
  std::size_t pending() const noexcept { return live_; }
  // Number of actions run since construction.
  std::uint64_t events_run() const noexcept { return events_run_; }

  // The time and priority of the earliest pending event, if any. Cancelled
  // entries at the top are discarded as a side effect.
  bool peek(Time& time, Priority& priority);
  // True when an event is pending that runs before any event scheduled now
  // at (time, priority) would: at an earlier time, or at `time` with a
  // priority <= `priority`. Cheaper than peek() when the answer is no (one
  // key comparison). Cancelled entries at the top are discarded.
  // REQUIRES: priority within [EventQueue::kMinPriority, kMaxPriority].
  bool has_due(Time time, Priority priority) {
    return !queue_.empty() && queue_.top_key() <= EventQueue::make_key(time, priority, kSequenceMask) &&
           has_due_slow(time, priority);
  }

  // Runs `action` at once as the event it would be if it were scheduled now
  // at `priority` and run next, when it would indeed run next: no pending
  // event runs before it (has_due(now(), priority) is false) and stop() was
  // not called. Returns whether it ran. It counts as an event run, with
  // current_priority() == priority while it runs. An event that would run
  // next anyway so skips the queue: no slot, no push, no pop. Meant as the
  // last thing a running action does: whatever the action scheduled before
  // the call is weighed, anything after it would run after `action` although
  // an event scheduled in its place would have run first.
  // REQUIRES: called from a running action; priority within
  // [EventQueue::kMinPriority, kMaxPriority].
  template <class F>
  bool run_next(Priority priority, F&& action) {
    if (!skip_queue_ || stop_requested_ || has_due(now_, priority)) return false;
    const Priority outer = current_priority_;
    current_priority_ = priority;
    ++events_run_;
    ++events_run_next_;
    action();
    current_priority_ = outer;
    return true;
  }
  // Of events_run(), those run_next() ran.
  std::uint64_t events_run_next() const noexcept { return events_run_next_; }
  // With false, run_next() always declines, so that every event goes through
  // the queue (tests compare the two; on by default).
  void set_queue_skipping(bool on) noexcept { skip_queue_ = on; }

  // Drops every pending event and resets the clock to `start`.
  void reset(Time start = 0.0);

 private:
  struct Slot {
    Action action;
    // Sequence of the event occupying the slot, with the flags below.
    std::uint64_t state = 0;
  };
  static constexpr std::uint64_t kCancelled = std::uint64_t{1} << 62;
  static constexpr std::uint64_t kRunning = std::uint64_t{1} << 61;
  static constexpr std::uint64_t kFree = std::uint64_t{1} << 60;
  static constexpr std::uint64_t kSequenceMask = EventQueue::kMaxSequence;
  // Chunk k holds kFirstChunk << k slots; slot i lives in chunk
  // bit_width(i + kFirstChunk) - 1 - kFirstChunkBits.
  static constexpr unsigned kFirstChunkBits = 8;
  static constexpr std::uint32_t kFirstChunk = 1u << kFirstChunkBits;
  static constexpr unsigned kMaxChunks = 32 - kFirstChunkBits;

  Slot& slot(std::uint32_t index) const noexcept {
    const std::uint64_t j = std::uint64_t{index} + kFirstChunk;
    const unsigned k = static_cast<unsigned>(std::bit_width(j)) - 1 - kFirstChunkBits;
    return chunks_[k][j - (std::uint64_t{kFirstChunk} << k)];
  }
  std::uint32_t allocate_slot();
  void free_slot(std::uint32_t index) noexcept;
  [[noreturn]] void fail_schedule(Time time, Priority priority) const;
  bool has_due_slow(Time time, Priority priority);

  Time now_;
  Priority current_priority_ = 0;
  bool stop_requested_ = false;
  std::uint64_t next_sequence_ = 0;
  std::uint64_t events_run_ = 0;
  std::uint64_t events_run_next_ = 0;
  bool skip_queue_ = true;
  std::size_t live_ = 0;
  EventQueue queue_;
  Slot* chunks_[kMaxChunks] = {};
  unsigned chunk_count_ = 0;
  std::vector<std::uint32_t> free_slots_;
  std::uint32_t slots_used_ = 0;
};

}  // namespace chainsim::sim
