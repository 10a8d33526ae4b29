// The seed's data retention policy, applied by one function that is safe to
// run at any time (each step moves or removes only what is past its
// cut-off, in one statement, so a second run finds nothing to do):
//   transactions      moved to transactions_archive (with their refunds)
//                     after 2 years, removed after 7;
//   esim_data_usage   added into esim_usage_monthly, detail removed after 2 years;
//   analytics_events  added into analytics_event_counts, removed after 1 year;
//   notifications     removed 90 days after being read;
//   support_tickets   closed ones moved to support_tickets_archive (with
//                     their messages) 1 year after their last update.
// Cut-offs are computed in C++ (domain/periods.hpp) from the instant given.
#include "esim_admin/domain/periods.hpp"
#include "esim_admin/support.hpp"
#include "pg/datum.hpp"
#include "platform/cron.hpp"

extern "C" {
#include "utils/builtins.h"
#include "utils/lsyscache.h"
}

namespace esim_admin {
namespace {

namespace domain = esim_admin::domain;

std::string timestamp_text(domain::Micros micros) {
    const TimestampTz t = static_cast<TimestampTz>(micros);
    char* s = pg::call([&] { return DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(t))); });
    std::string out(s);
    pfree(s);
    return out;
}

const char* const kSteps[][2] = {
    {"transactions_archived",
     "WITH moved AS (DELETE FROM {app}.transactions t WHERE t.created_at < $1::timestamptz AND t.status <> 'pending' "
     "  RETURNING t.*), "
     "refunds_moved AS (INSERT INTO {app}.refunds_archive SELECT r.*, now() FROM {app}.refunds r "
     "  WHERE r.transaction_id IN (SELECT id FROM moved) RETURNING 1) "
     "INSERT INTO {app}.transactions_archive SELECT m.*, now() FROM moved m"},
    {"transactions_deleted",
     "WITH gone AS (DELETE FROM {app}.transactions_archive a WHERE a.created_at < $2::timestamptz "
     "  RETURNING a.id, a.promo_code_id, a.status), "
     "refunds_gone AS (DELETE FROM {app}.refunds_archive r WHERE r.transaction_id IN (SELECT id FROM gone) RETURNING 1), "
     "uses AS (UPDATE {app}.promotional_codes p SET used_count = p.used_count - g.n "
     "  FROM (SELECT promo_code_id, count(*)::int AS n FROM gone "
     "        WHERE promo_code_id IS NOT NULL AND status IN ('pending', 'completed', 'refunded') GROUP BY 1) g "
     "  WHERE p.id = g.promo_code_id RETURNING 1) "
     "SELECT 1 FROM gone"},
    {"usage_archived",
     "WITH gone AS (DELETE FROM {app}.esim_data_usage u WHERE u.period_end < $3::timestamptz RETURNING u.*), "
     "added AS (INSERT INTO {app}.esim_usage_monthly AS m (esim_id, month, data_used_mb, voice_minutes, sms_count, records) "
     "SELECT esim_id, date_trunc('month', period_start AT TIME ZONE 'UTC')::date, sum(data_used_mb), "
     "  sum(voice_minutes), sum(sms_count), count(*) FROM gone GROUP BY 1, 2 "
     "ON CONFLICT (esim_id, month) DO UPDATE SET data_used_mb = m.data_used_mb + EXCLUDED.data_used_mb, "
     "  voice_minutes = m.voice_minutes + EXCLUDED.voice_minutes, sms_count = m.sms_count + EXCLUDED.sms_count, "
     "  records = m.records + EXCLUDED.records RETURNING 1) "
     "SELECT 1 FROM gone"},
    {"analytics_deleted",
     "WITH gone AS (DELETE FROM {app}.analytics_events e WHERE e.created_at < $4::timestamptz RETURNING e.*), "
     "added AS (INSERT INTO {app}.analytics_event_counts AS c (day, event_type, events) "
     "SELECT (created_at AT TIME ZONE 'UTC')::date, event_type, count(*) FROM gone GROUP BY 1, 2 "
     "ON CONFLICT (day, event_type) DO UPDATE SET events = c.events + EXCLUDED.events RETURNING 1) "
     "SELECT 1 FROM gone"},
    {"notifications_deleted",
     "DELETE FROM {app}.notifications n WHERE n.status = 'read' AND n.read_at < $5::timestamptz"},
    {"tickets_archived",
     "WITH moved AS (DELETE FROM {app}.support_tickets s WHERE s.status = 'closed' AND s.updated_at < $6::timestamptz "
     "  RETURNING s.*), "
     "messages AS (INSERT INTO {app}.ticket_messages_archive SELECT tm.*, now() FROM {app}.ticket_messages tm "
     "  WHERE tm.ticket_id IN (SELECT id FROM moved) RETURNING 1) "
     "INSERT INTO {app}.support_tickets_archive SELECT m.*, now() FROM moved m"},
    // The audit trail is kept as long as the money history it explains.
    {"audit_deleted", "DELETE FROM {app}.audit_log a WHERE a.created_at < $2::timestamptz"},
};

}  // namespace

// apply_retention(at timestamptz) -> jsonb {step: rows}.
PG_CPP_FUNCTION(esim_admin_apply_retention) {
    const TimestampTz at = PG_ARGISNULL(0) ? GetCurrentTransactionStartTimestamp() : PG_GETARG_TIMESTAMPTZ(0);
    const domain::RetentionCutoffs c = domain::retention_cutoffs(micros(at));
    const std::vector<Text> args = {timestamp_text(c.transactions_cold),  timestamp_text(c.transactions_delete),
                                    timestamp_text(c.usage_archive),      timestamp_text(c.analytics_delete),
                                    timestamp_text(c.notifications_delete), timestamp_text(c.tickets_archive)};
    pg::SpiSession spi;
    static std::vector<std::unique_ptr<Query>> steps;
    if (steps.empty()) {
        for (const auto& step : kSteps) steps.push_back(std::make_unique<Query>(step[1], 6));
    }
    Purge purge;
    SystemWrite system;
    std::string out = "{";
    for (std::size_t i = 0; i < steps.size(); ++i) {
        CHECK_FOR_INTERRUPTS();
        const uint64 rows = steps[i]->run(args);
        out += fmt::format("{}\"{}\": {}", i ? ", " : "", kSteps[i][0], rows);
    }
    out += "}";
    return pg::call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(out.c_str())); });
}

// schedule_retention() -> text: where pg_cron is installed, a nightly job
// (03:17 UTC) running apply_retention(); elsewhere, and in a restore (the
// dump holds the job: platform/cron.hpp), nothing, said so.
PG_CPP_FUNCTION(esim_admin_schedule_retention) {
    namespace platform = pgcpp::platform;
    const Oid schema = app_schema();
    const char* schema_name = pg::call([&] { return quote_identifier(get_namespace_name(schema)); });
    switch (platform::schedule_job("esim_admin_retention", "17 3 * * *", "esim_admin",
                                   std::string("SELECT ") + schema_name + ".apply_retention()")) {
        case platform::CronOutcome::kNoPgCron:
            return pg::text_from_string("pg_cron is not installed: no job scheduled");
        case platform::CronOutcome::kRestoring:
            return pg::text_from_string("restoring a dump: its esim_admin_retention job is kept as dumped");
        default:
            return pg::text_from_string("scheduled job esim_admin_retention");
    }
}

}  // namespace esim_admin
