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

// The tables of one walk, keyed by its parameter: every user of a memo
// grows its tables by the same recurrence from the same P(N = 0), computed
// from the parameter alone (poisson_quantile_memo is the only user). Not
// thread-safe: one memo per thread.
class WalkMemo {
 public:
  static constexpr int kEntries = 16;  // CDF entries of a table: k = 0 .. 15
  static constexpr int kSlotBits = 7;
  static constexpr int kSlots = 1 << kSlotBits;

  // One walk's state: cdf[k] = P(N <= k) as the walk computed it for
  // k < size, pmf = P(N = size - 1); +infinity past size.
  struct Table {
    double key = std::numeric_limits<double>::quiet_NaN();  // the parameter (NaN: empty)
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

  // The table of `key`. If the slot held another, it is emptied and started
  // with P(N = 0) = pmf0(), called only then. The reference is good until
  // the next call. REQUIRES: key is not NaN.
  template <class Pmf0>
  Table& table(double key, Pmf0&& pmf0) {
    if (!slots_) slots_ = std::make_unique<std::array<Table, kSlots>>();
    std::uint64_t bits = 0;
    std::memcpy(&bits, &key, sizeof bits);
    Table& t = (*slots_)[(bits * 0x9E3779B97F4A7C15ull) >> (64 - kSlotBits)];
    if (!(t.key == key)) {
      const double p0 = pmf0();
      t.key = key;
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
  WalkMemo::Table& t = memo.table(mean, [mean] { return std::exp(-mean); });
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
