// Supply-chain benchmarks.
//
//   BM_SerialChain   4 stages (retailer <- wholesaler <- distributor <- factory),
//                    Poisson(8) demand, base-stock S = 40 everywhere, transport 2
//                    and order delay 1 per link, factory production lead time 2,
//                    backorders, finance on (prices, invoices, net-30 payments,
//                    holding and backorder costs), observations recorded into
//                    the KPI collector. One item = one simulated period; 10,000
//                    periods per run. Counters: messages per period and engine
//                    events per second.
//   BM_SerialChainSeries  the same, also keeping every per-period record.
//   BM_SerialChainFinanceMessages  the same as BM_SerialChain with invoice and
//                    payment delays of 1 period on every lane, so that the 3
//                    invoices and 3 payments of a period are messages too.
//   BM_SerialChainSegment  the same as BM_SerialChain with a customer segment
//                    (population mode, 800 customers, churn, acquisition) in
//                    front of the retailer instead of its demand process:
//                    what the customer machinery costs (issue: within 15%).
//   BM_BeerGame      scenarios/beer_game.yaml (36 weeks), 200 runs per
//                    iteration; BM_BeerGamePoisson: its customer demand
//                    Poisson, mean 4 then 8 from week 4 (the step with
//                    Poisson noise); BM_BeerGameSegment: that demand from a
//                    segment of 400 customers ordering 0.01 a week each, times
//                    2 from week 4 (a demand_multiplier event). Segment
//                    against Poisson is what a customer segment in front costs.
//   BM_Network       1 factory, 4 DCs, 200 retailers, 365 days, Poisson demand,
//                    (s, S) at the retailers, base-stock at the DCs: one whole
//                    run per iteration; counter peak_rss_MB (the process's).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>

#include "models/chain/builder.h"
#include "models/measure/kpi.h"
#include "models/scenario/loader.h"
#include "tests/bench/model_specs.h"

using namespace chainsim::models;
using chainsim::bench::network;
using chainsim::bench::serial_chain;
using chainsim::bench::serial_chain_with_segment;

namespace {

void run_serial(benchmark::State& state, bool keep_series, double finance_delay = 0.0, bool segment = false) {
  constexpr int kPeriods = 10000;
  const ScenarioSpec spec = segment ? serial_chain_with_segment(kPeriods) : serial_chain(kPeriods, finance_delay);
  std::uint64_t messages = 0, events = 0, runs = 0;
  for (auto _ : state) {
    auto net = build_network(spec, 1, static_cast<int>(runs));
    KpiCollector kpi;
    SeriesRecorder series;
    net->add_sink(&kpi);
    if (keep_series) net->add_sink(&series);
    net->run();
    benchmark::DoNotOptimize(kpi.finish());
    messages += net->messages_sent();
    events += net->simulator().events_run();
    ++runs;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(runs) * kPeriods);
  state.counters["messages_per_period"] =
      static_cast<double>(messages) / static_cast<double>(runs * kPeriods);
  state.counters["events_per_second"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_SerialChain(benchmark::State& state) { run_serial(state, false); }
void BM_SerialChainSeries(benchmark::State& state) { run_serial(state, true); }
void BM_SerialChainFinanceMessages(benchmark::State& state) { run_serial(state, false, 1.0); }
void BM_SerialChainSegment(benchmark::State& state) { run_serial(state, false, 0.0, true); }

enum class BeerDemand { kShipped, kPoisson, kSegment };

// The beer game as shipped, with Poisson demand, or with a segment in front.
ScenarioSpec beer_game(BeerDemand demand) {
  ScenarioSpec s = load_scenario(std::string(CHAINSIM_SOURCE_DIR) + "/scenarios/beer_game.yaml").spec;
  if (demand == BeerDemand::kShipped) return s;
  for (NodeSpec& n : s.nodes) {
    if (n.id != "retailer") continue;
    DemandSpec& d = n.stocks[0].demand.at(0);
    if (demand == BeerDemand::kPoisson) {
      d.noise = Noise::kPoisson;
      continue;
    }
    n.stocks[0].demand.clear();
    SegmentSpec g;
    g.id = "drinkers";
    g.size = 400;
    g.channels = {{"retailer", "", std::nullopt}};
    g.orders.rate = 0.01;
    s.customers = {g};
    EventSpec doubled;
    doubled.id = "doubled";
    doubled.at = 4;
    doubled.action = ActionKind::kDemandMultiplier;
    doubled.node = "retailer";
    doubled.value = 2;
    s.events.push_back(doubled);
  }
  return s;
}

void run_beer_game(benchmark::State& state, BeerDemand demand) {
  constexpr int kRuns = 200;
  const ScenarioSpec spec = beer_game(demand);
  std::int64_t periods = 0;
  int replication = 0;
  for (auto _ : state) {
    for (int i = 0; i < kRuns; ++i) {
      auto net = build_network(spec, 1, replication++);
      KpiCollector kpi;
      net->add_sink(&kpi);
      net->run();
      benchmark::DoNotOptimize(kpi.finish());
      periods += spec.horizon;
    }
  }
  state.SetItemsProcessed(periods);
}

void BM_BeerGame(benchmark::State& state) { run_beer_game(state, BeerDemand::kShipped); }
void BM_BeerGamePoisson(benchmark::State& state) { run_beer_game(state, BeerDemand::kPoisson); }
void BM_BeerGameSegment(benchmark::State& state) { run_beer_game(state, BeerDemand::kSegment); }

void BM_Network(benchmark::State& state) {
  const ScenarioSpec spec = network(200);
  int runs = 0;
  for (auto _ : state) {
    auto net = build_network(spec, 1, runs++);
    KpiCollector kpi;
    net->add_sink(&kpi);
    net->run();
    benchmark::DoNotOptimize(kpi.finish());
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["peak_rss_MB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}

}  // namespace

BENCHMARK(BM_SerialChain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SerialChainSeries)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SerialChainFinanceMessages)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SerialChainSegment)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BeerGame)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BeerGamePoisson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BeerGameSegment)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Network)->Unit(benchmark::kMillisecond);
