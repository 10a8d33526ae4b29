#include "tripos/domain/ordering.hpp"

#include <string>

#include "core/errors.hpp"

namespace core = pgcpp::core;

namespace tripos::domain {

int insert_position(std::optional<int> requested, int count) {
    if (count < 0) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a group cannot hold fewer than 0 rows");
    }
    if (!requested) {
        return count;
    }
    if (*requested < 0) {
        throw core::DomainError(core::ErrorKind::CheckViolation,
                                "order_index must be 0 or more, not " + std::to_string(*requested));
    }
    return *requested > count ? count : *requested;
}

OrderPlan plan_insert(int group, std::optional<int> requested, int count) {
    const int position = insert_position(requested, count);
    OrderPlan plan{{group, position}, {}};
    if (position < count) {
        plan.shifts.push_back({group, position, kEndOfGroup, +1});
    }
    return plan;
}

OrderPlan plan_move(Placement from, int to_group, std::optional<int> requested, int target_count) {
    if (from.group == to_group) {
        // The group holds target_count + 1 rows; the row can take 0..target_count.
        const int position = insert_position(requested ? requested : std::optional<int>(target_count),
                                             target_count);
        OrderPlan plan{{to_group, position}, {}};
        if (position > from.position) {
            plan.shifts.push_back({to_group, from.position + 1, position, -1});
        } else if (position < from.position) {
            plan.shifts.push_back({to_group, position, from.position - 1, +1});
        }
        return plan;
    }
    const int position = insert_position(requested, target_count);
    OrderPlan plan{{to_group, position}, {}};
    plan.shifts.push_back(plan_delete(from));
    if (position < target_count) {
        plan.shifts.push_back({to_group, position, kEndOfGroup, +1});
    }
    return plan;
}

Shift plan_delete(Placement at) { return {at.group, at.position + 1, kEndOfGroup, -1}; }

std::vector<std::pair<std::size_t, int>> compact(const std::vector<int>& positions) {
    std::vector<std::pair<std::size_t, int>> changes;
    for (std::size_t i = 0; i < positions.size(); ++i) {
        if (positions[i] != static_cast<int>(i)) {
            changes.emplace_back(i, static_cast<int>(i));
        }
    }
    return changes;
}

}  // namespace tripos::domain
