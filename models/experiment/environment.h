// A scenario stepped one decision at a time by an agent outside the
// simulation: the step API of the Python module (docs/python.md), for
// policies written in Python and reinforcement learning.
//
// The agent takes the place of the replenishment policy of one or more stock
// points. The network runs as `chainsim run` runs it, on a thread of its own;
// at each review of a controlled stock it stops and hands the agent what the
// policy would have seen (a PolicyView), and goes on with the quantity the
// agent orders, which passes through the stock's order adjustments (lot
// size, minimum, maximum) as a policy's wish would. With one controlled stock
// reviewed every period a step is a period; with several, their decisions
// come in simulation order (downstream first within a period), each a step.
//
// Nothing else changes: the random streams are drawn as in the scenario's own
// run, so an agent that orders what the scenario's policy would gives that
// run's KPIs bit for bit.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "models/chain/policy.h"
#include "models/chain/spec.h"
#include "models/measure/kpi.h"

namespace chainsim::models {

class Network;

// What a step's reward counts, between one decision and the next.
enum class EnvReward {
  kCost,    // minus the operating costs booked by every node: holding, backorder, lost sales,
            // ordering, transport and production (not purchases between nodes, which cancel)
  kProfit,  // the change in the network's profit: every node's revenue less every cost
};

// One decision point, or the end of the run.
struct EnvDecision {
  bool done = false;
  std::size_t agent = 0;  // the controlled stock deciding (an index into Environment::agents())
  PolicyView view;        // what it sees (when !done)
  double reward = 0.0;    // since the previous decision (reset: 0)
};

class Environment {
 public:
  // `agents`: the stocks the agent controls, each "node" (a node of one
  // stock) or "node/product"; none: the most downstream stock with customer
  // demand. Throws std::invalid_argument naming an agent that is unknown, an
  // unlimited source, replenished by its supplier (VMI), without a source or
  // production to order from, or named twice; SpecError for a spec that does
  // not check.
  explicit Environment(ScenarioSpec spec, std::vector<std::string> agents = {},
                       EnvReward reward = EnvReward::kCost);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  // The controlled stocks' names ("node/product"), in the order given.
  const std::vector<std::string>& agents() const noexcept { return names_; }
  const ScenarioSpec& spec() const noexcept { return spec_; }

  // Starts replication `replication` of the scenario with `seed` afresh
  // (abandoning a run in progress) and runs to the first decision. Throws
  // ModelError or SpecError from the run.
  EnvDecision reset(std::uint64_t seed, int replication = 0);
  // Orders `quantity` (>= 0, finite) for the deciding stock and runs to the
  // next decision or the end. Throws std::logic_error before reset() or after
  // the end, std::invalid_argument for a bad quantity, ModelError from the run.
  EnvDecision step(double quantity);
  bool done() const noexcept { return !running_; }
  // The KPIs of the finished run. REQUIRES: the run has ended (step returned done).
  const KpiSet& kpis() const;

 private:
  class ExternalPolicy;
  void start(std::uint64_t seed, int replication);
  void stop();
  void simulate(std::unique_ptr<Network> net);
  double decide(std::size_t agent, const PolicyView& view);  // on the simulation thread
  double reward_total() const;                                // on the simulation thread
  EnvDecision wait_for_simulation(std::unique_lock<std::mutex>& lock);

  ScenarioSpec spec_;
  EnvReward reward_;
  std::vector<std::string> names_;
  std::vector<std::size_t> stocks_;  // the controlled stocks' ids

  // The hand-off between the caller's thread and the simulation's: exactly
  // one of them runs at a time, the one whose turn it is. The turn changes
  // under the mutex; a waiter spins on it for a short while before sleeping
  // on the condition variable, since a decision usually comes back within
  // microseconds and two sleeps and wake-ups would cost tens of them.
  void await_turn(std::unique_lock<std::mutex>& lock, bool agent);
  std::mutex mutex_;
  std::condition_variable turn_changed_;
  std::atomic<bool> agent_turn_{false};
  bool abandon_ = false;     // the caller abandons the run (reset, destructor)
  bool running_ = false;     // a run is in progress (reset and not ended)
  EnvDecision decision_;     // the simulation's last hand-off
  double order_ = 0.0;       // the caller's answer
  std::exception_ptr error_;
  KpiSet kpis_;
  bool have_kpis_ = false;
  const Network* net_ = nullptr;  // the run in progress (simulation thread only)
  double last_total_ = 0.0;       // reward_total() at the previous decision
  std::thread thread_;
};

}  // namespace chainsim::models
