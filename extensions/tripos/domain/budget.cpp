#include "tripos/domain/budget.hpp"

#include "core/errors.hpp"

namespace core = pgcpp::core;

namespace tripos::domain {

bool crosses_budget_threshold(const core::Decimal& spent_before, const core::Decimal& spent_after,
                              const core::Decimal& budget, int threshold_percent) {
    if (threshold_percent < 1 || threshold_percent > 1000) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "a budget threshold lies between 1 and 1000 percent");
    }
    if (budget.is_negative() || budget.is_zero()) return false;
    // spent x 100 >= budget x threshold, exactly.
    const core::Decimal hundred = core::Decimal::from_int(100);
    const core::Decimal line = budget * core::Decimal::from_int(threshold_percent);
    return spent_before * hundred < line && spent_after * hundred >= line;
}

int budget_rule_threshold(std::optional<int> configured) {
    if (!configured) return 100;
    for (int threshold : kBudgetThresholds) {
        if (*configured == threshold) return threshold;
    }
    throw core::DomainError(core::ErrorKind::InvalidParameter,
                            "a budget_exceeded rule's threshold_percent is 80 or 100", {},
                            "Budget events are raised when spending crosses 80 % and 100 % of the trip's budget.");
}

}  // namespace tripos::domain
