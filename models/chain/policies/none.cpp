// none: never orders (a stock that is only drawn down, or replenished by
// vendor-managed inventory from its supplier).
#include "models/chain/policy.h"

namespace chainsim::models {

namespace {

class NoOrders final : public ReplenishmentPolicy {
 public:
  Qty order(const PolicyView&) override { return 0.0; }
  bool set_parameter(std::string_view, double, double*) override { return false; }
  std::string describe() const override { return "none"; }
};

void check(const PolicySpec&, std::vector<std::string>&) {}
std::unique_ptr<ReplenishmentPolicy> make(const PolicySpec&) { return std::make_unique<NoOrders>(); }

}  // namespace

const PolicyBehaviour none_policy{"0", true, false, check, make};

}  // namespace chainsim::models
