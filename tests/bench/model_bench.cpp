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
//   BM_Network       1 factory, 4 DCs, 200 retailers, 365 days, Poisson demand,
//                    (s, S) at the retailers, base-stock at the DCs: one whole
//                    run per iteration; counter peak_rss_MB (the process's).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>

#include "models/chain/builder.h"
#include "models/measure/kpi.h"
#include "tests/bench/model_specs.h"

using namespace chainsim::models;
using chainsim::bench::network;
using chainsim::bench::serial_chain;

namespace {

void run_serial(benchmark::State& state, bool keep_series, double finance_delay = 0.0) {
  constexpr int kPeriods = 10000;
  const ScenarioSpec spec = serial_chain(kPeriods, finance_delay);
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
BENCHMARK(BM_Network)->Unit(benchmark::kMillisecond);
