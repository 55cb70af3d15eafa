// Order up to S: base_stock, R_S (the same rule at its review period),
// echelon_base_stock (on the echelon position) and make_to_order (S = 0:
// order what is owed and not yet covered).
#include <fmt/core.h>

#include "models/chain/detail/parameters.h"
#include "models/chain/policy.h"

namespace chainsim::models {

namespace {

using detail::require;

class BaseStock final : public ReplenishmentPolicy {
 public:
  BaseStock(double S, bool echelon, std::string name) : S_(S), echelon_(echelon), name_(std::move(name)) {}
  Qty order(const PolicyView& v) override { return S_ - (echelon_ ? v.echelon_position : v.position); }
  bool set_parameter(std::string_view name, double value, double* old) override {
    return detail::set_named(name, "S", S_, value, old);
  }
  bool needs_echelon_position() const override { return echelon_; }
  std::string describe() const override { return fmt::format("{}(S={})", name_, S_); }

 private:
  double S_;
  bool echelon_;
  std::string name_;
};

void check_level(const PolicySpec& s, std::vector<std::string>& problems) {
  require(detail::finite(s.S), problems, "S must be finite");
}
void check_nothing(const PolicySpec&, std::vector<std::string>&) {}

std::unique_ptr<ReplenishmentPolicy> make_level(const PolicySpec& s) {
  return std::make_unique<BaseStock>(s.S, s.type == PolicyType::kEchelonBaseStock, std::string(name_of(s.type)));
}
std::unique_ptr<ReplenishmentPolicy> make_to_order(const PolicySpec&) {
  return std::make_unique<BaseStock>(0.0, false, "make_to_order");
}

}  // namespace

const PolicyBehaviour base_stock_policy{"S − IP", true, true, check_level, make_level};
const PolicyBehaviour R_S_policy{"S − IP, every R periods", false, true, check_level, make_level};
const PolicyBehaviour echelon_base_stock_policy{"S − IP<sub>echelon</sub>", false, true, check_level, make_level};
const PolicyBehaviour make_to_order_policy{"BL − OH − OO", true, true, check_nothing, make_to_order};

}  // namespace chainsim::models
