#include "tripos/domain/billing.hpp"

#include <array>

#include "core/errors.hpp"

namespace core = pgcpp::core;

namespace tripos::domain {

bool is_newer(const EventStamp& incoming, const std::optional<EventStamp>& applied) {
    if (!applied) return true;
    if (incoming.created != applied->created) return incoming.created > applied->created;
    return incoming.id > applied->id;
}

bool is_subscription_status(std::string_view status) {
    static constexpr std::array<std::string_view, 8> known = {
        "active", "trialing", "past_due", "canceled", "incomplete", "incomplete_expired", "unpaid", "paused"};
    for (auto k : known) {
        if (k == status) return true;
    }
    return false;
}

bool grants_plan(std::string_view status) {
    // past_due keeps access while Stripe retries the payment (its default
    // dunning behaviour); every other state falls back to the free plan.
    return status == "active" || status == "trialing" || status == "past_due";
}

bool within_limit(std::int64_t used, std::int64_t limit) {
    if (limit == kUnlimited) return true;
    if (limit < 0) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "a plan limit is -1 (unlimited) or 0 and more, not " + std::to_string(limit));
    }
    return used < limit;
}

int currency_exponent(std::string_view currency) {
    // Stripe's zero-decimal currencies.
    static constexpr std::array<std::string_view, 16> zero = {"bif", "clp", "djf", "gnf", "jpy", "kmf",
                                                              "krw", "mga", "pyg", "rwf", "ugx", "vnd",
                                                              "vuv", "xaf", "xof", "xpf"};
    for (auto z : zero) {
        if (z == currency) return 0;
    }
    if (currency.size() != 3) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "a currency is a three-letter ISO code, not '" + std::string(currency) + "'");
    }
    return 2;
}

std::string minor_to_major_text(std::int64_t amount, int exponent) {
    const bool negative = amount < 0;
    // Through unsigned so the most negative amount does not overflow.
    std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
    std::string digits = std::to_string(magnitude);
    if (exponent > 0) {
        if (digits.size() <= static_cast<std::size_t>(exponent)) {
            digits.insert(0, static_cast<std::size_t>(exponent) + 1 - digits.size(), '0');
        }
        digits.insert(digits.size() - static_cast<std::size_t>(exponent), ".");
    }
    return negative ? "-" + digits : digits;
}

}  // namespace tripos::domain
