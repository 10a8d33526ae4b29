// Dense order of positioned rows: trip_items.order_index is 0..n-1 per
// (trip_id, day_number), collection_items.order_index per collection_id,
// after every statement, under concurrent edits.
//
// Every change first takes the lock of what it renumbers, before reading
// positions: for the itinerary the trip's day locks (lock_itinerary_days: the
// days it touches, in ascending order, so edits of different days of one trip
// run in parallel), for a collection the collection's row lock (FOR NO KEY
// UPDATE: concurrent inserts' foreign-key checks still pass). Concurrent edits
// of one day (or collection) apply one after the other, each seeing the last
// one's result (READ COMMITTED takes a fresh snapshot per statement).
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

// One ordered table: its statements ($1 parent, $2 group; a table without
// groups ignores $2 and keeps one order per parent) and its names.
struct OrderedRows {
    const platform::Extension& (*extension)();
    const char* parent_column;   // trip_id, collection_id
    const char* group_column;    // day_number, or nullptr
    const char* parent_noun;     // for messages
    bool day_locks;              // the groups' advisory locks (else `lock` takes the parent's row lock)
    pg::Statement& lock;         // $1 -> the parent's length in groups (NULL: unbounded)
    pg::Statement& count;        // $1, $2, $3 (a row to leave out) -> rows in the group
    pg::Statement& shift;        // $1; two shifts: group $2 from $3 to $4 by $5, group $6 from $7 to $8
                                 // by $9 (their rows never overlap); except $10
    pg::Statement& positions;    // $1, $2 -> id, order_index in order
    pg::Statement& set;          // ids $1, positions $2
};

pg::Statement lock_trip(
    "SELECT CASE WHEN start_date IS NOT NULL AND end_date IS NOT NULL THEN end_date - start_date + 1 END "
    "FROM {app}.trips WHERE id = $1",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement count_day(
    "SELECT count(*)::int4 FROM {app}.trip_items WHERE trip_id = $1 AND day_number = $2 AND id <> $3",
    {UUIDOID, INT4OID, UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement shift_days(
    "UPDATE {app}.trip_items SET order_index = order_index + "
    "CASE WHEN day_number = $2 AND order_index BETWEEN $3 AND $4 THEN $5 ELSE $9 END "
    "WHERE trip_id = $1 AND id <> $10 AND ((day_number = $2 AND order_index BETWEEN $3 AND $4) "
    "OR (day_number = $6 AND order_index BETWEEN $7 AND $8))",
    {UUIDOID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, UUIDOID},
    pg::Statement::Plan::Generic);
pg::Statement day_positions(
    "SELECT id, order_index FROM {app}.trip_items WHERE trip_id = $1 AND day_number = $2 "
    "ORDER BY order_index, id",
    {UUIDOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement set_item_positions(
    "UPDATE {app}.trip_items t SET order_index = v.position "
    "FROM unnest($1::uuid[], $2::int4[]) AS v(id, position) WHERE t.id = v.id",
    {UUIDARRAYOID, INT4ARRAYOID}, pg::Statement::Plan::Generic);

pg::Statement lock_collection("SELECT NULL::int4 FROM {app}.collections WHERE id = $1 FOR NO KEY UPDATE", {UUIDOID},
                              pg::Statement::Plan::Generic);
pg::Statement count_collection(
    "SELECT count(*)::int4 FROM {app}.collection_items WHERE collection_id = $1 AND $2 = $2 AND id <> $3",
    {UUIDOID, INT4OID, UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement shift_collection(
    "UPDATE {app}.collection_items SET order_index = order_index + "
    "CASE WHEN order_index BETWEEN $3 AND $4 THEN $5 ELSE $9 END "
    "WHERE collection_id = $1 AND $2 = $2 AND $6 = $6 AND id <> $10 "
    "AND (order_index BETWEEN $3 AND $4 OR order_index BETWEEN $7 AND $8)",
    {UUIDOID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, UUIDOID},
    pg::Statement::Plan::Generic);
pg::Statement collection_positions(
    "SELECT id, order_index FROM {app}.collection_items WHERE collection_id = $1 AND $2 = $2 ORDER BY order_index, id",
    {UUIDOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement set_collection_positions(
    "UPDATE {app}.collection_items t SET order_index = v.position "
    "FROM unnest($1::uuid[], $2::int4[]) AS v(id, position) WHERE t.id = v.id",
    {UUIDARRAYOID, INT4ARRAYOID}, pg::Statement::Plan::Generic);

OrderedRows itinerary{&core_extension, "trip_id", "day_number", "trip", true,
                      lock_trip, count_day, shift_days, day_positions, set_item_positions};
OrderedRows collection{&collab_extension, "collection_id", nullptr, "collection", false,
                       lock_collection, count_collection, shift_collection, collection_positions,
                       set_collection_positions};

const pg::Uuid kNoRow{};  // matches no item (ids are never all zero bits)

struct ParentLock {
    bool exists = false;
    std::optional<int> groups;  // a trip's length in days, when it has both dates
};

// Locks the groups `groups` of `parent` (the whole parent, for a table without
// groups) and reads the parent's length; the trip's dates are read after the
// lock, so a concurrent change of them (lock_whole_itinerary) is seen.
ParentLock lock_parent(const OrderedRows& t, Oid app, const pg::Uuid& parent, std::vector<int> groups) {
    if (t.day_locks) lock_itinerary_days(parent, std::move(groups));
    ParentLock lock;
    Datum arg[1] = {pg::datum_from_uuid(parent)};
    if (t.lock.execute(app, arg, nullptr, false, 1) == 1) {
        lock.exists = true;
        bool is_null = false;
        const Datum groups = pg::spi_value(0, 1, &is_null);
        if (!is_null) lock.groups = DatumGetInt32(groups);
    }
    return lock;
}

void check_group(const ParentLock& lock, int day) {
    if (lock.groups && day > *lock.groups) {
        throw core::DomainError(core::ErrorKind::CheckViolation,
                                fmt::format("day_number {} lies past the trip's last day ({})", day, *lock.groups),
                                {}, "Change the trip's dates first, or choose an earlier day.");
    }
}

int rows_in_group(const OrderedRows& t, Oid app, const pg::Uuid& parent, int group, const pg::Uuid& except) {
    Datum args[3] = {pg::datum_from_uuid(parent), Int32GetDatum(group), pg::datum_from_uuid(except)};
    t.count.execute(app, args, nullptr, false, 1);
    bool is_null = false;
    return DatumGetInt32(pg::spi_value(0, 1, &is_null));
}

// Two shifts per statement: a move across days shifts both in one executor
// run (each run of an UPDATE prepares the table's CHECK constraints anew).
// A plan shifts each group at most once, so the two never reach one row.
void apply_shifts(const OrderedRows& t, Oid app, const pg::Uuid& parent, const std::vector<domain::Shift>& shifts,
                  const pg::Uuid& except) {
    InternalWrite internal;
    constexpr domain::Shift kNone{0, 1, 0, 0};  // an empty range: no row
    for (std::size_t i = 0; i < shifts.size(); i += 2) {
        const domain::Shift& a = shifts[i];
        const domain::Shift& b = i + 1 < shifts.size() ? shifts[i + 1] : kNone;
        Datum args[10] = {pg::datum_from_uuid(parent), Int32GetDatum(a.group), Int32GetDatum(a.from),
                          Int32GetDatum(a.to),         Int32GetDatum(a.delta), Int32GetDatum(b.group),
                          Int32GetDatum(b.from),       Int32GetDatum(b.to),    Int32GetDatum(b.delta),
                          pg::datum_from_uuid(except)};
        t.shift.execute(app, args, nullptr);
    }
}

struct RowColumns {
    int id, parent, group, position;  // group 0: the table has none
};

RowColumns row_columns(const OrderedRows& t, const TriggerData* data, const char* function) {
    return {pg::column_number(data, "id", function), pg::column_number(data, t.parent_column, function),
            t.group_column ? pg::column_number(data, t.group_column, function) : 0,
            pg::column_number(data, "order_index", function)};
}

std::optional<int> group_of(HeapTuple row, TupleDesc desc, const RowColumns& col) {
    return col.group ? tuple_int(row, desc, col.group) : std::optional<int>(0);
}

// BEFORE INSERT FOR EACH ROW: the row takes order_index (NULL or past the
// end: the end of its group) and the rows from there move down.
Datum ordered_insert(const OrderedRows& t, FunctionCallInfo fcinfo, const char* function) {
    const pg::TriggerSpec spec{function, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Insert, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = t.extension().member_table_schema(data->tg_relation);
    HeapTuple row = data->tg_trigtuple;
    if (internal_write_active() || restoring()) return PointerGetDatum(row);
    const RowColumns col = row_columns(t, data, function);
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const auto parent = tuple_uuid(row, desc, col.parent);
    const auto group = group_of(row, desc, col);
    if (!parent || !group) return PointerGetDatum(row);  // NOT NULL refuses the row
    const auto requested = tuple_int(row, desc, col.position);

    pg::SpiSession spi;
    const ParentLock lock = lock_parent(t, app, *parent, {*group});
    if (!lock.exists) return PointerGetDatum(row);  // the foreign key refuses it
    check_group(lock, *group);
    const domain::OrderPlan plan =
        domain::plan_insert(*group, requested, rows_in_group(t, app, *parent, *group, kNoRow));
    apply_shifts(t, app, *parent, plan.shifts, kNoRow);
    return PointerGetDatum(with_int_columns(row, desc, {{col.position, plan.target.position}}));
}

// BEFORE UPDATE OF parent, group, order_index FOR EACH ROW: a move within
// or across groups of one parent. The row leaves its old position (the rows
// after it move up) and takes the new one (NULL or past the end: the end of
// the group; the rows from there move down).
Datum ordered_update(const OrderedRows& t, FunctionCallInfo fcinfo, const char* function) {
    const pg::TriggerSpec spec{function, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = t.extension().member_table_schema(data->tg_relation);
    HeapTuple old_row = data->tg_trigtuple;
    HeapTuple new_row = data->tg_newtuple;
    if (internal_write_active()) return PointerGetDatum(new_row);
    const RowColumns col = row_columns(t, data, function);
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const auto old_parent = tuple_uuid(old_row, desc, col.parent);
    const auto new_parent = tuple_uuid(new_row, desc, col.parent);
    if (old_parent != new_parent) {
        throw core::DomainError(core::ErrorKind::CheckViolation,
                                fmt::format("a row cannot move to another {}", t.parent_noun), {},
                                fmt::format("Insert a copy into the other {} and delete this one.", t.parent_noun));
    }
    const auto old_group = group_of(old_row, desc, col);
    const auto new_group = group_of(new_row, desc, col);
    const auto old_position = tuple_int(old_row, desc, col.position);
    const auto requested = tuple_int(new_row, desc, col.position);
    if (!new_parent || !new_group || !old_group || !old_position) return PointerGetDatum(new_row);
    if (old_group == new_group && requested == old_position) return PointerGetDatum(new_row);
    const pg::Uuid id = *tuple_uuid(old_row, desc, col.id);

    pg::SpiSession spi;
    const ParentLock lock = lock_parent(t, app, *new_parent, {*old_group, *new_group});
    if (!lock.exists) return PointerGetDatum(new_row);
    check_group(lock, *new_group);
    const domain::OrderPlan plan = domain::plan_move({*old_group, *old_position}, *new_group, requested,
                                                     rows_in_group(t, app, *new_parent, *new_group, id));
    apply_shifts(t, app, *new_parent, plan.shifts, id);
    return PointerGetDatum(with_int_columns(new_row, desc, {{col.position, plan.target.position}}));
}

// AFTER DELETE FOR EACH STATEMENT (REFERENCING OLD TABLE): the groups that
// lost rows are renumbered 0..n-1 in their order, parents in id order and
// days ascending (so concurrent deletes lock in one order).
Datum ordered_delete(const OrderedRows& t, FunctionCallInfo fcinfo, const char* function) {
    const pg::TriggerSpec spec{function, pg::TriggerLevel::Statement, pg::TriggerTiming::After, pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = t.extension().member_table_schema(data->tg_relation);
    if (data->tg_oldtable == nullptr) {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        fmt::format("trigger \"{}\" must declare REFERENCING OLD TABLE", data->tg_trigger->tgname));
    }
    const RowColumns col = row_columns(t, data, function);
    std::vector<std::pair<pg::Uuid, int>> groups;
    {
        pg::TransitionTable rows(data->tg_oldtable, RelationGetDescr(data->tg_relation));
        while (rows.next()) {
            CHECK_FOR_INTERRUPTS();
            bool parent_null = false, group_null = false;
            const Datum parent = rows.value(col.parent, &parent_null);
            const Datum group = col.group ? rows.value(col.group, &group_null) : Int32GetDatum(0);
            if (parent_null || group_null) continue;
            groups.emplace_back(pg::uuid_from_datum(parent), DatumGetInt32(group));
        }
    }
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());

    pg::SpiSession spi;
    std::optional<pg::Uuid> locked;
    bool parent_exists = false;
    for (const auto& [parent, group] : groups) {
        CHECK_FOR_INTERRUPTS();
        if (locked != parent) {
            std::vector<int> days;  // this parent's groups, ascending (groups is sorted)
            for (const auto& [p, g] : groups) {
                if (p == parent) days.push_back(g);
            }
            parent_exists = lock_parent(t, app, parent, std::move(days)).exists;
            locked = parent;
        }
        if (!parent_exists) continue;  // the parent itself is being deleted
        std::vector<pg::Uuid> ids;
        std::vector<int> positions;
        {
            Datum args[2] = {pg::datum_from_uuid(parent), Int32GetDatum(group)};
            const uint64 rows = t.positions.execute(app, args, nullptr, false);
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
        Datum args[2] = {pg::uuid_array(changed_ids), pg::call([&] {
                             Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * new_positions.size()));
                             for (std::size_t i = 0; i < new_positions.size(); ++i) {
                                 elems[i] = Int32GetDatum(new_positions[i]);
                             }
                             return PointerGetDatum(construct_array(elems, static_cast<int>(new_positions.size()),
                                                                    INT4OID, 4, true, TYPALIGN_INT));
                         })};
        t.set.execute(app, args, nullptr);
    }
    return PointerGetDatum(nullptr);
}

}  // namespace

PG_CPP_FUNCTION(tripos_itinerary_insert) {
    return ordered_insert(itinerary, fcinfo, "tripos_internal.itinerary_insert");
}
PG_CPP_FUNCTION(tripos_itinerary_update) {
    return ordered_update(itinerary, fcinfo, "tripos_internal.itinerary_update");
}
PG_CPP_FUNCTION(tripos_itinerary_delete) {
    return ordered_delete(itinerary, fcinfo, "tripos_internal.itinerary_delete");
}
PG_CPP_FUNCTION(tripos_collection_order_insert) {
    return ordered_insert(collection, fcinfo, "tripos_internal.collection_order_insert");
}
PG_CPP_FUNCTION(tripos_collection_order_update) {
    return ordered_update(collection, fcinfo, "tripos_internal.collection_order_update");
}
PG_CPP_FUNCTION(tripos_collection_order_delete) {
    return ordered_delete(collection, fcinfo, "tripos_internal.collection_order_delete");
}

namespace {
pg::Statement item_place("SELECT trip_id, day_number FROM {app}.trip_items WHERE id = $1", {UUIDOID},
                         pg::Statement::Plan::Generic);

std::optional<std::pair<pg::Uuid, int>> place_of_item(Oid app, const pg::Uuid& item) {
    pg::SpiSession spi;
    Datum arg[1] = {pg::datum_from_uuid(item)};
    if (item_place.execute(app, arg, nullptr, false, 1) != 1) return std::nullopt;
    bool is_null = false;
    const pg::Uuid trip = pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
    return std::make_pair(trip, DatumGetInt32(pg::spi_value(0, 2, &is_null)));
}

// Takes the day locks of `item`'s day and of the day it moves to (none for a
// delete) before the item's row lock, for every edit through the API. A
// plain UPDATE or DELETE locks the row first and the days in its trigger, so
// two of them on one day can deadlock (40P01, retried by the client); through
// the API every edit queues on its days first. Only for a caller who may edit
// the trip; for anyone else it does nothing (the write that follows then
// finds no row through the policies). It reads as the extension's owner,
// as the triggers do: no policy runs for these look-ups.
void lock_item_days(const pg::Uuid& item, std::optional<int> to_day) {
    const platform::AsExtensionOwner owner(core_extension());
    const Oid app = core_extension().schema();
    auto place = place_of_item(app, item);
    if (!place) return;
    const pg::Uuid trip = place->first;
    if (domain::effective_role(trip_membership(trip)) < domain::TripRole::Editor) return;
    // A concurrent move may take the item to another day while this waits:
    // then the locks go back (nothing was read under them) and the new pair
    // is taken, still in order, so waiting edits never lock out of order.
    for (;;) {
        std::vector<int> days{place->second};
        if (to_day && *to_day > 0) days.push_back(*to_day);
        lock_itinerary_days(trip, days);
        const auto now = place_of_item(app, item);
        if (!now || now->first != trip || now->second == place->second) break;
        unlock_itinerary_days(trip, days);
        place = now;
    }
}

// The caller's own write, through its policies (the API functions are
// SECURITY INVOKER); the row comes back whole, in the table's row type.
pg::Statement move_item(
    "UPDATE {app}.trip_items t SET day_number = $2, order_index = $3 WHERE t.id = $1 RETURNING t",
    {UUIDOID, INT4OID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement delete_item("DELETE FROM {app}.trip_items t WHERE t.id = $1 RETURNING t", {UUIDOID},
                          pg::Statement::Plan::Generic);

// The row the statement returned (none: NULL), copied out of SPI's memory.
Datum written_item(FunctionCallInfo fcinfo, pg::Statement& statement, Datum* args, const char* nulls) {
    pg::SpiSession spi;
    if (statement.execute(core_extension().schema(), args, nulls) != 1) PG_RETURN_NULL();
    bool is_null = false;
    const Datum row = pg::spi_value(0, 1, &is_null);
    if (is_null) PG_RETURN_NULL();
    return pg::call([&] { return SPI_datumTransfer(row, false, -1); });
}
}  // namespace

// tripos_internal.lock_itinerary(item_id, day_number): lock_item_days, for a
// client that edits the itinerary in its own transaction.
PG_CPP_FUNCTION(tripos_lock_itinerary) {
    if (PG_ARGISNULL(0)) PG_RETURN_VOID();
    lock_item_days(pg::uuid_from_datum(PG_GETARG_DATUM(0)),
                   PG_ARGISNULL(1) ? std::nullopt : std::optional<int>(PG_GETARG_INT32(1)));
    PG_RETURN_VOID();
}

// move_trip_item(p_item_id, p_day_number, p_position): the day locks, then the
// update, whose trigger (ordered_update) renumbers both days. A NULL position
// appends; a NULL day is refused by NOT NULL, as a plain UPDATE's would be.
PG_CPP_FUNCTION(tripos_move_trip_item) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    const pg::Uuid item = pg::uuid_from_datum(PG_GETARG_DATUM(0));
    lock_item_days(item, PG_ARGISNULL(1) ? std::nullopt : std::optional<int>(PG_GETARG_INT32(1)));
    Datum args[3] = {PG_GETARG_DATUM(0), PG_ARGISNULL(1) ? Datum(0) : PG_GETARG_DATUM(1),
                     PG_ARGISNULL(2) ? Datum(0) : PG_GETARG_DATUM(2)};
    const char nulls[4] = {' ', PG_ARGISNULL(1) ? 'n' : ' ', PG_ARGISNULL(2) ? 'n' : ' ', '\0'};
    return written_item(fcinfo, move_item, args, nulls);
}

// delete_trip_item(p_item_id): the item's day lock, then the delete, whose
// statement trigger (ordered_delete) closes the day up.
PG_CPP_FUNCTION(tripos_delete_trip_item) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    lock_item_days(pg::uuid_from_datum(PG_GETARG_DATUM(0)), std::nullopt);
    Datum args[1] = {PG_GETARG_DATUM(0)};
    return written_item(fcinfo, delete_item, args, nullptr);
}
