#include "sim/walk_memo.h"

#include <doctest/doctest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "sim/random.h"

using chainsim::sim::poisson_quantile_from_zero;
using chainsim::sim::poisson_quantile_memo;
using chainsim::sim::poisson_walk_memo;
using chainsim::sim::RandomStream;
using chainsim::sim::WalkMemo;

namespace {

double walk(double u, double mean) { return poisson_quantile_from_zero(u, mean, std::exp(-mean)); }

}  // namespace

TEST_CASE("a Poisson draw through the memo is the walk's, bit for bit, for recurring and colliding means") {
  RandomStream rng(11, 0, "walk-memo");
  WalkMemo memo;
  // Means that wander as a segment's do (rate x a whole active count), more
  // of them than the memo has slots, so tables are replaced and started
  // again; and the extreme u, which walk past every table's end.
  std::vector<double> means;
  for (int active = 1; active <= 2900; active += 7) means.push_back(0.01 * active);
  const std::vector<double> extreme = {1e-300, 1e-17, 0.5, 1.0 - 0x1p-53, 1.0 - 0x1p-52};
  std::uint64_t draws = 0;
  for (int round = 0; round < 3; ++round) {
    for (const double mean : means) {
      for (int i = 0; i < 20; ++i) {
        const double u = i < 5 ? extreme[static_cast<std::size_t>(i)] : rng.uniform01();
        CAPTURE(mean);
        CAPTURE(u);
        REQUIRE(poisson_quantile_memo(memo, u, mean) == walk(u, mean));
        ++draws;
      }
    }
  }
  // Each mean's 20 draws share its table: the memo was used, not only filled.
  CHECK(memo.started() > 0);
  CHECK(memo.started() <= draws / 20);
}

TEST_CASE("a u equal to a CDF entry, or next to one, draws the walk's count") {
  // The walk stops at the first k with P(N <= k) >= u: at an entry exactly,
  // that k; just above it, the next. Rebuilt here as the walk computes it.
  for (const double mean : {0.8, 4.0, 8.125}) {
    WalkMemo memo;
    double p = std::exp(-mean), cdf = p;
    for (double k = 0.0; k < 20.0; k += 1.0) {
      for (const double u : {cdf, std::nextafter(cdf, 0.0), std::nextafter(cdf, 1.0)}) {
        if (!(u > 0.0 && u < 1.0)) continue;
        CAPTURE(mean);
        CAPTURE(u);
        CHECK(poisson_quantile_memo(memo, u, mean) == walk(u, mean));
      }
      p *= mean / (k + 1.0);
      cdf += p;
    }
    CHECK(memo.started() == 1);
  }
}

TEST_CASE("the memo starts a table only for a mean it does not hold, and a table grows as draws need it") {
  WalkMemo memo;
  const double mean = 8.125;
  CHECK(poisson_quantile_memo(memo, 0.01, mean) == walk(0.01, mean));
  CHECK(memo.started() == 1);
  // Further out than any entry computed so far, then within them: the same
  // table serves both, and each agrees with the walk.
  CHECK(poisson_quantile_memo(memo, 0.999, mean) == walk(0.999, mean));
  CHECK(poisson_quantile_memo(memo, 0.01, mean) == walk(0.01, mean));
  CHECK(poisson_quantile_memo(memo, 0.5, mean) == walk(0.5, mean));
  CHECK(memo.started() == 1);
  // Past the table's last entry (P(N <= 15) of Poisson(8.125) is about 0.99):
  // the walk goes on from there, and the table is still the one started.
  const double far = 1.0 - 1e-12;
  CHECK(poisson_quantile_memo(memo, far, mean) == walk(far, mean));
  CHECK(poisson_quantile_memo(memo, far, mean) > WalkMemo::kEntries);
  CHECK(memo.started() == 1);
  // Another mean starts its own table.
  CHECK(poisson_quantile_memo(memo, 0.5, 8.25) == walk(0.5, 8.25));
  CHECK(memo.started() == 2);
}

TEST_CASE("each thread has its own memo, and draws there are the walk's too") {
  WalkMemo* here = &poisson_walk_memo();
  WalkMemo* there = nullptr;
  double drawn = -1.0;
  std::thread t([&] {
    there = &poisson_walk_memo();
    drawn = poisson_quantile_memo(*there, 0.3, 3.75);
  });
  t.join();
  CHECK(there != here);
  CHECK(drawn == walk(0.3, 3.75));
}
