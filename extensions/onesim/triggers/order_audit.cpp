// The audit trail: one order_action_logs row per order changed or deleted,
// with who did it and which columns changed (old and new values). Creation is
// recorded by the order row itself (created_at, user_id, source_type), so a
// new order costs no log row.
//
// One set-based INSERT per statement over the transition tables, whatever the
// number of rows, spelled out for the columns the statement can have changed;
// the actor comes from the JWT claims (auth_context), or the database role
// for direct sessions (migrations, jobs).
#include "onesim/layers.hpp"
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "onesim/auth_context.hpp"
#include "onesim/column_types.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = pgcpp::pg;

namespace {

// The action a status change stands for: a CASE of literals, which is text.
// order_action_logs.action is an enum from 1.2 on (VARCHAR before), which
// takes it cast (kEnumActionOfUpdate).
constexpr const char* kActionOfUpdate =
    "CASE WHEN o.order_status IS NOT DISTINCT FROM n.order_status THEN 'updated' "
    "     WHEN n.order_status = 'ALLOCATED' THEN 'allocated' "
    "     WHEN n.order_status = 'CANCELLED' THEN 'cancelled' "
    "     WHEN n.order_status = 'REFUNDED' THEN 'refunded' ELSE 'status_changed' END";
constexpr const char* kEnumActionOfUpdate = "({})::{{app}}.order_action";

// Whether a column takes part in the log: updated_at is bookkeeping, not an
// action on the order.
bool is_logged(const Form_pg_attribute att) {
    return !att->attisdropped && std::string_view(NameStr(att->attname)) != "updated_at";
}

// The UPDATE log statement for the columns `columns` (attribute numbers,
// ascending), with the changed-columns object spelled out column by column:
// comparing typed columns directly is several times cheaper than diffing
// to_jsonb() of both rows, and building the expression of only the columns
// that can have changed is cheaper still (see candidate_columns()).
std::string update_log_sql(TupleDesc desc, const std::vector<AttrNumber>& columns, bool enum_action) {
    std::string object;      // {col: {old, new}} for each changed column
    std::string any_change;  // does the row differ at all?
    for (const AttrNumber attnum : columns) {
        const Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
        // Quoted, then braces doubled: the text becomes a Statement template.
        const std::string col = pg::template_identifier(NameStr(att->attname));
        const std::string differs = fmt::format("o.{0} IS DISTINCT FROM n.{0}", col);
        object += (object.empty() ? "" : " || ");
        object += "CASE WHEN " + differs + " THEN jsonb_build_object(" +
                  pg::template_literal(NameStr(att->attname)) + ", jsonb_build_object('old', o." + col +
                  ", 'new', n." + col + ")) ELSE '{{}}'::jsonb END";  // {{}}: {} after templating
        any_change += (any_change.empty() ? "" : " OR ") + differs;
    }
    return fmt::format(
        "INSERT INTO {{app}}.order_action_logs (order_id, action, old_status, new_status, "
        "  changed_fields, actor_user_id, actor_role) "
        "SELECT n.id, {}, o.order_status::text, n.order_status::text, {}, $1, $2 "
        "FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {}",
        enum_action ? fmt::format(kEnumActionOfUpdate, kActionOfUpdate) : std::string(kActionOfUpdate), object,
        any_change);
}

// The logged columns that can differ between an old row and its new row in
// the statement's transition tables (the i-th row of each is one row's two
// versions): every column whose two values are not the same bytes. Same
// bytes are the same value for every type, so no column that IS DISTINCT
// FROM would find changed is left out; a column whose bytes differ but whose
// values are equal (numeric 1.0 and 1.00) is kept, and the statement's own
// IS DISTINCT FROM decides. Every logged column when the rows cannot be
// paired.
std::vector<AttrNumber> candidate_columns(TriggerData* td) {
    const TupleDesc desc = RelationGetDescr(td->tg_relation);
    std::vector<char> candidate(desc->natts, 0);
    pg::TransitionTable old_rows(td->tg_oldtable, desc);
    pg::TransitionTable new_rows(td->tg_newtable, desc);
    for (;;) {
        const bool has_old = old_rows.next(), has_new = new_rows.next();
        if (has_old != has_new) {  // not expected of a table's UPDATE; the full statement then
            std::fill(candidate.begin(), candidate.end(), 1);
            break;
        }
        if (!has_old) break;
        for (int i = 0; i < desc->natts; ++i) {
            if (candidate[i]) continue;
            const Form_pg_attribute att = TupleDescAttr(desc, i);
            bool old_null = false, new_null = false;
            const Datum before = old_rows.value(i + 1, &old_null);
            const Datum after = new_rows.value(i + 1, &new_null);
            const bool same = old_null == new_null &&
                              (old_null || pg::call([&] {
                                   return datumIsEqual(before, after, att->attbyval, att->attlen);
                               }));
            candidate[i] = !same;
        }
    }
    std::vector<AttrNumber> columns;
    for (int i = 0; i < desc->natts; ++i) {
        if (candidate[i] && is_logged(TupleDescAttr(desc, i))) columns.push_back(static_cast<AttrNumber>(i + 1));
    }
    return columns;
}

// The UPDATE log statement for a set of candidate columns, prepared once per
// set and backend (an order's updates change few columns, and the same ones
// again: an allocation its status). Keyed by the columns' names, so a
// renamed or re-created column gets a statement of its own, and by the type
// of order_action_logs.action (enum_action).
pg::Statement& update_log_statement(TupleDesc desc, const std::vector<AttrNumber>& columns, bool enum_action) {
    static std::map<std::string, std::unique_ptr<pg::Statement>> statements;
    constexpr size_t kMaxStatements = 64;
    std::string key = enum_action ? "enum" : "text";
    key += '\0';
    for (const AttrNumber attnum : columns) {
        key += NameStr(TupleDescAttr(desc, attnum - 1)->attname);
        key += '\0';  // the one character no column name holds
    }
    if (auto it = statements.find(key); it != statements.end()) return *it->second;
    if (statements.size() >= kMaxStatements) {  // unusual updates: the statement of every column
        std::vector<AttrNumber> all;
        for (int i = 0; i < desc->natts; ++i) {
            if (is_logged(TupleDescAttr(desc, i))) all.push_back(static_cast<AttrNumber>(i + 1));
        }
        if (all != columns) return update_log_statement(desc, all, enum_action);
    }
    auto stmt = std::make_unique<pg::Statement>(update_log_sql(desc, columns, enum_action),
                                                std::initializer_list<Oid>{UUIDOID, TEXTOID});
    return *statements.emplace(std::move(key), std::move(stmt)).first->second;
}

}  // namespace

PG_CPP_FUNCTION(onesim_orders_audit) {
    static const pg::TriggerSpec spec{"onesim_internal.orders_audit", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After,
                                      pg::event::Update | pg::event::Delete, 0};
    TriggerData* td = pg::validate_trigger(fcinfo, spec);
    const Oid app = onesim::auth::extension_table_schema(td->tg_relation);
    const unsigned ev = pg::trigger_event(td);

    static pg::Statement deleted(
        "INSERT INTO {app}.order_action_logs (order_id, action, old_status, changed_fields, "
        "  actor_user_id, actor_role) "
        "SELECT o.id, 'deleted', o.order_status::text, jsonb_build_object('deleted', to_jsonb(o)), $1, $2 "
        "FROM old_rows o",
        {UUIDOID, TEXTOID});

    // An UPDATE logs the rows in which a column other than updated_at
    // changed: with no candidate column there is none, and nothing to run.
    std::vector<AttrNumber> changed;
    if (ev == pg::event::Update) {
        changed = candidate_columns(td);
        if (changed.empty()) return PointerGetDatum(nullptr);
    }

    const auto actor = onesim::auth::current_user_id();
    // The role the request runs as (SET ROLE), not this function's definer.
    auto role = onesim::auth::jwt_claim("role");
    if (!role) role = pg::call([] { return pstrdup(GetUserNameFromId(GetOuterUserId(), false)); });

    pg::SpiSession spi;
    pg::call([&] {
        if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER) {
            elog(ERROR, "could not register the transition tables of orders");
        }
    });
    Datum args[2] = {actor ? pg::datum_from_uuid(*actor) : Datum(0), pg::text_from_string(*role)};
    const char nulls[3] = {actor ? ' ' : 'n', ' ', '\0'};
    pg::Statement& stmt =
        ev == pg::event::Update
            ? update_log_statement(RelationGetDescr(td->tg_relation), changed,
                                   onesim::columns::is_enum(app, "order_action_logs", "action"))
            : deleted;
    stmt.execute(app, args, nulls);
    return PointerGetDatum(nullptr);
}
