#include "onesim/domain/earnings.hpp"

#include <string>

#include "core/errors.hpp"

namespace onesim::domain {

using pgcpp::core::Decimal;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;


OrderPhase order_phase(std::string_view s) {
    if (s == "PENDING" || s == "PROCESSING") return OrderPhase::Live;
    if (s == "ALLOCATED") return OrderPhase::Allocated;
    if (s == "FAILED" || s == "CANCELLED" || s == "REFUNDED") return OrderPhase::Dead;
    throw DomainError(ErrorKind::InvalidParameter,
                      "unknown order status \"" + std::string(s.substr(0, 32)) + "\"");
}

EarningStatus parse_earning_status(std::string_view s) {
    if (s.empty()) return EarningStatus::None;
    if (s == "pending") return EarningStatus::Pending;
    if (s == "earned") return EarningStatus::Earned;
    if (s == "paid") return EarningStatus::Paid;
    if (s == "cancelled") return EarningStatus::Cancelled;
    throw DomainError(ErrorKind::InvalidParameter,
                      "unknown earning status \"" + std::string(s.substr(0, 32)) + "\"");
}

const char* earning_status_name(EarningStatus status) noexcept {
    switch (status) {
        case EarningStatus::Pending: return "pending";
        case EarningStatus::Earned: return "earned";
        case EarningStatus::Paid: return "paid";
        case EarningStatus::Cancelled: return "cancelled";
        case EarningStatus::None: break;
    }
    return "";
}

EarningStatus desired_earning_status(bool commissionable, OrderPhase phase,
                                     EarningStatus current, bool paid_out) {
    const bool exists = current != EarningStatus::None;
    if (!commissionable || phase == OrderPhase::Dead) {
        return exists ? EarningStatus::Cancelled : EarningStatus::None;
    }
    // An earning that was paid out stays paid while the order is live: a
    // re-allocation after a clawback undoes the clawback, nothing more.
    if (current == EarningStatus::Paid || (current == EarningStatus::Cancelled && paid_out)) {
        return EarningStatus::Paid;
    }
    if (phase == OrderPhase::Allocated) return EarningStatus::Earned;
    return current == EarningStatus::Earned ? EarningStatus::Earned : EarningStatus::Pending;
}

EarningTotals& EarningTotals::operator+=(const EarningTotals& o) {
    pending = pending + o.pending;
    total = total + o.total;
    balance = balance + o.balance;
    return *this;
}

EarningTotals& EarningTotals::operator-=(const EarningTotals& o) {
    pending = pending - o.pending;
    total = total - o.total;
    balance = balance - o.balance;
    return *this;
}

bool EarningTotals::is_zero() const {
    return pending.is_zero() && total.is_zero() && balance.is_zero();
}

EarningTotals earning_contribution(EarningStatus status, bool paid_out, const Decimal& amount) {
    EarningTotals t;
    switch (status) {
        case EarningStatus::Pending: t.pending = amount; break;
        case EarningStatus::Earned:
            t.total = amount;
            t.balance = amount;
            break;
        case EarningStatus::Paid: t.total = amount; break;
        case EarningStatus::Cancelled:
            // A paid-out commission taken back: the partner owes it.
            if (paid_out) t.balance = -amount;
            break;
        case EarningStatus::None: break;
    }
    return t;
}

}  // namespace onesim::domain
