// price: while the event holds, a lane's price (of the product, or of every
// product) is the event's value, or, without a lane, the retail price of the
// product at every stock that sells it.
#include "models/chain/network.h"
#include "models/chain/what_if.h"

namespace chainsim::models {

namespace {

void check(const ScenarioSpec&, const SpecIndex&, const EventSpec& e, std::vector<Problem>& p) {
  if (e.lane.empty() && e.product.empty()) p.push_back({"", "price needs a lane or a product"});
}

void targets(Network& net, const WhatIfEvent& e, const TargetVisitor& visit) {
  if (e.lane != kNone) {
    Lane& l = net.lane_mut(e.lane);
    for (ProductId p = 0; p < l.price.size(); ++p) {
      if (e.product != kNone && p != e.product) continue;
      visit("price/" + l.name + "/" + std::to_string(p), l.price[p], [&l, p](double v) { l.price[p] = v; });
    }
    return;
  }
  const ProductId p = e.product;
  visit("retail_price/" + std::to_string(p), net.products()[p].price, [&net, p](double v) {
    net.product_mut(p).price = v;
    for (const StockPoint& sp : net.stocks()) {
      if (sp.product == p) net.stock_mut(sp.id).price = v;
    }
  });
}

}  // namespace

const ActionBehaviour price_action{false, false, true, check, targets, nullptr, nullptr};

}  // namespace chainsim::models
