#include "models/chain/demand.h"

#include <cmath>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace chainsim::models {

namespace {

using sim::Distribution;
using sim::RandomStream;

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

// A fixed distribution every period (constant, poisson, normal truncated at
// zero, negative binomial, uniform, or any distribution).
class Stationary final : public PeriodDemand {
 public:
  explicit Stationary(Distribution d) : d_(std::move(d)), scaled_(d_), factor_(1.0) {}
  double draw(std::int64_t, RandomStream& rng, double multiplier) override {
    if (multiplier != factor_) {
      scaled_ = d_.scaled(multiplier);
      factor_ = multiplier;
    }
    return std::max(0.0, scaled_.sample(rng));
  }
  double mean(std::int64_t) const override { return d_.mean(); }
  std::string describe() const override { return d_.describe(); }

 private:
  Distribution d_;
  Distribution scaled_;
  double factor_;
};

// A mean that varies by period (step, seasonal), with Poisson, normal or no
// noise around it.
class VaryingMean final : public PeriodDemand {
 public:
  VaryingMean(const DemandSpec& s) : s_(s) {}
  double mean(std::int64_t k) const override {
    if (s_.type == "step") return k < s_.at ? s_.before : s_.after;
    const double angle = 2.0 * std::numbers::pi * (static_cast<double>(k) - s_.phase) / s_.cycle;
    return std::max(0.0, s_.mean * (1.0 + s_.amplitude * std::sin(angle)));
  }
  double draw(std::int64_t k, RandomStream& rng, double multiplier) override {
    const double m = mean(k) * multiplier;
    const double u = rng.uniform01();  // always one uniform, whatever the noise
    if (s_.noise == "poisson") return sim::poisson_quantile(u, m);
    if (s_.noise == "normal") {
      const double sd = s_.cv * m;
      return sd > 0 ? std::max(0.0, sim::normal_quantile(u, m, sd)) : m;
    }
    return m;
  }
  std::string describe() const override {
    if (s_.type == "step") {
      return fmt::format("step({} -> {} at period {}, {} noise)", s_.before, s_.after, s_.at, s_.noise);
    }
    return fmt::format("seasonal(mean={}, amplitude={}, cycle={}, {} noise)", s_.mean, s_.amplitude,
                       s_.cycle, s_.noise);
  }

 private:
  DemandSpec s_;
};

// AR(1): D_k = mean + phi (D_{k-1} - mean) + e_k with e_k ~ N(0, sd), clipped
// at zero for the order but not in the recursion (so the process keeps its
// stationary moments).
class AutoRegressive final : public PeriodDemand {
 public:
  AutoRegressive(double mean, double phi, double sd) : mean_(mean), phi_(phi), sd_(sd), level_(mean) {}
  double draw(std::int64_t, RandomStream& rng, double multiplier) override {
    const double e = sim::normal_quantile(rng.uniform01(), 0.0, sd_);
    level_ = mean_ + phi_ * (level_ - mean_) + e;
    return std::max(0.0, level_ * multiplier);
  }
  double mean(std::int64_t) const override { return mean_; }
  std::string describe() const override {
    return fmt::format("ar1(mean={}, phi={}, sd={})", mean_, phi_, sd_);
  }

 private:
  double mean_, phi_, sd_, level_;
};

class Trace final : public PeriodDemand {
 public:
  Trace(std::vector<double> values, std::string after) : v_(std::move(values)), after_(std::move(after)) {}
  double mean(std::int64_t k) const override {
    const auto i = static_cast<std::size_t>(k);
    if (i < v_.size()) return v_[i];
    if (after_ == "zero") return 0.0;
    if (after_ == "repeat") return v_[i % v_.size()];
    return v_.back();
  }
  double draw(std::int64_t k, RandomStream&, double multiplier) override { return mean(k) * multiplier; }
  std::string describe() const override {
    return fmt::format("trace({} periods, then {})", v_.size(), after_);
  }

 private:
  std::vector<double> v_;
  std::string after_;
};

}  // namespace

const std::vector<std::string>& demand_types() {
  static const std::vector<std::string> types = {
      "constant", "poisson", "normal", "negative_binomial", "uniform",      "step",
      "seasonal", "ar1",     "trace",  "distribution",      "arrivals"};
  return types;
}

std::vector<double> read_trace(const std::string& path, const std::string& column) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot open demand trace " + path);
  std::vector<double> values;
  std::string line;
  int line_no = 0;
  int col = -1;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    auto parse = [&](const std::string& text, double& out) {
      try {
        std::size_t used = 0;
        out = std::stod(text, &used);
        return used == text.size() && std::isfinite(out);
      } catch (const std::exception&) {
        return false;
      }
    };
    if (col < 0) {
      double probe = 0;
      if (column.empty() && cells.size() == 1 && parse(cells[0], probe)) {
        col = 0;  // headerless single column
      } else {
        for (std::size_t i = 0; i < cells.size(); ++i) {
          if (cells[i] == column || (column.empty() && cells.size() == 1)) col = static_cast<int>(i);
        }
        if (col < 0) {
          throw std::invalid_argument(fmt::format(
              "{}:{}: demand trace has no column '{}' (header: {})", path, line_no, column, line));
        }
        continue;  // header line
      }
    }
    double v = 0;
    if (static_cast<std::size_t>(col) >= cells.size() || !parse(cells[static_cast<std::size_t>(col)], v) || v < 0) {
      throw std::invalid_argument(fmt::format("{}:{}: demand trace value must be a number >= 0 (got '{}')",
                                              path, line_no, line));
    }
    values.push_back(v);
  }
  if (values.empty()) throw std::invalid_argument("demand trace " + path + " has no values");
  return values;
}

std::unique_ptr<PeriodDemand> make_period_demand(const DemandSpec& s, const std::string& base_dir) {
  const std::string& t = s.type;
  auto nonneg = [](double x, const char* name) {
    require(std::isfinite(x) && x >= 0, fmt::format("{} must be >= 0 (got {})", name, x));
  };
  if (t == "constant") {
    nonneg(s.value, "value");
    return std::make_unique<Stationary>(Distribution::constant(s.value));
  }
  if (t == "poisson") {
    nonneg(s.mean, "mean");
    return std::make_unique<Stationary>(Distribution::poisson(s.mean));
  }
  if (t == "normal") {
    nonneg(s.mean, "mean");
    nonneg(s.sd, "sd");
    // Demand cannot be negative: normal truncated at zero (conditioned), or a
    // point mass when sd is 0.
    return std::make_unique<Stationary>(s.sd > 0 ? Distribution::truncated_normal(s.mean, s.sd, 0.0)
                                                 : Distribution::constant(s.mean));
  }
  if (t == "negative_binomial") {
    return std::make_unique<Stationary>(Distribution::negative_binomial_mean_var(s.mean, s.variance));
  }
  if (t == "uniform") {
    nonneg(s.low, "low");
    require(s.high >= s.low, fmt::format("high must be >= low (got low={}, high={})", s.low, s.high));
    nonneg(s.high, "high");
    // Whole bounds beyond 2^53 would overflow the integer conversion; doubles
    // there are all whole anyway, so the continuous uniform is the same thing.
    const bool integers =
        s.low == std::floor(s.low) && s.high == std::floor(s.high) && s.high <= 0x1p53;
    return std::make_unique<Stationary>(
        integers ? Distribution::uniform_int(static_cast<long long>(s.low), static_cast<long long>(s.high))
                 : Distribution::uniform(s.low, s.high));
  }
  if (t == "distribution") {
    require(s.distribution.is_nonnegative(),
            "demand distribution must not produce negative values (got " + s.distribution.describe() + ")");
    return std::make_unique<Stationary>(s.distribution);
  }
  if (t == "step" || t == "seasonal") {
    require(s.noise == "poisson" || s.noise == "normal" || s.noise == "none",
            "noise must be poisson, normal or none (got " + s.noise + ")");
    if (t == "step") {
      nonneg(s.before, "before");
      nonneg(s.after, "after");
      require(s.at >= 0, fmt::format("at must be >= 0 (got {})", s.at));
    } else {
      nonneg(s.mean, "mean");
      require(s.cycle > 0, fmt::format("cycle must be > 0 (got {})", s.cycle));
      require(std::isfinite(s.amplitude), "amplitude must be finite");
    }
    nonneg(s.cv, "cv");
    return std::make_unique<VaryingMean>(s);
  }
  if (t == "ar1") {
    nonneg(s.mean, "mean");
    nonneg(s.sd, "sd");
    require(std::abs(s.phi) < 1, fmt::format("phi must be in (-1, 1) (got {})", s.phi));
    return std::make_unique<AutoRegressive>(s.mean, s.phi, s.sd);
  }
  if (t == "trace") {
    require(s.after_trace == "repeat" || s.after_trace == "zero" || s.after_trace == "hold_last",
            "after_trace must be repeat, zero or hold_last (got " + s.after_trace + ")");
    std::vector<double> values = s.values;
    if (values.empty()) {
      require(!s.file.empty(), "trace needs a file or values");
      std::filesystem::path p(s.file);
      if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
      values = read_trace(p.string(), s.column);
    }
    for (double v : values) nonneg(v, "trace value");
    return std::make_unique<Trace>(std::move(values), s.after_trace);
  }
  if (t == "arrivals") throw std::invalid_argument("arrivals is not a per-period demand");
  throw std::invalid_argument("unknown demand type " + t);
}

}  // namespace chainsim::models
