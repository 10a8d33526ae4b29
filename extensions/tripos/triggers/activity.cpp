// activity_log rows for changes of trips, written by one statement per
// statement over its transition table. The row belongs to the trip's owner
// (who reads the log); the acting user goes into metadata. Trips deleted
// with their owner's account log nothing: the account is gone.
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/stages.hpp"

using namespace tripos;

namespace {

pg::Statement log_changes(
    "INSERT INTO {app}.activity_log (user_id, action, resource_type, resource_id, metadata) "
    "SELECT c.user_id, $1, 'trip', c.id, jsonb_build_object('actor', auth.uid(), 'name', c.name) "
    "FROM changed_trips c WHERE EXISTS (SELECT FROM auth.users u WHERE u.id = c.user_id)",
    {TEXTOID});

constexpr const char* kActivity = "tripos_internal.trip_activity";

}  // namespace

PG_CPP_FUNCTION(tripos_trip_activity) {
    const pg::TriggerSpec spec{kActivity, pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                               pg::event::Insert | pg::event::Update | pg::event::Delete, 1};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = core_extension().member_table_schema(data->tg_relation);
    if (restoring()) return PointerGetDatum(nullptr);
    const std::string action = pg::trigger_arg(data, 0);
    if (action != "trip.created" && action != "trip.updated" && action != "trip.deleted") {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        fmt::format("{}(): unknown action \"{}\"", kActivity, action));
    }
    if (data->tg_newtable == nullptr && data->tg_oldtable == nullptr) {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        fmt::format("trigger \"{}\" must declare a transition table named changed_trips",
                                    data->tg_trigger->tgname));
    }
    pg::SpiSession spi;
    pg::call([&] {
        if (SPI_register_trigger_data(data) != SPI_OK_TD_REGISTER) {
            elog(ERROR, "could not register the transition table of trips");
        }
    });
    Datum args[1] = {pg::text_from_string(action)};
    log_changes.execute(app, args, nullptr);
    return PointerGetDatum(nullptr);
}
