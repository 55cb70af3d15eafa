// The semantic checks of a spec: every problem, in one pass, as values.
//
// check_spec runs small checkers in a fixed order (the scenario's own keys,
// the products, each node and its stocks, the bill of materials, each lane,
// each event, each customer segment); each appends what it finds and none stops the others. Values
// outside the ranges the key table declares (models/chain/spec_keys.h) are
// found from the declarations; the checkers add what a range cannot say:
// unknown references, duplicate ids, impossible combinations, and what the
// variant families check of their own parameters (check_policy,
// check_demand, check_action, check_churn).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "models/chain/spec.h"

namespace chainsim::models {

// The most periods x (stocks + lanes) a scenario may ask for: a run records
// each, about 100 bytes apiece with the full time series, so this is about
// 10 GB (a year of days over 100,000 stores and their lanes is 7.3e7).
inline constexpr double kMaxRunCells = 1e8;

// One problem with a spec: the key path (dotted; list items by index, e.g.
// "nodes.2.stocks.0.policy.S") and what is wrong.
struct SpecIssue {
  std::string path;
  std::string message;
};

class SpecError : public std::runtime_error {
 public:
  explicit SpecError(std::vector<SpecIssue> issues);
  const std::vector<SpecIssue>& issues() const noexcept { return issues_; }

 private:
  std::vector<SpecIssue> issues_;
};

// Every semantic problem of the spec, in one pass (empty when it is sound):
// unknown references, duplicate ids, impossible values, bills of materials
// with a cycle, stocks that order with nowhere to order from.
std::vector<SpecIssue> check_spec(const ScenarioSpec& spec);

// What is sound but almost surely not what was meant, for warnings: a
// source of a stock that can never receive an order (under split cheapest or
// fallback, a source behind an unlimited supplier that nothing can take
// down). REQUIRES: check_spec found nothing.
std::vector<SpecIssue> spec_warnings(const ScenarioSpec& spec);

}  // namespace chainsim::models
