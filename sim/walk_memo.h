// The running CDFs of the count walks from zero, remembered for recent
// parameters: a draw whose parameter recurs counts table entries below u
// instead of walking a chain of dependent divisions.
//
// A customer segment's draws (models/chain/customers.cpp) have parameters
// that move with the active count, a whole number that wanders: the order
// count is Poisson(rate x active), intrinsic churn Binomial(active, h). Each
// table holds the walk's running CDF step for step (the same recurrence in
// the same order, so the same doubles) as far as a draw has needed it, and a
// draw past its end continues the walk from its last entry: the memo changes
// no draw, only how long it takes.
//
// Representation: kSlots tables of kEntries CDF values, direct-mapped by the
// parameters' bits, allocated at the first draw, one set per thread for each
// kind of walk (poisson_walk_memo, binomial_walk_memo): about 20 KB each,
// however many segments draw. A table's entries past those computed are
// +infinity, so once the last computed one is >= u the quantile is the number
// of entries below u, counted without a branch (a walk's data-dependent exit
// mispredicts on most draws). Sixteen entries hold the draws of means up to
// about 8 all but once in a hundred; a draw beyond them walks on, and the
// tables keep nothing of it.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>

#include "sim/distributions.h"

namespace chainsim::sim {

class WalkMemo {
 public:
  static constexpr int kEntries = 16;  // CDF entries of a table: k = 0 .. 15
  static constexpr int kSlots = 128;

  // One walk's state: cdf[k] = P(N <= k) as the walk computed it for
  // k < size, pmf = P(N = size - 1).
  struct Table {
    double a = std::numeric_limits<double>::quiet_NaN();  // the parameters (NaN: empty)
    double b = 0.0;
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

  // The table of the parameters (a, b), emptied and started with P(N = 0) =
  // pmf0() if it held others: `pmf0` is called only then.
  template <class Pmf0>
  Table& table(double a, double b, Pmf0&& pmf0) {
    if (!slots_) slots_ = std::make_unique<std::array<Table, kSlots>>();
    std::uint64_t bits = 0, bits_b = 0;
    std::memcpy(&bits, &a, sizeof bits);
    std::memcpy(&bits_b, &b, sizeof bits_b);
    Table& t = (*slots_)[((bits ^ (bits_b * 0xC2B2AE3D27D4EB4Full)) * 0x9E3779B97F4A7C15ull) >> 57];
    if (!(t.a == a && t.b == b)) {
      t.a = a;
      t.b = b;
      t.pmf = pmf0();
      t.cdf.fill(std::numeric_limits<double>::infinity());
      t.cdf[0] = t.pmf;
      t.size = 1;
    }
    return t;
  }

 private:
  std::unique_ptr<std::array<Table, kSlots>> slots_;
};
static_assert(WalkMemo::kSlots == 1 << (64 - 57), "the slot index takes the hash's top bits");

// This thread's memo of Poisson walks (keyed by the mean).
inline WalkMemo& poisson_walk_memo() noexcept {
  thread_local WalkMemo memo;
  return memo;
}
// This thread's memo of binomial walks (keyed by n and p).
inline WalkMemo& binomial_walk_memo() noexcept {
  thread_local WalkMemo memo;
  return memo;
}

// poisson_quantile_from_zero(u, mean, exp(-mean)), the same value, with
// exp_minus_mean() giving exp(-mean) when the memo has no table for mean.
// REQUIRES: 0 < mean < kPoissonWalkFromZero, 0 < u < 1.
template <class ExpMinusMean>
double poisson_quantile_memo(double u, double mean, ExpMinusMean&& exp_minus_mean) {
  WalkMemo::Table& t = poisson_walk_memo().table(mean, 0.0, exp_minus_mean);
  if (t.cdf[t.size - 1] >= u) return t.count_below(u);
  // The walk's steps from the table's end (poisson_walk_up's recurrence; its
  // cap, above mean + 100, lies beyond every entry).
  double cdf = t.cdf[t.size - 1];
  while (cdf < u && t.size < WalkMemo::kEntries) {
    const double k = static_cast<double>(t.size);
    t.pmf *= mean / k;
    cdf += t.pmf;
    t.cdf[t.size++] = cdf;
  }
  if (cdf >= u) return static_cast<double>(t.size - 1);
  return poisson_walk_up(u, mean, static_cast<double>(t.size - 1), t.pmf, cdf);
}

}  // namespace chainsim::sim
