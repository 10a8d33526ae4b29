// esimgo_internal.touch_updated_at(): BEFORE UPDATE FOR EACH ROW on every table
// with updated_at. Sets updated_at to the transaction's start time (what the
// column's DEFAULT now() gives) and keeps created_at as it was, so a client
// can rewrite neither.
#include "pg/guard.hpp"
#include "pg/trigger.hpp"
#include "pg/tuples.hpp"

namespace pg = pgcpp::pg;

namespace {
constexpr const char* kTouch = "esimgo_internal.touch_updated_at";
}

PG_CPP_FUNCTION(esimgo_touch_updated_at) {
    const pg::TriggerSpec trigger{kTouch, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, trigger);
    Relation rel = data->tg_relation;
    TupleDesc desc = RelationGetDescr(rel);
    const int updated_att = pg::column_number(data, "updated_at", kTouch);
    if (TupleDescAttr(desc, updated_att - 1)->atttypid != TIMESTAMPTZOID)
        pg::raise_error(ERRCODE_DATATYPE_MISMATCH,
                        std::string(kTouch) + "(): column \"updated_at\" of table \"" +
                            RelationGetRelationName(rel) + "\" must be timestamp with time zone");
    const int created_att = pg::cached_attnum(RelationGetRelid(rel), desc, "created_at");
    HeapTuple old_row = data->tg_trigtuple;
    HeapTuple new_row = data->tg_newtuple;
    return pg::call([&] {
        int columns[2];
        Datum values[2];
        bool nulls[2];
        int n = 0;
        columns[n] = updated_att;
        values[n] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
        nulls[n] = false;
        ++n;
        if (created_att > 0) {
            columns[n] = created_att;
            values[n] = heap_getattr(old_row, created_att, desc, &nulls[n]);
            ++n;
        }
        return PointerGetDatum(heap_modify_tuple_by_cols(new_row, desc, n, columns, values, nulls));
    });
}
