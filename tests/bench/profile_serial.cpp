// One run of the benchmark's serial chain (tests/bench/model_specs.h) for
// instruction counting: scripts/profile.sh runs it under callgrind for two
// horizons and divides the difference by the difference in periods, which
// gives the instructions per simulated period without the fixed cost of
// building the network, loading the program and summarising the KPIs.
//
//   chainsim_profile_serial PERIODS [series|segment]
//
// With `series` it also keeps every per-period record (BM_SerialChainSeries);
// with `segment` the retailer's demand comes from a customer segment
// (BM_SerialChainSegment).
// Prints the messages and engine events per period and one KPI, so the run
// cannot be optimised away and a changed result shows.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "models/chain/builder.h"
#include "models/measure/kpi.h"
#include "tests/bench/model_specs.h"

int main(int argc, char** argv) {
  const int periods = argc > 1 ? std::atoi(argv[1]) : 0;
  if (periods <= 0) {
    std::fprintf(stderr, "usage: chainsim_profile_serial PERIODS [series|segment]\n");
    return 2;
  }
  const bool series = argc > 2 && std::strcmp(argv[2], "series") == 0;
  const bool segment = argc > 2 && std::strcmp(argv[2], "segment") == 0;
  using namespace chainsim::models;
  auto net = build_network(segment ? chainsim::bench::serial_chain_with_segment(periods)
                                   : chainsim::bench::serial_chain(periods),
                           1, 0);
  KpiCollector kpi;
  SeriesRecorder recorder;
  net->add_sink(&kpi);
  if (series) net->add_sink(&recorder);
  net->run();
  const KpiSet k = kpi.finish();
  std::printf("periods %d  messages/period %.4f  events/period %.4f  fill_rate %.17g\n", periods,
              static_cast<double>(net->messages_sent()) / periods,
              static_cast<double>(net->simulator().events_run()) / periods,
              k.get("network", "", "fill_rate"));
  return 0;
}
