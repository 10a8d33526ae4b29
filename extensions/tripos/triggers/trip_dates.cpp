// A trip's dates shrinking below its itinerary: refused (23514), or, when the
// transaction says tripos.trip_shrink = 'move' (update_trip_dates(...,
// p_move_stranded_items => true) sets it), the stranded items are appended to
// the new last day in their order (day, then position).
#include "core/errors.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
using namespace tripos;

namespace {

pg::Statement stranded_items(
    "SELECT id FROM {app}.trip_items WHERE trip_id = $1 AND day_number > $2 ORDER BY day_number, order_index, id",
    {UUIDOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement count_day(
    "SELECT count(*)::int4 FROM {app}.trip_items WHERE trip_id = $1 AND day_number = $2",
    {UUIDOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement rehome(
    "UPDATE {app}.trip_items t SET day_number = $2, order_index = $3 + v.n - 1 "
    "FROM unnest($1::uuid[]) WITH ORDINALITY AS v(id, n) WHERE t.id = v.id",
    {UUIDARRAYOID, INT4OID, INT4OID}, pg::Statement::Plan::Generic);

constexpr const char* kGuard = "tripos_internal.trip_dates_guard";

bool move_requested() {
    const char* value = pg::call([] { return GetConfigOption("tripos.trip_shrink", true, false); });
    if (value == nullptr || value[0] == '\0' || std::strcmp(value, "refuse") == 0) return false;
    if (std::strcmp(value, "move") == 0) return true;
    throw core::DomainError(core::ErrorKind::InvalidParameter,
                            fmt::format("tripos.trip_shrink is 'refuse' or 'move', not '{}'", value));
}

}  // namespace

PG_CPP_FUNCTION(tripos_trip_dates_guard) {
    const pg::TriggerSpec spec{kGuard, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = core_extension().member_table_schema(data->tg_relation);
    HeapTuple new_row = data->tg_newtuple;
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const auto start = tuple_date(new_row, desc, pg::column_number(data, "start_date", kGuard));
    const auto end = tuple_date(new_row, desc, pg::column_number(data, "end_date", kGuard));
    if (!start || !end || *end < *start) return PointerGetDatum(new_row);  // the CHECK refuses end < start
    const int days = static_cast<int>(*end - *start) + 1;
    const pg::Uuid trip = *tuple_uuid(new_row, desc, pg::column_number(data, "id", kGuard));

    // Every day's edits finish first (and later ones wait): the stranded
    // items are read after them.
    lock_whole_itinerary(trip);
    pg::SpiSession spi;
    Datum args[2] = {pg::datum_from_uuid(trip), Int32GetDatum(days)};
    const uint64 stranded = stranded_items.execute(app, args, nullptr, false);
    if (stranded == 0) return PointerGetDatum(new_row);
    if (!move_requested()) {
        throw core::DomainError(
            core::ErrorKind::CheckViolation,
            fmt::format("the trip would end on day {} but {} itinerary item(s) lie past it", days, stranded), {},
            "Move or delete those items first, or call update_trip_dates(..., p_move_stranded_items => true).");
    }
    std::vector<pg::Uuid> ids;
    for (uint64 r = 0; r < stranded; ++r) {
        bool is_null = false;
        ids.push_back(pg::uuid_from_datum(pg::spi_value(r, 1, &is_null)));
    }
    count_day.execute(app, args, nullptr, false, 1);
    bool is_null = false;
    const int last_day_rows = DatumGetInt32(pg::spi_value(0, 1, &is_null));
    InternalWrite internal;
    Datum move_args[3] = {pg::uuid_array(ids), Int32GetDatum(days), Int32GetDatum(last_day_rows)};
    rehome.execute(app, move_args, nullptr);
    return PointerGetDatum(new_row);
}
