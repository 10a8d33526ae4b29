// Loading what the engine needs through SPI: the compiled strategies (kept
// per backend, keyed by the rules version) and catalog rows.
#include <algorithm>
#include <cstring>

#include "core/errors.hpp"
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace esimgo {

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;
using domain::Block;
using domain::Bundle;
using domain::Strategy;

namespace {

// Every statement that changes a block, a link or a strategy bumps n in the
// same transaction, so (xmin, n) of the row in our snapshot names exactly the
// rules that snapshot sees: a rolled-back change leaves an xmin no committed
// state has.
pg::Statement rules_version_sql("SELECT xmin::text::bigint, n FROM {internal}.rules_version", {},
                                pg::Statement::Plan::Generic);
pg::Statement default_strategy_sql(
    "SELECT id::text FROM {app}.pricing_strategies WHERE is_default AND archived_at IS NULL", {},
    pg::Statement::Plan::Generic);
pg::Statement strategy_exists_sql("SELECT 1 FROM {app}.pricing_strategies WHERE id = $1::uuid", {TEXTOID},
                                  pg::Statement::Plan::Generic);
// Params shallow-merged with the link's overrides (jsonb ||: right keys win).
pg::Statement strategy_blocks_sql(
    "SELECT b.id::text, b.name::text, b.event_type::text, sb.priority, b.conditions::text,"
    " (coalesce(b.params, '{{}}') || coalesce(sb.config_overrides, '{{}}'))::text,"
    " (extract(epoch FROM b.valid_from) * 1000000)::bigint, (extract(epoch FROM b.valid_until) * 1000000)::bigint"
    " FROM {app}.strategy_blocks sb JOIN {app}.pricing_blocks b ON b.id = sb.block_id"
    " WHERE sb.strategy_id = $1::uuid AND sb.is_enabled AND b.is_active",
    {TEXTOID}, pg::Statement::Plan::Generic);
// No strategy at all: every active block at its own priority (upstream's fallback).
pg::Statement active_blocks_sql(
    "SELECT b.id::text, b.name::text, b.event_type::text, coalesce(b.priority, 0), b.conditions::text,"
    " coalesce(b.params, '{{}}')::text,"
    " (extract(epoch FROM b.valid_from) * 1000000)::bigint, (extract(epoch FROM b.valid_until) * 1000000)::bigint"
    " FROM {app}.pricing_blocks b WHERE b.is_active",
    {}, pg::Statement::Plan::Generic);
// Prices as whole cents (numeric(10,2) * 100 is exact), arrays as one text
// joined by the unit separator (0x1f, which no group or country code holds):
// no numeric or array decoding per row.
pg::Statement catalog_sql(
    "SELECT esim_go_name::text, coalesce(provider, '')::text, region::text, validity_in_days, (price * 100)::bigint,"
    " array_to_string(groups, E'\\x1f'), array_to_string(countries, E'\\x1f')"
    " FROM {app}.catalog_bundles"
    " WHERE is_unlimited AND validity_in_days IS NOT NULL AND price IS NOT NULL"
    "   AND ($1::text IS NULL OR countries @> ARRAY[$1::text])"
    "   AND ($2::text IS NULL OR region = $2::text)"
    "   AND ($3::text IS NULL OR groups = '{{}}' OR $3::text = ANY (groups))",
    {TEXTOID, TEXTOID, TEXTOID});
pg::Statement high_demand_sql("SELECT 1 FROM {app}.high_demand_countries WHERE country_id = $1::text", {TEXTOID},
                              pg::Statement::Plan::Generic);

struct CachedStrategy {
    std::int64_t xmin = -1, n = -1;
    std::optional<std::string> requested;  // the id asked for (nullopt: the default)
    Strategy strategy;
};
std::vector<CachedStrategy> cache;
constexpr std::size_t kMaxCached = 16;

std::string text_at(uint64 row, int att) {
    bool is_null = false;
    Datum d = pg::spi_value(row, att, &is_null);
    return is_null ? std::string() : pg::string_from_text(d);
}

std::optional<std::int64_t> int8_at(uint64 row, int att) {
    bool is_null = false;
    Datum d = pg::spi_value(row, att, &is_null);
    if (is_null) return std::nullopt;
    return DatumGetInt64(d);
}

// Splits a text joined by the unit separator (0x1f) into its parts.
void split_units(Datum text, std::vector<std::string>& out) {
    const struct varlena* v = reinterpret_cast<const struct varlena*>(DatumGetPointer(text));
    if (VARATT_IS_EXTENDED(v)) {
        std::string whole = pg::string_from_text(text);
        std::size_t start = 0;
        while (start <= whole.size() && !whole.empty()) {
            std::size_t end = whole.find('\x1f', start);
            if (end == std::string::npos) end = whole.size();
            out.emplace_back(whole, start, end - start);
            start = end + 1;
        }
        return;
    }
    const char* data = VARDATA_ANY(v);
    std::size_t len = VARSIZE_ANY_EXHDR(v);
    if (len == 0) return;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= len; ++i) {
        if (i == len || data[i] == '\x1f') {
            out.emplace_back(data + start, i - start);
            start = i + 1;
        }
    }
}

Strategy load_strategy(const std::optional<std::string>& requested) {
    const Oid app = extension.schema();
    std::optional<std::string> id = requested;
    if (!id) {
        if (default_strategy_sql.execute(app, nullptr, nullptr, true, 2) == 1) id = text_at(0, 1);
    } else {
        Datum arg = pg::text_from_string(*id);
        if (strategy_exists_sql.execute(app, &arg, nullptr, true, 1) == 0)
            throw core::DomainError(core::ErrorKind::NotFound, "pricing strategy " + *id + " does not exist");
    }
    uint64 rows;
    if (id) {
        Datum arg = pg::text_from_string(*id);
        rows = strategy_blocks_sql.execute(app, &arg, nullptr, true);
    } else {
        rows = active_blocks_sql.execute(app, nullptr, nullptr, true);
    }
    // Copy the rows out before compiling: compiling does not call PostgreSQL.
    struct Row {
        std::string id, name, type, conditions, params;
        int priority;
        std::optional<std::int64_t> from, until;
    };
    std::vector<Row> raw;
    raw.reserve(rows);
    for (uint64 r = 0; r < rows; ++r) {
        bool is_null = false;
        Row row;
        row.id = text_at(r, 1);
        row.name = text_at(r, 2);
        row.type = text_at(r, 3);
        row.priority = DatumGetInt32(pg::spi_value(r, 4, &is_null));
        row.conditions = text_at(r, 5);
        row.params = text_at(r, 6);
        row.from = int8_at(r, 7);
        row.until = int8_at(r, 8);
        raw.push_back(std::move(row));
    }
    std::vector<Block> blocks;
    blocks.reserve(raw.size());
    for (Row& row : raw) {
        try {
            Block b = domain::compile_block(row.id, row.name, row.type, row.priority, row.conditions, row.params);
            b.valid_from_us = row.from;
            b.valid_until_us = row.until;
            blocks.push_back(std::move(b));
        } catch (const core::DomainError& e) {
            // Rules are validated when written; one that no longer compiles
            // (written before a restore, say) is named, never skipped.
            throw core::DomainError(e.kind(), std::string("pricing block ") + row.id + " (" + row.name + "): " + e.what());
        }
    }
    return domain::make_strategy(std::move(blocks));
}

}  // namespace

const Strategy& strategy_for(const std::optional<std::string>& strategy_id) {
    const Oid app = extension.schema();
    (void)app;
    if (rules_version_sql.execute(extension.schema(), nullptr, nullptr, true, 1) != 1)
        throw core::DomainError(core::ErrorKind::NotFound, "esimgo_internal.rules_version has no row");
    std::int64_t xmin = *int8_at(0, 1), n = *int8_at(0, 2);
    for (CachedStrategy& c : cache)
        if (c.xmin == xmin && c.n == n && c.requested == strategy_id) return c.strategy;
    // A new rules version makes every kept strategy stale.
    cache.erase(std::remove_if(cache.begin(), cache.end(),
                               [&](const CachedStrategy& c) { return c.xmin != xmin || c.n != n; }),
                cache.end());
    if (cache.size() >= kMaxCached) cache.erase(cache.begin());
    CachedStrategy entry;
    entry.xmin = xmin;
    entry.n = n;
    entry.requested = strategy_id;
    entry.strategy = load_strategy(strategy_id);
    cache.push_back(std::move(entry));
    return cache.back().strategy;
}

std::vector<Bundle> load_catalog(const domain::Request* scope_of) {
    Datum args[3] = {0, 0, 0};
    char nulls[4] = "nnn";
    if (scope_of) {
        if (scope_of->country) { args[0] = pg::text_from_string(*scope_of->country); nulls[0] = ' '; }
        if (scope_of->region) { args[1] = pg::text_from_string(*scope_of->region); nulls[1] = ' '; }
        if (scope_of->group) { args[2] = pg::text_from_string(*scope_of->group); nulls[2] = ' '; }
    }
    uint64 rows = catalog_sql.execute(extension.schema(), args, nulls, true);
    std::vector<Bundle> out;
    out.reserve(rows);
    for (uint64 r = 0; r < rows; ++r) {
        if ((r & 1023) == 0) CHECK_FOR_INTERRUPTS();
        Bundle b;
        bool is_null = false;
        b.name = text_at(r, 1);
        b.provider = text_at(r, 2);
        Datum region = pg::spi_value(r, 3, &is_null);
        if (!is_null) { b.region = pg::string_from_text(region); b.has_region = true; }
        b.validity_days = DatumGetInt32(pg::spi_value(r, 4, &is_null));
        b.price = DatumGetInt64(pg::spi_value(r, 5, &is_null));
        b.is_unlimited = true;
        Datum groups = pg::spi_value(r, 6, &is_null);
        if (!is_null) split_units(groups, b.groups);
        Datum countries = pg::spi_value(r, 7, &is_null);
        if (!is_null) split_units(countries, b.countries);
        out.push_back(std::move(b));
    }
    return out;
}

bool is_high_demand(const std::string& country) {
    Datum arg = pg::text_from_string(country);
    return high_demand_sql.execute(extension.schema(), &arg, nullptr, true, 1) == 1;
}

std::int64_t transaction_time_us() {
    return std::int64_t(GetCurrentTransactionStartTimestamp()) +
           std::int64_t(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
}

void check_payment_method(const std::string& method) {
    static const char* const known[] = {"AMEX", "BIT", "DINERS", "FOREIGN_CARD", "ISRAELI_CARD"};
    for (const char* k : known)
        if (method == k) return;
    throw core::DomainError(core::ErrorKind::InvalidParameter,
                            "unknown payment_method \"" + method.substr(0, 64) +
                                "\" (AMEX, BIT, DINERS, FOREIGN_CARD or ISRAELI_CARD)");
}

void check_days(int days, const char* what) {
    if (days < 1 || days > 365)
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                std::string(what) + " must be between 1 and 365, got " + std::to_string(days));
}

std::string price_request_json(domain::Request request, const std::optional<std::string>& strategy_id,
                               domain::PriceResult* result_out, std::vector<domain::Bundle>* catalog_out) {
    const Strategy& strategy = strategy_for(strategy_id);
    std::vector<Bundle> catalog = load_catalog(&request);
    if (request.country) request.high_demand_country = is_high_demand(*request.country);
    request.now_us = transaction_time_us();
    std::vector<const Bundle*> scope;
    scope.reserve(catalog.size());
    for (const Bundle& b : catalog)
        if (domain::in_scope(b, request)) scope.push_back(&b);
    domain::PriceResult result = domain::price(strategy, request, scope);
    std::string json = domain::breakdown_json(result, request);
    if (result_out) *result_out = result;
    if (catalog_out) *catalog_out = std::move(catalog);
    return json;
}

}  // namespace esimgo
