// Expense splitting in integer minor units (cents for USD, yen for JPY).
//
// One remainder rule for every method: each participant first gets the floor
// of their exact share; the units left over go one each to the participants
// with the largest fractional parts, ties to the earlier participant in the
// given order (callers pass participants sorted by user id, so the result is
// the same whoever computes it). The shares always sum to the amount.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tripos::domain {

enum class SplitMethod { Equal, Exact, Percent, Shares };

std::optional<SplitMethod> parse_split_method(std::string_view text);

// Percentages travel as basis points (hundredths of a percent, numeric(5,2)
// x 100), so 33.33 % is 3333 and the whole is 10000.
inline constexpr std::int64_t kWholeInBasisPoints = 10000;

// amount: the expense in minor units, > 0.
// values, one per participant (at least one):
//   Equal: ignored; Exact: the share in minor units (sum = amount);
//   Percent: basis points (sum = 10000); Shares: weights >= 0 (sum > 0).
std::vector<std::int64_t> split_amount(std::int64_t amount, SplitMethod method,
                                       const std::vector<std::int64_t>& values);

}  // namespace tripos::domain
