// The chainsim command line. Until the scenario format lands, `chainsim demo`
// runs a small built-in model on the engine: one stock point under
// periodic-review base-stock with Poisson demand.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <cstdint>
#include <deque>

#include "sim/distributions.h"
#include "sim/random.h"
#include "sim/simulator.h"
#include "sim/statistics.h"

namespace {

int run_demo(std::uint64_t seed, int periods, double base_stock, double mean, int lead_time) {
  using namespace chainsim::sim;
  Simulator sim;
  RandomStream rng(seed, 0, "demo/demand");
  const Distribution demand = Distribution::poisson(mean);
  double on_hand = base_stock, backlog = 0.0;
  std::deque<double> pipeline(static_cast<std::size_t>(lead_time), 0.0);
  RunningStats on_hand_stats, backlog_stats;
  double demanded = 0.0, met_from_stock = 0.0;
  for (int t = 0; t < periods; ++t) {
    sim.schedule(t, 0, [&] {
      // receive, demand, fulfil, review (order what was demanded), record
      if (!pipeline.empty()) {
        on_hand += pipeline.front();
        pipeline.pop_front();
      }
      const double d = demand.sample(rng);
      const double from_stock = std::min(on_hand, d);
      demanded += d;
      met_from_stock += from_stock;
      on_hand -= from_stock;
      backlog += d - from_stock;
      const double clear = std::min(on_hand, backlog);
      on_hand -= clear;
      backlog -= clear;
      if (lead_time == 0) {
        on_hand += d;
      } else {
        pipeline.push_back(d);
      }
      on_hand_stats.add(on_hand);
      backlog_stats.add(backlog);
    });
  }
  sim.run();
  fmt::print("chainsim demo: one stock point, base-stock S={}, Poisson({}) demand, lead time {}\n",
             base_stock, mean, lead_time);
  fmt::print("  periods {}   events {}\n", periods, sim.events_run());
  fmt::print("  fill rate        {:.4f}\n", demanded > 0 ? met_from_stock / demanded : 1.0);
  fmt::print("  mean on hand     {:.3f}\n", on_hand_stats.mean());
  fmt::print("  mean backorders  {:.3f}\n", backlog_stats.mean());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"chainsim: a fast discrete-event simulator of supply chains"};
  app.set_version_flag("--version", std::string("chainsim ") + CHAINSIM_VERSION);
  app.require_subcommand(1);
  auto* demo = app.add_subcommand("demo", "Run the built-in single-stage demo");
  std::uint64_t seed = 1;
  int periods = 10000, lead_time = 2;
  double base_stock = 40, mean = 8;
  demo->add_option("--seed", seed, "Random seed")->capture_default_str();
  demo->add_option("--periods", periods, "Number of periods")->capture_default_str()->check(CLI::PositiveNumber);
  demo->add_option("--base-stock", base_stock, "Order-up-to level S")->capture_default_str();
  demo->add_option("--mean", mean, "Mean demand per period")->capture_default_str()->check(CLI::NonNegativeNumber);
  demo->add_option("--lead-time", lead_time, "Replenishment lead time in periods")->capture_default_str()->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);
  return run_demo(seed, periods, base_stock, mean, lead_time);
}
