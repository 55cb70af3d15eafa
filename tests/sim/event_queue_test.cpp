#include "sim/event_queue.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/random.h"

using chainsim::sim::EventKey;
using chainsim::sim::EventQueue;
using chainsim::sim::RandomStream;

TEST_CASE("time bits preserve the order of doubles, negatives included") {
  const std::vector<double> sorted = {-1e300, -2.5, -1e-300, 0.0, 1e-300, 1.0, 1.5, 2.0, 1e300};
  for (std::size_t i = 0; i + 1 < sorted.size(); ++i) {
    CAPTURE(sorted[i]);
    CHECK(EventQueue::time_bits(sorted[i]) < EventQueue::time_bits(sorted[i + 1]));
    CHECK(EventQueue::time_from_bits(EventQueue::time_bits(sorted[i])) == sorted[i]);
  }
  CHECK(EventQueue::time_bits(-0.0) == EventQueue::time_bits(0.0));
}

TEST_CASE("a key orders by time, then priority, then sequence, and round-trips") {
  const EventKey a = EventQueue::make_key(1.0, 5, 9);
  const EventKey b = EventQueue::make_key(1.0, 6, 0);
  const EventKey c = EventQueue::make_key(1.0, 6, 1);
  const EventKey d = EventQueue::make_key(1.5, -100, 0);
  CHECK(a < b);
  CHECK(b < c);
  CHECK(c < d);
  CHECK(EventQueue::time_of(d) == 1.5);
  CHECK(EventQueue::priority_of(d) == -100);
  CHECK(EventQueue::priority_of(EventQueue::make_key(0.0, EventQueue::kMinPriority, 0)) ==
        EventQueue::kMinPriority);
  CHECK(EventQueue::priority_of(EventQueue::make_key(0.0, EventQueue::kMaxPriority, 0)) ==
        EventQueue::kMaxPriority);
}

TEST_CASE("the heap pops keys in sorted order under random pushes and fused pop-push") {
  EventQueue q;
  RandomStream rng(7, 0, "queue-test");
  std::vector<EventKey> reference;
  std::uint64_t seq = 0;
  for (int round = 0; round < 20000; ++round) {
    const double u = rng.uniform01();
    if (u < 0.55 || q.empty()) {
      const EventKey k = EventQueue::make_key(std::floor(rng.uniform01() * 50), static_cast<int>(rng.uniform01() * 4), seq++);
      q.push(k, static_cast<std::uint32_t>(seq));
      reference.push_back(k);
    } else {
      const auto smallest = std::min_element(reference.begin(), reference.end());
      REQUIRE(q.top_key() == *smallest);
      q.pop();
      reference.erase(smallest);
    }
    REQUIRE(q.size() == reference.size());
  }
  std::sort(reference.begin(), reference.end());
  for (const EventKey k : reference) {
    REQUIRE(q.top_key() == k);
    q.pop();
  }
  CHECK(q.empty());
}

TEST_CASE("likely_next_slot names the next top when the popped event schedules nothing earlier") {
  EventQueue q;
  for (std::uint32_t i = 0; i < 100; ++i) q.push(EventQueue::make_key(100.0 - i, 0, i), i);
  q.pop();  // removes time 1 (slot 99)
  const std::uint32_t hint = q.likely_next_slot();
  CHECK(hint == q.top_slot());
  CHECK(hint == 98);
}
