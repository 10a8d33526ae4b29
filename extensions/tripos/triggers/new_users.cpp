// Sign-up: each stage adds its own per-user rows when the auth service
// inserts into auth.users. One statement per stage over the new rows.
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/stages.hpp"

using namespace tripos;

namespace {

pg::Statement insert_profiles(
    "INSERT INTO {app}.profiles (id, email, full_name, avatar_url) "
    "SELECT u.id, u.email, u.raw_user_meta_data ->> 'full_name', u.raw_user_meta_data ->> 'avatar_url' "
    "FROM new_users u ON CONFLICT (id) DO NOTHING",
    {});
pg::Statement insert_settings(
    "INSERT INTO {app}.user_settings (user_id) SELECT u.id FROM new_users u ON CONFLICT (user_id) DO NOTHING", {});

void register_transition_tables(TriggerData* data) {
    pg::call([&] {
        if (SPI_register_trigger_data(data) != SPI_OK_TD_REGISTER) {
            elog(ERROR, "could not register the transition table of auth.users");
        }
    });
}

}  // namespace

// AFTER INSERT ON auth.users FOR EACH STATEMENT (REFERENCING NEW TABLE AS
// new_users): a profile (email, full_name and avatar_url from the sign-up
// metadata) and default settings per new user.
PG_CPP_FUNCTION(tripos_core_new_users) {
    const pg::TriggerSpec spec{"tripos_internal.core_new_users", pg::TriggerLevel::Statement,
                               pg::TriggerTiming::After, pg::event::Insert, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (data->tg_newtable == nullptr) {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        fmt::format("trigger \"{}\" must declare REFERENCING NEW TABLE AS new_users",
                                    data->tg_trigger->tgname));
    }
    if (restoring()) return PointerGetDatum(nullptr);  // the dump holds the rows
    const Oid app = core_extension().schema();
    pg::SpiSession spi;
    register_transition_tables(data);
    insert_profiles.execute(app, nullptr, nullptr);
    insert_settings.execute(app, nullptr, nullptr);
    return PointerGetDatum(nullptr);
}
