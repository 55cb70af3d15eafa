// chainsim play: one person runs one node of a scenario from the terminal,
// week by week (models/experiment/game.h, docs/play.md).
#include <CLI/CLI.hpp>

#include <cmath>
#include <filesystem>
#include <fmt/core.h>
#include <iostream>
#include <optional>
#include <string>

#include "chainsim_version.h"
#include "commands.h"
#include "models/experiment/game.h"
#include "models/report/outputs.h"
#include "models/report/run_files.h"
#include "models/scenario/loader.h"
#include "sim/text.h"

namespace chainsim::cli {

using namespace chainsim::models;

CLI::App* add_play_command(CLI::App& app, PlayArgs& a) {
  auto* cmd = app.add_subcommand("play", "Play one node of a scenario from the terminal, week by week (the beer game)");
  cmd->add_option("scenario", a.scenario, "Scenario file (YAML)")->required();
  cmd->add_option("--role", a.role, "The node you run (default: the retailer), e.g. wholesaler");
  cmd->add_option("--out", a.out, "Output directory (default: out/<name>_played)");
  add_allow_dir_option(cmd, a.allow_dirs);
  return cmd;
}

namespace {

// Whole units as such; the fractions a policy's rule orders (Sterman's) to two places.
std::string units(double x) {
  if (std::isnan(x)) return "-";
  return std::abs(x - std::round(x)) < 0.005 ? fmt::format("{:.0f}", x) : fmt::format("{:.2f}", x);
}

void print_week(const Game& g, const GameWeek& w, const std::string& unit) {
  std::cout << fmt::format("\n{} {} of {} — you are the {}\n", unit, w.week + 1, g.horizon(), g.role());
  std::cout << fmt::format("  shipment in  {:>8}    order in   {:>8}\n", units(w.shipment_in), units(w.order_in));
  std::cout << fmt::format("  on hand      {:>8}    backlog    {:>8}\n", units(w.on_hand), units(w.backlog));
  std::cout << fmt::format("  on order     {:>8}    cost so far {:>7.2f}\n", units(w.on_order), w.cost_so_far);
  if (!std::isnan(w.customer_demand)) std::cout << fmt::format("  customers bought {} (shared)\n", units(w.customer_demand));
  std::string last;
  const auto& o = g.orders();
  for (std::size_t i = o.size() > 4 ? o.size() - 4 : 0; i < o.size(); ++i) last += " " + units(o[i]);
  if (!last.empty()) std::cout << "  your last orders:" << last << "\n";
}

enum class Typed { kOrder, kQuit, kAgain };

// Reads one answer: a whole number of units, or q. End of input quits.
Typed read_order(double& quantity) {
  std::cout << "order (whole units, q to quit): " << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) {
    std::cout << "\n";
    return Typed::kQuit;
  }
  const auto b = line.find_first_not_of(" \t\r");
  const auto e = line.find_last_not_of(" \t\r");
  line = b == std::string::npos ? "" : line.substr(b, e - b + 1);
  if (line == "q" || line == "quit") return Typed::kQuit;
  const bool digits = !line.empty() && line.size() <= 9 && line.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stod(line) > Game::kMaxOrder) {
    std::cout << fmt::format("  '{}' is not an order: type a whole number of units from 0 to {:.0f}, or q\n",
                             sim::printable(sim::excerpt(line, 20)), Game::kMaxOrder);
    return Typed::kAgain;
  }
  quantity = std::stod(line);
  return Typed::kOrder;
}

void print_debrief(const Game& g) {
  const std::vector<GameStage> stages = g.debrief();
  const std::vector<double> demand = g.customer_demand();
  std::cout << "\nDebrief\n  week  customers  you ordered\n";
  for (std::size_t k = 0; k < g.orders().size() && k < demand.size(); ++k) {
    std::cout << fmt::format("  {:>4}  {:>9}  {:>11}\n", k + 1, units(demand[k]), units(g.orders()[k]));
  }
  std::cout << "\n  stage          amplification   cost    cost by the rules\n";
  for (const GameStage& s : stages) {
    std::cout << fmt::format("  {:<14} {:>13} {:>8.2f} {:>12.2f}{}\n", s.node,
                             std::isnan(s.bullwhip) ? "-" : fmt::format("{:.2f}", s.bullwhip), s.cost, s.cost_benchmark,
                             s.player ? "   <- you" : "");
  }
  std::cout << "  amplification: the variance of a stage's orders over the variance of customer demand\n";
}

}  // namespace

int play_command(const PlayArgs& a) {
  LoadedScenario s;
  try {
    s = load_scenario(a.scenario, {{}, "--set", a.allow_dirs});
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  }
  std::optional<Game> game;
  try {
    game.emplace(s, a.role);
  } catch (const std::invalid_argument& e) {
    std::cerr << "chainsim: error: " << sim::printable(e.what()) << "\n";
    return kExitBadInput;
  }
  RunFilesOptions o;
  o.out_dir = a.out.empty() ? "out/" + s.spec.name + "_played" : a.out;
  sim::DirectoryLock lock;
  if (const std::string why = lock.claim(o.out_dir, "--out"); !why.empty()) {
    std::cerr << "chainsim: error: " << why << "\n";
    return kExitBadInput;
  }
  std::cout << fmt::format("{}: you run the {}; the other stages follow their policies. {} {}s.\n", s.spec.name,
                           game->role(), game->horizon(), s.spec.time_unit);
  while (!game->over()) {
    print_week(*game, game->view(), s.spec.time_unit);
    double q = 0;
    Typed t = Typed::kAgain;
    while ((t = read_order(q)) == Typed::kAgain) {
    }
    if (t == Typed::kQuit) break;
    game->order(q);
  }
  if (game->week() == 0) {
    std::cout << "nothing played; nothing written\n";
    return kExitOk;
  }
  print_debrief(*game);
  // The game as played: a scenario whose run is this game, and its files.
  const std::string yaml = game->played_yaml();
  const std::string file = o.out_dir + "/played.yaml";
  sim::write_file_atomically(file, "# " + s.spec.name + " as played by the " + game->role() +
                                       " (chainsim play): chainsim run this file to replay it\n" + yaml);
  LoadedScenario played = load_scenario_text(yaml, file, s.base_dir, LoadOptions{{}, "--set", a.allow_dirs});
  o.version = CHAINSIM_VERSION;
  o.git = CHAINSIM_GIT;
  o.scenario_file = file;
  const WrittenRun run = write_run(played, o);
  std::string files = file;
  for (const std::string& f : run.files) files += ", " + f;
  std::cout << fmt::format("\nwrote {}\n", files);
  return kExitOk;
}

}  // namespace chainsim::cli
