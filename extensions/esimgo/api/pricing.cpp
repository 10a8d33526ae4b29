// calculate_price() and price_catalog(): the pricing engine over SQL.
// Both run SECURITY INVOKER from the API schema; the rules and the catalog
// (readable by everyone) are read as the extension's owner, so the rules
// version in esimgo_internal needs no grant.
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
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

// appliedRules as jsonb: [{id, name, category, impact}], impact numeric.
// The JsonbValue tree is laid out here, keys already in jsonb's order
// (shorter first: id, name, impact, category), and encoded in one step.
Datum applied_rules_jsonb(const PriceResult& r, std::vector<Datum>& impacts, std::vector<JsonbValue>& tree,
                          DatumCache& cache) {
    impacts.clear();
    for (const auto& a : r.applied) impacts.push_back(cache.money(a.impact));
    const std::size_t n = r.applied.size();
    // per rule: the object and its 4 pairs; then the array
    tree.assign(n * 9 + 1, JsonbValue{});
    auto string_value = [](JsonbValue& v, const char* text, std::size_t len) {
        v.type = jbvString;
        v.val.string.val = const_cast<char*>(text);
        v.val.string.len = int(len);
    };
    JsonbValue* array = &tree[n * 9];
    JsonbValue* elems = tree.data();  // the n objects
    JsonbValue* keys_values = tree.data() + n;
    for (std::size_t i = 0; i < n; ++i) {
        const esimgo::domain::Block* b = r.applied[i].block;
        JsonbValue* kv = keys_values + 8 * i;
        string_value(kv[0], "id", 2);
        string_value(kv[1], b->id.data(), b->id.size());
        string_value(kv[2], "name", 4);
        string_value(kv[3], b->name.data(), b->name.size());
        string_value(kv[4], "impact", 6);
        kv[5].type = jbvNumeric;
        kv[5].val.numeric = DatumGetNumeric(impacts[i]);
        string_value(kv[6], "category", 8);
        const char* category = esimgo::domain::event_category(b->type);
        string_value(kv[7], category, strlen(category));
        elems[i].type = jbvObject;
        elems[i].val.object.nPairs = 4;
        elems[i].val.object.pairs = nullptr;  // set below, once the pairs are made
    }
    return pg::call([&] {
        JsonbPair* pairs = static_cast<JsonbPair*>(palloc(sizeof(JsonbPair) * (n * 4 + 1)));
        for (std::size_t i = 0; i < n; ++i) {
            JsonbValue* kv = keys_values + 8 * i;
            for (int k = 0; k < 4; ++k) {
                pairs[i * 4 + k].key = kv[2 * k];
                pairs[i * 4 + k].value = kv[2 * k + 1];
                pairs[i * 4 + k].order = uint32(k);
            }
            elems[i].val.object.pairs = pairs + i * 4;
        }
        array->type = jbvArray;
        array->val.array.nElems = int(n);
        array->val.array.elems = elems;
        array->val.array.rawScalar = false;
        Jsonb* out = JsonbValueToJsonb(array);
        pfree(pairs);
        return JsonbPGetDatum(out);
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

namespace {

// What price_catalog derives from the catalog rows alone: the compact index
// and every country and region scope (row numbers), sorted by key for a
// stable output.
struct CatalogView {
    // A scope's rows serving one of its groups (nullptr: it has none), with
    // their ScopeIndex; made the first time the scope is priced.
    struct Group {
        const std::string* name;
        std::vector<const Bundle*> rows;
        esimgo::domain::ScopeIndex index;
    };
    struct Scope {
        std::string key;
        std::vector<std::uint32_t> rows;
        std::vector<Group> groups;
        bool grouped = false;
    };
    std::shared_ptr<const std::vector<Bundle>> rows;
    esimgo::domain::CatalogIndex index;
    std::vector<Scope> countries, regions;

    explicit CatalogView(std::shared_ptr<const std::vector<Bundle>> catalog)
        : rows(std::move(catalog)), index(*rows) {
        using Scopes = std::unordered_map<std::string_view, std::vector<std::uint32_t>>;
        Scopes by_country, by_region;
        // Country codes are two letters: found by a table, not by hashing.
        std::vector<std::vector<std::uint32_t>*> two_letter(1 << 16, nullptr);
        const std::string* last_region = nullptr;
        std::vector<std::uint32_t>* last_region_rows = nullptr;
        for (std::size_t i = 0; i < rows->size(); ++i) {
            const Bundle& b = (*rows)[i];
            for (const std::string& c : b.countries) {
                if (c.size() == 2) {
                    auto*& at = two_letter[std::uint8_t(c[0]) << 8 | std::uint8_t(c[1])];
                    if (!at) at = &by_country[c];
                    at->push_back(std::uint32_t(i));
                } else {
                    by_country[c].push_back(std::uint32_t(i));
                }
            }
            if (b.has_region) {
                if (!last_region || *last_region != b.region) {
                    last_region = &b.region;
                    last_region_rows = &by_region[b.region];
                }
                last_region_rows->push_back(std::uint32_t(i));
            }
        }
        auto sorted = [](Scopes& scopes) {
            std::vector<Scope> out;
            out.reserve(scopes.size());
            for (auto& [key, at] : scopes) out.push_back({std::string(key), std::move(at), {}, false});
            std::sort(out.begin(), out.end(), [](const Scope& x, const Scope& y) { return x.key < y.key; });
            return out;
        };
        countries = sorted(by_country);
        regions = sorted(by_region);
    }
};
std::unique_ptr<CatalogView> catalog_view;

}  // namespace

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
    std::shared_ptr<const std::vector<Bundle>> catalog = esimgo::kept_catalog();
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

    // The compact index and the scopes depend on the catalog rows only: kept
    // with the rows kept_catalog() serves again, made anew for any others.
    if (!catalog_view || catalog_view->rows != catalog) {
        catalog_view.reset();
        catalog_view = std::make_unique<CatalogView>(catalog);
    }
    CatalogView& view = *catalog_view;
    view.index.use(strategy);
    const esimgo::domain::CatalogIndex& catalog_index = view.index;
    const std::vector<const std::string*>& group_name = catalog_index.group_names();
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
    std::vector<Datum> impacts;
    std::vector<JsonbValue> tree;
    std::string rules_key;
    std::unordered_map<std::string, Datum> rules_cache;
    auto emit_scope = [&](CatalogView::Scope& scope, bool is_country) {
        const std::string& key = scope.key;
        if (!scope.grouped) {
            std::vector<std::pair<const std::string*, int>> group_keys;  // (name, number); nullptr: no group
            for (int n : catalog_index.groups_of(scope.rows)) group_keys.emplace_back(group_name[n], n);
            std::sort(group_keys.begin(), group_keys.end(), [](const auto& x, const auto& y) { return *x.first < *y.first; });
            if (group_keys.empty()) group_keys.emplace_back(nullptr, -1);
            scope.groups.clear();
            scope.groups.reserve(group_keys.size());
            for (const auto& [name, number] : group_keys) {
                scope.groups.push_back({name, {}, {}});
                catalog_index.select(scope.rows, number, scope.groups.back().rows, scope.groups.back().index);
            }
            scope.grouped = true;
        }
        for (CatalogView::Group& g : scope.groups) {
            const std::string* group = g.name;
            const std::vector<const Bundle*>& in_group = g.rows;
            esimgo::domain::ScopeIndex& index = g.index;
            index.best.clear();  // made under an earlier run's strategy
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
            for (int d : days) {
                pg::check_for_interrupts();
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
                    values[12] = applied_rules_jsonb(result, impacts, tree, cache);
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
    for (auto& scope : view.countries) emit_scope(scope, true);
    for (auto& scope : view.regions) emit_scope(scope, false);
    return Datum(0);
}
