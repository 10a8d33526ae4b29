// Deltas of a customer's maintained figures (total_spent, lifetime_value,
// total_orders, last_order_date) from the orders a statement changed.
//
// Sums and counts move by exact deltas. last_order_date moves forward by the
// newest order added; when an order that counted leaves a customer (deleted,
// moved to another customer, cancelled, refunded, re-dated) the date may have
// been that order's, so the customer's date is recomputed from its orders.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "callai/domain/orders.hpp"
#include "callai/domain/stock.hpp"

namespace callai::domain {

struct OrderFacts {
    std::optional<Uuid> customer;
    OrderStatus status;
    Decimal total;
    std::int64_t order_date;  // microseconds, PostgreSQL's timestamptz units
};

struct CustomerDelta {
    Decimal spent;               // added to total_spent and lifetime_value
    std::int64_t orders = 0;     // added to total_orders
    std::optional<std::int64_t> newest_added;
    bool recompute_last_date = false;
};

class CustomerStatsDeltas {
public:
    void added(const OrderFacts& order);
    void removed(const OrderFacts& order);
    // One UPDATE's row: nothing when no fact that matters changed.
    void changed(const OrderFacts& before, const OrderFacts& after);

    // Customers whose figures change, in ascending id order.
    std::vector<std::pair<Uuid, CustomerDelta>> sorted() const;

private:
    std::map<Uuid, CustomerDelta> deltas_;
};

}  // namespace callai::domain
