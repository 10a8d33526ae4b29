// The itinerary's order: trip_items.order_index is dense (0..n-1) per
// (trip_id, day_number) after every statement, under concurrent edits.
//
// Every change takes the trip's row lock (FOR NO KEY UPDATE: concurrent
// inserts' foreign-key checks still pass) before reading positions, so
// concurrent edits of one trip apply one after the other, each seeing the
// last one's result (READ COMMITTED takes a fresh snapshot per statement).
// The plan of each change (domain/ordering) is a target position and ranged
// shifts of the neighbours; the unique (trip_id, day_number, order_index)
// constraint is checked at commit, since a move passes through a moment where
// two rows share a position. The functions run as the extension owner: the
// renumbering reaches every row of the day, whatever the caller's policies
// show; the caller's own write is still checked by its policies.
#include <algorithm>

#include "core/errors.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/domain/collaboration.hpp"
#include "tripos/domain/ordering.hpp"
#include "tripos/access.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
namespace domain = tripos::domain;
using namespace tripos;

namespace {

pg::Statement lock_trip(
    "SELECT CASE WHEN start_date IS NOT NULL AND end_date IS NOT NULL THEN end_date - start_date + 1 END "
    "FROM {app}.trips WHERE id = $1 FOR NO KEY UPDATE",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement count_day(
    "SELECT count(*)::int4 FROM {app}.trip_items WHERE trip_id = $1 AND day_number = $2 AND id <> $3",
    {UUIDOID, INT4OID, UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement shift_day(
    "UPDATE {app}.trip_items SET order_index = order_index + $5 "
    "WHERE trip_id = $1 AND day_number = $2 AND order_index BETWEEN $3 AND $4 AND id <> $6",
    {UUIDOID, INT4OID, INT4OID, INT4OID, INT4OID, UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement day_positions(
    "SELECT id, order_index FROM {app}.trip_items WHERE trip_id = $1 AND day_number = $2 "
    "ORDER BY order_index, id",
    {UUIDOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement set_positions(
    "UPDATE {app}.trip_items t SET order_index = v.position "
    "FROM unnest($1::uuid[], $2::int4[]) AS v(id, position) WHERE t.id = v.id",
    {UUIDARRAYOID, INT4ARRAYOID}, pg::Statement::Plan::Generic);

constexpr const char* kInsert = "tripos_internal.itinerary_insert";
constexpr const char* kUpdate = "tripos_internal.itinerary_update";
constexpr const char* kDelete = "tripos_internal.itinerary_delete";

const pg::Uuid kNoRow{};  // matches no item (ids are never all zero bits)

struct TripLock {
    bool exists = false;
    std::optional<int> days;  // the trip's length, when it has both dates
};

TripLock lock_trip_row(Oid app, const pg::Uuid& trip) {
    TripLock lock;
    Datum arg[1] = {pg::datum_from_uuid(trip)};
    if (lock_trip.execute(app, arg, nullptr, false, 1) == 1) {
        lock.exists = true;
        bool is_null = false;
        const Datum days = pg::spi_value(0, 1, &is_null);
        if (!is_null) lock.days = DatumGetInt32(days);
    }
    return lock;
}

void check_day(const TripLock& lock, int day) {
    if (lock.days && day > *lock.days) {
        throw core::DomainError(core::ErrorKind::CheckViolation,
                                fmt::format("day_number {} lies past the trip's last day ({})", day, *lock.days),
                                {}, "Change the trip's dates first, or choose an earlier day.");
    }
}

int rows_in_day(Oid app, const pg::Uuid& trip, int day, const pg::Uuid& except) {
    Datum args[3] = {pg::datum_from_uuid(trip), Int32GetDatum(day), pg::datum_from_uuid(except)};
    count_day.execute(app, args, nullptr, false, 1);
    bool is_null = false;
    return DatumGetInt32(pg::spi_value(0, 1, &is_null));
}

void apply_shifts(Oid app, const pg::Uuid& trip, const std::vector<domain::Shift>& shifts, const pg::Uuid& except) {
    InternalWrite internal;
    for (const domain::Shift& s : shifts) {
        Datum args[6] = {pg::datum_from_uuid(trip), Int32GetDatum(s.group), Int32GetDatum(s.from),
                         Int32GetDatum(s.to),       Int32GetDatum(s.delta), pg::datum_from_uuid(except)};
        shift_day.execute(app, args, nullptr);
    }
}

struct ItemColumns {
    int id, trip_id, day_number, order_index;
};

ItemColumns item_columns(const TriggerData* data, const char* function) {
    return {pg::column_number(data, "id", function), pg::column_number(data, "trip_id", function),
            pg::column_number(data, "day_number", function), pg::column_number(data, "order_index", function)};
}

}  // namespace

// BEFORE INSERT ON trip_items FOR EACH ROW: the row takes order_index (NULL
// or past the end: the end of its day) and the rows from there move down.
PG_CPP_FUNCTION(tripos_itinerary_insert) {
    const pg::TriggerSpec spec{kInsert, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Insert, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = core_extension().member_table_schema(data->tg_relation);
    HeapTuple row = data->tg_trigtuple;
    if (internal_write_active()) return PointerGetDatum(row);
    const ItemColumns col = item_columns(data, kInsert);
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const auto trip = tuple_uuid(row, desc, col.trip_id);
    const auto day = tuple_int(row, desc, col.day_number);
    if (!trip || !day) return PointerGetDatum(row);  // NOT NULL refuses the row
    const auto requested = tuple_int(row, desc, col.order_index);

    pg::SpiSession spi;
    const TripLock lock = lock_trip_row(app, *trip);
    if (!lock.exists) return PointerGetDatum(row);  // the foreign key refuses it
    check_day(lock, *day);
    const domain::OrderPlan plan = domain::plan_insert(*day, requested, rows_in_day(app, *trip, *day, kNoRow));
    apply_shifts(app, *trip, plan.shifts, kNoRow);
    return PointerGetDatum(with_int_columns(row, desc, {{col.order_index, plan.target.position}}));
}

// BEFORE UPDATE OF trip_id, day_number, order_index ON trip_items FOR EACH
// ROW: a move within or across days of the trip. The row leaves its old
// position (the rows after it move up) and takes the new one (NULL or past
// the end: the end of the day; the rows from there move down).
PG_CPP_FUNCTION(tripos_itinerary_update) {
    const pg::TriggerSpec spec{kUpdate, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = core_extension().member_table_schema(data->tg_relation);
    HeapTuple old_row = data->tg_trigtuple;
    HeapTuple new_row = data->tg_newtuple;
    if (internal_write_active()) return PointerGetDatum(new_row);
    const ItemColumns col = item_columns(data, kUpdate);
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const auto old_trip = tuple_uuid(old_row, desc, col.trip_id);
    const auto new_trip = tuple_uuid(new_row, desc, col.trip_id);
    if (old_trip != new_trip) {
        throw core::DomainError(core::ErrorKind::CheckViolation, "an itinerary item cannot move to another trip",
                                {}, "Insert a copy into the other trip and delete this one.");
    }
    const auto old_day = tuple_int(old_row, desc, col.day_number);
    const auto new_day = tuple_int(new_row, desc, col.day_number);
    const auto old_position = tuple_int(old_row, desc, col.order_index);
    const auto requested = tuple_int(new_row, desc, col.order_index);
    if (!new_trip || !new_day || !old_day || !old_position) return PointerGetDatum(new_row);
    if (old_day == new_day && requested == old_position) return PointerGetDatum(new_row);
    const pg::Uuid id = *tuple_uuid(old_row, desc, col.id);

    pg::SpiSession spi;
    const TripLock lock = lock_trip_row(app, *new_trip);
    if (!lock.exists) return PointerGetDatum(new_row);
    check_day(lock, *new_day);
    const domain::OrderPlan plan = domain::plan_move({*old_day, *old_position}, *new_day, requested,
                                                     rows_in_day(app, *new_trip, *new_day, id));
    apply_shifts(app, *new_trip, plan.shifts, id);
    return PointerGetDatum(with_int_columns(new_row, desc, {{col.order_index, plan.target.position}}));
}

// AFTER DELETE ON trip_items FOR EACH STATEMENT (REFERENCING OLD TABLE AS
// deleted_items): the days that lost rows are renumbered 0..n-1 in their
// order, trips in id order (so concurrent deletes lock trips in one order).
PG_CPP_FUNCTION(tripos_itinerary_delete) {
    const pg::TriggerSpec spec{kDelete, pg::TriggerLevel::Statement, pg::TriggerTiming::After, pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = core_extension().member_table_schema(data->tg_relation);
    if (data->tg_oldtable == nullptr) {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        fmt::format("trigger \"{}\" must declare REFERENCING OLD TABLE", data->tg_trigger->tgname));
    }
    const ItemColumns col = item_columns(data, kDelete);
    std::vector<std::pair<pg::Uuid, int>> days;
    {
        pg::TransitionTable rows(data->tg_oldtable, RelationGetDescr(data->tg_relation));
        while (rows.next()) {
            CHECK_FOR_INTERRUPTS();
            bool trip_null = false, day_null = false;
            const Datum trip = rows.value(col.trip_id, &trip_null);
            const Datum day = rows.value(col.day_number, &day_null);
            if (trip_null || day_null) continue;
            days.emplace_back(pg::uuid_from_datum(trip), DatumGetInt32(day));
        }
    }
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());

    pg::SpiSession spi;
    std::optional<pg::Uuid> locked;
    bool trip_exists = false;
    for (const auto& [trip, day] : days) {
        CHECK_FOR_INTERRUPTS();
        if (locked != trip) {
            trip_exists = lock_trip_row(app, trip).exists;
            locked = trip;
        }
        if (!trip_exists) continue;  // the trip itself is being deleted
        std::vector<pg::Uuid> ids;
        std::vector<int> positions;
        {
            Datum args[2] = {pg::datum_from_uuid(trip), Int32GetDatum(day)};
            const uint64 rows = day_positions.execute(app, args, nullptr, false);
            for (uint64 r = 0; r < rows; ++r) {
                bool is_null = false;
                ids.push_back(pg::uuid_from_datum(pg::spi_value(r, 1, &is_null)));
                positions.push_back(DatumGetInt32(pg::spi_value(r, 2, &is_null)));
            }
        }
        const auto changes = domain::compact(positions);
        if (changes.empty()) continue;
        std::vector<pg::Uuid> changed_ids;
        std::vector<int> new_positions;
        for (const auto& [index, position] : changes) {
            changed_ids.push_back(ids[index]);
            new_positions.push_back(position);
        }
        InternalWrite internal;
        Datum args[2] = {uuid_array(changed_ids), pg::call([&] {
                             Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * new_positions.size()));
                             for (std::size_t i = 0; i < new_positions.size(); ++i) {
                                 elems[i] = Int32GetDatum(new_positions[i]);
                             }
                             return PointerGetDatum(construct_array(elems, static_cast<int>(new_positions.size()),
                                                                    INT4OID, 4, true, TYPALIGN_INT));
                         })};
        set_positions.execute(app, args, nullptr);
    }
    return PointerGetDatum(nullptr);
}

namespace {
pg::Statement trip_of_item("SELECT trip_id FROM {app}.trip_items WHERE id = $1", {UUIDOID},
                           pg::Statement::Plan::Generic);
}

// tripos_internal.lock_itinerary(item_id): takes the item's trip lock before
// the item's row lock, for move_trip_item and delete_trip_item. A plain
// UPDATE or DELETE locks the row first and the trip in its trigger, so two
// of them on one day can deadlock (40P01, retried by the client); through
// these functions every edit of a trip queues on the trip first. Only for a
// caller who may edit the trip; for anyone else it does nothing (the write
// that follows then finds no row through the policies).
PG_CPP_FUNCTION(tripos_lock_itinerary) {
    if (PG_ARGISNULL(0)) return PointerGetDatum(nullptr);
    const pg::Uuid item = pg::uuid_from_datum(PG_GETARG_DATUM(0));
    const Oid app = core_extension().schema();
    std::optional<pg::Uuid> trip;
    {
        pg::SpiSession spi;
        Datum arg[1] = {pg::datum_from_uuid(item)};
        if (trip_of_item.execute(app, arg, nullptr, true, 1) == 1) {
            bool is_null = false;
            trip = pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
        }
    }
    if (!trip) PG_RETURN_VOID();
    if (domain::effective_role(trip_membership(*trip)) < domain::TripRole::Editor) PG_RETURN_VOID();
    pg::SpiSession spi;
    lock_trip_row(app, *trip);
    PG_RETURN_VOID();
}
