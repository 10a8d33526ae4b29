// Budget tracking: a trip's expenses in its own currency against
// trips.budget; crossing 80 % or 100 % upwards raises a budget_events row
// (domain/budget). Trips are locked in id order and their spending read
// after the lock, so concurrent expenses cannot both miss or both raise a
// crossing. Where the WhatsApp stage is installed, each event also fires the
// trip owner's active budget_exceeded automation rules of that threshold: a
// scheduled job due now per rule, the rule's last_triggered_at stamped.
#include <algorithm>

#include "core/decimal.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/domain/billing.hpp"
#include "tripos/domain/budget.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
namespace domain = tripos::domain;
using namespace tripos;

namespace {

pg::Statement trips_new("SELECT DISTINCT trip_id FROM new_rows ORDER BY 1", {});
pg::Statement trips_old("SELECT DISTINCT trip_id FROM old_rows ORDER BY 1", {});
pg::Statement trips_both(
    "SELECT trip_id FROM new_rows UNION SELECT trip_id FROM old_rows ORDER BY 1", {});
pg::Statement lock_trip("SELECT budget, currency FROM {app}.trips WHERE id = $1 FOR NO KEY UPDATE", {UUIDOID},
                        pg::Statement::Plan::Generic);
pg::Statement spent("SELECT coalesce(sum(amount_minor), 0)::int8 FROM {app}.expenses WHERE trip_id = $1 AND currency = $2",
                    {UUIDOID, TEXTOID}, pg::Statement::Plan::Generic);
// What this statement added in the trip's currency (new minus old rows).
pg::Statement delta_insert(
    "SELECT coalesce(sum(amount_minor), 0)::int8 FROM new_rows WHERE trip_id = $1 AND currency = $2",
    {UUIDOID, TEXTOID});
pg::Statement delta_delete(
    "SELECT -coalesce(sum(amount_minor), 0)::int8 FROM old_rows WHERE trip_id = $1 AND currency = $2",
    {UUIDOID, TEXTOID});
pg::Statement delta_update(
    "SELECT (coalesce((SELECT sum(amount_minor) FROM new_rows WHERE trip_id = $1 AND currency = $2), 0) "
    "- coalesce((SELECT sum(amount_minor) FROM old_rows WHERE trip_id = $1 AND currency = $2), 0))::int8",
    {UUIDOID, TEXTOID});
pg::Statement raise_event(
    "INSERT INTO {app}.budget_events (trip_id, threshold_percent, spent_minor, budget, currency) "
    "VALUES ($1, $2, $3, $4, $5)",
    {UUIDOID, INT4OID, INT8OID, NUMERICOID, TEXTOID});

}  // namespace

PG_CPP_FUNCTION(tripos_budget_watch) {
    const pg::TriggerSpec spec{"tripos_internal.budget_watch", pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                               pg::event::Insert | pg::event::Update | pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = collab_extension().member_table_schema(data->tg_relation);
    const unsigned event = pg::trigger_event(data);
    if (event == pg::event::Insert && restoring()) return PointerGetDatum(nullptr);
    pg::SpiSession spi;
    pg::call([&] {
        if (SPI_register_trigger_data(data) != SPI_OK_TD_REGISTER) elog(ERROR, "could not register transition tables");
    });
    pg::Statement& trips = event == pg::event::Insert ? trips_new : event == pg::event::Delete ? trips_old : trips_both;
    pg::Statement& delta = event == pg::event::Insert ? delta_insert : event == pg::event::Delete ? delta_delete : delta_update;
    std::vector<pg::Uuid> ids;
    const uint64 rows = trips.execute(app, nullptr, nullptr, true);
    for (uint64 r = 0; r < rows; ++r) {
        bool is_null = false;
        ids.push_back(pg::uuid_from_datum(pg::spi_value(r, 1, &is_null)));
    }
    for (const pg::Uuid& trip : ids) {
        CHECK_FOR_INTERRUPTS();
        Datum id[1] = {pg::datum_from_uuid(trip)};
        if (lock_trip.execute(app, id, nullptr, false, 1) != 1) continue;  // the trip is being deleted
        bool budget_null = false, is_null = false;
        const Datum budget_datum = pg::spi_value(0, 1, &budget_null);
        if (budget_null) continue;
        const core::Decimal budget = pg::decimal_from_numeric(budget_datum, "trips.budget");
        const std::string currency = pg::string_from_text(pg::spi_value(0, 2, &is_null));
        std::string lower = currency;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        const int exponent = domain::currency_exponent(lower);
        Datum args[2] = {id[0], pg::text_from_string(currency)};
        spent.execute(app, args, nullptr, false, 1);
        const std::int64_t after = DatumGetInt64(pg::spi_value(0, 1, &is_null));
        delta.execute(app, args, nullptr, true, 1);
        const std::int64_t before = after - DatumGetInt64(pg::spi_value(0, 1, &is_null));
        for (int threshold : domain::kBudgetThresholds) {
            if (!domain::crosses_budget_threshold(core::Decimal::from_units(before, exponent),
                                                  core::Decimal::from_units(after, exponent), budget, threshold)) {
                continue;
            }
            Datum event_args[5] = {id[0], Int32GetDatum(threshold), Int64GetDatum(after),
                                   pg::numeric_from_decimal(budget), pg::text_from_string(currency)};
            raise_event.execute(app, event_args, nullptr);
            fire_trip_event_rules(trip, "budget_exceeded", threshold, false);
        }
    }
    return PointerGetDatum(nullptr);
}
