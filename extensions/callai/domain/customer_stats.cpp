#include "callai/domain/customer_stats.hpp"

namespace callai::domain {

void CustomerStatsDeltas::added(const OrderFacts& order) {
    if (!order.customer || !counts_toward_customer(order.status)) return;
    CustomerDelta& d = deltas_[*order.customer];
    d.spent = d.spent + order.total;
    d.orders += 1;
    if (!d.newest_added || *d.newest_added < order.order_date) d.newest_added = order.order_date;
}

void CustomerStatsDeltas::removed(const OrderFacts& order) {
    if (!order.customer || !counts_toward_customer(order.status)) return;
    CustomerDelta& d = deltas_[*order.customer];
    d.spent = d.spent - order.total;
    d.orders -= 1;
    d.recompute_last_date = true;
}

void CustomerStatsDeltas::changed(const OrderFacts& before, const OrderFacts& after) {
    const bool same = before.customer == after.customer &&
                      counts_toward_customer(before.status) ==
                          counts_toward_customer(after.status) &&
                      before.total == after.total && before.order_date == after.order_date;
    if (same) return;
    if (before.customer && before.customer == after.customer &&
        counts_toward_customer(before.status) && counts_toward_customer(after.status) &&
        before.order_date == after.order_date) {
        CustomerDelta& d = deltas_[*before.customer];  // only the amount moved
        d.spent = d.spent + after.total - before.total;
        return;
    }
    removed(before);
    added(after);
}

std::vector<std::pair<Uuid, CustomerDelta>> CustomerStatsDeltas::sorted() const {
    return {deltas_.begin(), deltas_.end()};
}

}  // namespace callai::domain
