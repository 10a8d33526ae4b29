// BEFORE UPDATE trigger on profiles: only an admin or the service may change
// user_type (the source of truth for admin rights). Column privileges already
// keep user_type out of the API roles' reach; this guard also holds for any
// role or function that is granted UPDATE on the whole table.
#include "onesim/layers.hpp"
#include "core/errors.hpp"
#include "onesim/auth_context.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace {

namespace pg = pgcpp::pg;

// The text of column `name` of `tuple`, or nullopt when NULL (user_type is
// an enum from 1.2 on, VARCHAR before: read through the column's type).
std::optional<std::string> text_column(HeapTuple tuple, TupleDesc desc, const char* name) {
    bool is_null = false;
    const int attnum = pg::call([&] {
        const int att = SPI_fnumber(desc, name);
        if (att <= 0) elog(ERROR, "profiles has no column \"%s\"", name);
        return att;
    });
    const Datum value = pg::call([&] { return heap_getattr(tuple, attnum, desc, &is_null); });
    if (is_null) return std::nullopt;
    return pg::string_from_datum(value, TupleDescAttr(desc, attnum - 1)->atttypid);
}

}  // namespace

// onesim_internal.profiles_guard_user_type() RETURNS trigger
PG_CPP_FUNCTION(onesim_profile_guard) {
    // Called any other way: 39P01, as the README promises (validate_trigger).
    static const pg::TriggerSpec spec{"onesim_internal.profiles_guard_user_type", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* trigger = pg::validate_trigger(fcinfo, spec);
    const TupleDesc desc = trigger->tg_relation->rd_att;
    const auto old_type = text_column(trigger->tg_trigtuple, desc, "user_type");
    const auto new_type = text_column(trigger->tg_newtuple, desc, "user_type");
    if (old_type != new_type && !onesim::auth::is_service() &&
        !onesim::auth::is_admin(onesim::auth::extension_table_schema(trigger->tg_relation))) {
        throw pgcpp::core::DomainError(
            pgcpp::core::ErrorKind::NotAuthorized, "only an admin may change a profile's user_type",
            fmt::format("user_type would change from {} to {}.", old_type.value_or("NULL"),
                        new_type.value_or("NULL")));
    }
    return PointerGetDatum(trigger->tg_newtuple);
}
