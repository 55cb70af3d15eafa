// validate, describe, schema and kpis.
#include <fmt/core.h>

#include <iostream>
#include <map>

#include "chainsim_version.h"
#include "commands.h"
#include "models/chain/builder.h"
#include "models/measure/kpi.h"
#include "models/scenario/keys.h"
#include "models/scenario/loader.h"

namespace chainsim::cli {

using namespace chainsim::models;

std::string version_string() { return fmt::format("chainsim {} (git {})", CHAINSIM_VERSION, CHAINSIM_GIT); }

void print_load_error(const std::exception& e) {
  if (const auto* le = dynamic_cast<const LoadError*>(&e)) {
    for (const Diagnostic& d : le->diagnostics()) std::cerr << d.format() << "\n";
    std::cerr << fmt::format("{} error{}; nothing was run\n", le->diagnostics().size(),
                             le->diagnostics().size() == 1 ? "" : "s");
  } else {
    std::cerr << "chainsim: error: " << e.what() << "\n";
  }
}

namespace {

std::string plural(std::size_t n, const char* word) {
  if (n == 1) return fmt::format("1 {}", word);
  const std::string w = word;
  if (w.size() > 1 && w.back() == 'y' && std::string("aeiou").find(w[w.size() - 2]) == std::string::npos) {
    return fmt::format("{} {}ies", n, w.substr(0, w.size() - 1));  // factory -> factories
  }
  return fmt::format("{} {}s", n, w);
}

// A DOT quoted string's contents: backslashes and quotes escaped.
std::string dot_escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

}  // namespace

int validate_command(const std::string& scenario, const std::vector<std::string>& sets) {
  LoadedScenario s;
  try {
    s = load_scenario(scenario, {sets});
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  }
  std::map<std::string, int> kinds;
  for (const NodeSpec& n : s.spec.nodes) ++kinds[std::string(name_of(n.kind))];
  std::string breakdown;
  for (const char* k : {"supplier", "factory", "warehouse", "retailer"}) {
    if (kinds.count(k)) breakdown += (breakdown.empty() ? "" : ", ") + plural(static_cast<std::size_t>(kinds[k]), k);
  }
  std::cout << fmt::format("{}: ok: {} ({}), {}, {}, {} of {} {}\n", s.spec.name, plural(s.spec.nodes.size(), "node"),
                           breakdown, plural(s.spec.lanes.size(), "lane"), plural(s.spec.products.size(), "product"),
                           plural(static_cast<std::size_t>(s.spec.horizon), "period"), s.spec.period, s.spec.time_unit);
  return kExitOk;
}

int describe_command(const std::string& scenario, const std::vector<std::string>& sets, bool dot) {
  LoadedScenario s;
  try {
    s = load_scenario(scenario, {sets});
  } catch (const LoadError& e) {
    print_load_error(e);
    return kExitBadInput;
  }
  auto net = build_network(s.spec, s.spec.seed, 0, s.base_dir);
  auto transit = [&](const Lane& l) {
    double m = 0.0;
    for (const auto& d : l.transport) m = std::max(m, d.mean());
    return m;
  };
  if (dot) {
    std::cout << fmt::format("digraph \"{}\" {{\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n", s.spec.name);
    for (const Node& n : net->nodes()) {
      const char* shape = n.kind == NodeKind::kSupplier  ? "invhouse"
                          : n.kind == NodeKind::kFactory ? "house"
                          : n.kind == NodeKind::kRetailer ? "ellipse"
                                                          : "box";
      std::cout << fmt::format("  \"{}\" [shape={}, label=\"{}\\n({})\"];\n", dot_escape(n.name), shape,
                               dot_escape(n.name), std::string(name_of(n.kind)));
    }
    for (const Lane& l : net->lanes()) {
      std::cout << fmt::format("  \"{}\" -> \"{}\" [label=\"ship {} {}\\norder {:g} {}\"];\n",
                               dot_escape(net->nodes()[l.from].name), dot_escape(net->nodes()[l.to].name),
                               transit(l), dot_escape(s.spec.time_unit), l.order_delay,
                               dot_escape(s.spec.time_unit));
    }
    std::cout << "}\n";
    return kExitOk;
  }
  std::cout << s.spec.name << "\n";
  if (!s.spec.description.empty()) std::cout << s.spec.description << "\n";
  std::cout << fmt::format("{} of {} {}, warm-up {}, seed {}, {}\n\nnodes\n",
                           plural(static_cast<std::size_t>(s.spec.horizon), "period"), s.spec.period, s.spec.time_unit,
                           s.spec.warmup, s.spec.seed, plural(static_cast<std::size_t>(s.spec.replications), "replication"));
  for (const Node& n : net->nodes()) {
    std::cout << fmt::format("  {} ({})\n", n.name, std::string(name_of(n.kind)));
    for (const StockId id : n.stocks) {
      const StockPoint& sp = net->stocks()[id];
      const std::string product = net->products()[sp.product].name;
      if (sp.infinite) {
        std::cout << fmt::format("    {}: unlimited source\n", product);
        continue;
      }
      std::string from;
      for (const Source& src : sp.sources) {
        from += (from.empty() ? "" : ", ") + net->nodes()[net->lanes()[src.lane].from].name;
      }
      std::string line = fmt::format("    {}: {} on hand, {}{}", product, sp.on_hand, sp.policy->describe(),
                                     sp.continuous ? " (continuous review)"
                                     : sp.review_period > 1 ? fmt::format(" (every {} periods)", sp.review_period)
                                                             : "");
      if (!from.empty()) line += ", from " + from;
      if (sp.production) {
        std::string inputs;
        for (const auto& [c, q] : sp.production->inputs) {
          inputs += (inputs.empty() ? "" : " + ") + fmt::format("{} {}", q, net->products()[net->stocks()[c].product].name);
        }
        line += ", produced here" + (inputs.empty() ? std::string() : " from " + inputs);
      }
      for (const auto& d : sp.period_demand) line += ", demand " + d->describe();
      for (const auto& a : sp.arrivals) {
        line += fmt::format(", customers every {} (size {})", a.interarrival.describe(), a.size.describe());
      }
      std::cout << line << "\n";
    }
  }
  std::cout << "\nlanes\n";
  for (const Lane& l : net->lanes()) {
    std::cout << fmt::format("  {} -> {}: transit {}, order delay {}\n", net->nodes()[l.from].name,
                             net->nodes()[l.to].name, l.transport.empty() ? "-" : l.transport[0].describe(),
                             l.order_delay);
  }
  if (!s.spec.events.empty()) {
    std::cout << "\nevents\n";
    for (std::size_t i = 0; i < s.spec.events.size(); ++i) {
      const EventSpec& e = s.spec.events[i];
      std::string when = e.at ? fmt::format("at {}", *e.at)
                         : e.probability ? fmt::format("each period with probability {}", *e.probability)
                         : e.mean_up ? fmt::format("up ~{} / down ~{}", *e.mean_up, e.mean_down ? *e.mean_down : 0.0)
                                     : fmt::format("{} after {}", e.delay, e.after ? *e.after : "");
      std::string target = e.node.empty() ? e.lane : e.node;
      std::cout << fmt::format("  {}: {} {}{}\n", e.id.empty() ? fmt::format("event{}", i) : e.id, name_of(*e.action), when,
                               target.empty() ? "" : " on " + target);
    }
  }
  return kExitOk;
}

int schema_command(bool markdown) {
  std::cout << (markdown ? scenario_reference_tables() : scenario_json_schema());
  return kExitOk;
}

int kpis_command(bool markdown) {
  if (markdown) {
    std::cout << kpi_reference_markdown();
    return kExitOk;
  }
  for (const KpiDefinition& d : kpi_definitions()) {
    std::cout << fmt::format("{:<8} {:<24} {:<12} {}\n{:<46}{}\n", d.scope, d.kpi, d.unit, d.formula, "",
                             d.definition);
  }
  return kExitOk;
}

}  // namespace chainsim::cli
