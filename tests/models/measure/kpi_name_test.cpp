// KpiName: literals viewed where they are, other text viewed in the
// process-wide table of names, one copy per distinct text whatever thread
// asks, valid after the text it was made from is gone.
#include <doctest/doctest.h>

#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "models/measure/kpi.h"
#include "models/measure/kpi_name.h"

using chainsim::models::KpiName;
using chainsim::models::KpiValue;

TEST_CASE("a KPI name made from a literal views the literal itself") {
  static constexpr char kLiteral[] = "fill_rate";
  constexpr KpiName name(kLiteral);
  CHECK(name.view().data() == kLiteral);
  CHECK(name.size() == 9);
  CHECK(KpiName().empty());
  CHECK(KpiName().view() == "");
}

TEST_CASE("names made from other text share one copy that outlives the text") {
  std::string a = "store_00017/widget";
  std::string b = a;
  const KpiName x(a), y(b);
  CHECK(x.view().data() != a.data());
  CHECK(x.view().data() == y.view().data());
  a.assign(40, 'z');
  b.clear();
  CHECK(x == "store_00017/widget");
  CHECK(y.str() == "store_00017/widget");
  CHECK(KpiName(std::string()).empty());
  CHECK(KpiName(std::string("store_00018/widget")).view().data() != x.view().data());
}

TEST_CASE("a KPI name compares, orders, joins and prints as its text") {
  const KpiName stock = "stock";
  const KpiName copy(std::string("stock"));
  CHECK(stock == copy);  // a literal and a table entry with the same text
  CHECK(stock == std::string("stock"));
  CHECK(std::string("stock") == stock);
  CHECK(stock == std::string_view("stock"));
  CHECK(stock != "node");
  CHECK(KpiName("lane") < stock);
  CHECK_FALSE(stock < copy);
  CHECK("network." + stock == "network.stock");
  CHECK(stock + std::string(".fill_rate") == "stock.fill_rate");
  const std::string as_string = stock;
  CHECK(as_string == "stock");
  std::ostringstream os;
  os << stock;
  CHECK(os.str() == "stock");
  const std::set<KpiName> set{"b", KpiName(std::string("a")), "b"};
  CHECK(set.size() == 2);
  CHECK(*set.begin() == "a");
}

TEST_CASE("threads that take the same names at once get the same copies") {
  constexpr int kThreads = 4, kNames = 2000;
  std::vector<std::vector<const char*>> seen(kThreads, std::vector<const char*>(kNames));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &seen] {
      for (int i = 0; i < kNames; ++i) {
        // Each thread walks the names in its own order (a multiplier prime to kNames).
        constexpr int kStep[kThreads] = {1, 3, 7, 9};
        const int k = (i * kStep[t]) % kNames;
        seen[static_cast<std::size_t>(t)][static_cast<std::size_t>(k)] =
            KpiName("threaded/" + std::to_string(k)).view().data();
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int i = 0; i < kNames; ++i) {
    CAPTURE(i);
    for (int t = 1; t < kThreads; ++t)
      CHECK(seen[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)] ==
            seen[0][static_cast<std::size_t>(i)]);
    CHECK(std::string(seen[0][static_cast<std::size_t>(i)]) == "threaded/" + std::to_string(i));
  }
}

TEST_CASE("a KPI value copies its names without allocating") {
  static_assert(std::is_trivially_copyable_v<KpiValue>);
  static_assert(sizeof(KpiValue) == 3 * sizeof(const char*) + sizeof(double));
  const KpiValue v{"stock", KpiName(std::string("dc/widget")), "fill_rate", 0.5};
  const KpiValue w = v;
  CHECK(w.name.view().data() == v.name.view().data());
  CHECK(w.scope == "stock");
  CHECK(w.kpi == "fill_rate");
}

TEST_CASE("a KPI name is its text to the end, and text holding a NUL is refused") {
  const std::string text = "dc_3/widget";
  const KpiName name(text.substr(0, 4));  // a view into the middle of a longer text
  CHECK(name.size() == 4);
  CHECK(name == "dc_3");
  CHECK(name.view().data()[4] == '\0');
  CHECK_THROWS_AS(KpiName(std::string_view("dc\0x", 4)), std::invalid_argument);
  // Equal text from a literal and from the table: equal, not less, whatever the addresses.
  const KpiName literal = "dc_3";
  CHECK(literal == name);
  CHECK_FALSE(literal < name);
  CHECK_FALSE(name < literal);
}
