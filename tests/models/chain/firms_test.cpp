// Firms (NodeSpec::firm, docs/finance.md): each firm's books consolidate its
// own nodes, trade between firms counts as sales and purchases, trade inside
// a firm is internal; the firms' profits add up to the network's.
#include <doctest/doctest.h>

#include <cmath>

#include "models/chain/spec_checks.h"
#include "models/measure/kpi.h"
#include "tests/models/chain_helpers.h"

using namespace chainsim::models;
using namespace chainsim::models::testing;
using chainsim::sim::Distribution;

namespace {

// A mill (outside supplier) -> a warehouse -> a shop, lane prices 2 and 3,
// the shop selling 2 a period at 6 from 4 on hand; the shop pays its
// invoices with a 10% discount for paying at once.
ScenarioSpec chain(const char* wh_firm, const char* shop_firm) {
  ScenarioSpec s;
  s.horizon = 10;
  s.products = {product("item", 1.0, 6.0)};
  StockSpec st = stock("item", 4, base_stock(4), {from("wh")});
  st.demand = {constant_demand(2)};
  NodeSpec shop = node("shop", NodeKind::kRetailer, {st});
  shop.holding_cost = 0.1;
  shop.payment_terms = {5.0, 0.1, 1.0};
  NodeSpec wh = node("wh", NodeKind::kWarehouse, {stock("item", 20, base_stock(20), {from("mill")})});
  wh.ordering_cost = 1;
  if (wh_firm != nullptr) wh.firm = wh_firm;
  if (shop_firm != nullptr) shop.firm = shop_firm;
  s.nodes = {node("mill", NodeKind::kSupplier), wh, shop};
  s.lanes = {lane("mill", "wh", 1), lane("wh", "shop", 1)};
  s.lanes[0].price = 2;
  s.lanes[1].price = 3;
  return s;
}

KpiSet kpis(const ScenarioSpec& s) {
  KpiCollector kpi;
  auto net = build_network(s, 1, 0);
  net->add_sink(&kpi);
  net->run();
  net->audit();
  return kpi.finish();
}

}  // namespace

TEST_CASE("one firm that owns every node has the network's books") {
  const KpiSet k = kpis(chain("grocer", "grocer"));
  for (const char* kpi : {"revenue", "cost_purchase", "cost_holding", "cost_ordering", "total_cost", "profit",
                          "cash_end", "cash_change"}) {
    CAPTURE(kpi);
    CHECK(k.get("firm", "grocer", kpi) == doctest::Approx(k.get("network", "", kpi)));
  }
  CHECK(k.get("firm", "grocer", "intercompany_sales") == 0);
}

TEST_CASE("two firms: trade between them is a sale and a purchase, and their profits add up to the network's") {
  const KpiSet k = kpis(chain("wholesale", "retail"));
  // The shop sells 2 a period at 6 to end customers; it buys 2 a period at 3
  // from the warehouse, 10% off for paying at once.
  const double shop_bought = k.get("node", "shop", "cost_purchase");
  CHECK(shop_bought > 0);
  CHECK(k.get("firm", "retail", "revenue") == doctest::Approx(k.get("node", "shop", "revenue")));
  CHECK(k.get("firm", "retail", "cost_purchase") == doctest::Approx(shop_bought));
  // The warehouse's sales to the shop, net of the discount it gave, are its
  // firm's revenue, all of it intercompany.
  CHECK(k.get("firm", "wholesale", "revenue") == doctest::Approx(k.get("node", "wh", "revenue")));
  CHECK(k.get("firm", "wholesale", "intercompany_sales") == doctest::Approx(k.get("node", "wh", "revenue")));
  CHECK(k.get("firm", "wholesale", "intercompany_sales") == doctest::Approx(shop_bought));
  CHECK(k.get("firm", "wholesale", "cost_purchase") == doctest::Approx(k.get("network", "", "cost_purchase")));
  // No invoice travels (delays 0): the firms' profits are the network's.
  CHECK(k.get("firm", "wholesale", "profit") + k.get("firm", "retail", "profit") ==
        doctest::Approx(k.get("network", "", "profit")));
  CHECK(k.get("firm", "wholesale", "cash_end") + k.get("firm", "retail", "cash_end") ==
        doctest::Approx(k.get("network", "", "cash_end")));
}

TEST_CASE("without firms no firm KPI is reported") {
  const KpiSet k = kpis(chain(nullptr, nullptr));
  CHECK(std::isnan(k.get("firm", "grocer", "profit")));
  for (const KpiValue& v : k.values) CHECK(v.scope != "firm");
}

TEST_CASE("firms: every node of the network names one, suppliers outside it none") {
  auto problems = [](const ScenarioSpec& s) {
    std::string all;
    for (const SpecIssue& i : check_spec(s)) all += i.path + ": " + i.message + "\n";
    return all;
  };
  CHECK(problems(chain("a", "b")).empty());
  CHECK(problems(chain("a", nullptr)).find("nodes.2.firm: missing: once a node names its firm") != std::string::npos);
  ScenarioSpec s = chain("a", "b");
  s.nodes[0].firm = "a";
  CHECK(problems(s).find("nodes.0.firm: a supplier outside the network belongs to no firm") != std::string::npos);
  s.nodes[0].owned = true;
  CHECK(problems(s).empty());
}

TEST_CASE("the money audit balances each firm's books, with invoices and payments on their way between firms") {
  // Invoices take 2 to arrive and payments 1, the shop pays net 5 (10% off
  // within 1, which it misses: its invoices arrive after 2); the mill is in no firm.
  ScenarioSpec s = chain("wholesale", "retail");
  for (LaneSpec& l : s.lanes) {
    l.invoice_delay = 2;
    l.payment_delay = 1;
  }
  const Audited a = run_audited(s);  // the audits, the per-firm one included, after every period
  const std::vector<FirmMoney>& firms = a.run.net->firm_money_totals();
  REQUIRE(firms.size() == 3);  // wholesale, retail, and the mill outside them
  const FirmMoney &wholesale = firms[0], &retail = firms[1], &mill = firms[2];
  // End customers pay the shop only; no node starts with cash.
  CHECK(retail.customer_cash == doctest::Approx(a.kpis.get("node", "shop", "revenue")));
  CHECK(wholesale.customer_cash == 0);
  CHECK(wholesale.initial_cash + retail.initial_cash + mill.initial_cash == 0);
  // What the shop sent reached the warehouse but for what is still on its way,
  // and the same for the warehouse's payments to the mill.
  CHECK(retail.payments_out > 0);
  CHECK(wholesale.payments_in <= retail.payments_out);
  CHECK(mill.payments_in <= wholesale.payments_out);
  CHECK(wholesale.payments_out > 0);
  CHECK(retail.payments_in == 0);
  // Each firm's cash is what came in less what went out (KPI cash_end).
  CHECK(a.kpis.get("firm", "retail", "cash_end") ==
        doctest::Approx(retail.customer_cash + retail.payments_in - retail.payments_out -
                        a.kpis.get("node", "shop", "cost_holding")));
  // At the horizon some of the warehouse's invoices are still travelling (2 periods of them).
  CHECK(wholesale.invoices_in_transit > 0);
  CHECK(retail.invoices_in_transit == 0);
}

TEST_CASE("the per-firm money audit names the firm and the figures that do not balance") {
  FirmMoney m;
  m.initial_cash = 100;
  m.customer_cash = 50;
  m.payments_in = 20;
  m.payments_out = 30;
  m.invoices_in_transit = 7;
  m.settles_in_transit = 3;
  FirmBooks b;
  b.cash_costs = 15;
  b.cash = 125;  // 100 + 50 - 15 + 20 - 30 = 125
  b.receivables = 20;
  b.owed = 10;  // 10 + 7 + 3 = 20
  CHECK(audit_firm_money("maker", b, m, 1.0).empty());
  b.cash = 126;
  CHECK(audit_firm_money("maker", b, m, 1.0) ==
        "money conservation broken for firm maker: cash 126 but initial 100 + customer sales 50 - cash costs 15 "
        "+ payments received 20 - payments sent 30 + credit notes received 0 - sent 0 = 125");
  m.credits_received = 4;
  m.credits_sent = 3;  // 125 + 4 - 3 = 126
  CHECK(audit_firm_money("maker", b, m, 1.0).empty());
  m.credits_received = m.credits_sent = 0;
  b.cash = 125;
  b.owed = 9;
  CHECK(audit_firm_money("maker", b, m, 1.0) ==
        "invoices of firm maker do not balance: receivables 20 but buyers' payables to it 9 + its invoices in "
        "transit 7 + payments in transit to it 3 = 19");
  // Within the tolerance, 1e-6 of the money that moved.
  b.owed = 10 - 1e-7;
  CHECK(audit_firm_money("maker", b, m, 1000.0).empty());
}

TEST_CASE("ownership is one switch: private invoices nothing between own nodes, independent makes each node a firm") {
  // The same network with its firm keys (wholesale, retail), three ways.
  const Audited firms = run_audited(chain("wholesale", "retail"));
  ScenarioSpec p = chain("wholesale", "retail");
  p.ownership = Ownership::kPrivate;
  const Audited priv = run_audited(p);
  ScenarioSpec i = chain("wholesale", "retail");
  i.ownership = Ownership::kIndependent;
  const Audited indep = run_audited(i);
  CHECK(spec_problems(p).empty());
  CHECK(spec_problems(i).empty());
  // The goods move the same and the network's books are the same.
  for (std::int64_t k = 0; k < 10; ++k) {
    CAPTURE(k);
    CHECK(priv.run.at("shop", "item", k).on_hand == firms.run.at("shop", "item", k).on_hand);
    CHECK(priv.run.at("wh", "item", k).ordered == firms.run.at("wh", "item", k).ordered);
  }
  for (const char* kpi : {"revenue", "cost_purchase", "total_cost", "profit", "cash_end"}) {
    CAPTURE(kpi);
    CHECK(priv.kpis.get("network", "", kpi) == doctest::Approx(firms.kpis.get("network", "", kpi)));
    CHECK(indep.kpis.get("network", "", kpi) == doctest::Approx(firms.kpis.get("network", "", kpi)));
  }
  // Private: one firm, no firm books; the warehouse sells the shop nothing
  // on paper, and the mill outside still invoices the warehouse.
  for (const KpiValue& v : priv.kpis.values) CHECK(v.scope != "firm");
  CHECK(priv.kpis.get("node", "wh", "revenue") == 0);
  CHECK(priv.kpis.get("node", "shop", "cost_purchase") == 0);
  CHECK(priv.kpis.get("node", "wh", "cost_purchase") == doctest::Approx(firms.kpis.get("node", "wh", "cost_purchase")));
  CHECK(priv.kpis.get("node", "wh", "cost_purchase") > 0);
  CHECK(priv.kpis.get("node", "shop", "profit") ==
        doctest::Approx(firms.kpis.get("node", "shop", "profit") + firms.kpis.get("node", "shop", "cost_purchase")));
  // Independent: each node its own firm, named by its id, the firm keys ignored.
  CHECK(std::isnan(indep.kpis.get("firm", "wholesale", "profit")));
  CHECK(indep.kpis.get("firm", "wh", "profit") == doctest::Approx(firms.kpis.get("firm", "wholesale", "profit")));
  CHECK(indep.kpis.get("firm", "shop", "profit") == doctest::Approx(firms.kpis.get("firm", "retail", "profit")));
  // The firm keys are ignored, so a half-declared set is no error then.
  ScenarioSpec half = chain("wholesale", nullptr);
  CHECK(!spec_problems(half).empty());
  half.ownership = Ownership::kIndependent;
  CHECK(spec_problems(half).empty());
}
