#include "sim/walk_memo.h"

#include <doctest/doctest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "sim/random.h"

using chainsim::sim::poisson_quantile_from_zero;
using chainsim::sim::poisson_quantile_memo;
using chainsim::sim::RandomStream;
using chainsim::sim::WalkMemo;

namespace {

// The draw through the memo, counting the tables it started.
double memo_draw(double u, double mean, int& started) {
  return poisson_quantile_memo(u, mean, [&] {
    ++started;
    return std::exp(-mean);
  });
}

}  // namespace

TEST_CASE("a Poisson draw through the memo is the walk's, bit for bit, for recurring and colliding means") {
  RandomStream rng(11, 0, "walk-memo");
  // Means that wander as a segment's do (rate x a whole active count), more
  // of them than the memo has slots, so tables are replaced and started
  // again; and the extreme u, which walk past every table's end.
  std::vector<double> means;
  for (int active = 1; active <= 2900; active += 7) means.push_back(0.01 * active);
  const std::vector<double> extreme = {1e-300, 1e-17, 0.5, 1.0 - 0x1p-53, 1.0 - 0x1p-52};
  int started = 0;
  for (int round = 0; round < 3; ++round) {
    for (const double mean : means) {
      for (int i = 0; i < 20; ++i) {
        const double u = i < 5 ? extreme[static_cast<std::size_t>(i)] : rng.uniform01();
        CAPTURE(mean);
        CAPTURE(u);
        REQUIRE(memo_draw(u, mean, started) == poisson_quantile_from_zero(u, mean, std::exp(-mean)));
      }
    }
  }
  CHECK(started > 0);
}

TEST_CASE("the memo starts a table only for a mean it does not hold, and a table grows as draws need it") {
  int started = 0;
  const double mean = 8.125;
  const double first = memo_draw(0.01, mean, started);
  CHECK(started == 1);
  // Further out than any entry computed so far, then within them: the same
  // table serves both, and each agrees with the walk.
  CHECK(memo_draw(0.999, mean, started) == poisson_quantile_from_zero(0.999, mean, std::exp(-mean)));
  CHECK(memo_draw(0.01, mean, started) == first);
  CHECK(memo_draw(0.5, mean, started) == poisson_quantile_from_zero(0.5, mean, std::exp(-mean)));
  CHECK(started == 1);
  // Past the table's last entry (P(N <= 15) of Poisson(8.125) is about 0.99):
  // the walk goes on from there, and the table is still the one started.
  const double far = 1.0 - 1e-12;
  CHECK(memo_draw(far, mean, started) == poisson_quantile_from_zero(far, mean, std::exp(-mean)));
  CHECK(memo_draw(far, mean, started) > WalkMemo::kEntries);
  CHECK(started == 1);
}

TEST_CASE("each thread has its own memo, and draws there are the walk's too") {
  const double mean = 3.75;
  int started_here = 0;
  memo_draw(0.3, mean, started_here);
  int started_there = 0;
  double there = -1.0;
  std::thread t([&] { there = memo_draw(0.3, mean, started_there); });
  t.join();
  CHECK(started_there == 1);  // not the table this thread started
  CHECK(there == poisson_quantile_from_zero(0.3, mean, std::exp(-mean)));
}
