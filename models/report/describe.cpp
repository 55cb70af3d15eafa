#include "models/report/describe.h"

#include <algorithm>
#include <fmt/core.h>
#include <map>

namespace chainsim::models {

namespace {

std::string plural(std::size_t n, std::string_view word) {
  if (n == 1) return fmt::format("1 {}", word);
  const std::string w(word);
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

// The DOT shape a node kind is drawn with (a kind without one: a box).
const char* dot_shape(NodeKind kind) {
  static const std::map<NodeKind, const char*> shapes = {
      {NodeKind::kSupplier, "invhouse"}, {NodeKind::kFactory, "house"}, {NodeKind::kRetailer, "ellipse"}};
  const auto it = shapes.find(kind);
  return it == shapes.end() ? "box" : it->second;
}

// One stock's line: on hand, policy, sources, production and demand.
std::string stock_line(const Network& net, const StockPoint& sp) {
  const std::string product = net.products()[sp.product].name;
  if (sp.infinite) return fmt::format("    {}: unlimited source", product);
  std::string from;
  for (const Source& src : sp.sources) {
    from += (from.empty() ? "" : ", ") + net.nodes()[net.lanes()[src.lane].from].name;
    if (sp.sources.size() > 1 && sp.split == SplitRule::kShares) from += fmt::format(" {:g}%", 100 * src.share);
  }
  if (sp.sources.size() > 1) from += fmt::format(" (split {})", name_of(sp.split));
  std::string line = fmt::format("    {}: {} on hand, {}{}", product, sp.on_hand, sp.policy->describe(),
                                 sp.continuous              ? " (continuous review)"
                                 : sp.review_period > 1 ? fmt::format(" (every {} periods)", sp.review_period)
                                                        : "");
  if (!from.empty()) line += ", from " + from;
  if (sp.production) {
    std::string inputs;
    for (const auto& [c, q] : sp.production->inputs) {
      inputs += (inputs.empty() ? "" : " + ") + fmt::format("{} {}", q, net.products()[net.stocks()[c].product].name);
    }
    line += ", produced here" + (inputs.empty() ? std::string() : " from " + inputs);
  }
  for (const auto& d : sp.period_demand) line += ", demand " + d->describe();
  for (const auto& a : sp.arrivals) {
    line += fmt::format(", customers every {} (size {})", a.interarrival.describe(), a.size.describe());
  }
  return line;
}

// A node's line: its kind, and what a supplier is and what a buyer's terms are.
std::string node_line(const Network& net, const Node& n) {
  std::string line = fmt::format("  {} ({}", n.name, name_of(n.kind));
  if (node_kind_info(n.kind).unlimited_source) {
    line += n.outside ? ", outside the network" : ", owned";
    if (n.capacity != kInfinity) line += fmt::format(", capacity {:g} a period", n.capacity);
    if (n.lead_time.mean() != 0.0 || n.lead_time.variance() != 0.0) line += ", lead time " + n.lead_time.describe();
    if (n.reliability < 1.0) line += fmt::format(", reliability {:g} (short: {:g})", n.reliability, n.shortfall);
    if (n.yield) line += ", yield " + n.yield->describe();
    if (n.material_cost != 0.0) line += fmt::format(", material cost {:g}", n.material_cost);
  }
  bool buys = false;
  for (const StockId id : n.stocks) buys = buys || !net.stocks()[id].sources.empty();
  if (buys && (n.terms.net > 0 || n.terms.offers_discount())) {
    line += fmt::format(", pays net {:g}", n.terms.net);
    if (n.terms.offers_discount()) {
      line += fmt::format(" ({:g}% off within {:g})", 100 * n.terms.discount, n.terms.discount_within);
    }
  }
  return line + ")";
}

// A lane's line: transit, order delay, price, capacity and costs.
std::string lane_line(const Network& net, const Lane& l) {
  std::string line = fmt::format("  {} -> {}: transit {}, order delay {}", net.nodes()[l.from].name,
                                 net.nodes()[l.to].name, l.transport.empty() ? "-" : l.transport[0].describe(),
                                 l.order_delay);
  // One price for every product, or each product's.
  std::string prices;
  const bool one = std::adjacent_find(l.price.begin(), l.price.end(), std::not_equal_to<>()) == l.price.end();
  for (std::size_t p = 0; p < l.price.size() && !(one && p > 0); ++p) {
    if (l.price[p] == 0.0) continue;
    prices += fmt::format("{}{:g}", prices.empty() ? "" : ", ", l.price[p]);
    if (!one) prices += " (" + net.products()[p].name + ")";
  }
  if (!prices.empty()) line += ", price " + prices;
  if (l.capacity_per_period != kInfinity) line += fmt::format(", capacity {:g} a period", l.capacity_per_period);
  if (l.cost_per_shipment != 0.0 || l.cost_per_unit != 0.0) {
    line += fmt::format(", transport cost {:g} a shipment + {:g} a unit", l.cost_per_shipment, l.cost_per_unit);
  }
  if (l.holding_cost != 0.0) line += fmt::format(", pipeline holding {:g}", l.holding_cost);
  return line;
}

std::string events_text(const ScenarioSpec& spec) {
  if (spec.events.empty()) return "";
  std::string out = "\nevents\n";
  for (std::size_t i = 0; i < spec.events.size(); ++i) {
    const EventSpec& e = spec.events[i];
    std::string condition;
    if (e.when) {
      const WhenSpec& w = *e.when;
      condition = fmt::format("when {}{} {}{} {} {:g}", w.node, w.product.empty() ? "" : "/" + w.product,
                              w.measure ? name_of(*w.measure) : "?",
                              w.measure == WhenMeasure::kFillRate && w.over > 1 ? fmt::format(" over {}", w.over) : "",
                              w.below ? "below" : "above", w.below ? *w.below : w.above ? *w.above : 0.0);
    }
    const std::string when = e.when          ? condition
                             : e.at            ? fmt::format("at {}", *e.at)
                             : e.probability ? fmt::format("each period with probability {}", *e.probability)
                             : e.mean_up     ? fmt::format("up ~{} / down ~{}", *e.mean_up, e.mean_down ? *e.mean_down : 0.0)
                                             : fmt::format("{} after {}", e.delay, e.after ? *e.after : "");
    const std::string target = !e.segment.empty() ? "segment " + e.segment : e.node.empty() ? e.lane : e.node;
    std::string what;
    if (e.value != 0.0) what += fmt::format(", value {:g}", e.value);
    if (e.duration) what += fmt::format(", for {:g} {}", *e.duration, *e.duration == 1 ? spec.time_unit : spec.time_unit + "s");
    else if (e.when) what += ", while it holds";
    else if (!e.mean_up) what += ", for good";
    out += fmt::format("  {}: {} {}{}{}\n", e.id.empty() ? fmt::format("event{}", i) : e.id, name_of(*e.action), when,
                       target.empty() ? "" : " on " + target, what);
  }
  return out;
}

}  // namespace

std::string validation_line(const ScenarioSpec& spec) {
  std::map<NodeKind, std::size_t> kinds;
  for (const NodeSpec& n : spec.nodes) ++kinds[n.kind];
  std::string breakdown;
  for (const auto& [kind, count] : kinds) breakdown += (breakdown.empty() ? "" : ", ") + plural(count, name_of(kind));
  const std::string segments =
      spec.customers.empty() ? "" : ", " + plural(spec.customers.size(), "customer segment");
  return fmt::format("{}: ok: {} ({}), {}, {}{}, {} of {} {}\n", spec.name, plural(spec.nodes.size(), "node"),
                     breakdown, plural(spec.lanes.size(), "lane"), plural(spec.products.size(), "product"), segments,
                     plural(static_cast<std::size_t>(spec.horizon), "period"), spec.period, spec.time_unit);
}

namespace {

// The customer segments, one line each and a line per channel (none: "").
std::string customers_text(const Network& net) {
  if (net.segments().empty()) return "";
  std::string out = "\ncustomers\n";
  for (const Segment& s : net.segments()) {
    const SegmentSpec& g = s.spec;
    out += fmt::format("  {}: {} customers ordering {} times a period each (size {}), churn {} (intrinsic {})\n", s.name,
                       s.initial, g.orders.rate, g.orders.size.describe(), name_of(g.churn.model), g.churn.intrinsic);
    if (g.mode == CustomerMode::kIndividual) {
      const HeterogeneitySpec& h = g.heterogeneity;
      out += "    individual mode, one record per customer";
      if (h.rate_shape > 0) out += fmt::format("; rates ~ Gamma(shape {}, mean {})", h.rate_shape, g.orders.rate);
      if (h.dropout_a > 0) out += fmt::format("; dropout after an order ~ Beta({}, {})", h.dropout_a, h.dropout_b);
      if (g.loyalty.after_purchases > 0) {
        out += fmt::format("; loyalty from purchase {} ({:g}% off, churn x {})", g.loyalty.after_purchases,
                           100 * g.loyalty.discount, g.loyalty.churn_factor);
      }
      out += "\n";
    }
    for (const SegmentChannel& ch : s.channels) {
      out += fmt::format("    buys at {}: {:g}% of its orders\n", net.stocks()[ch.stock].name, 100 * ch.share);
    }
  }
  return out;
}

}  // namespace

std::string network_text(const ScenarioSpec& spec, const Network& net) {
  std::string out = spec.name + "\n";
  if (!spec.description.empty()) out += spec.description + "\n";
  out += fmt::format("{} of {} {}, warm-up {}, seed {}, {}\n\nnodes\n",
                     plural(static_cast<std::size_t>(spec.horizon), "period"), spec.period, spec.time_unit, spec.warmup,
                     spec.seed, plural(static_cast<std::size_t>(spec.replications), "replication"));
  for (const Node& n : net.nodes()) {
    out += node_line(net, n) + "\n";
    for (const StockId id : n.stocks) out += stock_line(net, net.stocks()[id]) + "\n";
  }
  out += "\nlanes\n";
  for (const Lane& l : net.lanes()) out += lane_line(net, l) + "\n";
  return out + customers_text(net) + events_text(spec);
}

std::string network_dot(const ScenarioSpec& spec, const Network& net) {
  std::string out = fmt::format("digraph \"{}\" {{\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n", spec.name);
  for (const Node& n : net.nodes()) {
    out += fmt::format("  \"{}\" [shape={}, label=\"{}\\n({})\"];\n", dot_escape(n.name), dot_shape(n.kind),
                       dot_escape(n.name), name_of(n.kind));
  }
  for (const Lane& l : net.lanes()) {
    double transit = 0.0;
    for (const auto& d : l.transport) transit = std::max(transit, d.mean());
    out += fmt::format("  \"{}\" -> \"{}\" [label=\"ship {} {}\\norder {:g} {}\"];\n",
                       dot_escape(net.nodes()[l.from].name), dot_escape(net.nodes()[l.to].name), transit,
                       dot_escape(spec.time_unit), l.order_delay, dot_escape(spec.time_unit));
  }
  return out + "}\n";
}

}  // namespace chainsim::models
