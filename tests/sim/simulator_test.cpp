#include "sim/simulator.h"

#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/detail/big_alloc.h"
#include "sim/random.h"

// Global allocation counter, armed only inside the allocation test.
namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
// GCC 12 at -O1 takes the free() of a replaced operator delete, once inlined
// into a caller of new, for a mismatched pair; the pair is this file's own.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

using chainsim::sim::EventHandle;
using chainsim::sim::RandomStream;
using chainsim::sim::SchedulingError;
using chainsim::sim::Simulator;

namespace {

struct Entry {
  double time;
  int priority;
  std::string name;
  bool operator==(const Entry&) const = default;
};

}  // namespace

TEST_CASE("events run by time, then priority, then insertion order: a whole trace") {
  Simulator sim;
  std::vector<Entry> trace;
  auto add = [&](double t, int p, std::string name) {
    sim.schedule(t, p, [&trace, &sim, name] {
      trace.push_back({sim.now(), sim.current_priority(), name});
    });
  };
  add(2.0, 0, "t2-p0-first");
  add(1.0, 5, "t1-p5");
  add(2.0, -3, "t2-p-3");
  add(1.0, 5, "t1-p5-second");
  add(0.5, 100, "t0.5-p100");
  add(2.0, 0, "t2-p0-second");
  add(1.0, 1, "t1-p1");
  sim.run();
  const std::vector<Entry> expected = {
      {0.5, 100, "t0.5-p100"},   {1.0, 1, "t1-p1"},         {1.0, 5, "t1-p5"},
      {1.0, 5, "t1-p5-second"},  {2.0, -3, "t2-p-3"},       {2.0, 0, "t2-p0-first"},
      {2.0, 0, "t2-p0-second"},
  };
  CHECK(trace == expected);
  CHECK(sim.now() == 2.0);
  CHECK(sim.pending() == 0);
  CHECK(sim.events_run() == 7);
}

TEST_CASE("an event scheduled now with a lower priority runs before the rest of the instant") {
  Simulator sim;
  std::vector<std::string> trace;
  sim.schedule(1.0, 4, [&] {
    trace.push_back("review");
    sim.schedule(sim.now(), 2, [&] { trace.push_back("orders-in again"); });
  });
  sim.schedule(1.0, 5, [&] { trace.push_back("record"); });
  sim.run();
  CHECK(trace == std::vector<std::string>{"review", "orders-in again", "record"});
}

TEST_CASE("run_next runs an action at once only when it would be the next event, and counts it as one") {
  Simulator sim;
  std::vector<std::string> trace;
  sim.schedule(1.0, 10, [&] {
    trace.push_back("a");
    CHECK(sim.run_next(20, [&] {
      CHECK(sim.current_priority() == 20);
      trace.push_back("a-next");
    }));
    CHECK(sim.current_priority() == 10);
  });
  sim.schedule(2.0, 10, [&] {
    trace.push_back("b");
    sim.schedule(2.0, 15, [&] { trace.push_back("b-due-first"); });
    // An event at (2, 15) runs before one at (2, 20) would: declined.
    CHECK_FALSE(sim.run_next(20, [&] { trace.push_back("never"); }));
  });
  sim.schedule(3.0, 20, [&] { trace.push_back("c-pending"); });
  sim.schedule(3.0, 10, [&] {
    trace.push_back("c");
    // Pending at (3, 20): it runs before a new event at (3, 20), not before one at (3, 19).
    CHECK_FALSE(sim.run_next(20, [&] { trace.push_back("never"); }));
    CHECK(sim.run_next(19, [&] { trace.push_back("c-next"); }));
  });
  sim.schedule(4.0, 10, [&] {
    trace.push_back("d");
    sim.stop();
    CHECK_FALSE(sim.run_next(20, [&] { trace.push_back("never"); }));
  });
  sim.run();
  CHECK(trace == std::vector<std::string>{"a", "a-next", "b", "b-due-first", "c", "c-next", "c-pending", "d"});
  CHECK(sim.events_run() == 8);
  CHECK(sim.events_run_next() == 2);
}

TEST_CASE("events that end with run_next or else schedule run in the same order and number as scheduled ones") {
  // A random cascade in which every action, last, asks for a follow-up at
  // the current time: through run_next when it may, else scheduled.
  const auto play = [](bool skip) {
    Simulator sim;
    sim.set_queue_skipping(skip);
    std::mt19937_64 rng(7);
    std::vector<std::pair<double, int>> trace;
    std::function<void(int)> act = [&](int depth) {
      trace.emplace_back(sim.now(), sim.current_priority());
      if (depth > 2) return;
      const int n = static_cast<int>(rng() % 3);
      for (int i = 0; i < n; ++i) {
        const double dt = (rng() % 4 == 0) ? 0.0 : static_cast<double>(rng() % 5);
        const int p = static_cast<int>(rng() % 4) * 10;
        sim.schedule(sim.now() + dt, p, [&act, depth] { act(depth + 1); });
      }
      const int p = static_cast<int>(rng() % 4) * 10;
      if (!sim.run_next(p, [&act, depth] { act(depth + 1); })) {
        sim.schedule(sim.now(), p, [&act, depth] { act(depth + 1); });
      }
    };
    for (int i = 0; i < 40; ++i) sim.schedule(static_cast<double>(i % 7), (i % 3) * 10, [&act] { act(0); });
    sim.run();
    return std::make_tuple(trace, sim.events_run(), sim.events_run_next());
  };
  const auto [direct, direct_run, direct_next] = play(true);
  const auto [queued, queued_run, queued_next] = play(false);
  CHECK(direct.size() > 200);
  CHECK(direct == queued);
  CHECK(direct_run == queued_run);
  CHECK(direct_next > 0);
  CHECK(queued_next == 0);
}

TEST_CASE("negative times and -0.0 order like numbers") {
  Simulator sim(-10.0);
  std::vector<double> seen;
  for (double t : {3.0, -0.0, -5.5, 0.0, -1e-300, 1e-300}) {
    sim.schedule(t, 0, [&seen, &sim] { seen.push_back(sim.now()); });
  }
  sim.run();
  REQUIRE(seen.size() == 6);
  CHECK(seen[0] == -5.5);
  CHECK(seen[1] == -1e-300);
  CHECK(seen[2] == 0.0);
  CHECK(seen[3] == 0.0);
  CHECK(seen[4] == 1e-300);
  CHECK(seen[5] == 3.0);
}

TEST_CASE("scheduling in the past is an error, not a silent reorder") {
  Simulator sim;
  sim.schedule(5.0, 0, [] {});
  sim.run();
  REQUIRE(sim.now() == 5.0);
  CHECK_THROWS_WITH_AS(sim.schedule(4.5, 0, [] {}),
                       "cannot schedule an event in the past: time 4.5 is before now 5",
                       SchedulingError);
  CHECK_THROWS_WITH_AS(sim.schedule_after(-1.0, 0, [] {}),
                       "cannot schedule an event after a negative or NaN delay (-1)",
                       SchedulingError);
  CHECK_THROWS_WITH_AS(sim.schedule(std::numeric_limits<double>::quiet_NaN(), 0, [] {}),
                       "cannot schedule an event at a non-finite time (nan)", SchedulingError);
  CHECK_THROWS_WITH_AS(sim.schedule(std::numeric_limits<double>::infinity(), 0, [] {}),
                       "cannot schedule an event at a non-finite time (inf)", SchedulingError);
  CHECK_THROWS_WITH_AS(sim.schedule(6.0, 40000, [] {}),
                       "event priority 40000 is outside [-32768, 32767]", SchedulingError);
  CHECK(sim.pending() == 0);
}

TEST_CASE("cancel stops a pending event, and cancelling a run, running or cancelled event is a no-op") {
  Simulator sim;
  int ran = 0;
  EventHandle a = sim.schedule(1.0, 0, [&] { ++ran; });
  EventHandle b = sim.schedule(2.0, 0, [&] { ++ran; });
  CHECK(sim.is_pending(a));
  CHECK(sim.cancel(a));
  CHECK_FALSE(sim.is_pending(a));
  CHECK_FALSE(sim.cancel(a));  // already cancelled
  CHECK(sim.pending() == 1);
  sim.run();
  CHECK(ran == 1);
  CHECK_FALSE(sim.cancel(b));  // already ran
  CHECK_FALSE(sim.cancel(EventHandle{}));

  SUBCASE("an event cancelling itself while running is a no-op") {
    EventHandle self;
    bool result = true;
    self = sim.schedule(3.0, 0, [&] { result = sim.cancel(self); });
    sim.run();
    CHECK_FALSE(result);
  }
  SUBCASE("a stale handle does not cancel the event that reused its slot") {
    int later = 0;
    EventHandle c = sim.schedule(sim.now(), 0, [] {});
    sim.run();
    EventHandle d = sim.schedule(sim.now() + 1.0, 0, [&] { ++later; });  // reuses c's slot
    CHECK_FALSE(sim.cancel(c));
    CHECK(sim.is_pending(d));
    sim.run();
    CHECK(later == 1);
  }
}

TEST_CASE("cancel destroys the captures at once and run destroys them after the call") {
  Simulator sim;
  auto token = std::make_shared<int>(7);
  std::weak_ptr<int> watch = token;
  EventHandle h = sim.schedule(1.0, 0, [t = std::move(token)] { (void)t; });
  CHECK_FALSE(watch.expired());
  sim.cancel(h);
  CHECK(watch.expired());

  auto token2 = std::make_shared<int>(8);
  std::weak_ptr<int> watch2 = token2;
  bool alive_during_call = false;
  sim.schedule(2.0, 0, [t = std::move(token2), &alive_during_call, &watch2] {
    alive_during_call = !watch2.expired();
    (void)t;
  });
  sim.run();
  CHECK(alive_during_call);
  CHECK(watch2.expired());
}

TEST_CASE("actions larger than the inline buffer still run and are destroyed") {
  Simulator sim;
  std::array<double, 16> big{};
  big[15] = 42.0;
  double seen = 0.0;
  auto token = std::make_shared<int>(1);
  std::weak_ptr<int> watch = token;
  sim.schedule(1.0, 0, [big, &seen, t = std::move(token)] { seen = big[15]; });
  sim.run();
  CHECK(seen == 42.0);
  CHECK(watch.expired());
}

TEST_CASE("run_until runs events at the bound inclusive and advances the clock to it") {
  Simulator sim;
  std::vector<double> seen;
  for (double t : {1.0, 2.0, 3.0, 4.0}) sim.schedule(t, 0, [&seen, &sim] { seen.push_back(sim.now()); });
  sim.run_until(3.0);
  CHECK(seen == std::vector<double>{1.0, 2.0, 3.0});
  CHECK(sim.now() == 3.0);
  sim.run_until(3.5);
  CHECK(sim.now() == 3.5);
  CHECK(sim.pending() == 1);
  sim.run();
  CHECK(seen.size() == 4);
  CHECK(sim.now() == 4.0);
}

TEST_CASE("stop ends the run after the current action and run resumes from there") {
  Simulator sim;
  std::vector<int> seen;
  for (int i = 0; i < 5; ++i) {
    sim.schedule(i, 0, [&seen, &sim, i] {
      seen.push_back(i);
      if (i == 2) sim.stop();
    });
  }
  sim.run_until(10.0);
  CHECK(seen == std::vector<int>{0, 1, 2});
  CHECK(sim.now() == 2.0);  // not advanced to 10 when stopped
  sim.run();
  CHECK(seen == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("an exception from an action propagates and the engine stays usable") {
  Simulator sim;
  sim.schedule(1.0, 0, [] { throw std::runtime_error("boom"); });
  int after = 0;
  sim.schedule(2.0, 0, [&] { ++after; });
  CHECK_THROWS_WITH(sim.run(), "boom");
  CHECK(sim.now() == 1.0);
  sim.run();
  CHECK(after == 1);
}

TEST_CASE("peek reports the earliest live event and skips cancelled ones") {
  Simulator sim;
  EventHandle a = sim.schedule(1.0, 3, [] {});
  sim.schedule(2.0, -1, [] {});
  double t = 0;
  int p = 0;
  REQUIRE(sim.peek(t, p));
  CHECK(t == 1.0);
  CHECK(p == 3);
  sim.cancel(a);
  REQUIRE(sim.peek(t, p));
  CHECK(t == 2.0);
  CHECK(p == -1);
  sim.run();
  CHECK_FALSE(sim.peek(t, p));
}

TEST_CASE("has_due is true for a live event that would run before (time, priority) and skips cancelled ones") {
  Simulator sim;
  CHECK_FALSE(sim.has_due(0.0, 0));
  EventHandle a = sim.schedule(1.0, 3, [] {});
  sim.schedule(1.0, 5, [] {});
  CHECK_FALSE(sim.has_due(0.5, 100));  // later time
  CHECK_FALSE(sim.has_due(1.0, 2));    // same time, lower priority runs first
  CHECK(sim.has_due(1.0, 3));          // equal priority: the pending one was scheduled first
  CHECK(sim.has_due(1.5, -100));       // earlier time, whatever the priority
  sim.cancel(a);
  CHECK_FALSE(sim.has_due(1.0, 4));    // the cancelled one is skipped
  CHECK(sim.has_due(1.0, 5));
  double t = 0;
  int p = 0;
  REQUIRE(sim.peek(t, p));
  CHECK(p == 5);
}

TEST_CASE("reset drops pending events and restarts the clock") {
  Simulator sim;
  int ran = 0;
  sim.schedule(5.0, 0, [&] { ++ran; });
  sim.reset(1.0);
  CHECK(sim.now() == 1.0);
  CHECK(sim.pending() == 0);
  sim.run();
  CHECK(ran == 0);
}

namespace {

// A hold model driven by a named stream, recording its trajectory.
std::vector<std::pair<double, int>> hold_trajectory(std::uint64_t seed) {
  Simulator sim;
  RandomStream rng(seed, 0, "hold");
  std::vector<std::pair<double, int>> trace;
  struct Hop {
    Simulator* sim;
    RandomStream* rng;
    std::vector<std::pair<double, int>>* trace;
    int id;
    void operator()() const {
      trace->emplace_back(sim->now(), id);
      if (trace->size() < 2000) {
        const double dt = std::floor(rng->uniform01() * 3.0);  // ties on purpose
        sim->schedule(sim->now() + dt, static_cast<int>(rng->uniform01() * 3), *this);
      }
    }
  };
  for (int i = 0; i < 50; ++i) sim.schedule(std::floor(rng.uniform01() * 10), 0, Hop{&sim, &rng, &trace, i});
  sim.run();
  return trace;
}

}  // namespace

TEST_CASE("two runs with one seed give identical event sequences and another seed differs") {
  const auto a = hold_trajectory(2024);
  const auto b = hold_trajectory(2024);
  const auto c = hold_trajectory(2025);
  CHECK(a.size() == b.size());
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("the steady state schedules and dispatches without heap allocation") {
  Simulator sim;
  struct Step {
    Simulator* sim;
    int* left;
    void operator()() const {
      if (--*left > 0) sim->schedule(sim->now() + 1.0, (*left) % 5, *this);
    }
  };
  int left = 0;
  // Warm up: the slab and heap grow to their working size.
  left = 1000;
  for (int i = 0; i < 1000; ++i) sim.schedule(i * 0.001, 0, Step{&sim, &left});
  sim.run();
  left = 200000;
  for (int i = 0; i < 1000; ++i) sim.schedule(sim.now() + i * 0.001, 0, Step{&sim, &left});
  g_allocations = 0;
  g_counting = true;
  sim.run_until(sim.now() + 150.0);
  g_counting = false;
  CHECK(sim.events_run() > 100000);
  CHECK(g_allocations.load() == 0);
}

TEST_CASE("a released engine block is kept for the thread and zeroed again when it takes it back") {
  // big_alloc keeps a released block for the thread's next request of the
  // same size (a replication's simulator reuses the last one's slab); what it
  // hands back must still be zero-initialised and 64-byte aligned.
  namespace d = chainsim::sim::detail;
  d::release_kept_blocks();  // whatever earlier cases in this process left
  constexpr std::size_t kBytes = 20480;
  auto* first = static_cast<unsigned char*>(d::big_alloc(kBytes));
  for (std::size_t i = 0; i < kBytes; ++i) first[i] = 0xAB;
  d::big_free(first, kBytes);
  // Had the block gone back to the C library, this request of its size
  // would be the one to get it.
  void* other = std::malloc(kBytes);
  auto* again = static_cast<unsigned char*>(d::big_alloc(kBytes));
  CHECK(static_cast<void*>(again) == static_cast<void*>(first));
  CHECK(other != static_cast<void*>(first));
  CHECK(reinterpret_cast<std::uintptr_t>(again) % 64 == 0);
  std::size_t nonzero = 0;
  for (std::size_t i = 0; i < kBytes; ++i) nonzero += again[i] != 0 ? 1 : 0;
  CHECK(nonzero == 0);
  std::free(other);
  d::big_free(again, kBytes);
  d::big_free(nullptr, kBytes);  // nothing
  d::release_kept_blocks();
}

TEST_CASE("when every kept slot is taken a larger released block takes the smallest one's place") {
  namespace d = chainsim::sim::detail;
  d::release_kept_blocks();
  std::vector<void*> small;
  for (int i = 0; i < 16; ++i) small.push_back(d::big_alloc(64 * static_cast<std::size_t>(i + 1)));
  void* large = d::big_alloc(65536);
  for (int i = 0; i < 16; ++i) d::big_free(small[static_cast<std::size_t>(i)], 64 * static_cast<std::size_t>(i + 1));
  d::big_free(large, 65536);  // all 16 slots taken: it replaces the 64-byte block, given back
  void* absorb = std::malloc(65536);  // would take it, had it gone back to the C library
  void* large_again = d::big_alloc(65536);
  CHECK(large_again == large);
  void* second = d::big_alloc(128);
  CHECK(second == small[1]);  // the others stayed
  d::big_free(large_again, 65536);
  d::big_free(second, 128);
  std::free(absorb);
  d::release_kept_blocks();
}

TEST_CASE("simulators built one after another on a thread run the same events as the first") {
  // The later ones take the first one's blocks back (its queue as it grew
  // and its slab's two chunks), zeroed.
  chainsim::sim::detail::release_kept_blocks();
  std::vector<std::vector<int>> runs;
  for (int r = 0; r < 3; ++r) {
    Simulator sim;
    std::vector<int> order;
    for (int i = 0; i < 600; ++i) sim.schedule(static_cast<double>((i * 37) % 101), 0, [&order, i] { order.push_back(i); });
    sim.run();
    runs.push_back(order);
  }
  REQUIRE(runs[0].size() == 600);
  CHECK(runs[1] == runs[0]);
  CHECK(runs[2] == runs[0]);
}
