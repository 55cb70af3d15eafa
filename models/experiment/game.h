// A scenario played: people take nodes' ordering, week by week, the other
// nodes follow their policies (chainsim play and chainsim serve, docs/play.md).
//
// The game is the scenario with each player's node on a scripted plan of the
// orders typed so far. What the player sees at week k is period k of that
// run (receipts, orders in, stock after shipping: the board game's view
// before ordering), so the game played and `chainsim run` of the scenario it
// writes are the same run, bit for bit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/scenario/loader.h"

namespace chainsim::models {

// What the player sees before ordering at week `week`.
struct GameWeek {
  int week = 0;
  double shipment_in = 0.0;   // units received this week
  double order_in = 0.0;      // units ordered from the player this week
  double on_hand = 0.0;       // after shipping
  double backlog = 0.0;       // owed after shipping
  double on_order = 0.0;      // ordered, not yet received
  double cost_so_far = 0.0;   // the node's costs through this week
  double customer_demand = 0.0;  // end-customer demand this week, when shared (else NaN)
};

// One stage's part in the debrief.
struct GameStage {
  std::string node;
  bool player = false;
  double bullwhip = 0.0;         // Var(orders) / Var(end-customer demand): cumulative amplification
  double cost = 0.0;             // as played
  double cost_benchmark = 0.0;   // with every stage on its policy
  std::vector<double> orders;    // units ordered each week, as played
};

class Game {
 public:
  // The game of `scenario` with the player at node `role` ("" : the most
  // downstream retailer). Throws std::invalid_argument naming what is wrong:
  // no such node, a node with several stocks, a node that orders nothing.
  Game(const LoadedScenario& scenario, const std::string& role);
  // The game with a player at each of `roles` (none: every node on its
  // policy), each named as above; a node named twice is refused.
  Game(const LoadedScenario& scenario, const std::vector<std::string>& roles);

  // The nodes a player can take, in the scenario's order: one stock, a policy.
  static std::vector<std::string> playable_roles(const LoadedScenario& scenario);

  const std::string& role() const noexcept { return roles_.front().node; }  // REQUIRES: a player
  std::size_t players() const noexcept { return roles_.size(); }
  const std::string& role(std::size_t player) const noexcept { return roles_[player].node; }
  int horizon() const noexcept { return horizon_; }
  int week() const noexcept { return weeks_; }  // the next week to order for
  bool over() const noexcept { return week() >= horizon_; }
  const std::vector<double>& orders() const noexcept { return orders_.front(); }  // REQUIRES: a player
  const std::vector<double>& orders(std::size_t player) const noexcept { return orders_[player]; }

  // The view before ordering at the current week. REQUIRES: !over(), a player.
  GameWeek view() const;
  // Every player's view before ordering at the current week, by player (one
  // run). REQUIRES: !over().
  std::vector<GameWeek> views() const;
  // What each player's node would order at the current week on the
  // scenario's own policy, given the orders of the weeks before (the policy
  // sees every week, so a forecasting rule has its state): by player, rounded
  // to whole units within [0, kMaxOrder]. The rule's decision before the
  // order adjustments of its spec (lot sizes, bounds), which the played
  // scenario's plan replaces. REQUIRES: !over().
  std::vector<double> policy_orders() const;
  // Orders `quantity` (a whole number >= 0) at the current week. REQUIRES: one player.
  void order(double quantity);
  // Every player's order at the current week, by player; then the next week.
  void order_week(const std::vector<double>& quantities);
  // Throws std::invalid_argument unless `quantity` is a whole number of
  // units from 0 to kMaxOrder.
  static void check_order(double quantity);

  // The scenario as played so far: the player's node on the orders given
  // (the whole horizon when over(), else the weeks played), as YAML text.
  // REQUIRES: week() >= 1.
  std::string played_yaml() const;
  // The debrief of the weeks played: each stage, upstream last. REQUIRES: week() >= 1.
  std::vector<GameStage> debrief() const;
  // End-customer demand week by week, for the weeks played.
  std::vector<double> customer_demand() const;

  // The longest order accepted (a sanity bound on what is typed).
  static constexpr double kMaxOrder = 1e6;

 private:
  YAML::Node played_document(int weeks) const;
  ScenarioSpec played_spec(int weeks) const;

  struct Role {
    std::string node;
    std::size_t node_index = 0;  // in the scenario document's nodes
    std::size_t stock = 0;       // the role's stock, in the network's stock order
    PolicySpec policy;           // the node's own, as the scenario gives it (policy_orders)
  };
  LoadedScenario scenario_;
  std::vector<Role> roles_;
  std::size_t retail_stock_ = 0;  // the stock end-customer demand is read at
  int horizon_ = 0;
  int weeks_ = 0;
  std::vector<std::vector<double>> orders_;  // by player, by week
};

}  // namespace chainsim::models
