// The KPI definitions: one entry per KPI and meaning, in the order finish()
// reports them. docs/kpis.md's reference table is generated from this table
// (scripts/update_generated.sh); tests check that the committed page equals
// it and that every KPI a run reports has exactly one entry here.
//
// Notation (docs/kpis.md): the measured periods are k = w .. H-1 (w the
// warm-up, H the horizon), n = H - w of them, T = n * period time units;
// "_k" is the record of period k (flows: totals over the period; levels: at
// its end); "integral" is the exact time integral over the measured span.
#include <fmt/core.h>

#include <cmath>
#include <limits>
#include <string_view>

#include "models/measure/kpi.h"

namespace chainsim::models {

double time_units_per_year(std::string_view unit) {
  if (unit.size() > 1 && unit.back() == 's') unit.remove_suffix(1);
  if (unit == "day") return 365.0;
  if (unit == "week") return 365.0 / 7.0;
  if (unit == "month") return 12.0;
  if (unit == "quarter") return 4.0;
  if (unit == "year") return 1.0;
  if (unit == "hour") return 8760.0;
  return std::numeric_limits<double>::quiet_NaN();
}

double per_year(double over_span, double span, std::string_view unit) {
  const double year = time_units_per_year(unit);
  return std::isfinite(year) && span > 0 ? over_span * year / span : std::numeric_limits<double>::quiet_NaN();
}

namespace {

// The network scope: consolidated over the network's own nodes (purchases
// between them are internal; suppliers it does not own are outside).
std::vector<KpiDefinition> network_definitions() {
  std::vector<KpiDefinition> d = {
      // --- network ---------------------------------------------------------
      {"fill_rate", "network", "share", "sum(met at once) / sum(demand) over customer-facing stocks",
       "The fill rate of the stock points that serve end customers, pooled: units met from stock at the "
       "instant they were demanded over units demanded (all their demand)."},
      {"lost_sales", "network", "units", "sum over stocks of lost_sales", "End-customer demand lost, all stocks."},
      {"backorders_mean", "network", "units", "sum over customer-facing stocks of backorders_mean",
       "Time-average units owed to end customers (and to anyone else those stocks serve)."},
      {"on_hand_mean", "network", "units", "sum over stocks of on_hand_mean",
       "Time-average units on hand in the whole network (suppliers' unlimited sources excluded)."},
      {"revenue", "network", "money", "sum over nodes of end-customer sales",
       "Consolidated revenue: sales to end customers at the retail price. Sales between the network's own "
       "nodes are internal and do not count."},
  };
  for (int k = 0; k < kCostKinds; ++k) {
    const auto kind = static_cast<CostKind>(k);
    if (kind == CostKind::kPurchase) {
      d.push_back({"cost_purchase", "network", "money", "sum over own nodes of invoices from suppliers outside",
                    "What the network buys from outside: invoices received from suppliers it does not own "
                    "(every supplier unless `owned: true`), less early-payment discounts taken, booked when "
                    "the invoice arrives. Purchases between the network's own nodes are internal and do not "
                    "count."});
      continue;
    }
    d.push_back({fmt::format("cost_{}", cost_kind_name(kind)), "network", "money",
                 fmt::format("sum over own nodes of cost_{}", cost_kind_name(kind)),
                 kind == CostKind::kCustomers
                     ? "The own nodes' costs of this kind, added up (see the node KPI); only with customer segments."
                 : kind == CostKind::kWaste
                     ? "The own nodes' costs of this kind, added up (see the node KPI); only with perishable products."
                     : "The own nodes' costs of this kind, added up (see the node KPI); a supplier outside the "
                       "network bears its own."});
  }
  const std::vector<KpiDefinition> rest = {
      {"total_cost", "network", "money", "sum over own nodes and kinds, internal purchases excluded",
       "Consolidated cost: every cost of the network's own nodes, penalties included, and what it buys from "
       "suppliers outside it (cost_purchase); purchases between its own nodes are internal transfers."},
      {"profit", "network", "money", "revenue - (total_cost - cost_backorder - cost_lost_sale)",
       "Consolidated profit: end-customer revenue minus the costs paid in cash (penalties are economic "
       "costs and are left out, as at the nodes)."},
      {"cash_end", "network", "money", "sum over own nodes of cash at the horizon",
       "The network's own nodes' cash at the end of the run, added up (suppliers outside the network "
       "excluded: paying them is cash out; payments in transit are in nobody's cash)."},
      {"cash_change", "network", "money", "sum over own nodes of cash_change",
       "Change of the own nodes' cash from the end of the warm-up to the horizon."},
      {"inventory_value_end", "network", "money", "sum over own nodes of inventory_value_end",
       "The ending inventory of every own node at the products' salvage_value (unit_cost unless given; "
       "suppliers' unlimited sources excluded; units in transit are in nobody's stock; units a supplier "
       "outside the network still owns on consignment are its own)."},
      {"inventory_turns", "network", "turns", "COGS / mean inventory value",
       "Inventory velocity of the whole network over the measured span T: the cost of goods sold (units "
       "delivered to end customers at their unit_cost) over the time-average value of the stock on hand in "
       "all its own stocks (at unit_cost). Per year: x (a year / T)."},
      {"inventory_turns_units", "network", "turns", "units sold / on_hand_mean",
       "The same in units: units delivered to end customers over the network's time-average units on hand."},
      {"days_of_supply", "network", "time units", "mean inventory value / (COGS / T)",
       "How long the network's stock on hand would last at the rate it sells, in the scenario's time unit "
       "(the network's DIO). inventory_turns x days_of_supply = T."},
      {"flow_time", "network", "time units", "(on_hand_mean + in transit) / (units sold / T)",
       "Little's law for the network: the average time a unit spends in it, on a shelf or on a lane, from "
       "units on hand plus in transit (time-averages, all lanes) over the rate end customers take them. "
       "Work in production is not counted."},
      {"cash_to_cash", "network", "time units", "days_of_supply + 0 - DPO to suppliers outside",
       "The consolidated cash-to-cash cycle: the network's days of supply, plus its days of sales outstanding "
       "(0: end customers pay in cash), less its days payable to suppliers outside it (their open invoices, "
       "time-averaged, over what it buys from them per time unit); an undefined term counts as 0."},
      {"bullwhip_amplification", "network", "ratio", "Var(top orders per bucket) / Var(end demand per bucket)",
       "Variance amplification from end demand to the top of the chain: the units ordered (or production "
       "requested) by the top stocks (stocks of a product end customers buy that are produced or bought "
       "from suppliers only), against end-customer demand, both summed over all such stocks and over "
       "consecutive buckets of R periods, R the least common multiple of the top stocks' review periods "
       "(1 for continuous review); sample variances; undefined when end demand does not vary."},
  };
  d.insert(d.end(), rest.begin(), rest.end());
  return d;
}

std::vector<KpiDefinition> stock_definitions() {
  return {
      {"fill_rate", "stock", "share", "sum(met at once) / sum(demand)",
       "Units met from stock at the instant they were demanded (in any zero-delay pass of that instant) "
       "over units demanded: end-customer demand, orders from downstream stocks and components wanted by "
       "production. Demand served later, or lost, is not met at once. Undefined without demand."},
      {"ready_rate", "stock", "share", "#{k: on_hand_k > 0} / n",
       "Share of the measured periods that end without a stock-out, i.e. with stock on hand at the end "
       "of the period (a period that ends with nothing on hand is a stock-out period; with backorders "
       "that is net inventory <= 0). Read at period ends, not averaged over time."},
      {"cycle_service_level", "stock", "share", "1 - short cycles / cycles",
       "Share of replenishment cycles without a stock-out. A cycle runs from a period with a receipt to "
       "the period before the next receipt (a review that orders nothing starts no cycle); it is short "
       "when any of its periods ends with backlog or loses a sale. Only cycles that start after the "
       "warm-up and end before the horizon count; undefined without two receipts."},
      {"out_of_stock_share", "stock", "share", "time with on hand 0 / T",
       "Time out of stock: the share of the measured time the stock had nothing on hand (exact, between "
       "boundaries too)."},
      {"backorder_free_share", "stock", "share", "periods ending with backlog 0 / n",
       "The share of measured periods that end owing nothing (no backorders, downstream orders included)."},
      {"backorders_mean", "stock", "units", "integral(backlog) / T",
       "Time-average backlog: units owed to end customers and downstream stocks."},
      {"backorders_max", "stock", "units", "max_k backlog_k", "Largest end-of-period backlog."},
      {"lost_sales", "stock", "units", "sum_k lost_k",
       "End-customer demand lost (customers who do not wait and were not served at the instant they came)."},
      {"on_hand_mean", "stock", "units", "integral(on hand) / T", "Time-average stock on hand."},
      {"position_mean", "stock", "units", "sum_k position_k / n",
       "Mean end-of-period inventory position, on hand + on order - backlog (- production need for a component), read after the period's "
       "review (so a base-stock S position reads S)."},
      {"pipeline_mean", "stock", "units", "sum_k on_order_k / n",
       "Mean end-of-period supply line: units ordered or requested and not yet received (orders "
       "travelling, backlogged at the seller, in transit, in production). With whole-period lead times "
       "it equals orders_mean x order_lead_time_mean (Little's law); for fractional lead times use the "
       "lane's time-average in_transit_mean."},
      {"demand_mean", "stock", "units/period", "sum_k demand_k / n",
       "Units demanded per period (end customers, downstream orders, components)."},
      {"orders_mean", "stock", "units/period", "sum_k ordered_k / n",
       "Units ordered (or production requested) per period."},
      {"bullwhip_ratio", "stock", "ratio", "Var(ordered per bucket) / Var(demand per bucket)",
       "This stage alone: the variance of the units this stock ordered over the variance of the units "
       "demanded from it (the orders it received), both "
       "summed over consecutive buckets of R periods from the start of measurement (R the review "
       "period; 1 for continuous review; a trailing part-bucket is dropped). A bucket without an order "
       "counts 0. Continuous-time demand counts in the period it arrives in. Sample variances (divisor "
       "buckets - 1); undefined when demand does not vary. Upstream stages of a chain can have smaller "
       "ratios than downstream ones while amplifying more in all: see bullwhip_cumulative."},
      {"bullwhip_cumulative", "stock", "ratio", "Var(ordered per bucket) / Var(end demand served per bucket)",
       "The chain up to this stage: the variance of the units this stock ordered over the variance of "
       "the end-customer demand it serves (the customer demand at this stock and at every stock that "
       "buys the same product from it, directly or through others), in the same buckets as "
       "bullwhip_ratio. At a stage whose only demand is end customers' it equals bullwhip_ratio; "
       "upstream it grows with every stage that amplifies. Undefined for stocks that serve no end "
       "customer, or when end demand does not vary."},
      {"inventory_turns", "stock", "turns", "sum_k shipped_k / on_hand_mean",
       "Inventory velocity over the measured span: units shipped (to customers, downstream and into "
       "production) over the time-average on hand. inventory_turns x days_of_supply = T."},
      {"days_of_supply", "stock", "time units", "on_hand_mean / (sum_k shipped_k / T)",
       "Time the average stock on hand lasts at the average rate of shipping."},
      {"order_lead_time_mean", "stock", "time units", "mean over completed orders of (received - placed)",
       "Order-to-delivery time of this stock's orders: from placing an order to receiving its last unit, "
       "each order counted once when it completes after the warm-up (orders still open at the horizon do "
       "not count: see open_orders_end)."},
      {"order_lead_time_p95", "stock", "time units", "min{x: #{orders with time <= x} >= 0.95 #orders}",
       "95th percentile of the same order-to-delivery times (the smallest time at least 95% of orders "
       "took no longer than)."},
      {"open_orders_end", "stock", "orders", "number of this stock's orders not complete at the horizon",
       "Orders placed and not yet wholly received when the run ends: the lead-time KPIs leave them out "
       "(they are censored), so a large count next to a short order_lead_time_mean says the slow orders "
       "are still on their way."},
      {"open_order_age_max", "stock", "time units", "horizon - placed, for the oldest open order",
       "How long the oldest order still open at the horizon has waited; undefined when none is open."},
      {"customer_wait_mean", "stock", "time units", "sum(units x wait) / sum(units served)",
       "Unit-weighted mean wait of end-customer demand served after the warm-up, from arrival to being "
       "served (0 when served at once; lost demand is not served)."},
      {"customer_wait_p95", "stock", "time units", "min{w: units served with wait <= w >= 0.95 units served}",
       "95th percentile of the end-customer wait, weighted by units."},
  };
}

// Each node's own books.
std::vector<KpiDefinition> node_definitions() {
  return {
      {"revenue", "node", "money", "sum_k revenue_k",
       "Sales: end customers at the retail price (cash), downstream nodes at the lane price (an invoice, "
       "booked when shipped), net of early-payment discounts given."},
      {"cost_holding", "node", "money", "sum over stocks of holding_cost x integral(on hand)",
       "Holding cost, paid in cash."},
      {"cost_backorder", "node", "money", "sum over stocks of backorder_cost x integral(backlog)",
       "Backorder penalty (an economic cost: no cash moves)."},
      {"cost_lost_sale", "node", "money", "lost_sale_cost x units lost",
       "Lost-sale penalty (an economic cost: no cash moves)."},
      {"cost_ordering", "node", "money", "ordering_cost x order lines",
       "Fixed cost per order line placed (and per production request), paid in cash."},
      {"cost_transport", "node", "money", "per shipment + per unit, on the lanes it ships on",
       "Transport cost, paid in cash by the seller."},
      {"cost_production", "node", "money", "production cost x units started", "Production cost, paid in cash."},
      {"cost_purchase", "node", "money", "sum of invoices received - discounts taken",
       "Purchases: invoices from suppliers, booked when the invoice arrives, net of early-payment "
       "discounts taken (paid on the node's payment terms)."},
      {"cost_material", "node", "money", "material_cost x units shipped",
       "A supplier's own cost of the units it ships, paid in cash."},
      {"cost_returns", "node", "money", "refunds + scrap cost", "Refunds of customer returns and scrap costs, in cash."},
      {"cost_waste", "node", "money", "disposal_cost x units expired",
       "Disposing of the node's expired perishable units, in cash (docs/perishables.md); the goods' own value "
       "was paid when they were bought or made. Reported only when the scenario has perishable products."},
      {"cost_customers", "node", "money", "acquisition + cost to serve",
       "What the customer segments cost besides the goods, in cash: acquisition and the per-customer cost to "
       "serve at a segment's home node (its first channel's), the per-order and per-unit costs at the channel's "
       "node. Reported only when the scenario has customer segments (as at the network)."},
      {"total_cost", "node", "money", "sum over kinds", "All costs of the node, penalties and purchases included."},
      {"profit", "node", "money", "revenue - (total_cost - cost_backorder - cost_lost_sale)",
       "Revenue minus every cost but the backorder and lost-sale penalties."},
      {"cash_end", "node", "money", "cash at the horizon", "Cash at the end of the run."},
      {"inventory_value_end", "node", "money",
       "sum over stocks of on hand at the horizon * salvage_value - consigned in + consigned out",
       "Ending inventory valued at the product's salvage_value, its unit_cost unless the scenario gives "
       "one: what the stock left at the horizon is worth (profit does not count it; add it for a "
       "closing balance). On the owner's books: units on hand that a seller still owns on consignment "
       "count at the seller, not here (consigned_value_end)."},
      {"cash_change", "node", "money", "cash at the horizon - cash at the end of the warm-up",
       "Change of cash over the measured span (from the initial cash when there is no warm-up)."},
      {"dio", "node", "time units", "mean_k stock value_k / (sum(shipped x unit_cost) / T)",
       "Days inventory outstanding: mean end-of-period stock value (unit cost) over the cost of goods "
       "shipped per time unit, over the node's stocks."},
      {"dso", "node", "time units", "mean_k receivables_k / (revenue / T)",
       "Days sales outstanding: mean end-of-period receivables over revenue per time unit."},
      {"dpo", "node", "time units", "mean_k payables_k / (cost_purchase / T)",
       "Days payables outstanding: mean end-of-period payables over purchases per time unit."},
      {"cash_to_cash", "node", "time units", "dio + dso - dpo",
       "The cash-to-cash cycle; an undefined term (nothing shipped, sold or bought) counts as 0."},
  };
}

std::vector<KpiDefinition> lane_definitions() {
  return {
      {"shipped", "lane", "units", "sum_k shipped_k", "Units dispatched on the lane over the measured span."},
      {"in_transit_mean", "lane", "units", "integral(in transit) / T",
       "Time-average units in transit on the lane (the pipeline of Little's law: shipping rate x mean "
       "transit time)."},
      {"transit_time_mean", "lane", "time units", "sum(units x transit time) / units delivered",
       "Unit-weighted mean transit time of the units delivered in the measured span."},
  };
}

// Customer segments (docs/customers.md): A_k the active customers of period
// k, counts of a period's transitions at its start, units and orders ended
// (met or lost) in the measured span.
std::vector<KpiDefinition> segment_definitions() {
  return {
      {"active_mean", "segment", "customers", "sum_k A_k / n", "Mean active customers over the measured periods."},
      {"active_end", "segment", "customers", "A_{H-1}", "Active customers in the last period."},
      {"acquired", "segment", "customers", "sum_k acquired_k", "New customers over the measured span."},
      {"won_back", "segment", "customers", "sum_k won_back_k", "Churned customers who came back."},
      {"churned_service", "segment", "customers", "sum_k churned_service_k",
       "Customers who left for the service they got (the churn model's part)."},
      {"churned_intrinsic", "segment", "customers", "sum_k churned_intrinsic_k",
       "Customers who left whatever the service (the intrinsic hazard)."},
      {"churn_rate", "segment", "share per period", "sum_k churned_k / sum_k A_{k-1}",
       "Customers who left at a period's start over the customers active in the period before, pooled over "
       "the measured periods: the per-period churn probability."},
      {"retention_rate", "segment", "share per period", "1 - churn_rate", "The per-period retention probability."},
      {"cohort_retained", "segment", "share", "cohort_{H-1} / A_0",
       "Of the customers active at time 0, the share still active in the last period (cohort retention; the "
       "lifetime value measured from the run is censored at the horizon by this much)."},
      {"orders", "segment", "orders", "sum_k orders_k", "Orders placed over the measured span."},
      {"demand", "segment", "units", "sum_k units_k", "Units ordered over the measured span."},
      {"fill_rate", "segment", "share", "units met at once / units ended",
       "The segment's own fill rate: units met at the instant they were ordered over units that ended (met or "
       "lost) in the measured span."},
      {"otif", "segment", "share", "units met within promised_lead_time / units ended",
       "On time in full: units met within the segment's promised lead time over units that ended."},
      {"wait_mean", "segment", "time units", "sum(units x wait) / units met",
       "Unit-weighted mean wait of the units met (0 for those met at once)."},
      {"lost_stockout", "segment", "units", "sum of units lost for want of stock",
       "Units lost because the stock could not meet them at once and the customer would not wait."},
      {"lost_outage", "segment", "units", "sum of units lost while the node was down",
       "Units lost while the channel's node was down (a what-if outage)."},
      {"lost_patience", "segment", "units", "sum of units lost after waiting `patience`",
       "Units whose customers waited as long as their patience and left."},
      {"share_of_wallet", "segment", "share", "units met / units ended",
       "The share of what the segment wanted that it bought here (a lost unit is bought elsewhere)."},
      {"revenue", "segment", "money", "sum of units met x price x price_factor", "The segment's sales."},
      {"gross_margin", "segment", "money", "revenue - units met x unit_cost", "Sales less the goods' value."},
      {"cost_to_serve", "segment", "money", "per_order x orders + per_unit x units met + per_customer x sum_k A_k",
       "What serving the segment cost besides the goods."},
      {"acquisition_cost", "segment", "money", "acquired x acquisition.cost", "What acquiring customers cost."},
      {"profit", "segment", "money", "gross_margin - cost_to_serve - acquisition_cost",
       "The segment's contribution."},
      {"lifetime_value", "segment", "money", "sum_k (1+d)^-k cohort_k (m_k / A_k) / A_0",
       "Measured from the run: the discounted margin less cost to serve (m_k, period k's gross margin less cost "
       "to serve) per active customer, earned by the customers active at time 0 while they stayed, per customer "
       "of that cohort, from period 0 to the horizon (censored: see cohort_retained); d the discount_rate."},
      {"lifetime_value_formula", "segment", "money", "m (1+d) / (1+d-r)",
       "The geometric closed form for chainsim's timing (a period's margin before that period's churn), with m "
       "the measured margin less cost to serve per active customer per period and r the measured "
       "retention_rate; undefined when r = 1 and d = 0 (docs/customers.md derives it)."},
      {"customer_equity", "segment", "money", "active_end x lifetime_value_formula",
       "What the customers active at the end are worth over their lifetimes."},
      {"acquisition_value", "segment", "money", "lifetime_value_formula - acquisition.cost",
       "What acquiring one more customer is worth, net of its acquisition cost."},
  };
}

// Reported only when the scenario has perishable products (docs/perishables.md).
std::vector<KpiDefinition> perishable_definitions() {
  return {
      {"expired", "network", "units", "sum over stocks of expired",
       "Perishable units outdated anywhere in the network (only when the scenario has perishable products)."},
      {"waste_value", "network", "money", "sum over stocks of expired x (unit_cost + disposal_cost)",
       "What outdating cost: the expired units at their unit cost, plus disposing of them (only when the "
       "scenario has perishable products)."},
      {"expired", "stock", "units", "sum_k expired_k",
       "Perishable units outdated at this stock (docs/perishables.md): on the shelf when their shelf life ran "
       "out, or arriving already outdated. Reported for stocks of perishable products only."},
      {"waste_share", "stock", "share", "expired / (expired + shipped)",
       "The share of the units that left this stock's shelf as waste rather than shipped, sold or used "
       "(perishable products only)."},
  };
}

// Reported only for stocks that buy on a consignment lane (docs/finance.md, consignment).
std::vector<KpiDefinition> consignment_definitions() {
  return {{"consigned_mean", "stock", "units", "(1/n) sum_k consigned_avg_k",
           "Mean units on hand that a seller still owns (bought on a consignment lane, not yet used): on the "
           "seller's books, invoiced when used. Reported for stocks with a consignment source only."},
          {"consigned_value_end", "node", "money", "sum over its buyers' stocks of its consigned units * salvage_value",
           "The part of this seller's inventory_value_end on hand at its buyers on consignment at the horizon "
           "(docs/finance.md). Reported for nodes that sell on a consignment lane only."}};
}

// Reported only when the scenario has a returns centre (docs/returns.md).
std::vector<KpiDefinition> recovery_definitions() {
  std::vector<KpiDefinition> d = {
      {"returned", "network", "units", "sum over stocks of returned",
       "Units end customers sent back, wherever they went (only with a returns centre)."},
      {"return_rate", "network", "share", "returned / units sold to end customers",
       "The share of what end customers bought that they sent back in the same window."},
      {"graded", "network", "units", "sum over returns centres of units graded",
       "Returns that reached a returns centre and were graded."},
  };
  for (std::size_t k = 0; k < kRecoveryRoutes; ++k) {
    const std::string route(enum_names<RecoveryRoute>()[k]);
    const auto r = static_cast<RecoveryRoute>(k);
    d.push_back({"route_" + route, "network", "share", "units put on route " + route + " / graded",
                 r == RecoveryRoute::kScrap ? std::string("The share of graded units scrapped: the scrap route's and "
                                                          "those a line rejected.")
                 : r == RecoveryRoute::kVendor
                     ? std::string("The share of graded units sent back to their vendor for a credit note.")
                     : "The share of graded units the centres sent to " + route +
                           (restocks(r) ? " (that came out good)." : ".")});
  }
  d.push_back({"recovery_rate", "network", "share", "1 - route_scrap",
               "The share of graded units put to use again: back in stock or sold to a recycler."});
  d.push_back({"restocked_recovered", "network", "units", "sum of recovered units that reached their stock",
               "Units the returns centres put back into stock (as new, refurbished or remanufactured)."});
  d.push_back({"restock_time_mean", "network", "time units", "sum units x (restocked - graded) / restocked_recovered",
               "Mean time from grading at the centre to back in stock: a line's queue and the route's lead time."});
  d.push_back({"value_recovered", "network", "money",
               "restocked_recovered x unit_cost + recycler cash + vendors' credit notes",
               "What the reverse flow got back: recovered units at their unit cost, plus what recyclers paid and "
               "the credit notes vendors sent for units returned to them (when they arrived)."});
  d.push_back({"reverse_cost", "network", "money", "inspection + route costs + scrapping, at the centres",
               "What running the returns centres cost, in cost_returns beside the refunds (before vendors' credit "
               "notes, which lower the centres' cost_returns)."});
  return d;
}

// Reported only when the scenario's nodes name their firms (docs/finance.md, firms).
std::vector<KpiDefinition> firm_definitions() {
  std::vector<KpiDefinition> d = {
      {"revenue", "firm", "money", "end-customer sales + sales to other firms",
       "The firm's consolidated revenue: what its nodes sell to end customers and invoice to nodes of other "
       "firms, net of early-payment discounts given. Sales between its own nodes are internal."},
      {"intercompany_sales", "firm", "money", "sum of invoices to other firms' nodes - discounts given",
       "The part of the firm's revenue that comes from other firms of the network."},
  };
  for (int k = 0; k < kCostKinds; ++k) {
    const auto kind = static_cast<CostKind>(k);
    const std::string name = cost_kind_name(kind);
    d.push_back({"cost_" + name, "firm", "money",
                 kind == CostKind::kPurchase ? "invoices from other firms and outside suppliers - discounts taken"
                                             : "sum over its nodes of cost_" + name,
                 kind == CostKind::kPurchase
                     ? "What the firm buys from outside itself: invoices from other firms' nodes and from suppliers "
                       "outside the network, net of discounts taken. Purchases between its own nodes are internal."
                     : "Its nodes' costs of this kind, added up (reported as at the network: cost_customers with "
                       "customer segments, cost_waste with perishable products)."});
  }
  const std::vector<KpiDefinition> rest = {
      {"total_cost", "firm", "money", "sum over kinds, internal purchases excluded",
       "The firm's consolidated cost, penalties included."},
      {"profit", "firm", "money", "revenue - (total_cost - cost_backorder - cost_lost_sale)",
       "The firm's consolidated profit. With every node in one firm it is the network's profit; split into "
       "firms, the firms' profits add up to the network's, less the invoices still travelling at the horizon."},
      {"cash_end", "firm", "money", "sum over its nodes of cash_end", "The firm's cash after the last period."},
      {"cash_change", "firm", "money", "sum over its nodes of cash_change",
       "The change in the firm's cash over the measured span."},
  };
  d.insert(d.end(), rest.begin(), rest.end());
  return d;
}

std::vector<KpiDefinition> make_definitions() {
  std::vector<KpiDefinition> d;
  for (auto part : {network_definitions, stock_definitions, node_definitions, lane_definitions, segment_definitions,
                    perishable_definitions, recovery_definitions, consignment_definitions,
                    firm_definitions}) {
    const std::vector<KpiDefinition> more = part();
    d.insert(d.end(), more.begin(), more.end());
  }
  return d;
}

}  // namespace

const std::vector<KpiDefinition>& kpi_definitions() {
  static const std::vector<KpiDefinition> defs = make_definitions();
  return defs;
}

const KpiDefinition* find_kpi_definition(const std::string& scope, const std::string& kpi) {
  for (const KpiDefinition& d : kpi_definitions()) {
    if (d.kpi == kpi && d.scope == scope) return &d;
  }
  return nullptr;
}

std::string kpi_reference_markdown() {
  std::string out;
  const char* titles[][2] = {{"network", "The network"}, {"stock", "Stock points (`node/product`)"},
                             {"node", "Nodes"}, {"lane", "Lanes"}, {"segment", "Customer segments"},
                             {"firm", "Firms (only when the nodes name their firms; docs/finance.md)"}};
  for (const auto& [scope, title] : titles) {
    out += fmt::format("### {}\n\n| KPI | unit | formula | definition |\n| --- | --- | --- | --- |\n", title);
    for (const KpiDefinition& d : kpi_definitions()) {
      if (d.scope != scope) continue;
      out += fmt::format("| `{}` | {} | `{}` | {} |\n", d.kpi, d.unit, d.formula, d.definition);
    }
    out += "\n";
  }
  return out;
}

}  // namespace chainsim::models
