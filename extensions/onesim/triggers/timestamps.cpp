// updated_at / created_at bookkeeping for every table that has updated_at.
//
// onesim_internal.touch_updated_at(): BEFORE UPDATE FOR EACH ROW. Sets
// updated_at to now() (the transaction's start time, as now() and the columns'
// DEFAULT now() give) and keeps created_at as it was: a client cannot rewrite
// when a row was created. Modelled on contrib/moddatetime.
#include "onesim/layers.hpp"
#include "onesim/triggers/timestamps.hpp"

#include "pg/guard.hpp"
#include "pg/trigger.hpp"
#include "pg/tuples.hpp"

namespace pg = pgcpp::pg;

namespace {
constexpr const char* kTouch = "onesim_internal.touch_updated_at";
}

PG_CPP_FUNCTION(onesim_touch_updated_at) {
    const pg::TriggerSpec trigger{kTouch, pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                                  pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, trigger);
    Relation rel = data->tg_relation;
    TupleDesc desc = RelationGetDescr(rel);

    const int updated_att = pg::column_number(data, "updated_at", kTouch);
    if (TupleDescAttr(desc, updated_att - 1)->atttypid != TIMESTAMPTZOID) {
        pg::raise_error(ERRCODE_DATATYPE_MISMATCH,
                        fmt::format("{}(): column \"updated_at\" of table \"{}\" must be "
                                    "timestamp with time zone",
                                    kTouch, RelationGetRelationName(rel)));
    }
    // created_at is optional; when present it is kept.
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

void onesim::timestamps::stamp_updated_at(pg::RowImage& row) {
    row.set(row.column("updated_at"), TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()));
}
