// Order arithmetic of CallAI: line totals, order totals, the fulfilment
// roll-up and which order statuses hold stock or count toward a customer's
// figures. Pure C++: no PostgreSQL header.
//
// Rounding rule (the one rule for every amount of an order): a line's gross
// amount price x quantity is rounded to cents, half away from zero (what
// PostgreSQL's round(numeric, 2) does), before its discount is taken off;
// every other amount is a sum or difference of cent amounts and stays exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"

namespace callai::domain {

using Decimal = pgcpp::core::Decimal;

constexpr int kMoneyScale = 2;

// price x quantity - discount, the gross rounded to cents. Refuses (23514)
// a negative price or discount, a quantity below 1, and a discount larger
// than the gross amount.
Decimal line_total(const Decimal& price, std::int64_t quantity, const Decimal& discount);

// subtotal + tax + shipping - discounts. Refuses (23514) negative parts and
// a negative result (discounts larger than what they discount).
Decimal order_total(const Decimal& subtotal, const Decimal& tax, const Decimal& shipping,
                    const Decimal& discounts);

// The order_status enum, in its declared order.
enum class OrderStatus {
    Pending, Confirmed, Processing, Shipped, Delivered, Cancelled, Refunded, Returned
};
OrderStatus parse_order_status(std::string_view label);

// Stock is held (taken off inventory) while an order is confirmed and on its
// way: confirmed, processing, shipped, delivered. Pending orders have not
// reserved yet; cancelled, refunded and returned ones have given it back.
bool holds_stock(OrderStatus status);

// Cancelled and refunded orders do not count toward a customer's figures.
bool counts_toward_customer(OrderStatus status);

// The fulfillment_status enum.
enum class Fulfilment { Unfulfilled, Partial, Fulfilled, Restocked, Cancelled };
Fulfilment parse_fulfilment(std::string_view label);
const char* fulfilment_label(Fulfilment value);

// A line's status from its quantities (0 <= fulfilled <= quantity, else 23514).
Fulfilment line_fulfilment(std::int64_t quantity, std::int64_t fulfilled);

struct LineProgress {
    std::int64_t quantity;
    std::int64_t fulfilled;
};

// The order's status from its lines: fulfilled when every line is fully
// fulfilled, partial when some quantity is, unfulfilled otherwise (and for an
// order without lines). Restocked and cancelled are set by people, never
// rolled up: an order that carries one keeps it.
Fulfilment roll_up(Fulfilment current, const std::vector<LineProgress>& lines);

// The roll-up after `added` lines join an order whose status `current` is
// the roll-up of its existing lines (or set by people), when it follows from
// `current` alone: std::nullopt when it does not (an unfulfilled order
// gaining a line with fulfilled quantity is fulfilled or partial depending
// on whether it had lines). Equals roll_up(current, existing + added).
std::optional<Fulfilment> roll_up_added(Fulfilment current, const std::vector<LineProgress>& added);

}  // namespace callai::domain
