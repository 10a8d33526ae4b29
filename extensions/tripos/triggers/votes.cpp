// A vote on an itinerary item belongs to the item's trip: filled in when the
// app leaves votes.trip_id NULL, refused (23514) when it names another trip.
// Up and down exclude each other through the partial unique indexes; who may
// vote is the policies' business (owner or accepted collaborator).
#include "core/errors.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
using namespace tripos;

namespace {
pg::Statement item_trip("SELECT trip_id FROM {app}.trip_items WHERE id = $1", {UUIDOID},
                        pg::Statement::Plan::Generic);
constexpr const char* kVoteGuard = "tripos_internal.vote_guard";
}  // namespace

PG_CPP_FUNCTION(tripos_vote_guard) {
    const pg::TriggerSpec spec{kVoteGuard, pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                               pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    collab_extension().member_table_schema(data->tg_relation);
    HeapTuple row = pg::trigger_event(data) == pg::event::Insert ? data->tg_trigtuple : data->tg_newtuple;
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const int trip_col = pg::column_number(data, "trip_id", kVoteGuard);
    const auto item = tuple_uuid(row, desc, pg::column_number(data, "trip_item_id", kVoteGuard));
    if (!item) return PointerGetDatum(row);
    const auto trip = tuple_uuid(row, desc, trip_col);
    std::optional<pg::Uuid> item_trip_id;
    {
        pg::SpiSession spi;
        Datum arg[1] = {pg::datum_from_uuid(*item)};
        if (item_trip.execute(core_extension().schema(), arg, nullptr, true, 1) == 1) {
            bool is_null = false;
            item_trip_id = pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
        }
    }
    if (!item_trip_id) return PointerGetDatum(row);  // the foreign key refuses it
    if (trip && *trip != *item_trip_id) {
        throw core::DomainError(core::ErrorKind::CheckViolation, "a vote's trip must be its itinerary item's trip");
    }
    if (trip) return PointerGetDatum(row);
    return pg::call([&] {
        int column = trip_col;
        Datum value = pg::datum_from_uuid(*item_trip_id);
        bool is_null = false;
        return PointerGetDatum(heap_modify_tuple_by_cols(row, desc, 1, &column, &value, &is_null));
    });
}
