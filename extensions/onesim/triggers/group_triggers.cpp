// Maintained counts: customer_groups.group_size and partners.total_customers.
//
// Statement-level AFTER triggers read the statement's transition tables, add
// up per-parent deltas in C++ (core/counter_deltas.hpp) and apply them with one
// kept-plan UPDATE per parent whose net delta is not zero, in ascending id
// order (no deadlocks between concurrent statements). TRUNCATE resets the
// counts to 0. A row trigger keeps group members within one partner.
#include "onesim/layers.hpp"
#include "onesim/auth_context.hpp"
#include "core/counter_deltas.hpp"
#include "core/errors.hpp"
#include "platform/restore_mode.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = pgcpp::pg;
using pgcpp::core::CountDeltas;
using pgcpp::core::Key;

namespace {

// One maintained count: the child table whose rows are counted, the column
// naming the parent, and the statements that adjust or reset the parent.
struct CountSpec {
    const char* counter;        // the trigger argument
    const char* child_table;    // the table the trigger must be attached to
    const char* parent_column;  // child column holding the parent's id
    pg::Statement* add;         // $1 parent id, $2 delta
    pg::Statement* reset;       // no arguments
};

pg::Statement add_group_size(
    "UPDATE {app}.customer_groups SET group_size = group_size + $2 WHERE id = $1",
    {UUIDOID, INT8OID});
pg::Statement reset_group_size(
    "UPDATE {app}.customer_groups SET group_size = 0 WHERE group_size <> 0", {});
pg::Statement add_total_customers(
    "UPDATE {app}.partners SET total_customers = total_customers + $2 WHERE id = $1",
    {UUIDOID, INT8OID});
pg::Statement reset_total_customers(
    "UPDATE {app}.partners SET total_customers = 0 WHERE total_customers <> 0", {});

const CountSpec kCounts[] = {
    {"group_size", "customer_group_members", "group_id", &add_group_size, &reset_group_size},
    {"total_customers", "partner_customers", "partner_id", &add_total_customers,
     &reset_total_customers},
};

const CountSpec& count_spec(const TriggerData* data, const char* function) {
    const std::string counter = pg::trigger_arg(data, 0);
    const char* table = RelationGetRelationName(data->tg_relation);
    for (const CountSpec& spec : kCounts) {
        if (counter != spec.counter) continue;
        if (std::strcmp(table, spec.child_table) != 0) {
            pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                            fmt::format("{}('{}') must be attached to table \"{}\", not \"{}\"",
                                        function, counter, spec.child_table, table));
        }
        return spec;
    }
    pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                    fmt::format("{}(): unknown count \"{}\" (trigger \"{}\")", function, counter,
                                data->tg_trigger->tgname),
                    {}, "Use 'group_size' or 'total_customers'.");
}

// Adds `delta` to the parent of every row of a transition table.
void collect(Tuplestorestate* store, TupleDesc desc, int attnum, std::int64_t delta,
             CountDeltas& deltas) {
    pg::TransitionTable rows(store, desc);
    while (rows.next()) {
        bool is_null = false;
        const Datum value = rows.value(attnum, &is_null);
        if (is_null) continue;  // NOT NULL columns; a NULL parent counts nowhere
        deltas.add(pg::uuid_from_datum(value), delta);
    }
}

constexpr const char* kMaintainCount = "onesim_internal.maintain_child_count";

}  // namespace

// onesim_internal.maintain_child_count(counter): AFTER INSERT / UPDATE / DELETE
// (REFERENCING the transition tables of the event) or AFTER TRUNCATE, FOR EACH
// STATEMENT, on the counted table.
PG_CPP_FUNCTION(onesim_maintain_child_count) {
    const pg::TriggerSpec trigger{kMaintainCount, pg::TriggerLevel::Statement,
                                  pg::TriggerTiming::After,
                                  pg::event::Insert | pg::event::Update | pg::event::Delete |
                                      pg::event::Truncate,
                                  1};
    TriggerData* data = pg::validate_trigger(fcinfo, trigger);
    if (pgcpp::platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);
    const CountSpec& spec = count_spec(data, kMaintainCount);
    const Oid app = onesim::auth::extension_table_schema(data->tg_relation);
    const unsigned ev = pg::trigger_event(data);

    pg::SpiSession spi;
    if (ev == pg::event::Truncate) {
        spec.reset->execute(app, nullptr, nullptr);
        return PointerGetDatum(nullptr);
    }

    const bool wants_old = ev != pg::event::Insert;
    const bool wants_new = ev != pg::event::Delete;
    if ((wants_old && data->tg_oldtable == nullptr) || (wants_new && data->tg_newtable == nullptr)) {
        pg::raise_error(
            ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
            fmt::format("trigger \"{}\" must declare {}", data->tg_trigger->tgname,
                        ev == pg::event::Insert   ? "REFERENCING NEW TABLE"
                        : ev == pg::event::Delete ? "REFERENCING OLD TABLE"
                                                  : "REFERENCING OLD TABLE ... NEW TABLE"),
            "The count is computed from the statement's transition tables.");
    }

    const int attnum = pg::column_number(data, spec.parent_column, kMaintainCount);
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    CountDeltas deltas;
    if (wants_old) collect(data->tg_oldtable, desc, attnum, -1, deltas);
    if (wants_new) collect(data->tg_newtable, desc, attnum, +1, deltas);

    for (const auto& [parent, delta] : deltas.nonzero_sorted()) {
        Datum args[2] = {pg::datum_from_uuid(parent), Int64GetDatum(delta)};
        spec.add->execute(app, args, nullptr);
    }
    return PointerGetDatum(nullptr);
}

namespace {

// Members of the statement whose customer and group belong to different
// partners: one query over the transition table, whatever the row count.
pg::Statement straddling_member(
    "SELECT m.customer_id, m.group_id FROM new_rows m "
    "JOIN {app}.customer_groups g ON g.id = m.group_id "
    "JOIN {app}.partner_customers c ON c.id = m.customer_id "
    "WHERE g.partner_id <> c.partner_id LIMIT 1",
    {});

constexpr const char* kCheckMember = "onesim_internal.check_group_member_partner";

}  // namespace

// onesim_internal.check_group_member_partner(): AFTER INSERT / AFTER UPDATE
// FOR EACH STATEMENT on customer_group_members, with the new rows as
// "new_rows". A member's customer must belong to the group's partner (23503
// otherwise; the statement is undone). Checked once per statement, so a bulk
// insert of 20,000 members costs one join, not 20,000 look-ups. Missing
// groups or customers are left to the foreign keys.
PG_CPP_FUNCTION(onesim_check_group_member_partner) {
    const pg::TriggerSpec trigger{kCheckMember, pg::TriggerLevel::Statement,
                                  pg::TriggerTiming::After, pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, trigger);
    const Oid app = onesim::auth::extension_table_schema(data->tg_relation);
    if (pgcpp::platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);
    std::optional<std::pair<pg::Uuid, pg::Uuid>> bad;
    {
        pg::SpiSession spi;
        pg::call([&] {
            if (SPI_register_trigger_data(data) != SPI_OK_TD_REGISTER) {
                elog(ERROR, "could not register the transition table of customer_group_members");
            }
        });
        if (straddling_member.execute(app, nullptr, nullptr, true, 1) == 1) {
            bool isnull;
            bad.emplace(pg::uuid_from_datum(pg::spi_value(0, 1, &isnull)),
                        pg::uuid_from_datum(pg::spi_value(0, 2, &isnull)));
        }
    }
    if (bad) {
        pg::raise_error(
            ERRCODE_FOREIGN_KEY_VIOLATION,
            fmt::format("customer {} cannot join group {}: they belong to different partners",
                        pg::uuid_text(bad->first.data()), pg::uuid_text(bad->second.data())),
            fmt::format("Table \"{}\" only links a partner's customers to that partner's groups.",
                        RelationGetRelationName(data->tg_relation)));
    }
    return PointerGetDatum(nullptr);
}
