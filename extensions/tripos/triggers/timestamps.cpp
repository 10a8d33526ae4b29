// updated_at kept true: every UPDATE stamps the transaction's time (now()),
// whatever the statement wrote there; created_at keeps its first value.
#include "pg/guard.hpp"
#include "pg/trigger.hpp"
#include "tripos/stages.hpp"

using namespace tripos;

namespace {
constexpr const char* kTouch = "tripos_internal.touch_updated_at";
}

PG_CPP_FUNCTION(tripos_touch_updated_at) {
    const pg::TriggerSpec spec{kTouch, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const int updated_at = pg::column_number(data, "updated_at", kTouch);
    const int created_at = pg::column_number(data, "created_at", kTouch);
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    HeapTuple old_row = data->tg_trigtuple;
    HeapTuple new_row = data->tg_newtuple;
    return pg::call([&] {
        bool created_null = false;
        const Datum created = heap_getattr(old_row, created_at, desc, &created_null);
        int columns[2] = {updated_at, created_at};
        Datum values[2] = {TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), created};
        bool nulls[2] = {false, created_null};
        return PointerGetDatum(heap_modify_tuple_by_cols(new_row, desc, 2, columns, values, nulls));
    });
}
