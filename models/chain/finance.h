// The money side of a node: cash, receivables, payables, and the costs and
// revenue of the current period.
//
// Booking conventions (docs/finance.md):
//   - The seller books revenue and a receivable when it ships; an invoice for
//     the shipment travels to the buyer as its own message.
//   - The buyer books the purchase cost and a payable when the invoice
//     arrives, and pays on its own terms: at issue + discount_within with the
//     discount when the terms offer one, else at issue + net. Payments are
//     made at period boundaries (the first one at or after the due time) and
//     travel as messages; the seller's receivable closes when one arrives.
//   - End customers pay the retail price in cash when served; refunds of
//     returns go back in cash.
//   - Operating costs (holding, ordering, transport, production, supplier
//     material, scrap) are paid in cash when incurred. Backorder and lost-sale
//     penalties are economic costs only: they never move cash.
#pragma once

#include <array>
#include <cstdint>

#include "models/chain/detail/ring_queue.h"
#include "models/chain/types.h"

namespace chainsim::models {

struct Payable {
  Time pay_at = 0.0;       // when this node will pay
  Money amount = 0.0;      // what it will pay (net of any discount)
  Money settles = 0.0;     // the invoice amount this closes at the seller
  LaneId lane = kNone;
  std::uint64_t invoice = 0;
  bool outside = false;    // invoiced by a supplier outside the network
};

struct PaymentTerms {
  double net = 0.0;
  double discount = 0.0;
  double discount_within = 0.0;
  bool offers_discount() const noexcept { return discount > 0.0 && discount_within > 0.0; }
};

class Account {
 public:
  Money cash() const noexcept { return cash_; }
  Money receivables() const noexcept { return receivables_; }
  Money payables() const noexcept { return payables_; }
  // The part of payables owed to suppliers outside the network.
  Money outside_payables() const noexcept { return outside_payables_; }

  void start(Money initial_cash) noexcept { cash_ = initial_cash; }

  // A cost of `kind`; `in_cash` also pays it now.
  void cost(CostKind kind, Money amount, bool in_cash) noexcept {
    period_costs_[static_cast<int>(kind)] += amount;
    total_costs_[static_cast<int>(kind)] += amount;
    if (in_cash) cash_ -= amount;
  }
  // A credit note for returns sent back to a vendor: `amount` of returns
  // cost paid in cash by the vendor (> 0), or received by the returns
  // centre (< 0); also counted apart (credits()) for the per-firm audit.
  void credit_note(Money amount) noexcept {
    cost(CostKind::kReturns, amount, true);
    credits_ += amount;
  }
  // Revenue from a sale on credit (an invoice) or in cash (end customers).
  void sale_on_credit(Money amount) noexcept {
    revenue_ += amount;
    total_revenue_ += amount;
    receivables_ += amount;
  }
  void sale_in_cash(Money amount) noexcept {
    revenue_ += amount;
    customer_revenue_ += amount;
    total_revenue_ += amount;
    cash_ += amount;
  }
  // An invoice received, in two steps: new_payable() returns a blank
  // payable to fill in place (due per the buyer's terms), then
  // invoice_received() books it and puts it in order of due time (equal
  // times in arrival order).
  Payable& new_payable() { return due_.emplace_back(); }
  void invoice_received(Money invoice_amount, bool outside = false) {
    payables_ += invoice_amount;
    cost(CostKind::kPurchase, invoice_amount, false);
    if (outside) {
      outside_purchases_ += invoice_amount;
      outside_payables_ += invoice_amount;
    }
    due_.settle_back([](const Payable& a, const Payable& b) { return a.pay_at < b.pay_at; });
  }
  // The earliest payable due by `now`, if any: pay it (cash out, payable
  // closed, the discount taken off the purchase cost) and return true.
  bool pay_next(Time now, Payable& out) noexcept {
    if (due_.empty() || due_.front().pay_at > now) return false;
    out = due_.front();
    due_.pop_front();
    cash_ -= out.amount;
    payables_ -= out.settles;
    if (out.outside) outside_payables_ -= out.settles;
    paid_out_ += out.amount;
    const Money discount = out.settles - out.amount;
    if (discount != 0.0) {
      cost(CostKind::kPurchase, -discount, false);
      if (out.outside) outside_purchases_ -= discount;
    }
    return true;
  }
  // A payment received for `settles` of receivables.
  void payment_received(Money amount, Money settles) noexcept {
    cash_ += amount;
    receivables_ -= settles;
    paid_in_ += amount;
    const Money discount = settles - amount;
    if (discount != 0.0) {
      revenue_ -= discount;  // a discount given reduces the sale
      total_revenue_ -= discount;
    }
  }

  Money period_revenue() const noexcept { return revenue_; }
  // The part of this period's revenue paid in cash by end customers.
  Money period_customer_revenue() const noexcept { return customer_revenue_; }
  const std::array<Money, kCostKinds>& period_costs() const noexcept { return period_costs_; }
  Money period_paid_in() const noexcept { return paid_in_; }
  Money period_paid_out() const noexcept { return paid_out_; }
  // The part of this period's purchases invoiced from outside the network.
  Money period_outside_purchases() const noexcept { return outside_purchases_; }
  Money total_revenue() const noexcept { return total_revenue_; }
  // Credit notes paid less credit notes received so far (part of the returns cost).
  Money credits() const noexcept { return credits_; }
  const std::array<Money, kCostKinds>& total_costs() const noexcept { return total_costs_; }
  std::size_t open_payables() const noexcept { return due_.size(); }
  // Calls f(payable) for each open payable, earliest due first.
  template <class F>
  void for_each_payable(F f) const {
    for (std::size_t i = 0; i < due_.size(); ++i) f(due_[i]);
  }

  void close_period() noexcept {
    revenue_ = customer_revenue_ = 0.0;
    period_costs_.fill(0.0);
    paid_in_ = paid_out_ = 0.0;
    outside_purchases_ = 0.0;
  }

 private:
  Money cash_ = 0.0;
  Money receivables_ = 0.0;
  Money payables_ = 0.0;
  Money revenue_ = 0.0;
  Money customer_revenue_ = 0.0;
  Money paid_in_ = 0.0;
  Money paid_out_ = 0.0;
  Money outside_purchases_ = 0.0;
  Money outside_payables_ = 0.0;
  Money total_revenue_ = 0.0;
  Money credits_ = 0.0;
  std::array<Money, kCostKinds> period_costs_{};
  std::array<Money, kCostKinds> total_costs_{};
  detail::RingQueue<Payable> due_;
};

}  // namespace chainsim::models
