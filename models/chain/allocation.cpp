#include "models/chain/allocation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace chainsim::models {

namespace {

void fill_in_order(Qty available, const std::vector<AllocationLine>& lines,
                   const std::vector<std::size_t>& order, std::vector<Qty>& out) {
  for (const std::size_t i : order) {
    const Qty give = std::min(available, lines[i].wanted);
    out[i] = give;
    available -= give;
    if (available <= 0.0) break;
  }
}

class Fifo final : public AllocationRule {
 public:
  void allocate(Qty available, const std::vector<AllocationLine>& lines,
                std::vector<Qty>& out) const override {
    // Every element written (no separate clearing pass): once the stock is
    // used up (available never goes below zero) the rest get zero.
    out.resize(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const Qty give = available > 0.0 ? std::min(available, lines[i].wanted) : 0.0;
      out[i] = give;
      available -= give;
    }
  }
};

class Priority final : public AllocationRule {
 public:
  void allocate(Qty available, const std::vector<AllocationLine>& lines,
                std::vector<Qty>& out) const override {
    out.assign(lines.size(), 0.0);
    std::vector<std::size_t> order(lines.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return lines[a].priority > lines[b].priority;
    });
    fill_in_order(available, lines, order, out);
  }
};

class Proportional final : public AllocationRule {
 public:
  void allocate(Qty available, const std::vector<AllocationLine>& lines,
                std::vector<Qty>& out) const override {
    out.assign(lines.size(), 0.0);
    Qty total = 0.0;
    bool whole = available == std::floor(available);
    for (const auto& l : lines) {
      total += l.wanted;
      whole = whole && l.wanted == std::floor(l.wanted);
    }
    if (total <= available) {
      for (std::size_t i = 0; i < lines.size(); ++i) out[i] = lines[i].wanted;
      return;
    }
    const double share = available / total;
    if (!whole) {
      for (std::size_t i = 0; i < lines.size(); ++i) out[i] = lines[i].wanted * share;
      return;
    }
    // Whole units: floors first, then one more unit to the largest remainders
    // (ties to the older line).
    Qty given = 0.0;
    std::vector<std::pair<double, std::size_t>> rest;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const double exact = lines[i].wanted * share;
      out[i] = std::floor(exact);
      given += out[i];
      rest.emplace_back(exact - out[i], i);
    }
    std::stable_sort(rest.begin(), rest.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [frac, i] : rest) {
      if (given + 1.0 > available) break;
      if (out[i] + 1.0 <= lines[i].wanted) {
        out[i] += 1.0;
        given += 1.0;
      }
    }
  }
};

}  // namespace

std::unique_ptr<AllocationRule> make_allocation_rule(AllocationKind kind) {
  switch (kind) {
#define CHAINSIM_ALLOCATION(id, name, rule, doc) \
  case AllocationKind::id:                       \
    return std::make_unique<rule>();
#include "models/chain/allocation_rules.def"
#undef CHAINSIM_ALLOCATION
  }
  return nullptr;
}

std::string_view allocation_rule_doc(AllocationKind kind) {
  static constexpr std::string_view docs[] = {
#define CHAINSIM_ALLOCATION(id, name, rule, doc) doc,
#include "models/chain/allocation_rules.def"
#undef CHAINSIM_ALLOCATION
  };
  return docs[static_cast<std::size_t>(kind)];
}

}  // namespace chainsim::models
