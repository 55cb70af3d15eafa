#include "sim/detail/inline_action.h"

#include <doctest/doctest.h>

#include <array>
#include <memory>
#include <string>

using chainsim::sim::detail::InlineAction;

TEST_CASE("small trivially copyable callables are stored inline and moved by copy") {
  int hits = 0;
  auto f = [p = &hits] { ++*p; };
  static_assert(InlineAction::fits_inline<decltype(f)>());
  InlineAction a(f);
  InlineAction b(std::move(a));
  CHECK_FALSE(static_cast<bool>(a));
  b();
  b();
  CHECK(hits == 2);
}

TEST_CASE("non-trivial captures are moved and destroyed exactly once") {
  auto token = std::make_shared<std::string>("x");
  std::weak_ptr<std::string> watch = token;
  {
    InlineAction a([t = std::move(token)] { (void)t; });
    InlineAction b;
    b = std::move(a);
    CHECK(watch.use_count() == 1);
    b();
  }
  CHECK(watch.expired());
}

TEST_CASE("oversized callables fall back to one heap allocation and still work") {
  std::array<long, 12> big{};
  big[11] = 5;
  long out = 0;
  auto f = [big, &out] { out = big[11]; };
  static_assert(!InlineAction::fits_inline<decltype(f)>());
  InlineAction a(f);
  InlineAction b(std::move(a));
  b();
  CHECK(out == 5);
  b.reset();
  CHECK_FALSE(static_cast<bool>(b));
}
