// Event-set benchmarks: the classic hold model. The queue is pre-filled with N
// events; each step pops the earliest and schedules one new event at
// now + increment, the increments read from one precomputed table of Exp(1)
// variates shared by every family, so random-number cost does not hide the
// queue. One benchmark item is one event (pop + push + dispatch).
//
//   BM_HoldEngine/N            the engine's schedule-and-dispatch loop, action included
//   BM_HoldStdPriorityQueue/N  a bare std::priority_queue over a 24-byte POD (reference)
//   BM_HoldEngineTies/N        integer times, many events per instant, 5 priorities
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <queue>
#include <vector>

#include "sim/random.h"
#include "sim/simulator.h"

namespace {

constexpr std::size_t kTableSize = 1 << 16;
constexpr std::int64_t kBatch = 1 << 14;

const std::vector<double>& exp_table() {
  static const std::vector<double> table = [] {
    chainsim::sim::RandomStream rng(12345, 0, "bench/hold");
    std::vector<double> t(kTableSize);
    for (double& x : t) x = -std::log(rng.uniform01());
    return t;
  }();
  return table;
}

const std::vector<double>& integer_table() {
  static const std::vector<double> table = [] {
    std::vector<double> t(kTableSize);
    for (std::size_t i = 0; i < kTableSize; ++i) t[i] = std::floor(exp_table()[i] * 4.0);
    return t;
  }();
  return table;
}

struct HoldState {
  chainsim::sim::Simulator sim;
  const double* increments = nullptr;
  std::size_t next = 0;
  std::int64_t remaining = 0;
  bool ties = false;

  double increment() { return increments[next++ & (kTableSize - 1)]; }
};

// The event's action: schedule the successor, count down the batch.
struct HoldEvent {
  HoldState* st;
  void operator()() const {
    const double inc = st->increment();
    const int priority = st->ties ? static_cast<int>(st->next % 5) : 0;
    st->sim.schedule(st->sim.now() + inc, priority, HoldEvent{st});
    if (--st->remaining == 0) st->sim.stop();
  }
};

void run_engine_hold(benchmark::State& state, bool ties) {
  HoldState st;
  st.ties = ties;
  st.increments = ties ? integer_table().data() : exp_table().data();
  const auto n = static_cast<std::size_t>(state.range(0));
  for (std::size_t i = 0; i < n; ++i) st.sim.schedule(st.increment(), 0, HoldEvent{&st});
  // Warm the heap into its steady shape before timing.
  st.remaining = static_cast<std::int64_t>(n);
  st.sim.run();
  while (state.KeepRunningBatch(kBatch)) {
    st.remaining = kBatch;
    st.sim.run();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_HoldEngine(benchmark::State& state) { run_engine_hold(state, false); }
void BM_HoldEngineTies(benchmark::State& state) { run_engine_hold(state, true); }

struct PodEvent {
  double time;
  std::uint64_t seq;
  std::uint64_t payload;
};
static_assert(sizeof(PodEvent) == 24);
struct Later {
  bool operator()(const PodEvent& a, const PodEvent& b) const {
    return a.time > b.time || (a.time == b.time && a.seq > b.seq);
  }
};

void BM_HoldStdPriorityQueue(benchmark::State& state) {
  const double* inc = exp_table().data();
  std::size_t next = 0;
  std::uint64_t seq = 0;
  std::priority_queue<PodEvent, std::vector<PodEvent>, Later> q;
  const auto n = static_cast<std::size_t>(state.range(0));
  for (std::size_t i = 0; i < n; ++i) q.push({inc[next++ & (kTableSize - 1)], seq++, i});
  for (std::size_t i = 0; i < n; ++i) {
    PodEvent e = q.top();
    q.pop();
    q.push({e.time + inc[next++ & (kTableSize - 1)], seq++, e.payload});
  }
  for (auto _ : state) {
    PodEvent e = q.top();
    q.pop();
    q.push({e.time + inc[next++ & (kTableSize - 1)], seq++, e.payload});
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_HoldEngine)->RangeMultiplier(10)->Range(100, 1000000);
BENCHMARK(BM_HoldStdPriorityQueue)->RangeMultiplier(10)->Range(100, 1000000);
BENCHMARK(BM_HoldEngineTies)->RangeMultiplier(10)->Range(100, 1000000);
