// Allocation rules (models/chain/allocation.h): who gets short stock. Every expected
// split is worked out by hand in the comments beside it.
#include "models/chain/allocation.h"

#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

using namespace chainsim::models;

namespace {

// Lines in backlog order (oldest first) wanting these quantities, priority 0.
std::vector<AllocationLine> lines(const std::vector<Qty>& wanted,
                                  const std::vector<double>& priorities = {}) {
  std::vector<AllocationLine> out;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    AllocationLine l;
    l.wanted = wanted[i];
    l.priority = i < priorities.size() ? priorities[i] : 0.0;
    out.push_back(l);
  }
  return out;
}

std::vector<Qty> allocate(AllocationKind rule, Qty available,
                          const std::vector<AllocationLine>& ls) {
  std::vector<Qty> out = {-99, -99, -99};  // stale contents the rule must replace
  make_allocation_rule(rule)->allocate(available, ls, out);
  return out;
}

Qty sum(const std::vector<Qty>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

}  // namespace

TEST_CASE("the allocation table names the three rules, each builds, and no other name is one") {
  const std::vector<std::string_view> names(enum_names<AllocationKind>().begin(), enum_names<AllocationKind>().end());
  CHECK(names == std::vector<std::string_view>{"fifo", "proportional", "priority"});
  for (const AllocationKind kind : {AllocationKind::kFifo, AllocationKind::kProportional, AllocationKind::kPriority}) {
    CAPTURE(name_of(kind));
    CHECK(parse_enum<AllocationKind>(name_of(kind)) == kind);
    CHECK(make_allocation_rule(kind) != nullptr);
    CHECK(!allocation_rule_doc(kind).empty());
  }
  for (const char* other : {"lifo", "FIFO", ""}) {
    CAPTURE(other);
    CHECK(!parse_enum<AllocationKind>(other).has_value());
  }
}

TEST_CASE("every rule gives every line what it wants when the stock suffices") {
  for (const AllocationKind rule : {AllocationKind::kFifo, AllocationKind::kPriority, AllocationKind::kProportional}) {
    CAPTURE(name_of(rule));
    CHECK(allocate(rule, 100, lines({5, 0, 12.5, 30}, {0, 3, 1, 2})) ==
          std::vector<Qty>{5, 0, 12.5, 30});
    // Exactly enough.
    CHECK(allocate(rule, 47.5, lines({5, 0, 12.5, 30})) == std::vector<Qty>{5, 0, 12.5, 30});
  }
}

TEST_CASE("every rule gives nothing when nothing is available") {
  for (const AllocationKind rule : {AllocationKind::kFifo, AllocationKind::kPriority, AllocationKind::kProportional}) {
    CAPTURE(name_of(rule));
    CHECK(allocate(rule, 0, lines({5, 3, 7}, {1, 2, 3})) == std::vector<Qty>{0, 0, 0});
  }
}

TEST_CASE("every rule sizes its output to the lines and handles no lines") {
  for (const AllocationKind rule : {AllocationKind::kFifo, AllocationKind::kPriority, AllocationKind::kProportional}) {
    CAPTURE(name_of(rule));
    CHECK(allocate(rule, 10, {}).empty());
    CHECK(allocate(rule, 10, lines({4})) == std::vector<Qty>{4});
    CHECK(allocate(rule, 2, lines({4})) == std::vector<Qty>{2});
    // More lines than the stale output had.
    CHECK(allocate(rule, 100, lines({1, 1, 1, 1, 1})).size() == 5);
  }
}

TEST_CASE("fifo fills the oldest lines first and leaves the newest short") {
  // 20 available: 8, then 7, then the 5 left of 10, then nothing.
  CHECK(allocate(AllocationKind::kFifo, 20, lines({8, 7, 10, 6})) == std::vector<Qty>{8, 7, 5, 0});
  // A line that wants nothing does not stop the ones after it.
  CHECK(allocate(AllocationKind::kFifo, 9, lines({0, 4, 0, 6})) == std::vector<Qty>{0, 4, 0, 5});
  // Priorities are ignored.
  CHECK(allocate(AllocationKind::kFifo, 10, lines({6, 6}, {0, 9})) == std::vector<Qty>{6, 4});
  // Fractional quantities.
  CHECK(allocate(AllocationKind::kFifo, 2.5, lines({1.25, 2})) == std::vector<Qty>{1.25, 1.25});
}

TEST_CASE("priority serves the highest priority first and the oldest first among equals") {
  // Priorities 1, 5, 1, 5, 3: order of service is lines 1, 3 (priority 5,
  // oldest first), 4 (3), then 0, 2 (1, oldest first). 25 available:
  // line 1 gets 6, line 3 gets 6, line 4 gets 6, line 0 gets 6, line 2 gets 1.
  CHECK(allocate(AllocationKind::kPriority, 25, lines({6, 6, 6, 6, 6}, {1, 5, 1, 5, 3})) ==
        std::vector<Qty>{6, 6, 1, 6, 6});
  // 10 available: line 1 gets 6, line 3 the remaining 4.
  CHECK(allocate(AllocationKind::kPriority, 10, lines({6, 6, 6, 6, 6}, {1, 5, 1, 5, 3})) ==
        std::vector<Qty>{0, 6, 0, 4, 0});
}

TEST_CASE("priority with equal priorities is fifo") {
  const auto ls = lines({8, 7, 10, 6}, {2, 2, 2, 2});
  CHECK(allocate(AllocationKind::kPriority, 20, ls) == allocate(AllocationKind::kFifo, 20, ls));
  CHECK(allocate(AllocationKind::kPriority, 20, ls) == std::vector<Qty>{8, 7, 5, 0});
}

TEST_CASE("priority accepts negative and fractional priorities") {
  // Order: line 2 (0.5), line 0 (0), line 1 (-1). 9 available.
  CHECK(allocate(AllocationKind::kPriority, 9, lines({4, 4, 4}, {0, -1, 0.5})) == std::vector<Qty>{4, 1, 4});
}

TEST_CASE("proportional gives whole units by largest remainder, ties to the older line") {
  SUBCASE("two units left after the floors") {
    // 10 of 17 wanted, share 10/17: exact 2.35, 2.35, 2.35, 2.35, 0.59.
    // Floors 2, 2, 2, 2, 0 (8); two units left: the largest remainder (line 4,
    // 0.59), then the tie among lines 0..3 goes to the oldest, line 0.
    CHECK(allocate(AllocationKind::kProportional, 10, lines({4, 4, 4, 4, 1})) == std::vector<Qty>{3, 2, 2, 2, 1});
  }
  SUBCASE("equal lines") {
    // 5 of 9, share 5/9: exact 1.67 each, floors 1, 1, 1; two units left go
    // to lines 0 and 1.
    CHECK(allocate(AllocationKind::kProportional, 5, lines({3, 3, 3})) == std::vector<Qty>{2, 2, 1});
  }
  SUBCASE("different sizes") {
    // 7 of 20, share 0.35: exact 0.35, 2.45, 4.2. Floors 0, 2, 4 (6); one
    // unit left: remainders 0.35, 0.45, 0.2, so line 1.
    CHECK(allocate(AllocationKind::kProportional, 7, lines({1, 7, 12})) == std::vector<Qty>{0, 3, 4});
  }
  SUBCASE("exact shares need no remainder") {
    // 10 of 15, share 2/3: exact 2, 2, 2, 4.
    CHECK(allocate(AllocationKind::kProportional, 10, lines({3, 3, 3, 6})) == std::vector<Qty>{2, 2, 2, 4});
  }
  SUBCASE("a line wanting nothing gets nothing") {
    // 3 of 6, share 1/2: exact 0, 1, 2.
    CHECK(allocate(AllocationKind::kProportional, 3, lines({0, 2, 4})) == std::vector<Qty>{0, 1, 2});
    // 1 of 2: exact 0, 0.5, 0.5, the tie to line 1.
    CHECK(allocate(AllocationKind::kProportional, 1, lines({0, 1, 1})) == std::vector<Qty>{0, 1, 0});
  }
  SUBCASE("priorities are ignored") {
    CHECK(allocate(AllocationKind::kProportional, 5, lines({3, 3, 3}, {0, 0, 9})) == std::vector<Qty>{2, 2, 1});
  }
}

TEST_CASE("proportional gives fractional shares when a quantity is not whole") {
  // 5 of 10, share 1/2.
  CHECK(allocate(AllocationKind::kProportional, 5, lines({2.5, 7.5})) == std::vector<Qty>{1.25, 3.75});
  // Whole lines, fractional stock: 7.5 of 15, share 1/2.
  CHECK(allocate(AllocationKind::kProportional, 7.5, lines({5, 10})) == std::vector<Qty>{2.5, 5});
  // 4 of 6, share 2/3: one fractional line makes every share fractional.
  const auto out = allocate(AllocationKind::kProportional, 4, lines({1.5, 4.5}));
  CHECK(out[0] == doctest::Approx(1.0));
  CHECK(out[1] == doctest::Approx(3.0));
}

TEST_CASE("every rule gives out all it can, never more than available or than a line wants") {
  // A deterministic sweep of line sets and stock levels; the invariants of
  // AllocationRule::allocate for each rule:
  //   0 <= out[i] <= wanted[i],  sum(out) = min(available, sum(wanted)),
  // whole units when every quantity is whole (proportional: within one unit
  // of the exact proportional share).
  const std::vector<std::vector<Qty>> line_sets = {
      {1},          {3, 3, 3},        {1, 2, 3, 4, 5}, {10, 0, 7, 1},
      {9, 9, 9, 9}, {2.5, 0.5, 4.25}, {100, 1, 1},     {5, 5, 5, 5, 5, 5, 5},
  };
  for (const AllocationKind rule : {AllocationKind::kFifo, AllocationKind::kPriority, AllocationKind::kProportional}) {
    for (const auto& wanted : line_sets) {
      const Qty total = sum(wanted);
      std::vector<double> priorities;
      for (std::size_t i = 0; i < wanted.size(); ++i)
        priorities.push_back(static_cast<double>(i % 3));
      const auto ls = lines(wanted, priorities);
      bool whole = true;
      for (const Qty w : wanted) whole = whole && w == std::floor(w);
      for (Qty available = 0; available <= total + 2; available += 0.5) {
        CAPTURE(name_of(rule));
        CAPTURE(available);
        CAPTURE(total);
        const auto out = allocate(rule, available, ls);
        REQUIRE(out.size() == wanted.size());
        const double expected_total = std::min(available, total);
        if (whole && available == std::floor(available)) {
          CHECK(sum(out) == expected_total);
        } else {
          CHECK(sum(out) == doctest::Approx(expected_total));
          CHECK(sum(out) <= available + 1e-9);
        }
        for (std::size_t i = 0; i < out.size(); ++i) {
          CAPTURE(i);
          CHECK(out[i] >= 0);
          CHECK(out[i] <= wanted[i]);
          if (whole && available == std::floor(available)) CHECK(out[i] == std::floor(out[i]));
          if (rule == AllocationKind::kProportional && available < total) {
            CHECK(std::abs(out[i] - wanted[i] * available / total) < 1.0);
          }
        }
      }
    }
  }
}
