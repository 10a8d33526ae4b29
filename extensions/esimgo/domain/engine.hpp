// The pricing engine: bundle choice, condition evaluation and the event
// arithmetic of a strategy, for one request or for a whole catalog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "esimgo/domain/money.hpp"
#include "esimgo/domain/rules.hpp"

namespace esimgo::domain {

struct Request {
    int days = 0;
    std::optional<std::string> country, region, group;
    std::string payment_method = "ISRAELI_CARD";
    bool high_demand_country = false;
    std::int64_t now_us = 0;  // the transaction's timestamp, for block validity windows
};

// Whether a catalog row can serve the request's scope: unlimited, in the
// region / covering the country asked for, and in the group asked for (a
// row without groups serves every group).
bool in_scope(const Bundle& bundle, const Request& request);

struct AppliedRule {
    const Block* block = nullptr;
    Cents impact = 0;
};

struct PriceResult {
    const Bundle* selected = nullptr;
    const Bundle* previous = nullptr;
    int unused_days = 0;
    Cents cost = 0;
    Cents final_price = 0;
    Cents markup = 0;         // sum of apply-markup impacts
    Cents discount = 0;       // |sum of discount impacts|
    Cents processing = 0;     // sum of processing-fee impacts
    Cents unused_days_impact = 0;
    std::vector<AppliedRule> applied;  // in the order the events ran
};

// Prices one request against the bundles of its scope (`scope`: rows for
// which in_scope holds, in any order). Throws DomainError(NotFound) when no
// bundle of the scope lasts the requested days.
PriceResult price(const Strategy& strategy, const Request& request, const std::vector<const Bundle*>& scope);

// What a catalog run works out once per scope instead of once per price:
// the scope's distinct validities (ascending) and, as they are asked for, the
// best bundle of a validity under a provider preference.
struct ScopeIndex {
    std::vector<int> durations;
    struct Best {
        int validity;
        const std::vector<std::string>* preference;
        const Bundle* bundle;
    };
    std::vector<Best> best;
};
ScopeIndex index_scope(const std::vector<const Bundle*>& scope);

// Like price() but reports "no bundle" by returning false (for catalog runs,
// where such a request is simply not offered). `index`, when given, must be
// index_scope(scope).
bool try_price(const Strategy& strategy, const Request& request, const std::vector<const Bundle*>& scope,
               PriceResult& out, ScopeIndex* index = nullptr);

// The distinct validities of `scope`, ascending.
std::vector<int> scope_durations(const std::vector<const Bundle*>& scope);

// Derived figures of upstream's breakdown.
struct Figures {
    Cents price_after_discount, total_cost, final_revenue, net_profit, discount_per_day;
    std::int64_t processing_rate_e2, discount_rate_e2;  // hundredths of a percent
};
Figures figures(const PriceResult& result, int requested_days);

// The breakdown as JSON text, with upstream's camelCase keys.
std::string breakdown_json(const PriceResult& result, const Request& request);
// appliedRules alone, as a JSON array.
std::string applied_rules_json(const PriceResult& result);

}  // namespace esimgo::domain
