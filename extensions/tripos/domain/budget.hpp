// Budget tracking: a trip's spend against trips.budget.
#pragma once

#include <optional>

#include "core/decimal.hpp"

namespace tripos::domain {

// The shares of the budget whose upward crossing raises a budget event.
inline constexpr int kBudgetThresholds[] = {80, 100};

// True when spend moves from below threshold_percent of the budget to at or
// above it (a crossing, raised once; moving back below re-arms it). No budget
// (<= 0) never crosses. threshold_percent: 1..1000.
bool crosses_budget_threshold(const pgcpp::core::Decimal& spent_before, const pgcpp::core::Decimal& spent_after,
                              const pgcpp::core::Decimal& budget, int threshold_percent);

// The threshold a budget_exceeded automation rule fires on: its
// trigger_config's threshold_percent, 100 when absent; one that no event is
// raised for (not one of kBudgetThresholds) is refused (22023), so a rule
// that could never fire is not stored.
int budget_rule_threshold(std::optional<int> configured);

}  // namespace tripos::domain
