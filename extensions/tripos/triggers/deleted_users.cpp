// Account deletion (the auth service deletes from auth.users): the user's own
// trips go first, with everything in them, and only then do PostgreSQL's
// foreign-key actions set the user's id to NULL in what they added to other
// people's trips. Left to the foreign keys alone, the order is theirs: a row
// of one of the user's trips that this transaction inserted (a split of an
// expense just added) could be updated by SET NULL and then re-checked
// against the parent row the cascade had deleted, and the deletion failed
// with 23503.
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/stages.hpp"

using namespace tripos;

namespace {

pg::Statement delete_owned_trips("DELETE FROM {app}.trips WHERE user_id = $1", {UUIDOID},
                                 pg::Statement::Plan::Generic);

}  // namespace

// BEFORE DELETE ON auth.users FOR EACH ROW.
PG_CPP_FUNCTION(tripos_core_deleted_users) {
    const pg::TriggerSpec spec{"tripos_internal.core_deleted_users", pg::TriggerLevel::Row,
                               pg::TriggerTiming::Before, pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    // By name: Supabase's own auth.users does not begin with id.
    const TupleDesc desc = data->tg_relation->rd_att;
    const int id_column = pg::call([&] { return SPI_fnumber(desc, "id"); });
    const std::optional<pg::Uuid> user = tuple_uuid(data->tg_trigtuple, desc, id_column);
    if (user) {
        const Oid app = core_extension().schema();
        pg::SpiSession spi;
        Datum arg[1] = {pg::datum_from_uuid(*user)};
        delete_owned_trips.execute(app, arg, nullptr);
    }
    return PointerGetDatum(data->tg_trigtuple);
}
