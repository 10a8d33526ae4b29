// Budget tracking: a trip's spend against trips.budget.
#pragma once

#include "core/decimal.hpp"

namespace tripos::domain {

// True when spend moves from below threshold_percent of the budget to at or
// above it (a crossing, raised once; moving back below re-arms it). No budget
// (<= 0) never crosses. threshold_percent: 1..1000.
bool crosses_budget_threshold(const pgcpp::core::Decimal& spent_before, const pgcpp::core::Decimal& spent_after,
                              const pgcpp::core::Decimal& budget, int threshold_percent);

}  // namespace tripos::domain
