// The audit trail: one order_action_logs row per order created, changed or
// deleted, with who did it and which columns changed (old and new values).
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

// Columns whose change is bookkeeping, not an action on the order.
constexpr const char* kIgnoredColumns = "('updated_at')";

}  // namespace

ONESIM_FUNCTION(onesim_orders_audit) {
    static const pg::TriggerSpec spec{"onesim_internal.orders_audit()", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After,
                                      pg::event::Insert | pg::event::Update | pg::event::Delete, 0};
    TriggerData* td = pg::validate_trigger(fcinfo, spec);
    const Oid app = pg::schema_of_relation(td->tg_relation);
    const unsigned ev = pg::trigger_event(td);

    static pg::Statement created(
        "INSERT INTO {app}.order_action_logs (order_id, action, new_status, actor_user_id, actor_role) "
        "SELECT n.id, 'created', n.order_status, $1, $2 FROM new_rows n",
        {UUIDOID, TEXTOID});
    static const std::string updated_sql = fmt::format(
        "INSERT INTO {{app}}.order_action_logs (order_id, action, old_status, new_status, "
        "  changed_fields, actor_user_id, actor_role) "
        "SELECT n.id, {}, o.order_status, n.order_status, d.fields, $1, $2 "
        "FROM old_rows o JOIN new_rows n ON n.id = o.id, "
        "LATERAL (SELECT jsonb_object_agg(nv.key, jsonb_build_object('old', ov.value, 'new', nv.value)) "
        "         AS fields "
        "         FROM jsonb_each(to_jsonb(o)) ov JOIN jsonb_each(to_jsonb(n)) nv ON nv.key = ov.key "
        "         WHERE ov.value IS DISTINCT FROM nv.value AND nv.key NOT IN {}) d "
        "WHERE d.fields IS NOT NULL",
        kActionOfUpdate, kIgnoredColumns);
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
    pg::Statement& stmt = ev == pg::event::Insert ? created : ev == pg::event::Update ? updated : deleted;
    stmt.execute(app, args, nulls);
    return PointerGetDatum(nullptr);
}
