// The earnings lifecycle and what each earning contributes to its partner's
// totals (docs/design.md, "Earnings lifecycle" and "Maintained figures").
#pragma once

#include <string_view>

#include "core/decimal.hpp"
#include "core/errors.hpp"

namespace onesim::domain {

using pgcpp::core::Decimal;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;


enum class EarningStatus { None, Pending, Earned, Paid, Cancelled };

// Where an order stands, from its order_status.
enum class OrderPhase { Live, Allocated, Dead };

// PENDING, PROCESSING -> Live; ALLOCATED -> Allocated; FAILED, CANCELLED,
// REFUNDED -> Dead. Anything else is an InvalidParameter error.
OrderPhase order_phase(std::string_view order_status);

EarningStatus parse_earning_status(std::string_view status);  // "" or NULL -> None
const char* earning_status_name(EarningStatus status) noexcept;

// The status an order's earning must have, from the order's state and the
// earning's current state. A pure function of state, not of events, so it is
// idempotent and correct whatever the previous order status was:
//   not commissionable -> cancelled (if an earning exists)
//   dead               -> cancelled (if an earning exists)
//   allocated          -> earned; paid if it was already paid out
//   live               -> pending, unless already earned or paid out
// Returns None when no earning should exist (none exists and none is due).
EarningStatus desired_earning_status(bool commissionable, OrderPhase phase,
                                     EarningStatus current, bool paid_out);

// What one earning adds to its partner's maintained totals.
struct EarningTotals {
    Decimal pending;  // partners.pending_earnings
    Decimal total;    // partners.total_earnings
    Decimal balance;  // partners.balance

    EarningTotals& operator+=(const EarningTotals& o);
    EarningTotals& operator-=(const EarningTotals& o);
    bool is_zero() const;
};

EarningTotals earning_contribution(EarningStatus status, bool paid_out, const Decimal& amount);

}  // namespace onesim::domain
