#include "tests/fuzz/harness.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "models/experiment/experiment.h"
#include "models/scenario/loader.h"
#include "sim/text.h"

namespace chainsim::fuzz {

namespace {

using namespace chainsim::models;

// A scenario that uses suppliers, a factory with a bill of materials, a
// warehouse, retailers, payment terms, events and a customer segment: the
// paths --set can reach.
const char* const kBase = R"(name: fuzz_base
horizon: 30
warmup: 2
seed: 11
replications: 1
products:
  - {id: part, unit_cost: 2}
  - {id: widget, unit_cost: 10, price: 20}
nodes:
  - {id: supplier, kind: supplier, lead_time: {type: gamma, mean: 2, sd: 1}, capacity: 50}
  - id: plant
    kind: factory
    stocks:
      - {product: part, initial: 20, from: supplier, policy: {type: base_stock, S: 20}}
      - product: widget
        initial: 10
        policy: {type: s_S, s: 5, S: 15}
        production: {lead_time: 1, capacity: 12, inputs: [{product: part, quantity: 2}]}
    payment_terms: {net: 10}
  - {id: warehouse, kind: warehouse, product: widget, initial: 12, from: plant,
     policy: {type: r_Q, r: 6, Q: 10}}
  - {id: store, kind: retailer, product: widget, initial: 8, from: warehouse,
     demand: {type: poisson, mean: 3}, policy: {type: base_stock, S: 9}}
lanes:
  - {from: supplier, to: plant, transport_time: 1, price: 3}
  - {from: plant, to: warehouse, transport_time: {type: uniform, low: 1, high: 3}}
  - {from: warehouse, to: store, transport_time: 1, order_delay: 1}
events:
  - {id: cut, at: 10, duration: 3, action: node_down, node: supplier}
customers:
  - id: regulars
    size: 40
    channels: [{node: store}]
    orders: {rate: 0.05, size: 1}
    churn: {model: per_stockout, intrinsic: 0.01, q: 0.2}
    acquisition: {per_period: 0.5}
)";

// The folder relative paths (extends, traces) resolve against: the one
// CHAINSIM_FUZZ_DIR names (scripts/fuzz.sh copies the example scenarios and
// their trace files there, so that mutated extends and traces reach real
// files), else the working directory.
const std::string& scratch_dir() {
  static const std::string dir = [] {
    const char* d = std::getenv("CHAINSIM_FUZZ_DIR");
    return std::string(d != nullptr && *d != '\0' ? d : ".");
  }();
  return dir;
}

// Whether a replication of `spec` is small enough to run for every input.
bool small(const ScenarioSpec& spec) {
  double cells = 0;
  for (const NodeSpec& n : spec.nodes) cells += 1.0 + static_cast<double>(n.stocks.size());
  cells += static_cast<double>(spec.lanes.size());
  for (const SegmentSpec& s : spec.customers) {
    cells += s.mode == CustomerMode::kIndividual ? s.size : 1.0;
  }
  return cells * static_cast<double>(spec.horizon) <= 20'000;
}

std::string check(const std::string& text, const LoadOptions& options) {
  LoadedScenario s;
  try {
    s = load_scenario_text(text, "fuzz.yaml", scratch_dir(), options);
  } catch (const LoadError& e) {
    if (e.diagnostics().empty()) return "a LoadError without a message";
    for (const Diagnostic& d : e.diagnostics()) {
      if (std::string why = malformed(d.format()); !why.empty()) return why + ": " + sim::printable(d.format());
    }
    return "";
  }
  for (const Diagnostic& d : s.warnings) {
    if (std::string why = malformed(d.format()); !why.empty()) return why + ": " + sim::printable(d.format());
  }
  // Accepted: it must run. An exception here is a scenario validate passed
  // and run refuses (ModelError, a sampler giving up): a finding.
  if (small(s.spec)) run_replication(s.spec, s.spec.seed, 0, ReplicationOptions::checked());
  return "";
}

}  // namespace

std::string malformed(std::string_view line) {
  if (line.find('\n') != std::string_view::npos) return "a message of several lines";
  if (sim::first_invalid_utf8(line) != std::string_view::npos) return "a message that is not UTF-8";
  if (sim::first_control(line) != std::string_view::npos) return "a message with a control character";
  std::size_t at = line.find(": error: ");
  if (at == std::string_view::npos) at = line.find(": warning: ");
  if (at == std::string_view::npos || at == 0) return "a message without 'file: error: '";
  // file, or file:line:col (line and column from 1).
  const std::string_view where = line.substr(0, at);
  const std::size_t c2 = where.rfind(':');
  if (c2 != std::string_view::npos && c2 + 1 < where.size() &&
      where.find_first_not_of("0123456789", c2 + 1) == std::string_view::npos) {
    const std::size_t c1 = where.rfind(':', c2 - 1);
    if (c1 == std::string_view::npos || c1 + 1 == c2 ||
        where.substr(c1 + 1, c2 - c1 - 1).find_first_not_of("0123456789") != std::string_view::npos) {
      return "a message with a malformed position";
    }
    if (where.substr(c1 + 1, c2 - c1 - 1) == "0" || where.substr(c2 + 1) == "0") return "a position at 0";
  }
  if (line.size() - at < 12) return "a message with nothing after 'error:'";
  return "";
}

std::string_view set_base_scenario() { return kBase; }

std::string check_scenario_text(std::string_view text) { return check(std::string(text), LoadOptions{}); }

std::string check_set_arguments(std::string_view text) {
  std::vector<std::string> sets;
  std::size_t start = 0;
  while (start <= text.size() && sets.size() < 8) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    sets.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return check(kBase, LoadOptions(sets));
}

}  // namespace chainsim::fuzz
