// calculate_price() and price_catalog(): the pricing engine over SQL.
// Both run SECURITY INVOKER from the API schema; the rules and the catalog
// (readable by everyone) are read as the extension's owner, so the rules
// version in esimgo_internal needs no grant.
#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>
#include <set>

#include "core/errors.hpp"
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;
namespace platform = pgcpp::platform;
using esimgo::domain::Bundle;
using esimgo::domain::PriceResult;
using esimgo::domain::Request;

namespace {

std::optional<std::string> optional_text(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return pg::string_from_text(PG_GETARG_DATUM(n));
}

Datum jsonb_from_text(const std::string& text) {
    return pg::call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text.c_str())); });
}

Datum money_datum(esimgo::domain::Cents cents) {
    return pg::numeric_from_decimal(core::Decimal::from_units(cents, 2));
}

// Datums a catalog run hands out again and again (amounts, bundle names),
// made once in a context that lives for the call: tuplestore_putvalues
// copies them into each row.
class DatumCache {
public:
    explicit DatumCache(MemoryContext context) : context_(context) {}
    Datum money(esimgo::domain::Cents cents) {
        auto it = money_.find(cents);
        if (it != money_.end()) return it->second;
        MemoryContext saved = MemoryContextSwitchTo(context_);
        Datum d = money_datum(cents);
        MemoryContextSwitchTo(saved);
        money_.emplace(cents, d);
        return d;
    }
    Datum text(const std::string& s) {
        auto it = text_.find(&s);
        if (it != text_.end()) return it->second;
        MemoryContext saved = MemoryContextSwitchTo(context_);
        Datum d = pg::text_from_string(s);
        MemoryContextSwitchTo(saved);
        text_.emplace(&s, d);
        return d;
    }

private:
    MemoryContext context_;
    std::unordered_map<esimgo::domain::Cents, Datum> money_;
    std::unordered_map<const std::string*, Datum> text_;  // keyed by the string's address: catalog strings do not move
};

// appliedRules as jsonb, built as a JsonbValue tree (no text to parse):
// [{id, name, category, impact}], impact numeric.
Datum applied_rules_jsonb(const PriceResult& r, std::vector<Datum>& impacts, DatumCache& cache) {
    impacts.clear();
    for (const auto& a : r.applied) impacts.push_back(cache.money(a.impact));
    const auto* applied = r.applied.data();
    const Datum* impact = impacts.data();
    const std::size_t n = r.applied.size();
    return pg::call([applied, impact, n] {
        auto string_value = [](JsonbValue& v, const char* text, std::size_t len) {
            v.type = jbvString;
            v.val.string.val = const_cast<char*>(text);
            v.val.string.len = int(len);
        };
        JsonbParseState* state = nullptr;
        pushJsonbValue(&state, WJB_BEGIN_ARRAY, nullptr);
        for (std::size_t i = 0; i < n; ++i) {
            const esimgo::domain::Block* b = applied[i].block;
            JsonbValue key, value;
            pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr);
            string_value(key, "id", 2);
            pushJsonbValue(&state, WJB_KEY, &key);
            string_value(value, b->id.data(), b->id.size());
            pushJsonbValue(&state, WJB_VALUE, &value);
            string_value(key, "name", 4);
            pushJsonbValue(&state, WJB_KEY, &key);
            string_value(value, b->name.data(), b->name.size());
            pushJsonbValue(&state, WJB_VALUE, &value);
            string_value(key, "category", 8);
            pushJsonbValue(&state, WJB_KEY, &key);
            const char* category = esimgo::domain::event_category(b->type);
            string_value(value, category, strlen(category));
            pushJsonbValue(&state, WJB_VALUE, &value);
            string_value(key, "impact", 6);
            pushJsonbValue(&state, WJB_KEY, &key);
            value.type = jbvNumeric;
            value.val.numeric = DatumGetNumeric(impact[i]);
            pushJsonbValue(&state, WJB_VALUE, &value);
            pushJsonbValue(&state, WJB_END_OBJECT, nullptr);
        }
        JsonbValue* result = pushJsonbValue(&state, WJB_END_ARRAY, nullptr);
        return JsonbPGetDatum(JsonbValueToJsonb(result));
    });
}

}  // namespace

// calculate_price(requested_days, country, region, bundle_group, payment_method, strategy_id) -> jsonb
PG_CPP_FUNCTION(esimgo_calculate_price) {
    Request request;
    request.days = DatumGetInt32(pg::required_arg(fcinfo, 0, "requested_days"));
    esimgo::check_days(request.days, "requested_days");
    request.country = optional_text(fcinfo, 1);
    request.region = optional_text(fcinfo, 2);
    request.group = optional_text(fcinfo, 3);
    request.payment_method = pg::string_from_text(pg::required_arg(fcinfo, 4, "payment_method"));
    esimgo::check_payment_method(request.payment_method);
    std::optional<std::string> strategy;
    if (!PG_ARGISNULL(5)) strategy = pg::uuid_text(pg::uuid_from_datum(PG_GETARG_DATUM(5)).data());
    std::string json;
    {
        pg::SpiSession spi;
        platform::AsExtensionOwner owner(esimgo::extension);
        json = esimgo::price_request_json(request, strategy);
    }
    return jsonb_from_text(json);
}

// price_catalog(strategy_id, days, payment_method): one row per (country or
// region, bundle group, requested days) the catalog can serve.
PG_CPP_FUNCTION(esimgo_price_catalog) {
    std::optional<std::string> strategy_id;
    if (!PG_ARGISNULL(0)) strategy_id = pg::uuid_text(pg::uuid_from_datum(PG_GETARG_DATUM(0)).data());
    std::vector<int> days;
    if (PG_ARGISNULL(1)) {
        for (int d = 1; d <= 30; ++d) days.push_back(d);
    } else {
        struct Parts { Datum* elems; bool* nulls; int count; };
        Datum array = PG_GETARG_DATUM(1);
        Parts parts = pg::call([&] {
            Parts p{nullptr, nullptr, 0};
            deconstruct_array(DatumGetArrayTypeP(array), INT4OID, 4, true, TYPALIGN_INT, &p.elems, &p.nulls, &p.count);
            return p;
        });
        for (int i = 0; i < parts.count; ++i) {
            if (parts.nulls[i])
                throw core::DomainError(core::ErrorKind::NullValue, "days must not contain NULL");
            int d = DatumGetInt32(parts.elems[i]);
            esimgo::check_days(d, "every element of days");
            days.push_back(d);
        }
        std::sort(days.begin(), days.end());
        days.erase(std::unique(days.begin(), days.end()), days.end());
    }
    std::string payment_method = pg::string_from_text(pg::required_arg(fcinfo, 2, "payment_method"));
    esimgo::check_payment_method(payment_method);

    pg::call([&] { InitMaterializedSRF(fcinfo, 0); });
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);

    pg::SpiSession spi;
    platform::AsExtensionOwner owner(esimgo::extension);
    const esimgo::domain::Strategy strategy = esimgo::strategy_for(strategy_id);
    std::vector<Bundle> catalog = esimgo::load_catalog(nullptr);
    std::set<std::string> high_demand;
    {
        static pg::Statement high_demand_sql("SELECT country_id::text FROM {app}.high_demand_countries", {},
                                             pg::Statement::Plan::Generic);
        uint64 rows = high_demand_sql.execute(esimgo::extension.schema(), nullptr, nullptr, true);
        for (uint64 r = 0; r < rows; ++r) {
            bool is_null = false;
            high_demand.insert(pg::string_from_text(pg::spi_value(r, 1, &is_null)));
        }
    }

    // Groups interned as small numbers: a scope's groups and each row's
    // membership are then compared as integers.
    std::unordered_map<std::string_view, int> group_number;
    std::vector<const std::string*> group_name;
    std::vector<std::vector<int>> row_groups(catalog.size());
    for (std::size_t i = 0; i < catalog.size(); ++i)
        for (const std::string& g : catalog[i].groups) {
            auto [it, added] = group_number.emplace(g, int(group_name.size()));
            if (added) group_name.push_back(&g);
            row_groups[i].push_back(it->second);
        }
    auto groups_of = [&](const Bundle* b) -> const std::vector<int>& { return row_groups[b - catalog.data()]; };

    // Scopes: every country a row covers and every region; sorted for a stable output.
    std::map<std::string, std::vector<const Bundle*>> by_country, by_region;
    for (const Bundle& b : catalog) {
        for (const std::string& c : b.countries) by_country[c].push_back(&b);
        if (b.has_region) by_region[b.region].push_back(&b);
    }
    const std::int64_t now_us = esimgo::transaction_time_us();
    MemoryContext row_context = pg::call([&] {
        return AllocSetContextCreate(CurrentMemoryContext, "esimgo price_catalog row", ALLOCSET_SMALL_SIZES);
    });

    MemoryContext call_context = pg::call([&] {
        return AllocSetContextCreate(CurrentMemoryContext, "esimgo price_catalog values", ALLOCSET_DEFAULT_SIZES);
    });
    DatumCache cache(call_context);
    Datum values[13];
    bool nulls[13];
    PriceResult result;
    std::vector<const Bundle*> in_group;
    std::vector<Datum> impacts;
    std::string rules_key;
    std::unordered_map<std::string, Datum> rules_cache;
    auto emit_scope = [&](const std::string& key, bool is_country, const std::vector<const Bundle*>& rows) {
        std::vector<int> numbers;
        for (const Bundle* b : rows) numbers.insert(numbers.end(), groups_of(b).begin(), groups_of(b).end());
        std::sort(numbers.begin(), numbers.end());
        numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
        std::vector<std::pair<const std::string*, int>> group_keys;  // (name, number); nullptr: no group
        for (int n : numbers) group_keys.emplace_back(group_name[n], n);
        std::sort(group_keys.begin(), group_keys.end(), [](const auto& x, const auto& y) { return *x.first < *y.first; });
        if (group_keys.empty()) group_keys.emplace_back(nullptr, -1);
        for (const auto& [group, number] : group_keys) {
            Request request;
            if (is_country) {
                request.country = key;
                request.high_demand_country = high_demand.count(key) > 0;
            } else {
                request.region = key;
            }
            if (group) request.group = *group;
            request.payment_method = payment_method;
            request.now_us = now_us;
            // rows are this scope's already: only the group remains to test
            in_group.clear();
            for (const Bundle* b : rows) {
                const std::vector<int>& gs = groups_of(b);
                if (!group || gs.empty() || std::find(gs.begin(), gs.end(), number) != gs.end()) in_group.push_back(b);
            }
            esimgo::domain::ScopeIndex index = esimgo::domain::index_scope(in_group);
            for (int d : days) {
                CHECK_FOR_INTERRUPTS();
                request.days = d;
                if (!esimgo::domain::try_price(strategy, request, in_group, result, &index)) continue;
                esimgo::domain::Figures f = esimgo::domain::figures(result, d);
                MemoryContext saved = MemoryContextSwitchTo(row_context);
                std::fill(std::begin(nulls), std::end(nulls), false);
                values[0] = is_country ? cache.text(key) : Datum(0);
                nulls[0] = !is_country;
                values[1] = is_country ? Datum(0) : cache.text(key);
                nulls[1] = is_country;
                values[2] = group ? cache.text(*group) : Datum(0);
                nulls[2] = !group;
                values[3] = Int32GetDatum(d);
                values[4] = cache.text(result.selected->name);
                values[5] = cache.text(result.selected->provider);
                values[6] = Int32GetDatum(result.selected->validity_days);
                values[7] = cache.money(result.cost);
                values[8] = cache.money(result.final_price);
                values[9] = cache.money(result.markup);
                values[10] = cache.money(result.discount);
                values[11] = cache.money(f.net_profit);
                // The same rules with the same impacts give the same jsonb: made once.
                rules_key.clear();
                for (const auto& a : result.applied) {
                    rules_key.append(reinterpret_cast<const char*>(&a.block), sizeof a.block);
                    rules_key.append(reinterpret_cast<const char*>(&a.impact), sizeof a.impact);
                }
                auto kept = rules_cache.find(rules_key);
                if (kept != rules_cache.end()) {
                    values[12] = kept->second;
                } else {
                    MemoryContext row = MemoryContextSwitchTo(call_context);
                    values[12] = applied_rules_jsonb(result, impacts, cache);
                    MemoryContextSwitchTo(row);
                    rules_cache.emplace(rules_key, values[12]);
                }
                pg::call([&] {
                    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
                    MemoryContextReset(row_context);
                });
                MemoryContextSwitchTo(saved);
            }
        }
    };
    for (const auto& [country, rows] : by_country) emit_scope(country, true, rows);
    for (const auto& [region, rows] : by_region) emit_scope(region, false, rows);
    return Datum(0);
}
