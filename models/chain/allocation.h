// Allocation rules: how a node shares short stock among the orders it owes.
// A rule sees the owed quantities (already capped by what each line can take
// now: lane capacity, a closed lane) and the stock available, and decides how
// much each line gets. Nodes never branch on the rule.
//
//   fifo          oldest line first (the default; backorders filled oldest first)
//   priority      highest priority first, oldest first among equals
//   proportional  every line gets the same share of what it asks; whole units
//                 by largest remainder when all quantities are whole
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/chain/kinds.h"
#include "models/chain/types.h"

namespace chainsim::models {

struct AllocationLine {
  Qty wanted = 0.0;      // what the line can take now (>= 0)
  double priority = 0.0; // higher first (priority rule)
};

class AllocationRule {
 public:
  virtual ~AllocationRule() = default;
  // Fills out[i] with the quantity for lines[i]; sum(out) <= available and
  // out[i] <= lines[i].wanted. `lines` is in backlog order (oldest first).
  virtual void allocate(Qty available, const std::vector<AllocationLine>& lines,
                        std::vector<Qty>& out) const = 0;
};

// The rule of `kind` (allocation_rules.def lists them).
std::unique_ptr<AllocationRule> make_allocation_rule(AllocationKind kind);
// One line on what the rule does, from allocation_rules.def.
std::string_view allocation_rule_doc(AllocationKind kind);

}  // namespace chainsim::models
