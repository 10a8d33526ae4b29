// Who pays whom to settle a trip's expenses in one currency.
//
// balance = paid - owed + settlements sent - settlements received
// (positive: the group owes this member). The suggestions use the fewest
// transfers: a group of k members with a non-zero balance that splits into g
// disjoint zero-sum subgroups needs exactly k - g transfers, and no fewer.
// That partition is found exactly (dynamic programming over subsets) for up
// to kExactLimit members, and approximated beyond (largest debtor pays the
// largest creditor, at most k - 1 transfers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tripos::domain {

struct Transfer {
    std::size_t from;  // index of the paying member in the balances
    std::size_t to;
    std::int64_t amount;
};

inline constexpr std::size_t kExactLimit = 16;

// balances in minor units, one per member, summing to 0 (else 22023).
// Deterministic: ties go to the lower index.
std::vector<Transfer> settle_balances(const std::vector<std::int64_t>& balances);

}  // namespace tripos::domain
