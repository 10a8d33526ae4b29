#include "tripos/domain/settlement.hpp"

#include <algorithm>
#include <string>

#include "core/errors.hpp"

namespace core = pgcpp::core;

namespace tripos::domain {

namespace {

// Settles one group by repeatedly matching the largest debtor with the largest
// creditor; every step clears at least one member, so |group| - 1 transfers.
void settle_greedy(const std::vector<std::int64_t>& balances, const std::vector<std::size_t>& members,
                   std::vector<Transfer>& out) {
    std::vector<std::pair<std::size_t, std::int64_t>> left;
    for (auto m : members) {
        left.emplace_back(m, balances[m]);
    }
    for (;;) {
        std::size_t debtor = left.size(), creditor = left.size();
        for (std::size_t i = 0; i < left.size(); ++i) {
            if (left[i].second < 0 && (debtor == left.size() || left[i].second < left[debtor].second)) debtor = i;
            if (left[i].second > 0 && (creditor == left.size() || left[i].second > left[creditor].second)) creditor = i;
        }
        if (debtor == left.size() || creditor == left.size()) {
            return;
        }
        const std::int64_t amount = std::min(-left[debtor].second, left[creditor].second);
        out.push_back({left[debtor].first, left[creditor].first, amount});
        left[debtor].second += amount;
        left[creditor].second -= amount;
    }
}

}  // namespace

std::vector<Transfer> settle_balances(const std::vector<std::int64_t>& balances) {
    __int128 sum = 0;
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < balances.size(); ++i) {
        sum += balances[i];
        if (balances[i] != 0) open.push_back(i);
    }
    if (sum != 0) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "balances do not sum to 0: they cannot be settled among the members");
    }
    std::vector<Transfer> transfers;
    if (open.size() > kExactLimit) {
        settle_greedy(balances, open, transfers);
        return transfers;
    }
    // groups[mask]: the most zero-sum subgroups mask's members can be cut
    // into, counted along a chain of prefixes (adding one member at a time
    // and closing a group whenever the prefix sums to 0 is enough to reach
    // the optimum). best[mask]: the member added last on a best chain.
    const std::size_t k = open.size();
    const std::size_t full = (std::size_t{1} << k) - 1;
    std::vector<std::int64_t> mask_sum(full + 1, 0);
    std::vector<int> groups(full + 1, 0);
    std::vector<int> last(full + 1, -1);
    for (std::size_t mask = 1; mask <= full; ++mask) {
        int low = __builtin_ctzll(mask);
        mask_sum[mask] = mask_sum[mask & (mask - 1)] + balances[open[static_cast<std::size_t>(low)]];
        for (std::size_t i = 0; i < k; ++i) {
            if (!(mask & (std::size_t{1} << i))) continue;
            const int candidate = groups[mask ^ (std::size_t{1} << i)];
            if (last[mask] < 0 || candidate > groups[mask]) {
                groups[mask] = candidate;
                last[mask] = static_cast<int>(i);
            }
        }
        if (mask_sum[mask] == 0) groups[mask] += 1;
    }
    // Walk the chain back from the full set; each stretch between zero-sum
    // prefixes is one subgroup, settled with |subgroup| - 1 transfers.
    std::vector<std::vector<std::size_t>> subgroups;
    std::vector<std::size_t> current;
    for (std::size_t mask = full; mask != 0;) {
        if (mask_sum[mask] == 0 && !current.empty()) {
            subgroups.push_back(current);
            current.clear();
        }
        const int i = last[mask];
        current.push_back(open[static_cast<std::size_t>(i)]);
        mask ^= std::size_t{1} << i;
    }
    if (!current.empty()) subgroups.push_back(current);
    std::reverse(subgroups.begin(), subgroups.end());
    for (auto& group : subgroups) {
        std::sort(group.begin(), group.end());
        settle_greedy(balances, group, transfers);
    }
    return transfers;
}

}  // namespace tripos::domain
