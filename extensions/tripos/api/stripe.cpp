// Stripe webhook events: recorded once by event id (a replay changes
// nothing), applied in any arrival order (domain/billing: the newest event's
// state wins), invoices in Stripe's integer minor units, usage limits
// following the plan the subscription grants.
#include "core/errors.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/domain/billing.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
namespace domain = tripos::domain;
using namespace tripos;

namespace {

pg::Statement event_fields(
    "SELECT $1 ->> 'id', $1 ->> 'type', ($1 ->> 'created')::int8, $1 #> '{{data,object}}' IS NOT NULL", {JSONBOID});
pg::Statement record_event(
    "INSERT INTO {app}.billing_events (event_type, stripe_event_id, stripe_event_type, stripe_created, data) "
    "VALUES (CASE WHEN $2 LIKE 'customer.subscription.%' THEN 'subscription' WHEN $2 LIKE 'invoice.%' THEN 'invoice' "
    "ELSE 'other' END, $1, $2, $3, $4) ON CONFLICT (stripe_event_id) DO NOTHING RETURNING id",
    {TEXTOID, TEXTOID, INT8OID, JSONBOID});
pg::Statement existing_event("SELECT * FROM {app}.billing_events WHERE stripe_event_id = $1", {TEXTOID},
                             pg::Statement::Plan::Generic);
pg::Statement finish_event(
    "UPDATE {app}.billing_events SET processed = $2, processed_at = CASE WHEN $2 THEN now() END, "
    "error_message = $3, user_id = $4 WHERE id = $1 RETURNING *",
    {UUIDOID, BOOLOID, TEXTOID, UUIDOID});
// Field texts of a subscription object (1..11).
pg::Statement subscription_fields(
    "SELECT o ->> 'id', o ->> 'customer', o ->> 'status', o #>> '{{items,data,0,price,id}}', "
    "to_timestamp((o ->> 'current_period_start')::float8), to_timestamp((o ->> 'current_period_end')::float8), "
    "coalesce((o ->> 'cancel_at_period_end')::bool, false), to_timestamp((o ->> 'canceled_at')::float8), "
    "to_timestamp((o ->> 'trial_start')::float8), to_timestamp((o ->> 'trial_end')::float8), "
    "o #>> '{{metadata,user_id}}' FROM (SELECT $1 #> '{{data,object}}' AS o) AS s",
    {JSONBOID});
pg::Statement invoice_fields(
    "SELECT o ->> 'id', o ->> 'customer', o ->> 'status', o ->> 'subscription', (o ->> 'amount_due')::int8, "
    "coalesce((o ->> 'amount_paid')::int8, 0), lower(o ->> 'currency'), o ->> 'invoice_pdf', o ->> 'hosted_invoice_url', "
    "to_timestamp((o ->> 'due_date')::float8), to_timestamp((o #>> '{{status_transitions,paid_at}}')::float8), "
    "o #>> '{{metadata,user_id}}' FROM (SELECT $1 #> '{{data,object}}' AS o) AS s",
    {JSONBOID});
pg::Statement user_of_customer("SELECT user_id FROM {app}.subscriptions WHERE stripe_customer_id = $1", {TEXTOID},
                               pg::Statement::Plan::Generic);
// A malformed id in metadata is the sender's mistake: no match, not 22P02.
pg::Statement user_exists(
    "SELECT u.id FROM auth.users u WHERE u.id = CASE WHEN $1 ~* '^[0-9a-f]{{8}}-([0-9a-f]{{4}}-){{3}}[0-9a-f]{{12}}$' "
    "THEN $1::uuid END",
    {TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement plan_of_price("SELECT id FROM {app}.plans WHERE stripe_price_id = $1", {TEXTOID},
                            pg::Statement::Plan::Generic);
pg::Statement serialize_key("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", {TEXTOID},
                            pg::Statement::Plan::Generic);
pg::Statement subscription_stamp(
    "SELECT last_event_created, last_event_id FROM {app}.subscriptions WHERE user_id = $1 FOR UPDATE", {UUIDOID},
    pg::Statement::Plan::Generic);
pg::Statement upsert_subscription(
    "INSERT INTO {app}.subscriptions (user_id, stripe_customer_id, stripe_subscription_id, plan_id, status, "
    "current_period_start, current_period_end, cancel_at_period_end, canceled_at, trial_start, trial_end, "
    "last_event_created, last_event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
    "ON CONFLICT (user_id) DO UPDATE SET stripe_customer_id = EXCLUDED.stripe_customer_id, "
    "stripe_subscription_id = EXCLUDED.stripe_subscription_id, plan_id = EXCLUDED.plan_id, status = EXCLUDED.status, "
    "current_period_start = EXCLUDED.current_period_start, current_period_end = EXCLUDED.current_period_end, "
    "cancel_at_period_end = EXCLUDED.cancel_at_period_end, canceled_at = EXCLUDED.canceled_at, "
    "trial_start = EXCLUDED.trial_start, trial_end = EXCLUDED.trial_end, "
    "last_event_created = EXCLUDED.last_event_created, last_event_id = EXCLUDED.last_event_id",
    {UUIDOID, TEXTOID, TEXTOID, UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, BOOLOID, TIMESTAMPTZOID,
     TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, TEXTOID});
pg::Statement sync_limits(
    "INSERT INTO {app}.usage_limits AS l (user_id, plan_id, ai_runs_limit, trips_limit, collaborators_per_trip_limit) "
    "SELECT $1, p.id, (p.limits ->> 'ai_runs_per_month')::int, (p.limits ->> 'trips_max')::int, "
    "(p.limits ->> 'collaborators_per_trip')::int FROM {app}.plans p "
    "WHERE p.id = coalesce($2, (SELECT d.id FROM {app}.plans d WHERE d.is_default)) "
    "ON CONFLICT (user_id) DO UPDATE SET plan_id = EXCLUDED.plan_id, ai_runs_limit = EXCLUDED.ai_runs_limit, "
    "trips_limit = EXCLUDED.trips_limit, collaborators_per_trip_limit = EXCLUDED.collaborators_per_trip_limit",
    {UUIDOID, UUIDOID});
pg::Statement invoice_stamp("SELECT last_event_created, last_event_id FROM {app}.invoices WHERE stripe_invoice_id = $1 "
                            "FOR UPDATE",
                            {TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement upsert_invoice(
    "INSERT INTO {app}.invoices (user_id, stripe_invoice_id, stripe_subscription_id, amount_due_minor, amount_paid_minor, "
    "currency, status, invoice_pdf, hosted_invoice_url, due_date, paid_at, last_event_created, last_event_id) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
    "ON CONFLICT (stripe_invoice_id) DO UPDATE SET stripe_subscription_id = EXCLUDED.stripe_subscription_id, "
    "amount_due_minor = EXCLUDED.amount_due_minor, amount_paid_minor = EXCLUDED.amount_paid_minor, "
    "currency = EXCLUDED.currency, status = EXCLUDED.status, invoice_pdf = EXCLUDED.invoice_pdf, "
    "hosted_invoice_url = EXCLUDED.hosted_invoice_url, due_date = EXCLUDED.due_date, paid_at = EXCLUDED.paid_at, "
    "last_event_created = EXCLUDED.last_event_created, last_event_id = EXCLUDED.last_event_id",
    {UUIDOID, TEXTOID, TEXTOID, INT8OID, INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID,
     INT8OID, TEXTOID});

// A fetched row's columns, copied out of SPI memory as Datums with nulls.
struct Row {
    std::vector<Datum> values;
    std::vector<char> nulls;  // ' ' or 'n'
    bool is_null(int i) const { return nulls[static_cast<std::size_t>(i)] == 'n'; }
    std::string text(int i) const { return is_null(i) ? std::string() : pg::string_from_text(values[i]); }
};

Row fetch_row(int columns) {
    Row row;
    for (int c = 1; c <= columns; ++c) {
        bool is_null = false;
        const Datum v = pg::spi_value(0, c, &is_null);
        const Oid type = pg::call([&] { return SPI_gettypeid(SPI_tuptable->tupdesc, c); });
        int16 len;
        bool byval;
        pg::call([&] { get_typlenbyval(type, &len, &byval); });
        row.values.push_back(is_null ? Datum(0) : pg::call([&] { return SPI_datumTransfer(v, byval, len); }));
        row.nulls.push_back(is_null ? 'n' : ' ');
    }
    return row;
}

struct Outcome {
    bool processed = true;
    std::string error;
    std::optional<pg::Uuid> user;
};

std::optional<pg::Uuid> resolve_user(Oid app, const std::string& metadata_user, const std::string& customer) {
    if (!metadata_user.empty()) {
        Datum arg[1] = {pg::text_from_string(metadata_user)};
        if (user_exists.execute(app, arg, nullptr, true, 1) == 1) {
            bool is_null = false;
            return pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
        }
    }
    if (!customer.empty()) {
        Datum arg[1] = {pg::text_from_string(customer)};
        if (user_of_customer.execute(app, arg, nullptr, true, 1) == 1) {
            bool is_null = false;
            return pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
        }
    }
    return std::nullopt;
}

bool newer_than_stored(pg::Statement& stamp, Datum key, const domain::EventStamp& incoming, Oid app) {
    Datum arg[1] = {key};
    if (stamp.execute(app, arg, nullptr, false, 1) == 0) return true;
    bool null_created = false, null_id = false;
    const Datum created = pg::spi_value(0, 1, &null_created);
    const Datum id = pg::spi_value(0, 2, &null_id);
    std::optional<domain::EventStamp> applied;
    if (!null_created && !null_id) applied = domain::EventStamp{DatumGetInt64(created), pg::string_from_text(id)};
    return domain::is_newer(incoming, applied);
}

Outcome apply_subscription(Oid app, Datum event, const domain::EventStamp& stamp) {
    Outcome out;
    subscription_fields.execute(app, &event, nullptr, true, 1);
    const Row f = fetch_row(11);
    const std::string status = f.text(2);
    out.user = resolve_user(app, f.text(10), f.text(1));
    if (!out.user) return {false, "no user for this customer (metadata.user_id or an earlier subscription)", {}};
    if (f.is_null(0) || f.is_null(1)) return {false, "the subscription has no id or customer", out.user};
    if (!domain::is_subscription_status(status)) return {false, "unknown subscription status '" + status + "'", out.user};
    std::optional<pg::Uuid> plan;
    {
        Datum arg[1] = {f.values[3]};
        const char nulls[2] = {f.nulls[3], '\0'};
        if (plan_of_price.execute(app, arg, nulls, true, 1) == 1) {
            bool is_null = false;
            plan = pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
        }
    }
    if (!plan) return {false, "no plan has the subscription's price '" + f.text(3) + "'", out.user};
    {
        Datum key[1] = {pg::text_from_string("tripos.subscription:" + pg::uuid_text(out.user->data()))};
        serialize_key.execute(app, key, nullptr);
    }
    if (!newer_than_stored(subscription_stamp, pg::datum_from_uuid(*out.user), stamp, app)) return out;  // stale
    Datum args[13] = {pg::datum_from_uuid(*out.user), f.values[1], f.values[0], pg::datum_from_uuid(*plan),
                      f.values[2], f.values[4], f.values[5], f.values[6], f.values[7], f.values[8], f.values[9],
                      Int64GetDatum(stamp.created), pg::text_from_string(stamp.id)};
    const char nulls[14] = {' ', f.nulls[1], f.nulls[0], ' ', f.nulls[2], f.nulls[4], f.nulls[5], f.nulls[6],
                            f.nulls[7], f.nulls[8], f.nulls[9], ' ', ' ', '\0'};
    upsert_subscription.execute(app, args, nulls);
    Datum limit_args[2] = {pg::datum_from_uuid(*out.user), pg::datum_from_uuid(*plan)};
    const char limit_nulls[3] = {' ', domain::grants_plan(status) ? ' ' : 'n', '\0'};
    sync_limits.execute(app, limit_args, limit_nulls);
    return out;
}

Outcome apply_invoice(Oid app, Datum event, const domain::EventStamp& stamp) {
    Outcome out;
    invoice_fields.execute(app, &event, nullptr, true, 1);
    const Row f = fetch_row(12);
    out.user = resolve_user(app, f.text(11), f.text(1));
    if (!out.user) return {false, "no user for this customer (metadata.user_id or a subscription)", {}};
    const std::string status = f.text(2);
    if (status != "draft" && status != "open" && status != "paid" && status != "uncollectible" && status != "void") {
        return {false, "unknown invoice status '" + status + "'", out.user};
    }
    if (f.is_null(0) || f.is_null(4) || f.is_null(6)) {
        return {false, "the invoice has no id, amount_due or currency", out.user};
    }
    if (DatumGetInt64(f.values[4]) < 0 || DatumGetInt64(f.values[5]) < 0) {
        return {false, "an invoice amount is negative", out.user};
    }
    const std::string currency = f.text(6);
    domain::currency_exponent(currency);  // 22023 for a malformed code
    {
        Datum key[1] = {pg::text_from_string("tripos.invoice:" + f.text(0))};
        serialize_key.execute(app, key, nullptr);
    }
    if (!newer_than_stored(invoice_stamp, f.values[0], stamp, app)) return out;
    Datum args[13] = {pg::datum_from_uuid(*out.user), f.values[0], f.values[3], f.values[4], f.values[5], f.values[6],
                      f.values[2], f.values[7], f.values[8], f.values[9], f.values[10],
                      Int64GetDatum(stamp.created), pg::text_from_string(stamp.id)};
    const char nulls[14] = {' ', ' ', f.nulls[3], ' ', ' ', ' ', ' ', f.nulls[7], f.nulls[8], f.nulls[9], f.nulls[10],
                            ' ', ' ', '\0'};
    upsert_invoice.execute(app, args, nulls);
    return out;
}

}  // namespace

// tripos_internal.ingest_stripe_event(event jsonb) -> billing_events
PG_CPP_FUNCTION(tripos_ingest_stripe_event) {
    const Datum event = pg::required_arg(fcinfo, 0, "event");
    const Oid app = payments_extension().schema();
    pg::SpiSession spi;
    event_fields.execute(app, &event, nullptr, true, 1);
    const Row head = fetch_row(4);
    if (head.is_null(0) || head.is_null(1) || head.is_null(2) || !DatumGetBool(head.values[3])) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "a Stripe event has an id, a type, a created time and data.object");
    }
    const domain::EventStamp stamp{DatumGetInt64(head.values[2]), head.text(0)};
    const std::string type = head.text(1);
    Datum record[4] = {head.values[0], head.values[1], head.values[2], event};
    if (record_event.execute(app, record, nullptr, false, 0) == 0) {
        // Seen before: the stored row, unchanged. A fresh snapshot (not read
        // only): the first copy may have committed while this one waited.
        if (existing_event.execute(app, &head.values[0], nullptr, false, 1) != 1) {
            throw core::DomainError(core::ErrorKind::Conflict, "the event was recorded and removed meanwhile");
        }
        return PointerGetDatum(pg::call([] { return SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc); }));
    }
    bool is_null = false;
    const pg::Uuid event_row = pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
    Outcome outcome;
    if (type.rfind("customer.subscription.", 0) == 0) {
        outcome = apply_subscription(app, event, stamp);
    } else if (type.rfind("invoice.", 0) == 0) {
        outcome = apply_invoice(app, event, stamp);
    }
    Datum args[4] = {pg::datum_from_uuid(event_row), BoolGetDatum(outcome.processed),
                     pg::text_from_string(outcome.error), outcome.user ? pg::datum_from_uuid(*outcome.user) : Datum(0)};
    const char nulls[5] = {' ', ' ', outcome.error.empty() ? 'n' : ' ', outcome.user ? ' ' : 'n', '\0'};
    finish_event.execute(app, args, nulls, false, 0);
    return PointerGetDatum(pg::call([] { return SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc); }));
}
