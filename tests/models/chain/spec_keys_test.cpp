// The key declarations of the spec (models/chain/spec_keys.h): each bound to
// the field it documents, its documented default the field's own, and the
// ranges it declares checked on specs in check_spec's words.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "models/chain/spec_keys.h"
#include "models/scenario/keys.h"

using namespace chainsim::models;
using chainsim::sim::Distribution;

namespace {

using Kind = FieldAccess::Kind;

// A default-constructed struct of each spec section.
struct Defaults {
  ScenarioSpec scenario;
  ProductSpec product;
  NodeSpec node;
  StockSpec stock;
  PolicySpec policy;
  SourceSpec source;
  ProductionSpec production;
  InputSpec input;
  DemandSpec demand;
  ReturnsSpec returns;
  RecoverySpec recovery;
  RecoveryRouteSpec route;
  PaymentTermsSpec payment_terms;
  LaneSpec lane;
  EventSpec event;
  SegmentSpec segment;
  ChannelSpec channel;
  CustomerOrdersSpec customer_orders;
  ChurnSpec churn;
  AcquisitionSpec acquisition;
  CostToServeSpec cost_to_serve;
  HeterogeneitySpec heterogeneity;
  LoyaltySpec loyalty;
  SharingSpec sharing;
  WhenSpec when;
  const void* of(const std::string& section) const {
    const std::map<std::string, const void*> objects = {
        {"scenario", &scenario}, {"product", &product}, {"node", &node}, {"stock", &stock},
        {"policy", &policy},     {"source", &source},   {"production", &production},
        {"input", &input},       {"demand", &demand},   {"returns", &returns},
        {"recovery", &recovery}, {"route", &route},
        {"payment_terms", &payment_terms}, {"lane", &lane}, {"event", &event}, {"sharing", &sharing}, {"when", &when},
        {"segment", &segment}, {"channel", &channel}, {"customer_orders", &customer_orders}, {"churn", &churn},
        {"acquisition", &acquisition}, {"cost_to_serve", &cost_to_serve}, {"heterogeneity", &heterogeneity},
        {"loyalty", &loyalty}};
    return objects.at(section);
  }
};

// Defaults the reference describes in words, not as a value: a key whose
// absence means "inherit" or "derive", or a whole section.
const std::set<std::string> kDescribed = {
    "scenario.name",          // the file name
    "product.salvage_value",  // unit_cost
    "stock.policy",           // base_stock with S = 0
    "stock.holding_cost",     // the node's
    "stock.backorder_cost",   // the node's
    "stock.lost_sale_cost",   // the node's
    "stock.unmet_demand",     // the node's
    "policy.s_prime",         // desired_inventory + beta * desired_supply_line
    "source.lane",            // the only lane
    "source.share",           // equal shares
    "demand.column",          // the only one
    "lane.id",                // from->to
    "event.id",               // event<index>
    "event.duration",         // permanent
    "scenario.sharing",       // off
    "node.payment_terms",     // pay at once
    "segment.orders",         // rate 1, size 1
    "segment.churn",          // per_stockout, no churn
    "segment.acquisition",    // none
    "segment.cost_to_serve",  // 0
    "segment.heterogeneity",  // none
    "segment.loyalty",        // none
    "channel.product",        // the node's only stock
    "channel.share",          // equal shares
    "when.product",           // the node's single stock
    "returns.to",             // this stock
};

bool is_number(const std::string& text, double& x) {
  if (text == ".inf") return x = std::numeric_limits<double>::infinity(), true;
  try {
    std::size_t used = 0;
    x = std::stod(text, &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

// Checks that field `f` of key `k` holds what `text`, its documented default, says.
void check_default(const KeyInfo& k, const void* f, const std::string& text) {
  double x = 0;
  switch (k.access->kind()) {
    case Kind::kDouble: REQUIRE(is_number(text, x)); CHECK(*static_cast<const double*>(f) == x); break;
    case Kind::kInt: REQUIRE(is_number(text, x)); CHECK(*static_cast<const int*>(f) == x); break;
    case Kind::kUint64: REQUIRE(is_number(text, x)); CHECK(static_cast<double>(*static_cast<const std::uint64_t*>(f)) == x); break;
    case Kind::kBool: CHECK((*static_cast<const bool*>(f) ? "true" : "false") == text); break;
    case Kind::kString: CHECK(*static_cast<const std::string*>(f) == text); break;
    case Kind::kEnum: REQUIRE(k.access->enum_index(f) < k.values.size()); CHECK(k.values[k.access->enum_index(f)] == text); break;
    case Kind::kDistribution: {
      const auto& d = *static_cast<const Distribution*>(f);
      if (is_number(text, x)) {
        CHECK(d.kind() == Distribution::Kind::kConstant);
        CHECK(d.mean() == x);
      } else {
        CHECK(d.describe() == Distribution::exponential(1.0).describe());
        CHECK(text == "exponential(1)");
      }
      break;
    }
    case Kind::kOptionalDistribution: {
      // yield: absent means the constant; shelf_life: absent means the product keeps.
      CHECK((is_number(text, x) || text == "keeps"));
      CHECK(!static_cast<const std::optional<Distribution>*>(f)->has_value());
      break;
    }
    case Kind::kOptionalString:
      // route.product: absent means the returned product, as the text says.
      CHECK(text == "the returned product");
      CHECK(!static_cast<const std::optional<std::string>*>(f)->has_value());
      break;
    case Kind::kOptionalEnum: {
      // issuing: absent until the builder applies the documented default.
      CHECK(k.access->enum_index(f) == static_cast<std::size_t>(-1));
      CHECK(std::find(k.values.begin(), k.values.end(), text) != k.values.end());
      break;
    }
    case Kind::kNumberList: CHECK(text == "[]"); CHECK(static_cast<const std::vector<double>*>(f)->empty()); break;
    case Kind::kNumberMap:
    case Kind::kDistributionMap: CHECK(text == "{}"); break;
    case Kind::kPipeline: CHECK(text == "[]"); CHECK(static_cast<const std::map<std::string, std::vector<double>>*>(f)->empty()); break;
    case Kind::kStructList: CHECK((text == "none" || text == "[]")); CHECK(k.access->size(f) == 0); break;
    default: FAIL("no documented default to compare for this kind");
  }
}

}  // namespace

TEST_CASE("every declared default is the default of the field the key is bound to") {
  const Defaults d;
  int compared = 0;
  for (const SectionInfo& sec : spec_sections()) {
    for (const KeyInfo& k : sec.keys) {
      const std::string name = sec.name + "." + k.name;
      CAPTURE(name);
      CAPTURE(k.default_text);
      REQUIRE(k.access != nullptr);
      const void* f = k.access->field(d.of(sec.name));
      if (kDescribed.count(name) || k.required || !k.required_for.empty()) continue;
      if (k.default_text.empty()) {
        // No default shown: the key is absent unless given.
        switch (k.access->kind()) {
          case Kind::kString: CHECK(static_cast<const std::string*>(f)->empty()); break;
          case Kind::kOptionalDouble: CHECK(!static_cast<const std::optional<double>*>(f)->has_value()); break;
          case Kind::kOptionalString: CHECK(!static_cast<const std::optional<std::string>*>(f)->has_value()); break;
          case Kind::kNumberList: CHECK(static_cast<const std::vector<double>*>(f)->empty()); break;
          case Kind::kOptionalStruct: CHECK(k.access->get(f) == nullptr); break;
          default: break;  // a process's own parameter (distribution), read only for its type
        }
        continue;
      }
      check_default(k, f, k.default_text);
      ++compared;
    }
  }
  CHECK(compared > 90);
}

TEST_CASE("every key of the format is bound to a field, but for the format's own keys") {
  const std::set<std::string> own = {"scenario.extends", "stock.from", "node.from", "product.remove",
                                     "node.remove",      "stock.remove", "lane.remove", "event.remove",
                                     "input.remove",     "segment.remove"};
  for (const SectionInfo& sec : scenario_sections()) {
    if (sec.name == "distribution") continue;  // sim::Distribution is built from its keys, not bound to them
    for (const KeyInfo& k : sec.keys) {
      const std::string name = sec.name + "." + k.name;
      CAPTURE(name);
      CHECK((k.access != nullptr) == !own.count(name));
    }
  }
}

TEST_CASE("declared ranges are checked on a spec in check_spec's words, at the key's path") {
  std::vector<Problem> found;
  auto messages = [&] {
    std::string s;
    for (const Problem& p : found) s += p.key + ": " + p.message + "\n";
    found.clear();
    return s;
  };
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  SUBCASE("at least zero, finite") {
    ProductSpec p;
    p.unit_cost = -1;
    p.salvage_value = nan;
    check_declared_ranges(spec_section("product"), &p, "products.0", found);
    CHECK(messages() == "products.0.unit_cost: must be a finite number >= 0 (got -1)\n"
                        "products.0.salvage_value: must be a finite number >= 0 (got nan)\n");
  }
  SUBCASE("above zero, infinity allowed where declared") {
    LaneSpec l;
    l.capacity_per_period = 0;
    l.capacity_per_shipment = inf;
    l.priority = inf;
    check_declared_ranges(spec_section("lane"), &l, "lanes.0", found);
    CHECK(messages() == "lanes.0.capacity_per_period: must be > 0 (got 0)\n"
                        "lanes.0.priority: must be finite (got inf)\n");
  }
  SUBCASE("shares and probabilities") {
    ReturnsSpec r;
    r.fraction = 1.5;
    check_declared_ranges(spec_section("returns"), &r, "r", found);
    SourceSpec s;
    s.share = 0;
    check_declared_ranges(spec_section("source"), &s, "s", found);
    CHECK(messages() == "r.fraction: must be in [0, 1] (got 1.5)\ns.share: must be in (0, 1] (got 0)\n");
  }
  SUBCASE("whole numbers, with an upper bound") {
    ScenarioSpec s;
    s.horizon = 0;
    s.replications = 10001;
    s.warmup = -3;  // checked apart: warmup < horizon
    check_declared_ranges(spec_section("scenario"), &s, "", found);
    CHECK(messages() == "horizon: must be >= 1 (got 0)\nreplications: must be <= 10000 (got 10001)\n");
  }
  SUBCASE("distributions that must not go negative, list elements and map entries") {
    LaneSpec l;
    l.transport_time = Distribution::normal(1, 1);
    l.price_by_product = {{"a", -2}};
    l.transport_time_by_product = {{"b", Distribution::uniform(-1, 1)}};
    check_declared_ranges(spec_section("lane"), &l, "lanes.0", found);
    ProductionSpec p;
    p.initial_wip = {1, -4};
    check_declared_ranges(spec_section("production"), &p, "p", found);
    CHECK(messages() ==
          "lanes.0.transport_time: must not produce negative values (got normal(mean=1, sd=1))\n"
          "lanes.0.transport_time_by_product.b: must not produce negative values (got uniform(low=-1, high=1))\n"
          "lanes.0.price_by_product.a: must be a finite number >= 0 (got -2)\n"
          "p.initial_wip: must be a finite number >= 0 (got -4)\n");
  }
  SUBCASE("a sound struct has no problem") {
    const NodeSpec sound;
    check_declared_ranges(spec_section("node"), &sound, "nodes.0", found);
    CHECK(messages() == "");
  }
}
