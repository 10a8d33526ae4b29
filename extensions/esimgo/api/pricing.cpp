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

// Datums by a 64-bit key: open addressing, linear probing, a power-of-two
// number of slots kept at most half full. A catalog run looks up several per
// priced row (amounts, names): a node-based hash map cost a cache miss each.
class DatumTable {
public:
    DatumTable() : slots_(64) {}
    // The Datum kept for `key`, or 0 (no Datum made here is 0).
    Datum find(std::uint64_t key) const {
        for (std::size_t i = mix(key) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
            const Slot& s = slots_[i];
            if (s.value == 0) return 0;
            if (s.key == key) return s.value;
        }
    }
    void insert(std::uint64_t key, Datum value) {
        if (2 * (count_ + 1) > slots_.size()) {
            std::vector<Slot> old(slots_.size() * 2);
            old.swap(slots_);
            count_ = 0;
            for (const Slot& s : old)
                if (s.value != 0) insert(s.key, s.value);
        }
        std::size_t i = mix(key) & (slots_.size() - 1);
        while (slots_[i].value != 0) i = (i + 1) & (slots_.size() - 1);
        slots_[i] = {key, value};
        ++count_;
    }

private:
    struct Slot {
        std::uint64_t key = 0;
        Datum value = 0;
    };
    static std::size_t mix(std::uint64_t k) {  // splitmix64's finaliser
        k ^= k >> 30;
        k *= 0xbf58476d1ce4e5b9ULL;
        k ^= k >> 27;
        k *= 0x94d049bb133111ebULL;
        return std::size_t(k ^ (k >> 31));
    }
    std::vector<Slot> slots_;
    std::size_t count_ = 0;
};

// Datums a catalog run hands out again and again (amounts, bundle names),
// made once in a context that lives for the call: tuplestore_putvalues
// copies them into each row.
class DatumCache {
public:
    explicit DatumCache(MemoryContext context) : context_(context) {}
    Datum money(esimgo::domain::Cents cents) {
        Datum d = money_.find(std::uint64_t(cents));
        if (d != 0) return d;
        MemoryContext saved = MemoryContextSwitchTo(context_);
        d = money_datum(cents);
        MemoryContextSwitchTo(saved);
        money_.insert(std::uint64_t(cents), d);
        return d;
    }
    // Keyed by the string's address: catalog strings do not move.
    Datum text(const std::string& s) {
        const auto key = std::uint64_t(reinterpret_cast<std::uintptr_t>(&s));
        Datum d = text_.find(key);
        if (d != 0) return d;
        MemoryContext saved = MemoryContextSwitchTo(context_);
        d = pg::text_from_string(s);
        MemoryContextSwitchTo(saved);
        text_.insert(key, d);
        return d;
    }

private:
    MemoryContext context_;
    DatumTable money_, text_;
};

// The applied_rules jsonb of each distinct list of (rule, impact), made once
// per run: most prices share theirs with others.
class RulesCache {
public:
    // The Datum kept for `applied`, or 0.
    Datum find(const std::vector<esimgo::domain::AppliedRule>& applied) {
        hash_ = hash(applied);
        for (std::size_t i = hash_ & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
            const Slot& s = slots_[i];
            if (s.value == 0) return 0;
            if (s.hash == hash_ && same(s, applied)) return s.value;
        }
    }
    // Keeps `value` for the list the last find() did not find.
    void insert(const std::vector<esimgo::domain::AppliedRule>& applied, Datum value) {
        if (2 * (count_ + 1) > slots_.size()) {
            std::vector<Slot> old(slots_.size() * 2);
            old.swap(slots_);
            for (const Slot& s : old)
                if (s.value != 0) place(s);
        }
        Slot slot{hash_, std::uint32_t(pool_.size()), std::uint32_t(applied.size()), value};
        for (const auto& a : applied) pool_.push_back({a.block, a.impact});
        place(slot);
        ++count_;
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t begin = 0, count = 0;
        Datum value = 0;
    };
    struct Entry {
        const void* block;
        esimgo::domain::Cents impact;
    };
    static std::uint64_t hash(const std::vector<esimgo::domain::AppliedRule>& applied) {
        std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ applied.size();
        for (const auto& a : applied) {
            h = (h ^ std::uint64_t(reinterpret_cast<std::uintptr_t>(a.block))) * 0xff51afd7ed558ccdULL;
            h = (h ^ std::uint64_t(a.impact)) * 0xc4ceb9fe1a85ec53ULL;
            h ^= h >> 29;
        }
        // splitmix64's finaliser: the slot is taken from the low bits
        h ^= h >> 30;
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 27;
        h *= 0x94d049bb133111ebULL;
        return h ^ (h >> 31);
    }
    bool same(const Slot& s, const std::vector<esimgo::domain::AppliedRule>& applied) const {
        if (s.count != applied.size()) return false;
        for (std::size_t k = 0; k < applied.size(); ++k)
            if (pool_[s.begin + k].block != applied[k].block || pool_[s.begin + k].impact != applied[k].impact)
                return false;
        return true;
    }
    void place(const Slot& slot) {
        std::size_t i = slot.hash & (slots_.size() - 1);
        while (slots_[i].value != 0) i = (i + 1) & (slots_.size() - 1);
        slots_[i] = slot;
    }
    std::vector<Slot> slots_ = std::vector<Slot>(256);
    std::vector<Entry> pool_;
    std::size_t count_ = 0;
    std::uint64_t hash_ = 0;
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

// The result of price_catalog is materialized as InitMaterializedSRF does,
// but for its tuplestore's memory:
//  - it may keep up to esimgo.price_catalog_memory of rows in memory (never
//    less than work_mem) before it spills to a temporary file. With work_mem
//    alone a whole catalog's result (tens of thousands of rows of some 650
//    bytes, most of it the applied rules) was written to a temporary file
//    and read back. A tuplestore takes memory as rows arrive: it holds the
//    result's size, up to that bound.
//  - its rows go into a generation context (a row takes its size, not the
//    next power of two) that the backend keeps from run to run: a result of
//    tens of megabytes taken afresh from the system every run cost as much
//    in page faults as the pricing. The context is the executor's to free as
//    much as its per-query memory is: a callback on that per-query context
//    marks the result released when the executor frees it (end of the query,
//    error, cursor closed), and the kept context is reset, keeping its first
//    block, only when no result in it is live. A result asked for while
//    another still lives (two calls in one query, a cursor left open, a
//    rescan) gets a context of the per-query memory instead, freed with it.
//    The kept context's first block is sized to the largest result seen
//    (capped by esimgo.price_catalog_memory), so a run after the first fits
//    in memory the backend already holds.
struct ResultArena {
    MemoryContext context = nullptr;
    Size first_block = 0;  // the size of its kept first block
    Size largest = 0;      // the most memory a result took in it
    bool live = false;     // a result in it may still be read
};
ResultArena arena;

void result_released(void*) { arena.live = false; }

// The context the result's tuplestore goes into (inside pg::call); sets
// *in_arena when it is the kept one.
MemoryContext result_context(MemoryContext per_query, bool* in_arena) {
    constexpr Size mb = 1024 * 1024;
    *in_arena = false;
    if (arena.live)
        return GenerationContextCreate(per_query, "esimgo price_catalog result", 0, 8 * 1024, 8 * mb);
    const Size cap = std::min(std::max(Size(esimgo::price_catalog_memory_kb) * 1024, mb), 1024 * mb);
    const Size wanted = std::min(std::max((arena.largest + mb - 1) / mb * mb, mb), cap);
    if (arena.context && arena.first_block >= wanted && arena.first_block <= cap) {
        MemoryContextReset(arena.context);
    } else {
        if (arena.context) MemoryContextDelete(arena.context);
        arena.context = nullptr;
        arena.context = GenerationContextCreate(TopMemoryContext, "esimgo price_catalog results", wanted, 8 * 1024,
                                                std::max(wanted, 8 * mb));
        arena.first_block = wanted;
    }
    auto* released = static_cast<MemoryContextCallback*>(MemoryContextAlloc(per_query, sizeof(MemoryContextCallback)));
    released->func = result_released;
    released->arg = nullptr;
    MemoryContextRegisterResetCallback(per_query, released);
    arena.live = true;
    *in_arena = true;
    return arena.context;
}

// Sets up the materialized result; true when it is in the kept context.
bool materialize_result(FunctionCallInfo fcinfo, ReturnSetInfo* rsinfo) {
    return pg::call([&] {
        if (rsinfo == nullptr || !IsA(rsinfo, ReturnSetInfo))
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("set-valued function called in context that cannot accept a set")));
        if (!(rsinfo->allowedModes & SFRM_Materialize))
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("materialize mode required, but it is not allowed in this context")));
        MemoryContext per_query = rsinfo->econtext->ecxt_per_query_memory;
        MemoryContext saved = MemoryContextSwitchTo(per_query);
        TupleDesc desc = nullptr;
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
            elog(ERROR, "return type must be a row type");
        bool in_arena = false;
        MemoryContextSwitchTo(result_context(per_query, &in_arena));
        rsinfo->setResult = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0, false,
                                                  std::max(work_mem, esimgo::price_catalog_memory_kb));
        rsinfo->returnMode = SFRM_Materialize;
        rsinfo->setDesc = desc;
        MemoryContextSwitchTo(saved);
        return in_arena;
    });
}

// Once the result is complete: how much of the kept context it took.
void result_complete(bool in_arena) {
    if (in_arena) arena.largest = std::max(arena.largest, Size(MemoryContextMemAllocated(arena.context, true)));
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
    // their ScopeIndex.
    struct Group {
        const std::string* name;
        esimgo::domain::CatalogIndex::Selection* selection;
    };
    struct Scope {
        std::string key;
        std::vector<std::uint32_t> rows;
        std::vector<Group> groups;  // by name
        std::vector<esimgo::domain::CatalogIndex::Selection> selections;  // the groups' rows
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
            for (auto& [key, at] : scopes) out.push_back({std::string(key), std::move(at), {}, {}});
            std::sort(out.begin(), out.end(), [](const Scope& x, const Scope& y) { return x.key < y.key; });
            return out;
        };
        countries = sorted(by_country);
        regions = sorted(by_region);

        // Every scope's groups (by name) and their rows, in two passes over
        // the catalog's compact rows.
        std::vector<Scope*> all;
        for (Scope& scope : countries) all.push_back(&scope);
        for (Scope& scope : regions) all.push_back(&scope);
        std::vector<const std::vector<std::uint32_t>*> lists;
        for (Scope* scope : all) lists.push_back(&scope->rows);
        std::vector<std::vector<int>> numbers = index.groups_of_scopes(lists);
        const std::vector<const std::string*>& names = index.group_names();
        for (std::vector<int>& n : numbers) {
            std::sort(n.begin(), n.end(), [&](int x, int y) { return *names[std::size_t(x)] < *names[std::size_t(y)]; });
            if (n.empty()) n.push_back(-1);  // no group: every row, priced without a group
        }
        std::vector<std::vector<esimgo::domain::CatalogIndex::Selection>> selections;
        index.select_scopes(lists, numbers, selections);
        for (std::size_t k = 0; k < all.size(); ++k) {
            all[k]->selections = std::move(selections[k]);
            for (std::size_t g = 0; g < numbers[k].size(); ++g)
                all[k]->groups.push_back(
                    {numbers[k][g] < 0 ? nullptr : names[std::size_t(numbers[k][g])], &all[k]->selections[g]});
        }
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

    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    const bool result_in_arena = materialize_result(fcinfo, rsinfo);

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
    RulesCache rules_cache;
    auto emit_scope = [&](CatalogView::Scope& scope, bool is_country) {
        const std::string& key = scope.key;
        for (CatalogView::Group& g : scope.groups) {
            const std::string* group = g.name;
            const std::vector<const Bundle*>& in_group = g.selection->rows;
            esimgo::domain::ScopeIndex& index = g.selection->index;
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
                values[12] = rules_cache.find(result.applied);
                if (values[12] == 0) {
                    MemoryContext saved = MemoryContextSwitchTo(call_context);
                    values[12] = applied_rules_jsonb(result, impacts, tree, cache);
                    MemoryContextSwitchTo(saved);
                    rules_cache.insert(result.applied, values[12]);
                }
                pg::call([&] {
                    MemoryContext saved = MemoryContextSwitchTo(row_context);
                    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
                    MemoryContextSwitchTo(saved);
                    MemoryContextReset(row_context);
                });
            }
        }
    };
    for (auto& scope : view.countries) emit_scope(scope, true);
    for (auto& scope : view.regions) emit_scope(scope, false);
    result_complete(result_in_arena);
    return Datum(0);
}
