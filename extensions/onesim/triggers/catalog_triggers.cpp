// Catalog pricing on esim_packages (the rule: core/pricing.hpp).
//
// onesim_internal.price_package(): BEFORE INSERT OR UPDATE FOR EACH ROW.
//   On insert, and on update when provider_price_usd, package_code,
//   country_codes or region change, sets margin_percent, price_usd and (when a
//   USD->UZS rate is in force) price_uzs from the provider price, the active
//   margin_overrides and exchange_rates.
// onesim_internal.log_package_price_changes(): AFTER UPDATE FOR EACH STATEMENT
//   (REFERENCING OLD TABLE ... NEW TABLE). One package_price_changes row per
//   package whose provider price, margin, USD or UZS price changed.
#include "onesim/layers.hpp"
#include <map>
#include <optional>

#include "onesim/auth_context.hpp"
#include "core/counter_deltas.hpp"
#include "core/errors.hpp"
#include "onesim/domain/pricing.hpp"
#include "platform/restore_mode.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;
namespace domain = onesim::domain;

namespace {

constexpr const char* kPrice = "onesim_internal.price_package";
constexpr const char* kLog = "onesim_internal.log_package_price_changes";

// Active overrides that may apply to a package; domain::choose_margin picks one.
pg::Statement margin_candidates(
    "SELECT scope::text, coalesce(package_code, country_code, region, '')::text, margin_percent"
    "  FROM {app}.margin_overrides"
    " WHERE is_active"
    "   AND (scope = 'global'"
    "        OR (scope = 'package' AND package_code = $1)"
    "        OR (scope = 'country' AND country_code = ANY (SELECT upper(c) FROM unnest($2) AS c))"
    "        OR (scope = 'region' AND region = $3))",
    {TEXTOID, TEXTARRAYOID, TEXTOID});

// The USD->UZS rate in force now.
pg::Statement usd_uzs_rate(
    "SELECT rate FROM {app}.exchange_rates"
    " WHERE base_currency = 'USD' AND quote_currency = 'UZS' AND effective_at <= now()"
    " ORDER BY effective_at DESC LIMIT 1",
    {});

struct Columns {
    int package_code, country_codes, region, provider_price, margin, price_usd, price_uzs;
};

Columns columns_of(const TriggerData* data, const char* fn) {
    return {pg::column_number(data, "package_code", fn),
            pg::column_number(data, "country_codes", fn),
            pg::column_number(data, "region", fn),
            pg::column_number(data, "provider_price_usd", fn),
            pg::column_number(data, "margin_percent", fn),
            pg::column_number(data, "price_usd", fn),
            pg::column_number(data, "price_uzs", fn)};
}

Datum attr(HeapTuple tuple, TupleDesc desc, int attnum, bool* is_null) {
    return pg::call([&] { return heap_getattr(tuple, attnum, desc, is_null); });
}

std::vector<std::string> text_array(Datum value) {
    Datum* elems = nullptr;
    bool* nulls = nullptr;
    int n = 0;
    pg::call([&] {
        deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false, TYPALIGN_INT, &elems,
                          &nulls, &n);
    });
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
        if (!nulls[i]) out.push_back(pg::string_from_text(elems[i]));
    }
    return out;
}

// What pricing reads from a package row.
struct PricingInput {
    domain::PackageKey key;
    std::optional<core::Decimal> provider_price;
    Datum country_codes;  // the array as stored, for the candidates query
};

PricingInput pricing_input(HeapTuple tuple, TupleDesc desc, const Columns& c) {
    PricingInput in;
    bool is_null = false;
    Datum v = attr(tuple, desc, c.package_code, &is_null);
    if (!is_null) in.key.package_code = pg::string_from_text(v);
    in.country_codes = attr(tuple, desc, c.country_codes, &is_null);
    if (is_null) {
        in.country_codes = pg::call([] { return PointerGetDatum(construct_empty_array(TEXTOID)); });
    } else {
        in.key.country_codes = text_array(in.country_codes);
    }
    v = attr(tuple, desc, c.region, &is_null);
    if (!is_null) in.key.region = pg::string_from_text(v);
    v = attr(tuple, desc, c.provider_price, &is_null);
    if (!is_null) in.provider_price = pg::decimal_from_numeric(v, "provider_price_usd");
    return in;
}

bool same_pricing_input(const PricingInput& a, const PricingInput& b) {
    return a.key.package_code == b.key.package_code &&
           a.key.country_codes == b.key.country_codes && a.key.region == b.key.region &&
           a.provider_price == b.provider_price;
}

int32 typmod_of(TupleDesc desc, int attnum) { return TupleDescAttr(desc, attnum - 1)->atttypmod; }

}  // namespace

PG_CPP_FUNCTION(onesim_price_package) {
    const pg::TriggerSpec trigger{kPrice, pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                                  pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, trigger);
    if (pgcpp::platform::loads_as_dumped(data)) return PointerGetDatum(data->tg_trigtuple);
    const bool is_update = pg::trigger_event(data) == pg::event::Update;
    HeapTuple row = is_update ? data->tg_newtuple : data->tg_trigtuple;
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const Columns c = columns_of(data, kPrice);

    const PricingInput in = pricing_input(row, desc, c);
    if (!in.provider_price) return PointerGetDatum(row);  // NOT NULL reports it
    if (is_update && same_pricing_input(in, pricing_input(data->tg_trigtuple, desc, c))) {
        return PointerGetDatum(row);
    }

    // Read the overrides and the rate; SPI memory is gone after this block, so
    // only C++ values leave it.
    std::vector<domain::MarginOverride> candidates;
    std::optional<core::Decimal> rate;
    {
        const Oid app = onesim::auth::extension_table_schema(data->tg_relation);
        pg::SpiSession spi;
        const std::string region = in.key.region.value_or("");
        Datum args[3] = {pg::text_from_string(in.key.package_code), in.country_codes,
                         pg::text_from_string(region)};
        const char nulls[4] = {' ', ' ', in.key.region ? ' ' : 'n', '\0'};
        const uint64 n = margin_candidates.execute(app, args, nulls, true);
        for (uint64 i = 0; i < n; ++i) {
            bool null_scope = false, null_target = false, null_margin = false;
            const Datum scope = pg::spi_value(i, 1, &null_scope);
            const Datum target = pg::spi_value(i, 2, &null_target);
            const Datum margin = pg::spi_value(i, 3, &null_margin);
            if (null_scope || null_target || null_margin) continue;
            candidates.push_back({domain::parse_margin_scope(pg::string_from_text(scope)),
                                  pg::string_from_text(target),
                                  pg::decimal_from_numeric(margin, "margin_percent")});
        }
        if (usd_uzs_rate.execute(app, nullptr, nullptr, true, 1) == 1) {
            bool is_null = false;
            const Datum r = pg::spi_value(0, 1, &is_null);
            if (!is_null) rate = pg::decimal_from_numeric(r, "exchange rate");
        }
    }

    const domain::MarginChoice margin = domain::choose_margin(in.key, candidates);
    const core::Decimal price_usd = domain::retail_price_usd(*in.provider_price, margin.margin_percent);

    int cols[3] = {c.margin, c.price_usd, c.price_uzs};
    Datum values[3] = {
        pg::numeric_from_decimal(margin.margin_percent, typmod_of(desc, c.margin)),
        pg::numeric_from_decimal(price_usd, typmod_of(desc, c.price_usd)),
        rate ? pg::numeric_from_decimal(domain::price_in_uzs(price_usd, *rate),
                                        typmod_of(desc, c.price_uzs))
             : Datum(0),
    };
    bool nulls[3] = {false, false, false};
    const int ncols = rate ? 3 : 2;  // without a rate price_uzs stays as given
    return pg::call([&] {
        return PointerGetDatum(heap_modify_tuple_by_cols(row, desc, ncols, cols, values, nulls));
    });
}

namespace {

pg::Statement insert_price_change(
    "INSERT INTO {app}.package_price_changes"
    " (package_id, package_code, old_provider_price_usd, new_provider_price_usd,"
    "  old_margin_percent, new_margin_percent, old_price_usd, new_price_usd,"
    "  old_price_uzs, new_price_uzs, change_reason, changed_by)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
    "         (SELECT u.id FROM auth.users u WHERE u.id = auth.uid()))",
    {UUIDOID, TEXTOID, NUMERICOID, NUMERICOID, NUMERICOID, NUMERICOID, NUMERICOID, NUMERICOID,
     NUMERICOID, NUMERICOID, TEXTOID});

using MaybeDecimal = std::optional<core::Decimal>;

struct PriceRow {
    std::string package_code;
    MaybeDecimal provider, margin, usd, uzs;
};

MaybeDecimal decimal_at(pg::TransitionTable& rows, int attnum, const char* what) {
    bool is_null = false;
    const Datum v = rows.value(attnum, &is_null);
    if (is_null) return std::nullopt;
    return pg::decimal_from_numeric(v, what);
}

// Reads a transition table of esim_packages into id -> prices.
std::map<core::Key, PriceRow> read_prices(Tuplestorestate* store, TupleDesc desc, int id_att,
                                          const Columns& c) {
    std::map<core::Key, PriceRow> out;
    pg::TransitionTable rows(store, desc);
    while (rows.next()) {
        bool is_null = false;
        const Datum id = rows.value(id_att, &is_null);
        if (is_null) continue;
        PriceRow row;
        const Datum code = rows.value(c.package_code, &is_null);
        if (!is_null) row.package_code = pg::string_from_text(code);
        row.provider = decimal_at(rows, c.provider_price, "provider_price_usd");
        row.margin = decimal_at(rows, c.margin, "margin_percent");
        row.usd = decimal_at(rows, c.price_usd, "price_usd");
        row.uzs = decimal_at(rows, c.price_uzs, "price_uzs");
        out.emplace(pg::uuid_from_datum(id), std::move(row));
    }
    return out;
}

void set_decimal(const MaybeDecimal& value, Datum* datum, char* null) {
    *null = value ? ' ' : 'n';
    *datum = value ? pg::numeric_from_decimal(*value) : Datum(0);
}

}  // namespace

PG_CPP_FUNCTION(onesim_log_package_price_changes) {
    const pg::TriggerSpec trigger{kLog, pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                                  pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, trigger);
    if (data->tg_oldtable == nullptr || data->tg_newtable == nullptr) {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        fmt::format("trigger \"{}\" must declare REFERENCING OLD TABLE ... NEW TABLE",
                                    data->tg_trigger->tgname));
    }
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const Columns c = columns_of(data, kLog);
    const int id_att = pg::column_number(data, "id", kLog);

    const auto old_rows = read_prices(data->tg_oldtable, desc, id_att, c);
    const auto new_rows = read_prices(data->tg_newtable, desc, id_att, c);

    const Oid app = onesim::auth::extension_table_schema(data->tg_relation);
    pg::SpiSession spi;
    for (const auto& [id, now] : new_rows) {  // ascending package id
        const auto found = old_rows.find(id);
        if (found == old_rows.end()) continue;  // the id itself changed
        const PriceRow& before = found->second;
        if (before.provider == now.provider && before.margin == now.margin &&
            before.usd == now.usd && before.uzs == now.uzs) {
            continue;
        }
        const char* reason = before.provider != now.provider ? "provider_sync" : "manual";
        Datum args[11];
        char nulls[12] = "           ";
        args[0] = pg::datum_from_uuid(id);
        args[1] = pg::text_from_string(now.package_code);
        set_decimal(before.provider, &args[2], &nulls[2]);
        set_decimal(now.provider, &args[3], &nulls[3]);
        set_decimal(before.margin, &args[4], &nulls[4]);
        set_decimal(now.margin, &args[5], &nulls[5]);
        set_decimal(before.usd, &args[6], &nulls[6]);
        set_decimal(now.usd, &args[7], &nulls[7]);
        set_decimal(before.uzs, &args[8], &nulls[8]);
        set_decimal(now.uzs, &args[9], &nulls[9]);
        args[10] = pg::text_from_string(reason);
        insert_price_change.execute(app, args, nulls);
    }
    return PointerGetDatum(nullptr);
}
