// Stage 4's triggers on other stages' tables: usage limits for new users,
// and the plan's trips_max on trip inserts.
#include "core/errors.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/api/limits.hpp"
#include "tripos/domain/billing.hpp"
#include "tripos/stages.hpp"

namespace domain = tripos::domain;
using namespace tripos;

namespace {

pg::Statement default_limits(
    "INSERT INTO {app}.usage_limits (user_id, plan_id, ai_runs_limit, trips_limit, collaborators_per_trip_limit) "
    "SELECT u.id, p.id, (p.limits ->> 'ai_runs_per_month')::int, (p.limits ->> 'trips_max')::int, "
    "(p.limits ->> 'collaborators_per_trip')::int FROM new_users u CROSS JOIN {app}.plans p WHERE p.is_default "
    "ON CONFLICT (user_id) DO NOTHING",
    {});
pg::Statement owners_of_new_trips("SELECT DISTINCT user_id FROM new_trips ORDER BY user_id", {});
// The owner's usage_limits row is the lock that orders their trip inserts.
pg::Statement lock_limits("SELECT trips_limit FROM {app}.usage_limits WHERE user_id = $1 FOR UPDATE", {UUIDOID},
                          pg::Statement::Plan::Generic);
pg::Statement trips_of_owner("SELECT count(*)::int8 FROM {app}.trips WHERE user_id = $1", {UUIDOID},
                             pg::Statement::Plan::Generic);

void register_transition(TriggerData* data) {
    pg::call([&] {
        if (SPI_register_trigger_data(data) != SPI_OK_TD_REGISTER) elog(ERROR, "could not register transition tables");
    });
}

}  // namespace

PG_CPP_FUNCTION(tripos_payments_new_users) {
    const pg::TriggerSpec spec{"tripos_internal.payments_new_users", pg::TriggerLevel::Statement,
                               pg::TriggerTiming::After, pg::event::Insert, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (restoring()) return PointerGetDatum(nullptr);
    pg::SpiSession spi;
    register_transition(data);
    default_limits.execute(payments_extension().schema(), nullptr, nullptr);
    return PointerGetDatum(nullptr);
}

PG_CPP_FUNCTION(tripos_trips_plan_limit) {
    const pg::TriggerSpec spec{"tripos_internal.trips_plan_limit", pg::TriggerLevel::Statement,
                               pg::TriggerTiming::After, pg::event::Insert, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid core_schema = core_extension().member_table_schema(data->tg_relation);
    if (restoring()) return PointerGetDatum(nullptr);
    const Oid app = payments_extension().schema();
    pg::SpiSession spi;
    register_transition(data);
    std::vector<pg::Uuid> owners;
    const uint64 rows = owners_of_new_trips.execute(core_schema, nullptr, nullptr, true);
    for (uint64 r = 0; r < rows; ++r) {
        bool is_null = false;
        owners.push_back(pg::uuid_from_datum(pg::spi_value(r, 1, &is_null)));
    }
    for (const pg::Uuid& owner : owners) {
        CHECK_FOR_INTERRUPTS();
        Datum arg[1] = {pg::datum_from_uuid(owner)};
        lock_limits.execute(app, arg, nullptr, false, 1);
        const auto limit = plan_limit(owner, "trips_max");
        if (!limit) continue;
        trips_of_owner.execute(core_schema, arg, nullptr, false, 1);
        bool is_null = false;
        const std::int64_t trips = DatumGetInt64(pg::spi_value(0, 1, &is_null));
        // within_limit asks whether one more fits: the new trips are counted.
        if (!domain::within_limit(trips - 1, *limit)) {
            pg::raise_error(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED,
                            fmt::format("the plan allows {} trip(s), and this would make {}", *limit, trips), {},
                            "Upgrade the plan, or delete a trip first.");
        }
    }
    return PointerGetDatum(nullptr);
}
