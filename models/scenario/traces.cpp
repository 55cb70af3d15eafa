#include "models/scenario/traces.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/atomic_file.h"
#include "sim/text.h"

namespace chainsim::models {

namespace {

// A trace file's path: as the scenario names it, or relative to its folder.
std::string resolve(const std::string& file, const std::string& base_dir) {
  std::filesystem::path p(file);
  if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
  return p.string();
}

// A demand that reads its values from a file (inline values win over a file).
bool reads_file(const DemandSpec& d) { return d.type == DemandType::kTrace && d.values.empty() && !d.file.empty(); }

bool parse_value(const std::string& text, double& out) {
  try {
    std::size_t used = 0;
    out = std::stod(text, &used);
    return used == text.size() && std::isfinite(out);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::vector<double> read_trace(const std::string& path, const std::string& column) {
  const sim::BoundedRead file = sim::read_regular_file(path, kMaxTraceBytes);
  switch (file.problem) {
    case sim::BoundedRead::Problem::kNone: break;
    case sim::BoundedRead::Problem::kMissing: throw std::invalid_argument("cannot open demand trace " + path);
    default: throw std::invalid_argument("cannot read demand trace " + path + ": " + file.why);
  }
  std::istringstream in(file.text);
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
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    if (col < 0) {
      double probe = 0;
      if (column.empty() && cells.size() == 1 && parse_value(cells[0], probe)) {
        col = 0;  // headerless single column
      } else {
        for (std::size_t i = 0; i < cells.size(); ++i) {
          if (cells[i] == column || (column.empty() && cells.size() == 1)) col = static_cast<int>(i);
        }
        if (col < 0) {
          throw std::invalid_argument(
              fmt::format("{}:{}: demand trace has no column '{}' (header: {})", path, line_no, column,
                          sim::excerpt(line, 40)));
        }
        continue;  // header line
      }
    }
    double v = 0;
    const auto c = static_cast<std::size_t>(col);
    if (c >= cells.size() || !parse_value(cells[c], v) || v < 0 || v > 1e15) {  // 1e15: kMaxMagnitude, exact sums
      throw std::invalid_argument(
          fmt::format("{}:{}: demand trace value must be a number from 0 to 1e15 (got '{}')", path, line_no,
                      sim::excerpt(line, 40)));
    }
    values.push_back(v);
  }
  if (values.empty()) throw std::invalid_argument("demand trace " + path + " has no values");
  return values;
}

std::vector<InputFile> scenario_input_files(const ScenarioSpec& spec, const std::string& base_dir) {
  std::vector<InputFile> out;
  for (const NodeSpec& n : spec.nodes) {
    for (const StockSpec& st : n.stocks) {
      for (const DemandSpec& d : st.demand) {
        if (!reads_file(d)) continue;
        InputFile f{d.file, resolve(d.file, base_dir)};
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(std::move(f));
      }
    }
  }
  return out;
}

std::vector<SpecIssue> load_traces(ScenarioSpec& spec, const std::string& base_dir, const FileScope& scope) {
  std::vector<SpecIssue> issues;
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    for (std::size_t j = 0; j < spec.nodes[i].stocks.size(); ++j) {
      std::vector<DemandSpec>& demand = spec.nodes[i].stocks[j].demand;
      for (std::size_t k = 0; k < demand.size(); ++k) {
        if (!reads_file(demand[k])) continue;
        const std::string path = resolve(demand[k].file, base_dir);
        if (const std::string why = scope.refuse(path); !why.empty()) {
          issues.push_back({fmt::format("nodes.{}.stocks.{}.demand.{}", i, j, k), "trace file '" + path + "' " + why});
          continue;
        }
        try {
          demand[k].trace = read_trace(path, demand[k].column);
        } catch (const std::invalid_argument& e) {
          issues.push_back({fmt::format("nodes.{}.stocks.{}.demand.{}", i, j, k), e.what()});
        }
      }
    }
  }
  return issues;
}

}  // namespace chainsim::models
