#include "models/chain/detail/ring_queue.h"

#include <doctest/doctest.h>

#include <utility>
#include <vector>

using chainsim::models::detail::RingQueue;

namespace {

struct Item {
  double key = 0.0;
  int tag = 0;
};

std::vector<int> tags(const RingQueue<Item>& q) {
  std::vector<int> out;
  for (std::size_t i = 0; i < q.size(); ++i) out.push_back(q[i].tag);
  return out;
}

bool by_key(const Item& a, const Item& b) { return a.key < b.key; }

}  // namespace

TEST_CASE("a ring queue keeps FIFO order while it wraps around and grows") {
  RingQueue<Item> q;
  int next = 0, expect = 0;
  // Slide a window of 5 through 3 wraps of the first buffer, then grow past it.
  for (int round = 0; round < 30; ++round) {
    q.push_back({0.0, next++});
    if (q.size() > 5) {
      CHECK(q.front().tag == expect++);
      q.pop_front();
    }
  }
  for (int i = 0; i < 40; ++i) q.push_back({0.0, next++});
  CHECK(q.size() == 45);
  for (std::size_t i = 0; i < q.size(); ++i) CHECK(q[i].tag == expect + static_cast<int>(i));
  CHECK(q.back().tag == next - 1);
}

TEST_CASE("emplace_back then settle_back places an element as insert_sorted does, equal keys in arrival order") {
  RingQueue<Item> settled, inserted;
  const double keys[] = {3, 1, 3, 2, 5, 2, 0, 3};
  for (int i = 0; i < 8; ++i) {
    Item& slot = settled.emplace_back();
    CHECK(slot.key == 0.0);  // value-initialised
    CHECK(slot.tag == 0);
    slot = {keys[i], i};
    settled.settle_back(by_key);
    inserted.insert_sorted({keys[i], i}, by_key);
    // Pop one now and then so that the ring wraps.
    if (i == 4) {
      settled.pop_front();
      inserted.pop_front();
    }
  }
  CHECK(tags(settled) == tags(inserted));
  CHECK(tags(settled) == std::vector<int>{6, 3, 5, 0, 2, 7, 4});
}

TEST_CASE("erase and remove_if keep the order of the rest") {
  RingQueue<Item> q;
  for (int i = 0; i < 10; ++i) q.push_back({0.0, i});
  q.pop_front();
  q.pop_front();
  q.erase(0);  // the front
  q.erase(2);  // tag 5
  CHECK(tags(q) == std::vector<int>{3, 4, 6, 7, 8, 9});
  q.remove_if([](const Item& e) { return e.tag % 3 == 0; });
  CHECK(tags(q) == std::vector<int>{4, 7, 8});
}

TEST_CASE("a moved-from ring queue is empty and usable, and a copy is independent") {
  RingQueue<Item> a;
  for (int i = 0; i < 12; ++i) a.push_back({0.0, i});
  a.pop_front();
  RingQueue<Item> copy = a;
  RingQueue<Item> b = std::move(a);
  CHECK(a.empty());
  a.push_back({0.0, 99});
  CHECK(tags(a) == std::vector<int>{99});
  CHECK(b.size() == 11);
  CHECK(b.front().tag == 1);
  copy.pop_front();
  CHECK(b.front().tag == 1);
  CHECK(copy.front().tag == 2);
  RingQueue<Item> c;
  c = std::move(b);
  CHECK(b.empty());
  CHECK(c.size() == 11);
}
