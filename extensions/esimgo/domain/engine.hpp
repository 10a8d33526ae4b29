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
// the scope's distinct validities (ascending) and, per provider preference
// met, the best bundle of every validity (found in one pass over the scope
// the first time that preference is asked for).
class CatalogIndex;
struct ScopeIndex {
    std::vector<int> durations;
    // The best bundle of every duration under one provider preference, keyed
    // by the preference's content (a copy: the strategy that gave it may be
    // gone). It depends on the scope's rows and that content alone, so it
    // stays right under any strategy, in any later run, while the rows do.
    struct Best {
        bool preferred = false;               // false: no provider preference
        std::vector<std::string> preference;  // the providers in order, when preferred
        int number = -1;  // the source's number for that content (CatalogIndex::preference_number), if any
        std::vector<const Bundle*> by_duration;  // aligned with durations
        bool is(const std::vector<std::string>* p) const { return p ? preferred && preference == *p : !preferred; }
    };
    std::vector<Best> best;
    // Set by CatalogIndex::select: it makes a preference's Best from its
    // compact rows, as it is first asked for. A selection kept across runs
    // stays valid, its Bests included, while its CatalogIndex lives (the
    // index must be given each run's strategy: CatalogIndex::use).
    const CatalogIndex* source = nullptr;
    std::vector<std::uint32_t> members;   // the compact rows selected
    std::vector<std::uint32_t> position;  // catalog validity number -> index in durations
};
ScopeIndex index_scope(const std::vector<const Bundle*>& scope);

// For whole-catalog runs: the catalog's rows in a compact form (cost,
// validity, interned provider and groups, 32 bytes a row), so that gathering
// a scope's rows for one group and building their ScopeIndex reads a few
// bytes per row instead of each Bundle. Choices are those of index_scope and
// try_price: the best bundle of each validity under a preference the
// strategy's provider-selection blocks can give (or none) is made from the
// compact rows when try_price first asks for it.
class CatalogIndex {
public:
    // The rows of `catalog` (which must outlive the index and stay unchanged).
    explicit CatalogIndex(const std::vector<Bundle>& catalog);
    CatalogIndex(const std::vector<Bundle>& catalog, const Strategy& strategy) : CatalogIndex(catalog) { use(strategy); }
    // Takes the provider preferences `strategy` can give (kept by address:
    // the strategy must outlive the select() and best_for() calls that
    // follow). An index kept across runs is given each run's strategy.
    void use(const Strategy& strategy);
    // Interned group names, by number.
    const std::vector<const std::string*>& group_names() const { return group_names_; }
    // The distinct group numbers of the rows `scope` (indexes into the catalog).
    std::vector<int> groups_of(const std::vector<std::uint32_t>& scope) const;
    // The rows of `scope` serving group number `group` (-1: every row), in
    // scope order, and their ScopeIndex.
    void select(const std::vector<std::uint32_t>& scope, int group, std::vector<const Bundle*>& rows,
                ScopeIndex& index) const;
    // select() for each of `groups` (numbers, -1: every row) at once: one
    // pass over the scope's rows instead of one per group.
    struct Selection {
        std::vector<const Bundle*> rows;
        ScopeIndex index;
    };
    void select_groups(const std::vector<std::uint32_t>& scope, const std::vector<int>& groups,
                       std::vector<Selection>& out) const;
    // For many scopes at once (each a list of rows, ascending): the groups
    // of each (as groups_of), then, with each scope's groups in the order
    // wanted, select_groups for every scope. Each reads the catalog's rows
    // in order, once, instead of jumping from row to row scope by scope.
    std::vector<std::vector<int>> groups_of_scopes(const std::vector<const std::vector<std::uint32_t>*>& scopes) const;
    void select_scopes(const std::vector<const std::vector<std::uint32_t>*>& scopes,
                       const std::vector<std::vector<int>>& groups, std::vector<std::vector<Selection>>& out) const;
    // The best bundle of every duration of `index` (made by select()) under
    // `preference`; false when the strategy cannot give that preference.
    bool best_for(const std::vector<std::string>* preference, const ScopeIndex& index,
                  std::vector<const Bundle*>& out) const;
    // The number of `preference`'s content (0: no preference), the same for
    // equal contents in every run of this index; -1 when the strategy last
    // given to use() cannot give it.
    int preference_number(const std::vector<std::string>* preference) const {
        for (std::size_t p = 0; p < preferences_.size(); ++p)
            if (preferences_[p] == preference) return preference_numbers_[p];
        return -1;
    }

private:
    struct Row {
        const Bundle* bundle;
        Cents price;
        std::uint64_t group_mask;  // bit n: group number n (when there are at most 64)
        std::uint32_t provider;
        std::uint32_t validity;  // number in validities_
        std::uint32_t group_begin;
        std::uint32_t group_count;
    };
    bool masks_ = false;                // at most 64 groups and 64 validities
    std::vector<int> validities_;       // distinct, ascending
    std::vector<Row> rows_;
    // The scopes of each row (row i: scope_of_row[begin[i] .. begin[i + 1]]).
    struct RowScopes {
        std::vector<std::uint32_t> begin, scope;
    };
    RowScopes transpose(const std::vector<const std::vector<std::uint32_t>*>& scopes) const;
    std::vector<int> row_groups_;  // Row::group_begin .. + group_count
    std::vector<const std::string*> group_names_;
    std::vector<const std::string*> provider_names_;
    std::vector<const std::vector<std::string>*> preferences_;  // the strategy's, nullptr first
    std::vector<int> preference_numbers_;                        // aligned with preferences_
    // Every preference content met, kept for the index's life: number n + 1
    // is contents_[n], 0 no preference; rank_[number][provider].
    std::vector<std::vector<std::string>> contents_;
    std::vector<std::vector<std::uint32_t>> rank_;
};

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
