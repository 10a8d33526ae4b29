// Stage 5 steps for the service and for users: status webhooks (idempotent),
// the send gate (opt-in, preferences, quiet hours), job completion with
// retries and backoff, message retries, opt-in.
#include <algorithm>
#include <iterator>

#include "core/errors.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/access.hpp"
#include "tripos/domain/messaging.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
namespace domain = tripos::domain;
using namespace tripos;

namespace {

constexpr std::int64_t kRetryBaseSeconds = 60;
constexpr std::int64_t kRetryCapSeconds = 3600;
constexpr int kMessageMaxRetries = 5;

Datum returned_row() {
    return PointerGetDatum(pg::call([] { return SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc); }));
}

pg::Statement record_webhook(
    "INSERT INTO {app}.whatsapp_webhook_events (provider_event_id, external_id, status, payload) "
    "VALUES ($1 ->> 'id', $1 ->> 'message_id', $1 ->> 'status', $1) "
    "ON CONFLICT (provider_event_id) DO NOTHING RETURNING id, external_id, status, $1 ->> 'error'",
    {JSONBOID});
pg::Statement existing_webhook("SELECT * FROM {app}.whatsapp_webhook_events WHERE provider_event_id = $1 ->> 'id'",
                               {JSONBOID});
pg::Statement apply_status(
    "UPDATE {app}.whatsapp_messages SET status = $2, "
    "failed_reason = CASE WHEN $2 = 'failed' AND status IN ('pending', 'sent') THEN coalesce($3, 'failed') "
    "ELSE failed_reason END WHERE external_id = $1",
    {TEXTOID, TEXTOID, TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement finish_webhook(
    "UPDATE {app}.whatsapp_webhook_events SET processed = $2, processed_at = CASE WHEN $2 THEN now() END, "
    "error_message = $3 WHERE id = $1 RETURNING *",
    {UUIDOID, BOOLOID, TEXTOID}, pg::Statement::Plan::Generic);

pg::Statement gate(
    "SELECT a.id, a.opt_in_status, CASE $2 WHEN 'trip_reminders' THEN p.trip_reminders "
    "WHEN 'booking_confirmations' THEN p.booking_confirmations WHEN 'itinerary_updates' THEN p.itinerary_updates "
    "WHEN 'budget_alerts' THEN p.budget_alerts WHEN 'ai_suggestions' THEN p.ai_suggestions "
    "WHEN 'collaborator_updates' THEN p.collaborator_updates WHEN 'marketing' THEN p.marketing END, "
    "coalesce(p.quiet_hours_enabled, false), extract(epoch FROM p.quiet_hours_start)::int4, "
    "extract(epoch FROM p.quiet_hours_end)::int4, "
    "extract(epoch FROM (now() AT TIME ZONE coalesce(p.timezone, 'UTC'))::time)::int4, "
    "(now() AT TIME ZONE coalesce(p.timezone, 'UTC'))::date, coalesce(p.timezone, 'UTC'), p.quiet_hours_end "
    "FROM {app}.whatsapp_accounts a LEFT JOIN {app}.notification_preferences p ON p.user_id = a.user_id "
    "WHERE a.user_id = $1",
    {UUIDOID, TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement local_instant("SELECT (($1::date + $2::int4) + $3::time) AT TIME ZONE $4",
                            {DATEOID, INT4OID, TIMEOID, TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement insert_message(
    "INSERT INTO {app}.whatsapp_messages (user_id, whatsapp_account_id, trip_id, template_id, direction, message_type, "
    "content, send_after) VALUES ($1, $2, $3, $4, 'outbound', $5, $6, $7) RETURNING *",
    {UUIDOID, UUIDOID, UUIDOID, UUIDOID, TEXTOID, TEXTOID, TIMESTAMPTZOID});

pg::Statement job_state(
    "SELECT status, retry_count, max_retries, automation_rule_id FROM {app}.scheduled_jobs WHERE id = $1 FOR UPDATE",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement job_done(
    "UPDATE {app}.scheduled_jobs SET status = 'completed', executed_at = now(), result = $2, error_message = NULL, "
    "locked_at = NULL WHERE id = $1 RETURNING *",
    {UUIDOID, JSONBOID}, pg::Statement::Plan::Generic);
pg::Statement job_retry(
    "UPDATE {app}.scheduled_jobs SET status = 'pending', retry_count = retry_count + 1, "
    "next_attempt_at = now() + make_interval(secs => $3), error_message = $2, locked_at = NULL WHERE id = $1 RETURNING *",
    {UUIDOID, TEXTOID, FLOAT8OID}, pg::Statement::Plan::Generic);
pg::Statement job_failed(
    "UPDATE {app}.scheduled_jobs SET status = 'failed', executed_at = now(), error_message = $2, locked_at = NULL "
    "WHERE id = $1 RETURNING *",
    {UUIDOID, TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement stalled_jobs(
    "SELECT id, retry_count, max_retries FROM {app}.scheduled_jobs "
    "WHERE status = 'running' AND locked_at < now() - make_interval(mins => $1) ORDER BY locked_at "
    "FOR UPDATE SKIP LOCKED",
    {INT4OID}, pg::Statement::Plan::Generic);
pg::Statement stamp_rule("UPDATE {app}.automation_rules SET last_triggered_at = now() WHERE id = $1", {UUIDOID},
                         pg::Statement::Plan::Generic);

// A failed attempt of a claimed job: back to pending after the backoff, or
// failed for good once its retries are spent.
void fail_attempt(Oid app, Datum job, int retries, int max_retries, Datum error) {
    if (domain::may_retry(retries, max_retries)) {
        const double delay =
            static_cast<double>(domain::retry_delay_seconds(retries, kRetryBaseSeconds, kRetryCapSeconds));
        Datum args[3] = {job, error, Float8GetDatum(delay)};
        job_retry.execute(app, args, nullptr, false, 0);
    } else {
        Datum args[2] = {job, error};
        job_failed.execute(app, args, nullptr, false, 0);
    }
}

pg::Statement message_state("SELECT status, retry_count FROM {app}.whatsapp_messages WHERE id = $1 FOR UPDATE",
                            {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement message_retry(
    "UPDATE {app}.whatsapp_messages SET status = 'pending', retry_count = retry_count + 1, failed_reason = NULL, "
    "send_after = now() + make_interval(secs => $2) WHERE id = $1 RETURNING *",
    {UUIDOID, FLOAT8OID}, pg::Statement::Plan::Generic);

pg::Statement account_of("SELECT is_verified FROM {app}.whatsapp_accounts WHERE user_id = $1 FOR UPDATE", {UUIDOID},
                         pg::Statement::Plan::Generic);
pg::Statement set_opt_in(
    "UPDATE {app}.whatsapp_accounts SET opt_in_status = CASE WHEN $2 THEN 'opted_in' ELSE 'opted_out' END, "
    "opted_in_at = CASE WHEN $2 THEN now() ELSE opted_in_at END, "
    "opted_out_at = CASE WHEN $2 THEN opted_out_at ELSE now() END WHERE user_id = $1 RETURNING *",
    {UUIDOID, BOOLOID}, pg::Statement::Plan::Generic);

std::string text_at(int column) {
    bool is_null = false;
    const Datum v = pg::spi_value(0, column, &is_null);
    return is_null ? std::string() : pg::string_from_text(v);
}

}  // namespace

// tripos_internal.ingest_whatsapp_status(event): {id, message_id, status, error}
PG_CPP_FUNCTION(tripos_ingest_whatsapp_status) {
    const Datum event = pg::required_arg(fcinfo, 0, "event");
    const Oid app = whatsapp_extension().schema();
    pg::SpiSession spi;
    uint64 recorded = 0;
    recorded = record_webhook.execute(app, &event, nullptr, false, 0);
    if (recorded == 0) {
        if (existing_webhook.execute(app, &event, nullptr, false, 1) == 1) return returned_row();
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a status report needs an id");
    }
    bool is_null = false;
    const pg::Uuid row = pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
    const std::string external_id = text_at(2);
    const std::string status = text_at(3);
    const std::string error = text_at(4);
    std::string problem;
    if (external_id.empty()) {
        problem = "the report names no message_id";
    } else if (!domain::parse_message_status(status)) {
        problem = "unknown status '" + status + "'";
    } else {
        Datum args[3] = {pg::text_from_string(external_id), pg::text_from_string(status), pg::text_from_string(error)};
        const char nulls[4] = {' ', ' ', error.empty() ? 'n' : ' ', '\0'};
        if (apply_status.execute(app, args, nulls) == 0) problem = "no message has external_id '" + external_id + "'";
    }
    Datum args[3] = {pg::datum_from_uuid(row), BoolGetDatum(problem.empty()), pg::text_from_string(problem)};
    const char nulls[4] = {' ', ' ', problem.empty() ? 'n' : ' ', '\0'};
    finish_webhook.execute(app, args, nulls, false, 0);
    return returned_row();
}

// tripos_internal.queue_whatsapp_message(user, category, content, trip, type, template)
PG_CPP_FUNCTION(tripos_queue_whatsapp_message) {
    const Datum user = pg::required_arg(fcinfo, 0, "user_id");
    const std::string category = pg::string_from_text(pg::required_arg(fcinfo, 1, "category"));
    const Datum content = pg::required_arg(fcinfo, 2, "content");
    const Datum type = PG_ARGISNULL(4) ? pg::text_from_string("text") : PG_GETARG_DATUM(4);
    static const char* const known[] = {"trip_reminders", "booking_confirmations", "itinerary_updates", "budget_alerts",
                                        "ai_suggestions", "collaborator_updates", "marketing"};
    if (std::none_of(std::begin(known), std::end(known), [&](const char* k) { return category == k; })) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "unknown notification category '" + category + "'");
    }
    const Oid app = whatsapp_extension().schema();
    pg::SpiSession spi;
    Datum gate_args[2] = {user, pg::text_from_string(category)};
    if (gate.execute(app, gate_args, nullptr, true, 1) != 1) {
        throw core::DomainError(core::ErrorKind::Conflict, "the user has no WhatsApp account");
    }
    bool is_null = false;
    const pg::Uuid account = pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
    if (text_at(2) != "opted_in") {
        throw core::DomainError(core::ErrorKind::Conflict, "the user has not opted in to WhatsApp messages");
    }
    bool flag_null = false;
    const Datum wanted = pg::spi_value(0, 3, &flag_null);
    // NULL: no preferences row yet, so the defaults (everything but marketing).
    const bool wants = flag_null ? category != "marketing" : DatumGetBool(wanted);
    if (!wants) throw core::DomainError(core::ErrorKind::Conflict, "the user does not want " + category + " messages");
    std::optional<Datum> send_after;
    const bool quiet_enabled = DatumGetBool(pg::spi_value(0, 4, &is_null));
    bool start_null = false, end_null = false;
    const Datum start = pg::spi_value(0, 5, &start_null);
    const Datum end = pg::spi_value(0, 6, &end_null);
    if (quiet_enabled && !start_null && !end_null) {
        const int local_now = DatumGetInt32(pg::spi_value(0, 7, &is_null));
        const domain::QuietCheck q =
            domain::check_quiet_hours(local_now, {DatumGetInt32(start), DatumGetInt32(end)});
        if (q.quiet) {
            const Datum local_date = pg::spi_value(0, 8, &is_null);
            const std::string zone = text_at(9);
            const Datum end_time = pg::spi_value(0, 10, &is_null);
            Datum args[4] = {local_date, Int32GetDatum(q.ends_next_day ? 1 : 0), end_time, pg::text_from_string(zone)};
            local_instant.execute(app, args, nullptr, true, 1);
            send_after = pg::spi_value(0, 1, &is_null);
        }
    }
    Datum args[7] = {user, pg::datum_from_uuid(account), PG_ARGISNULL(3) ? Datum(0) : PG_GETARG_DATUM(3),
                     PG_ARGISNULL(5) ? Datum(0) : PG_GETARG_DATUM(5), type, content,
                     send_after ? *send_after : TimestampTzGetDatum(GetCurrentTransactionStartTimestamp())};
    const char nulls[8] = {' ', ' ', PG_ARGISNULL(3) ? 'n' : ' ', PG_ARGISNULL(5) ? 'n' : ' ', ' ', ' ', ' ', '\0'};
    insert_message.execute(app, args, nulls);
    return returned_row();
}

// tripos_internal.complete_scheduled_job(job, succeeded, result, error)
PG_CPP_FUNCTION(tripos_complete_scheduled_job) {
    const Datum job = pg::required_arg(fcinfo, 0, "job_id");
    const bool succeeded = DatumGetBool(pg::required_arg(fcinfo, 1, "succeeded"));
    const Oid app = whatsapp_extension().schema();
    pg::SpiSession spi;
    if (job_state.execute(app, &job, nullptr, false, 1) != 1) {
        throw core::DomainError(core::ErrorKind::NotFound, "no such scheduled job");
    }
    bool is_null = false;
    const std::string status = text_at(1);
    const int retries = DatumGetInt32(pg::spi_value(0, 2, &is_null));
    const int max_retries = DatumGetInt32(pg::spi_value(0, 3, &is_null));
    bool rule_null = false;
    const Datum rule = pg::spi_value(0, 4, &rule_null);
    const std::optional<pg::Uuid> rule_id = rule_null ? std::nullopt : std::optional(pg::uuid_from_datum(rule));
    if (status != "running") {
        throw core::DomainError(core::ErrorKind::Conflict, "only a claimed (running) job can be completed, not a " +
                                                               status + " one");
    }
    const Datum error = PG_ARGISNULL(3) ? pg::text_from_string("failed") : PG_GETARG_DATUM(3);
    if (succeeded) {
        Datum args[2] = {job, PG_ARGISNULL(2) ? Datum(0) : PG_GETARG_DATUM(2)};
        const char nulls[3] = {' ', PG_ARGISNULL(2) ? 'n' : ' ', '\0'};
        job_done.execute(app, args, nulls, false, 0);
    } else {
        fail_attempt(app, job, retries, max_retries, error);
    }
    const Datum row = returned_row();
    if (rule_id) {
        InternalWrite internal;  // stamping the rule plans nothing again
        Datum arg[1] = {pg::datum_from_uuid(*rule_id)};
        stamp_rule.execute(app, arg, nullptr);
    }
    return row;
}

// tripos_internal.retry_whatsapp_message(message): failed -> pending, with backoff.
PG_CPP_FUNCTION(tripos_retry_whatsapp_message) {
    const Datum message = pg::required_arg(fcinfo, 0, "message_id");
    const Oid app = whatsapp_extension().schema();
    pg::SpiSession spi;
    if (message_state.execute(app, &message, nullptr, false, 1) != 1) {
        throw core::DomainError(core::ErrorKind::NotFound, "no such message");
    }
    bool is_null = false;
    const std::string status = text_at(1);
    const int retries = DatumGetInt32(pg::spi_value(0, 2, &is_null));
    if (status != "failed") throw core::DomainError(core::ErrorKind::Conflict, "only a failed message is retried");
    if (!domain::may_retry(retries, kMessageMaxRetries)) {
        throw core::DomainError(core::ErrorKind::Conflict,
                                fmt::format("the message has been retried {} times already", retries));
    }
    InternalWrite internal;  // the one backward move the status guard allows
    Datum args[2] = {message, Float8GetDatum(static_cast<double>(
                                  domain::retry_delay_seconds(retries, kRetryBaseSeconds, kRetryCapSeconds)))};
    message_retry.execute(app, args, nullptr, false, 0);
    return returned_row();
}

// tripos_internal.set_whatsapp_opt_in(opt_in): for the caller's own account.
PG_CPP_FUNCTION(tripos_set_whatsapp_opt_in) {
    const pg::Uuid caller = require_caller();
    const bool opt_in = DatumGetBool(pg::required_arg(fcinfo, 0, "opt_in"));
    const Oid app = whatsapp_extension().schema();
    pg::SpiSession spi;
    Datum arg[1] = {pg::datum_from_uuid(caller)};
    if (account_of.execute(app, arg, nullptr, false, 1) != 1) {
        throw core::DomainError(core::ErrorKind::NotFound, "the caller has no WhatsApp account");
    }
    bool is_null = false;
    if (opt_in && !DatumGetBool(pg::spi_value(0, 1, &is_null))) {
        throw core::DomainError(core::ErrorKind::Conflict, "verify the number before opting in");
    }
    Datum args[2] = {arg[0], BoolGetDatum(opt_in)};
    set_opt_in.execute(app, args, nullptr, false, 0);
    return returned_row();
}

// release_stalled_jobs(stalled_minutes): a job claimed longer ago than that
// without a result (its worker died or hung) counts as a failed attempt:
// retried after the backoff, or failed once its retries are spent. Jobs
// another transaction holds are skipped. Run by pg_cron every 5 minutes
// where it is installed. Returns how many jobs it released.
PG_CPP_FUNCTION(tripos_release_stalled_jobs) {
    const std::int32_t minutes = DatumGetInt32(pg::required_arg(fcinfo, 0, "stalled_minutes"));
    if (minutes < 1) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a job is stalled after at least 1 minute",
                                "got " + std::to_string(minutes));
    }
    const Oid app = whatsapp_extension().schema();
    pg::SpiSession spi;
    Datum arg[1] = {Int32GetDatum(minutes)};
    const uint64 rows = stalled_jobs.execute(app, arg, nullptr, false, 0);
    struct Stalled {
        pg::Uuid id;
        int retries;
        int max_retries;
    };
    std::vector<Stalled> jobs;
    for (uint64 r = 0; r < rows; ++r) {
        bool is_null = false;
        jobs.push_back({pg::uuid_from_datum(pg::spi_value(r, 1, &is_null)), DatumGetInt32(pg::spi_value(r, 2, &is_null)),
                        DatumGetInt32(pg::spi_value(r, 3, &is_null))});
    }
    const Datum error = pg::text_from_string("no result from its worker within " + std::to_string(minutes) + " minutes");
    for (const Stalled& job : jobs) {
        fail_attempt(app, pg::datum_from_uuid(job.id), job.retries, job.max_retries, error);
    }
    return Int64GetDatum(static_cast<std::int64_t>(jobs.size()));
}
