// BEFORE DELETE ON auth.users (row): what a shop does when a customer deletes
// their account. Orders, eSIMs and paid checkout sessions are books (tax,
// disputes, provider reconciliation): they stay, and their foreign keys set
// the user to NULL after this trigger. Here, before that, the personal parts
// of those rows are erased and what was only the user's goes: checkout
// sessions that never reached a payment. Profiles and package assignments
// follow by ON DELETE CASCADE.
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = pgcpp::pg;
namespace platform = pgcpp::platform;

namespace {

// Sessions with a payment (an intent, or a payment state) are kept.
pg::Statement drop_unpaid_sessions_sql(
    "DELETE FROM {app}.checkout_sessions WHERE user_id = $1 AND payment_intent_id IS NULL"
    " AND state IS DISTINCT FROM 'PAYMENT_PROCESSING' AND state IS DISTINCT FROM 'PAYMENT_COMPLETED'"
    " AND state IS DISTINCT FROM 'PAYMENT_FAILED'",
    {UUIDOID}, pg::Statement::Plan::Generic);
// A kept session must not stay reachable by its token once it has no owner.
pg::Statement erase_sessions_sql(
    "UPDATE {app}.checkout_sessions SET token_hash = NULL WHERE user_id = $1 AND token_hash IS NOT NULL",
    {UUIDOID}, pg::Statement::Plan::Generic);
// The ICCID, status and SM-DP+ address stay for the provider; the customer's
// reference and the install codes of the profile they held go.
pg::Statement erase_esims_sql(
    "UPDATE {app}.esims SET customer_ref = NULL, qr_code_url = NULL, activation_code = NULL, matching_id = NULL"
    " WHERE user_id = $1 AND (customer_ref IS NOT NULL OR qr_code_url IS NOT NULL OR activation_code IS NOT NULL"
    " OR matching_id IS NOT NULL)",
    {UUIDOID}, pg::Statement::Plan::Generic);

}  // namespace

PG_CPP_FUNCTION(esimgo_forget_user) {
    constexpr const char* kName = "esimgo_internal.forget_user";
    const pg::TriggerSpec spec{kName, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    HeapTuple row = data->tg_trigtuple;
    if (!esimgo::extension.installed()) return PointerGetDatum(row);
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    int id_att = pg::column_number(data, "id", kName);
    bool id_null = false;
    Datum id = pg::call([&] { return heap_getattr(row, id_att, desc, &id_null); });
    if (id_null) return PointerGetDatum(row);
    pg::SpiSession spi;
    platform::AsExtensionOwner owner(esimgo::extension);
    drop_unpaid_sessions_sql.execute(esimgo::extension.schema(), &id, nullptr, false);
    erase_sessions_sql.execute(esimgo::extension.schema(), &id, nullptr, false);
    erase_esims_sql.execute(esimgo::extension.schema(), &id, nullptr, false);
    return PointerGetDatum(row);
}
