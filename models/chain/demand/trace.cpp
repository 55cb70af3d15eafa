// A demand trace: the values of a CSV file (read by the scenario loader) or
// given inline, one per period; after the last, the trace again, zero, or
// the last value. Not random: it draws nothing from its stream.
#include <cmath>
#include <fmt/core.h>

#include "models/chain/demand.h"

namespace chainsim::models {

namespace {

class Trace final : public PeriodDemand {
 public:
  Trace(std::vector<double> values, AfterTrace after) : v_(std::move(values)), after_(after) {}
  double mean(std::int64_t k) const override {
    const auto i = static_cast<std::size_t>(k);
    if (i < v_.size()) return v_[i];
    if (after_ == AfterTrace::kZero) return 0.0;
    if (after_ == AfterTrace::kRepeat) return v_[i % v_.size()];
    return v_.back();
  }
  double draw(std::int64_t k, sim::RandomStream&, double multiplier) override { return mean(k) * multiplier; }
  bool random() const override { return false; }
  std::string describe() const override {
    return fmt::format("trace({} periods, then {})", v_.size(), name_of(after_));
  }

 private:
  std::vector<double> v_;
  AfterTrace after_;
};

// The values: inline, else those read from the file.
const std::vector<double>& values_of(const DemandSpec& s) { return s.values.empty() ? s.trace : s.values; }

void check(const DemandSpec& s, std::vector<Problem>& p) {
  if (values_of(s).empty()) {
    p.push_back({"", s.file.empty() ? "trace needs a file or values"
                                    : "the trace file '" + s.file + "' was not read: give its values (the scenario "
                                      "loader reads trace files, models/scenario/traces.h)"});
    return;
  }
  for (double v : values_of(s)) {
    if (!(std::isfinite(v) && v >= 0)) {
      p.push_back({"", fmt::format("trace value must be >= 0 (got {})", v)});
      return;  // the first stands for the trace
    }
  }
}

std::unique_ptr<PeriodDemand> make(const DemandSpec& s) {
  return std::make_unique<Trace>(values_of(s), s.after_trace);
}

}  // namespace

const DemandBehaviour trace_process{true, check, make};

}  // namespace chainsim::models
