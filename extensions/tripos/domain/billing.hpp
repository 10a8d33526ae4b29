// Stripe billing rules: event ordering, subscription states, plan limits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tripos::domain {

// Stripe delivers webhooks at least once and in no guaranteed order. Each
// subscription remembers the (created, id) of the event that set its state;
// an event changes it only when it is newer: a later `created`, or the same
// second and a greater event id (a total order, so replays and reorders
// converge on the same state whichever copy arrives last).
struct EventStamp {
    std::int64_t created = 0;  // Stripe's unix seconds
    std::string id;            // evt_...
};

bool is_newer(const EventStamp& incoming, const std::optional<EventStamp>& applied);

// Stripe's subscription statuses (paused included).
bool is_subscription_status(std::string_view status);

// Statuses that grant the plan's limits; others fall back to the free plan.
bool grants_plan(std::string_view status);

// A plan limit: -1 is unlimited; other negatives are refused by the schema.
inline constexpr std::int64_t kUnlimited = -1;

bool within_limit(std::int64_t used, std::int64_t limit);  // may one more be used?

// Converts a Stripe minor-unit amount to the text of a numeric in major
// units, for currencies with `exponent` decimals (2 for usd, 0 for jpy).
std::string minor_to_major_text(std::int64_t amount, int exponent);

// Decimals of a currency in Stripe's amounts (zero-decimal currencies: 0).
int currency_exponent(std::string_view currency);

}  // namespace tripos::domain
