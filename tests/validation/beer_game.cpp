#include "tests/validation/beer_game.h"

#include "models/chain/builder.h"
#include "models/measure/kpi.h"
#include "models/scenario/loader.h"
#include "sim/statistics.h"

namespace chainsim::validation {

using namespace chainsim::models;

BeerComparison compare_beer_game(const theory::BeerParameters& p) {
  LoadedScenario s = load_scenario(std::string(CHAINSIM_SOURCE_DIR) + "/scenarios/beer_game.yaml");
  for (NodeSpec& n : s.spec.nodes) {
    for (StockSpec& st : n.stocks) {
      st.policy.theta = p.theta;
      st.policy.alpha_s = p.alpha_s;
      st.policy.beta = p.beta;
      st.policy.s_prime = p.s_prime;
    }
  }
  auto net = build_network(s.spec, s.spec.seed, 0);
  SeriesRecorder rec;
  KpiCollector kpis;
  net->add_sink(&rec);
  net->add_sink(&kpis);
  net->run();
  net->audit();
  BeerComparison c;
  c.weeks = s.spec.horizon;
  const std::vector<theory::BeerWeek> board = theory::beer_game_board(p, c.weeks);
  const std::size_t S = net->stocks().size();
  for (std::size_t i = 0; i < 4; ++i) {
    const StockId id = net->find_stock(kBeerPlayers[i], "beer");
    for (int t = 0; t < c.weeks; ++t) {
      const StockPeriod& m = rec.stocks[static_cast<std::size_t>(t) * S + id];
      const theory::BeerWeek& b = board[static_cast<std::size_t>(t)];
      c.model_orders[i].push_back(m.ordered);
      c.model_on_hand[i].push_back(m.on_hand);
      c.model_backlog[i].push_back(m.backlog);
      c.model_on_order[i].push_back(m.on_order);
      c.model_incoming[i].push_back(m.demand);
      c.model_net_stock[i].push_back(m.on_hand - m.backlog);
      c.board_orders[i].push_back(b.order[i]);
      c.board_on_hand[i].push_back(b.on_hand[i]);
      c.board_backlog[i].push_back(b.backlog[i]);
      c.board_on_order[i].push_back(b.on_order[i]);
      c.board_incoming[i].push_back(b.received_orders[i]);
      c.board_net_stock[i].push_back(b.on_hand[i] - b.backlog[i]);
    }
  }
  c.model_factory_bullwhip = kpis.finish().get("stock", "factory/beer", "bullwhip_ratio");
  sim::RunningStats orders, incoming;
  for (int t = 0; t < c.weeks; ++t) {
    orders.add(c.board_orders[3][static_cast<std::size_t>(t)]);
    incoming.add(c.board_incoming[3][static_cast<std::size_t>(t)]);
  }
  c.board_factory_bullwhip = orders.variance() / incoming.variance();
  return c;
}

}  // namespace chainsim::validation
