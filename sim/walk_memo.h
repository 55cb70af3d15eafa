// The running CDFs of the Poisson walk from zero, remembered for recent
// means: a draw whose mean recurs counts table entries below u instead of
// walking a chain of dependent divisions.
//
// A customer segment's order count (models/chain/customers.cpp) is
// Poisson(rate x active customers), and the active count is a whole number
// that wanders, so its means recur. Each table holds the walk's running CDF
// step for step (the same recurrence in the same order, so the same doubles)
// as far as a draw has needed it, and a draw past its end continues the walk
// from its last entry: the memo changes no draw, only how long it takes.
//
// Representation: kSlots tables of kEntries CDF values, direct-mapped by the
// mean's bits, allocated at the first draw, one memo per thread
// (poisson_walk_memo): about 20 KB however many segments draw. A table's
// entries past those computed are +infinity, so once the last computed one
// is >= u the quantile is the number of entries below u, counted without a
// branch (a walk's data-dependent exit mispredicts on most draws). Sixteen
// entries hold the draws of means up to about 8 all but once in a hundred; a
// draw beyond them walks on, and the tables keep nothing of it.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>

#include "sim/distributions.h"

namespace chainsim::sim {

// The tables of the Poisson walk from zero, keyed by the mean; grown by
// poisson_quantile_memo. Not thread-safe: one memo per thread.
class WalkMemo {
 public:
  static constexpr int kEntries = 16;  // CDF entries of a table: k = 0 .. 15
  static constexpr int kSlotBits = 7;
  static constexpr int kSlots = 1 << kSlotBits;

  // One walk's state: cdf[k] = P(N <= k) as the walk computed it for
  // k < size, pmf = P(N = size - 1); +infinity past size.
  struct Table {
    double key = std::numeric_limits<double>::quiet_NaN();  // the mean (NaN: empty)
    int size = 0;
    double pmf = 0.0;
    std::array<double, kEntries> cdf{};

    // The smallest k with cdf[k] >= u. REQUIRES: cdf[size - 1] >= u (so the
    // count stops short of the +infinity entries).
    double count_below(double u) const noexcept {
      int below = 0;
      for (int j = 0; j < kEntries; ++j) below += cdf[j] < u ? 1 : 0;
      return static_cast<double>(below);
    }
  };

  // The table of `mean`. If the slot held another, it is emptied and
  // started with P(N = 0) = exp(-mean). The reference is good until the next
  // call. REQUIRES: mean is not NaN.
  Table& table(double mean) {
    if (!slots_) slots_ = std::make_unique<std::array<Table, kSlots>>();
    std::uint64_t bits = 0;
    std::memcpy(&bits, &mean, sizeof bits);
    Table& t = (*slots_)[(bits * 0x9E3779B97F4A7C15ull) >> (64 - kSlotBits)];
    if (!(t.key == mean)) {
      const double p0 = std::exp(-mean);
      t.key = mean;
      t.pmf = p0;
      t.cdf.fill(std::numeric_limits<double>::infinity());
      t.cdf[0] = p0;
      t.size = 1;
      ++started_;
    }
    return t;
  }

  // How many tables were started (each miss starts one).
  std::uint64_t started() const noexcept { return started_; }

 private:
  std::unique_ptr<std::array<Table, kSlots>> slots_;
  std::uint64_t started_ = 0;
};

// This thread's memo of poisson_quantile_memo's tables.
inline WalkMemo& poisson_walk_memo() noexcept {
  thread_local WalkMemo memo;
  return memo;
}

// poisson_quantile_from_zero(u, mean, exp(-mean)), the same value, through
// `memo`, which serves only this function. REQUIRES: 0 < mean <
// kPoissonWalkFromZero, 0 < u < 1.
inline double poisson_quantile_memo(WalkMemo& memo, double u, double mean) {
  WalkMemo::Table& t = memo.table(mean);
  if (t.cdf[t.size - 1] >= u) return t.count_below(u);
  // The walk's steps from the table's end (poisson_walk_up's cap, above
  // mean + 100, lies beyond every entry).
  double cdf = t.cdf[t.size - 1];
  while (cdf < u && t.size < WalkMemo::kEntries) {
    poisson_step(mean, static_cast<double>(t.size), t.pmf, cdf);
    t.cdf[t.size++] = cdf;
  }
  if (cdf >= u) return static_cast<double>(t.size - 1);
  return poisson_walk_up(u, mean, static_cast<double>(t.size - 1), t.pmf, cdf);
}

}  // namespace chainsim::sim
