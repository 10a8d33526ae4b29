// The audit trail: one order_action_logs row per order changed or deleted,
// with who did it and which columns changed (old and new values). Creation is
// recorded by the order row itself (created_at, user_id, source_type), so a
// new order costs no log row.
//
// One set-based INSERT per statement over the transition tables, whatever the
// number of rows; the actor comes from the JWT claims (auth_context), or the
// database role for direct sessions (migrations, jobs).
#include "core/errors.hpp"
#include "onesim/auth_context.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = onesim::pg;

namespace {

// The action a status change stands for.
constexpr const char* kActionOfUpdate =
    "CASE WHEN o.order_status IS NOT DISTINCT FROM n.order_status THEN 'updated' "
    "     WHEN n.order_status = 'ALLOCATED' THEN 'allocated' "
    "     WHEN n.order_status = 'CANCELLED' THEN 'cancelled' "
    "     WHEN n.order_status = 'REFUNDED' THEN 'refunded' ELSE 'status_changed' END";

// The UPDATE log statement, with the changed-columns object spelled out column
// by column from the table's descriptor: comparing typed columns directly is
// several times cheaper than diffing to_jsonb() of both rows.
// updated_at is bookkeeping, not an action on the order.
std::string update_log_sql(TupleDesc desc) {
    std::string object;      // {col: {old, new}} for each changed column
    std::string any_change;  // does the row differ at all?
    for (int i = 0; i < desc->natts; ++i) {
        const Form_pg_attribute att = TupleDescAttr(desc, i);
        if (att->attisdropped || std::string_view(NameStr(att->attname)) == "updated_at") continue;
        const std::string col =
            pg::call([&] { return pstrdup(quote_identifier(NameStr(att->attname))); });
        const std::string differs = fmt::format("o.{0} IS DISTINCT FROM n.{0}", col);
        object += fmt::format(
            "{}CASE WHEN {} THEN jsonb_build_object({}, jsonb_build_object('old', o.{}, 'new', n.{})) "
            "ELSE '{{{{}}}}'::jsonb END",  // braces doubled for the {app} templating
            object.empty() ? "" : " || ", differs, pg::call([&] {
                return pstrdup(quote_literal_cstr(NameStr(att->attname)));
            }), col, col);
        any_change += (any_change.empty() ? "" : " OR ") + differs;
    }
    return fmt::format(
        "INSERT INTO {{app}}.order_action_logs (order_id, action, old_status, new_status, "
        "  changed_fields, actor_user_id, actor_role) "
        "SELECT n.id, {}, o.order_status, n.order_status, {}, $1, $2 "
        "FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {}",
        kActionOfUpdate, object, any_change);
}

}  // namespace

ONESIM_FUNCTION(onesim_orders_audit) {
    static const pg::TriggerSpec spec{"onesim_internal.orders_audit", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After,
                                      pg::event::Update | pg::event::Delete, 0};
    TriggerData* td = pg::validate_trigger(fcinfo, spec);
    const Oid app = onesim::auth::extension_table_schema(td->tg_relation);
    const unsigned ev = pg::trigger_event(td);

    static std::string updated_sql;
    if (updated_sql.empty()) updated_sql = update_log_sql(td->tg_relation->rd_att);
    static pg::Statement updated(updated_sql.c_str(), {UUIDOID, TEXTOID});
    static pg::Statement deleted(
        "INSERT INTO {app}.order_action_logs (order_id, action, old_status, changed_fields, "
        "  actor_user_id, actor_role) "
        "SELECT o.id, 'deleted', o.order_status, jsonb_build_object('deleted', to_jsonb(o)), $1, $2 "
        "FROM old_rows o",
        {UUIDOID, TEXTOID});

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
    pg::Statement& stmt = ev == pg::event::Update ? updated : deleted;
    stmt.execute(app, args, nulls);
    return PointerGetDatum(nullptr);
}
