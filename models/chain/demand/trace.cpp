// A demand trace: the values of a CSV file, or given inline, one per period;
// after the last, the trace again, zero, or the last value.
#include <cmath>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <sstream>
#include <stdexcept>

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
  std::string describe() const override {
    return fmt::format("trace({} periods, then {})", v_.size(), name_of(after_));
  }

 private:
  std::vector<double> v_;
  AfterTrace after_;
};

// The trace's values: inline, or read from its file. Throws
// std::invalid_argument.
std::vector<double> values_of(const DemandSpec& s, const std::string& base_dir) {
  if (!s.values.empty()) return s.values;
  if (s.file.empty()) throw std::invalid_argument("trace needs a file or values");
  std::filesystem::path p(s.file);
  if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
  return read_trace(p.string(), s.column);
}

void check(const DemandSpec& s, const std::string& base_dir, std::vector<Problem>& p) {
  try {
    for (double v : values_of(s, base_dir)) {
      if (!(std::isfinite(v) && v >= 0)) {
        p.push_back({"", fmt::format("trace value must be >= 0 (got {})", v)});
        return;  // the first stands for the trace
      }
    }
  } catch (const std::invalid_argument& e) {
    p.push_back({"", e.what()});
  }
}

std::unique_ptr<PeriodDemand> make(const DemandSpec& s, const std::string& base_dir) {
  return std::make_unique<Trace>(values_of(s, base_dir), s.after_trace);
}

}  // namespace

std::vector<double> read_trace(const std::string& path, const std::string& column) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot open demand trace " + path);
  std::vector<double> values;
  std::string line;
  int line_no = 0;
  int col = -1;
  auto parse = [](const std::string& text, double& out) {
    try {
      std::size_t used = 0;
      out = std::stod(text, &used);
      return used == text.size() && std::isfinite(out);
    } catch (const std::exception&) {
      return false;
    }
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    if (col < 0) {
      double probe = 0;
      if (column.empty() && cells.size() == 1 && parse(cells[0], probe)) {
        col = 0;  // headerless single column
      } else {
        for (std::size_t i = 0; i < cells.size(); ++i) {
          if (cells[i] == column || (column.empty() && cells.size() == 1)) col = static_cast<int>(i);
        }
        if (col < 0) {
          throw std::invalid_argument(
              fmt::format("{}:{}: demand trace has no column '{}' (header: {})", path, line_no, column, line));
        }
        continue;  // header line
      }
    }
    double v = 0;
    if (static_cast<std::size_t>(col) >= cells.size() || !parse(cells[static_cast<std::size_t>(col)], v) || v < 0) {
      throw std::invalid_argument(
          fmt::format("{}:{}: demand trace value must be a number >= 0 (got '{}')", path, line_no, line));
    }
    values.push_back(v);
  }
  if (values.empty()) throw std::invalid_argument("demand trace " + path + " has no values");
  return values;
}

const DemandBehaviour trace_process{true, check, make};

}  // namespace chainsim::models
