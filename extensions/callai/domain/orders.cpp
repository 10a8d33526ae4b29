#include "callai/domain/orders.hpp"

#include <array>
#include <string>

#include "core/errors.hpp"

namespace callai::domain {

using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

namespace {

const Decimal kZero = Decimal::from_int(0);

void require_not_negative(const Decimal& value, const char* what) {
    if (value.is_negative()) {
        throw DomainError(ErrorKind::CheckViolation,
                          std::string(what) + " must not be negative, got " + value.to_string());
    }
}

template <typename Enum, std::size_t N>
Enum parse_label(std::string_view label, const std::array<const char*, N>& labels,
                 const char* type) {
    for (std::size_t i = 0; i < N; ++i) {
        if (label == labels[i]) return static_cast<Enum>(i);
    }
    throw DomainError(ErrorKind::InvalidText,
                      std::string("invalid ") + type + " \"" + std::string(label) + "\"");
}

constexpr std::array<const char*, 8> kOrderStatusLabels = {
    "pending", "confirmed", "processing", "shipped", "delivered", "cancelled", "refunded",
    "returned"};
constexpr std::array<const char*, 5> kFulfilmentLabels = {
    "unfulfilled", "partial", "fulfilled", "restocked", "cancelled"};

}  // namespace

Decimal line_total(const Decimal& price, std::int64_t quantity, const Decimal& discount) {
    require_not_negative(price, "a line's price");
    require_not_negative(discount, "a line's discount");
    if (quantity < 1) {
        throw DomainError(ErrorKind::CheckViolation,
                          "a line's quantity must be at least 1, got " + std::to_string(quantity));
    }
    const Decimal gross = (price * Decimal::from_int(quantity)).rescale(kMoneyScale);
    if (discount > gross) {
        throw DomainError(ErrorKind::CheckViolation,
                          "a line's discount " + discount.to_string() +
                              " exceeds its amount " + gross.to_string());
    }
    return (gross - discount).rescale(std::max(kMoneyScale, discount.scale()));
}

Decimal order_total(const Decimal& subtotal, const Decimal& tax, const Decimal& shipping,
                    const Decimal& discounts) {
    require_not_negative(subtotal, "subtotal_price");
    require_not_negative(tax, "total_tax");
    require_not_negative(shipping, "total_shipping");
    require_not_negative(discounts, "total_discounts");
    const Decimal total = subtotal + tax + shipping - discounts;
    if (total.is_negative()) {
        throw DomainError(ErrorKind::CheckViolation,
                          "total_discounts " + discounts.to_string() +
                              " exceed the order's amount " + (subtotal + tax + shipping).to_string());
    }
    return total;
}

OrderStatus parse_order_status(std::string_view label) {
    return parse_label<OrderStatus>(label, kOrderStatusLabels, "order_status");
}

bool holds_stock(OrderStatus status) {
    switch (status) {
        case OrderStatus::Confirmed:
        case OrderStatus::Processing:
        case OrderStatus::Shipped:
        case OrderStatus::Delivered:
            return true;
        default:
            return false;
    }
}

bool counts_toward_customer(OrderStatus status) {
    return status != OrderStatus::Cancelled && status != OrderStatus::Refunded;
}

Fulfilment parse_fulfilment(std::string_view label) {
    return parse_label<Fulfilment>(label, kFulfilmentLabels, "fulfillment_status");
}

const char* fulfilment_label(Fulfilment value) {
    return kFulfilmentLabels[static_cast<std::size_t>(value)];
}

Fulfilment line_fulfilment(std::int64_t quantity, std::int64_t fulfilled) {
    if (fulfilled < 0 || fulfilled > quantity) {
        throw DomainError(ErrorKind::CheckViolation,
                          "fulfilled_quantity " + std::to_string(fulfilled) +
                              " must lie between 0 and the line's quantity " +
                              std::to_string(quantity));
    }
    if (fulfilled == 0) return Fulfilment::Unfulfilled;
    return fulfilled == quantity ? Fulfilment::Fulfilled : Fulfilment::Partial;
}

Fulfilment roll_up(Fulfilment current, const std::vector<LineProgress>& lines) {
    if (current == Fulfilment::Restocked || current == Fulfilment::Cancelled) return current;
    if (lines.empty()) return Fulfilment::Unfulfilled;
    bool all = true;
    bool some = false;
    for (const LineProgress& line : lines) {
        const Fulfilment f = line_fulfilment(line.quantity, line.fulfilled);
        if (f != Fulfilment::Fulfilled) all = false;
        if (f != Fulfilment::Unfulfilled) some = true;
    }
    if (all) return Fulfilment::Fulfilled;
    return some ? Fulfilment::Partial : Fulfilment::Unfulfilled;
}

std::optional<Fulfilment> roll_up_added(Fulfilment current, const std::vector<LineProgress>& added) {
    if (current == Fulfilment::Restocked || current == Fulfilment::Cancelled) return current;
    bool all = true;
    bool some = false;
    for (const LineProgress& line : added) {
        const Fulfilment f = line_fulfilment(line.quantity, line.fulfilled);
        if (f != Fulfilment::Fulfilled) all = false;
        if (f != Fulfilment::Unfulfilled) some = true;
    }
    if (added.empty()) return current;
    switch (current) {
        case Fulfilment::Fulfilled: return all ? Fulfilment::Fulfilled : Fulfilment::Partial;  // it had lines, all done
        case Fulfilment::Partial: return Fulfilment::Partial;  // a line not done stays, some quantity stays done
        case Fulfilment::Unfulfilled:
            if (!some) return Fulfilment::Unfulfilled;
            return std::nullopt;  // fulfilled without earlier lines, partial with them
        default: return std::nullopt;
    }
}

}  // namespace callai::domain
