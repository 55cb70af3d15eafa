#include "models/chain/perishable.h"

#include <algorithm>
#include <cmath>

namespace chainsim::models {

namespace {
// A batch left with less than this is round-off dust of a fractional take.
constexpr Qty kDust = 1e-9;
}  // namespace

bool AgeBatches::expired_by(Time expires, Time now) noexcept {
  // Put-away time + shelf life and start + k period round differently when
  // the period is not a whole number: an expiry within round-off of a
  // boundary is due at that boundary.
  return expires <= now + 1e-9 * std::max(1.0, std::abs(now));
}

void AgeBatches::add(Qty qty, Time expires) {
  if (!(qty > kDust)) return;
  total_ += qty;
  next_expiry_ = std::min(next_expiry_, expires);
  if (rule_ != Issuing::kFefo || batches_.empty() || batches_.back().expires <= expires) {
    batches_.push_back({qty, expires});
    return;
  }
  // FEFO: after every batch expiring no later (ties stay in arrival order).
  const auto at = std::upper_bound(batches_.begin(), batches_.end(), expires,
                                   [](Time t, const AgeBatch& b) { return t < b.expires; });
  batches_.insert(at, {qty, expires});
}

Qty AgeBatches::take(Qty qty, std::vector<AgeBatch>* out) {
  Qty taken = 0.0;
  const bool from_back = rule_ == Issuing::kLifo;
  while (qty - taken > kDust && !batches_.empty()) {
    AgeBatch& b = from_back ? batches_.back() : batches_.front();
    const Qty q = std::min(b.qty, qty - taken);
    if (out != nullptr) out->push_back({q, b.expires});
    taken += q;
    b.qty -= q;
    if (b.qty <= kDust) {
      if (from_back) {
        batches_.pop_back();
      } else {
        batches_.pop_front();
      }
    }
  }
  total_ = batches_.empty() ? 0.0 : total_ - taken;
  refresh_next_expiry();
  return taken;
}

Qty AgeBatches::expire(Time now) {
  if (!expired_by(next_expiry_, now)) return 0.0;
  Qty gone = 0.0;
  std::erase_if(batches_, [&](const AgeBatch& b) {
    if (!expired_by(b.expires, now)) return false;
    gone += b.qty;
    return true;
  });
  total_ = batches_.empty() ? 0.0 : total_ - gone;
  refresh_next_expiry();
  return gone;
}

void AgeBatches::refresh_next_expiry() noexcept {
  next_expiry_ = kInfinity;
  if (rule_ == Issuing::kFefo) {
    if (!batches_.empty()) next_expiry_ = batches_.front().expires;
    return;
  }
  for (const AgeBatch& b : batches_) next_expiry_ = std::min(next_expiry_, b.expires);
}

}  // namespace chainsim::models
