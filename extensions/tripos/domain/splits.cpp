#include "tripos/domain/splits.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include "core/errors.hpp"

namespace core = pgcpp::core;

namespace tripos::domain {

namespace {

[[noreturn]] void refuse(const std::string& message) {
    throw core::DomainError(core::ErrorKind::InvalidParameter, message);
}

// Shares proportional to weights (sum > 0), remainder by largest fraction.
std::vector<std::int64_t> proportional(std::int64_t amount, const std::vector<std::int64_t>& weights) {
    __int128 total = 0;
    for (auto w : weights) {
        total += w;
    }
    std::vector<std::int64_t> shares(weights.size());
    std::vector<__int128> fractions(weights.size());
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const __int128 exact = static_cast<__int128>(amount) * weights[i];
        shares[i] = static_cast<std::int64_t>(exact / total);
        fractions[i] = exact % total;
        given += shares[i];
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return fractions[a] > fractions[b]; });
    for (std::int64_t left = amount - given, k = 0; left > 0; --left, ++k) {
        shares[order[static_cast<std::size_t>(k)]] += 1;
    }
    return shares;
}

}  // namespace

std::optional<SplitMethod> parse_split_method(std::string_view text) {
    if (text == "equal") return SplitMethod::Equal;
    if (text == "exact") return SplitMethod::Exact;
    if (text == "percent") return SplitMethod::Percent;
    if (text == "shares") return SplitMethod::Shares;
    return std::nullopt;
}

std::vector<std::int64_t> split_amount(std::int64_t amount, SplitMethod method,
                                       const std::vector<std::int64_t>& values) {
    if (amount <= 0) {
        refuse("an expense amount must be more than 0 minor units, not " + std::to_string(amount));
    }
    if (values.empty()) {
        refuse("an expense needs at least one participant");
    }
    switch (method) {
        case SplitMethod::Equal:
            return proportional(amount, std::vector<std::int64_t>(values.size(), 1));
        case SplitMethod::Exact: {
            __int128 sum = 0;
            for (auto v : values) {
                if (v < 0) refuse("an exact share cannot be negative");
                sum += v;
            }
            if (sum != amount) {
                refuse("exact shares sum to " + std::to_string(static_cast<long long>(sum)) +
                       " minor units, the expense is " + std::to_string(amount));
            }
            return values;
        }
        case SplitMethod::Percent: {
            std::int64_t sum = 0;
            for (auto v : values) {
                if (v < 0 || v > kWholeInBasisPoints) refuse("a percentage must lie between 0 and 100");
                sum += v;
            }
            if (sum != kWholeInBasisPoints) {
                refuse("percentages sum to " + std::to_string(sum / 100) + "." +
                       std::to_string(sum % 100 / 10) + std::to_string(sum % 10) + ", not 100");
            }
            return proportional(amount, values);
        }
        case SplitMethod::Shares: {
            __int128 sum = 0;
            for (auto v : values) {
                if (v < 0) refuse("a number of shares cannot be negative");
                sum += v;
            }
            if (sum == 0) refuse("shares sum to 0: nobody carries the expense");
            return proportional(amount, values);
        }
    }
    refuse("unknown split method");
}

}  // namespace tripos::domain
