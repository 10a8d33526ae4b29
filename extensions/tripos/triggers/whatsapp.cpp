// Stage 5 triggers: monotonic message status, preferences for new users,
// scheduled jobs planned from automation rules (trip dates, cron schedules),
// and rules fired by events (a budget crossed, a booking pending).
#include "core/errors.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/domain/budget.hpp"
#include "tripos/domain/cron_schedule.hpp"
#include "tripos/domain/messaging.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
namespace domain = tripos::domain;
using namespace tripos;

namespace {

constexpr const char* kStatusGuard = "tripos_internal.message_status_guard";
constexpr const char* kPlan = "tripos_internal.plan_rule_jobs";

pg::Statement default_preferences(
    "INSERT INTO {app}.notification_preferences (user_id) SELECT id FROM new_users ON CONFLICT (user_id) DO NOTHING", {});
pg::Statement rules_changed("SELECT id FROM changed_rows ORDER BY id", {});
pg::Statement rules_of_trip_owners(
    "SELECT r.id FROM {app}.automation_rules r WHERE r.user_id IN (SELECT n.user_id FROM changed_rows n "
    "JOIN old_rows o ON o.id = n.id WHERE (o.start_date, o.end_date) IS DISTINCT FROM (n.start_date, n.end_date)) "
    "AND r.trigger_type IN ('trip_start', 'trip_end') ORDER BY r.id",
    {});
pg::Statement rule_plan(
    "SELECT trigger_type, is_active, coalesce((trigger_config ->> 'days_before')::int4, 0), "
    "coalesce((trigger_config ->> 'days_after')::int4, 0), coalesce((trigger_config ->> 'send_at')::time, '09:00'), "
    "(trigger_config ->> 'trip_id')::uuid, (trigger_config ->> 'threshold_percent')::int4, "
    "trigger_config ->> 'cron' "
    "FROM {app}.automation_rules WHERE id = $1 FOR UPDATE",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement cancel_pending(
    "UPDATE {app}.scheduled_jobs SET status = 'cancelled' WHERE automation_rule_id = $1 AND status = 'pending'",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement cancel_planned(
    "UPDATE {app}.scheduled_jobs SET status = 'cancelled' "
    "WHERE automation_rule_id = $1 AND status = 'pending' AND scheduled_for > now()",
    {UUIDOID}, pg::Statement::Plan::Generic);
// Local date + offset + send_at in the user's time zone; future ones only.
pg::Statement plan_jobs(
    "INSERT INTO {app}.scheduled_jobs (user_id, automation_rule_id, trip_id, job_type, scheduled_for) "
    "SELECT r.user_id, r.id, t.id, r.action_type, s.at FROM {app}.automation_rules r "
    "JOIN {app}.trips t ON t.user_id = r.user_id AND ($5::uuid IS NULL OR t.id = $5) "
    "LEFT JOIN {app}.notification_preferences p ON p.user_id = r.user_id "
    "CROSS JOIN LATERAL (SELECT (((CASE WHEN $2 THEN t.start_date ELSE t.end_date END) + $3) + $4) "
    "  AT TIME ZONE coalesce(p.timezone, 'UTC') AS at) AS s "
    "WHERE r.id = $1 AND (CASE WHEN $2 THEN t.start_date ELSE t.end_date END) IS NOT NULL AND s.at > now()",
    {UUIDOID, BOOLOID, INT4OID, TIMEOID, UUIDOID}, pg::Statement::Plan::Generic);

// A schedule rule's clock: its owner's time zone and local time now.
pg::Statement schedule_clock(
    "SELECT coalesce(p.timezone, 'UTC'), now() AT TIME ZONE coalesce(p.timezone, 'UTC') "
    "FROM {app}.automation_rules r LEFT JOIN {app}.notification_preferences p ON p.user_id = r.user_id "
    "WHERE r.id = $1",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement local_instant("SELECT $1::timestamp AT TIME ZONE $2", {TIMESTAMPOID, TEXTOID},
                            pg::Statement::Plan::Generic);
pg::Statement has_planned_run(
    "SELECT FROM {app}.scheduled_jobs WHERE automation_rule_id = $1 AND status = 'pending' AND scheduled_for > now()",
    {UUIDOID}, pg::Statement::Plan::Generic);
// The job of the next run; none when the rule names a trip that is not its
// owner's (or no longer exists).
pg::Statement plan_run(
    "INSERT INTO {app}.scheduled_jobs (user_id, automation_rule_id, trip_id, job_type, scheduled_for) "
    "SELECT r.user_id, r.id, t.id, r.action_type, $2 FROM {app}.automation_rules r "
    "LEFT JOIN {app}.trips t ON t.id = $3 AND t.user_id = r.user_id "
    "WHERE r.id = $1 AND ($3::uuid IS NULL OR t.id IS NOT NULL)",
    {UUIDOID, TIMESTAMPTZOID, UUIDOID}, pg::Statement::Plan::Generic);

// $1 trip, $2 trigger type, $3 threshold (budget_exceeded; rules are
// validated when written: plan_rule_jobs), $4 once while pending.
pg::Statement fire_event_rules(
    "WITH fired AS ("
    " INSERT INTO {app}.scheduled_jobs (user_id, automation_rule_id, trip_id, job_type, scheduled_for)"
    " SELECT r.user_id, r.id, t.id, r.action_type, now() FROM {app}.trips t"
    " JOIN {app}.automation_rules r ON r.user_id = t.user_id"
    " WHERE t.id = $1 AND r.trigger_type = $2 AND r.is_active"
    " AND ($3::int4 IS NULL OR coalesce((r.trigger_config ->> 'threshold_percent')::int4, 100) = $3)"
    " AND (r.trigger_config ->> 'trip_id' IS NULL OR (r.trigger_config ->> 'trip_id')::uuid = t.id)"
    " AND NOT ($4 AND EXISTS (SELECT FROM {app}.scheduled_jobs j WHERE j.automation_rule_id = r.id"
    "   AND j.trip_id = t.id AND j.status = 'pending' AND j.scheduled_for <= now()))"
    " ORDER BY r.id RETURNING automation_rule_id) "
    "UPDATE {app}.automation_rules SET last_triggered_at = now() WHERE id IN (SELECT automation_rule_id FROM fired)",
    {UUIDOID, TEXTOID, INT4OID, BOOLOID}, pg::Statement::Plan::Generic);

Datum text_column(HeapTuple tuple, TupleDesc desc, int attnum, bool* is_null) {
    return heap_getattr(tuple, attnum, desc, is_null);
}

// A schedule rule's cron schedule (trigger_config.cron): 22023 when it is
// missing, unreadable or never fires.
domain::CronSchedule schedule_of_rule(bool cron_null, Datum cron) {
    if (cron_null) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a schedule rule needs trigger_config.cron", {},
                                "A cron schedule in the user's time zone, e.g. {\"cron\": \"0 9 * * MON\"}.");
    }
    const domain::CronSchedule schedule = domain::parse_cron(pg::string_from_text(cron));
    if (!domain::next_cron_minute(schedule, 0)) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "the cron schedule never fires",
                                "No date matches its day of month and month.");
    }
    return schedule;
}

// Plans the rule's next run: the first minute after now, in its owner's time
// zone, that the schedule names. A local time that a clock change skips is
// taken as PostgreSQL reads it (AT TIME ZONE); one that would lie in the past
// (a repeated hour) moves on to the next minute the schedule names.
void plan_next_run(Oid app, Datum rule, const domain::CronSchedule& schedule, const std::optional<pg::Uuid>& trip) {
    constexpr std::int64_t kMicrosPerMinute = 60'000'000;
    schedule_clock.execute(app, &rule, nullptr, false, 1);
    bool is_null = false;
    const Datum zone = pg::text_from_string(pg::string_from_text(pg::spi_value(0, 1, &is_null)));
    std::int64_t after = DatumGetTimestamp(pg::spi_value(0, 2, &is_null)) / kMicrosPerMinute;
    const TimestampTz now = GetCurrentTransactionStartTimestamp();
    for (int attempt = 0; attempt < 4; ++attempt) {
        const auto next = domain::next_cron_minute(schedule, after);
        if (!next) return;  // validated when the rule was written
        Datum args[2] = {TimestampGetDatum(*next * kMicrosPerMinute), zone};
        local_instant.execute(app, args, nullptr, true, 1);
        const TimestampTz at = DatumGetTimestampTz(pg::spi_value(0, 1, &is_null));
        if (at > now) {
            Datum plan[3] = {rule, TimestampTzGetDatum(at), trip ? pg::datum_from_uuid(*trip) : Datum(0)};
            const char nulls[4] = {' ', ' ', trip ? ' ' : 'n', '\0'};
            plan_run.execute(app, plan, nulls);
            return;
        }
        after = *next;
    }
}

}  // namespace

// BEFORE UPDATE ON whatsapp_messages FOR EACH ROW.
PG_CPP_FUNCTION(tripos_message_status_guard) {
    const pg::TriggerSpec spec{kStatusGuard, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    HeapTuple old_row = data->tg_trigtuple;
    HeapTuple new_row = data->tg_newtuple;
    if (internal_write_active()) return PointerGetDatum(new_row);  // an explicit retry
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const int status_col = pg::column_number(data, "status", kStatusGuard);
    bool old_null = false, new_null = false;
    const Datum old_status = text_column(old_row, desc, status_col, &old_null);
    const Datum new_status = text_column(new_row, desc, status_col, &new_null);
    if (old_null || new_null) return PointerGetDatum(new_row);  // NOT NULL refuses it
    const auto before = domain::parse_message_status(pg::string_from_text(old_status));
    const auto reported = domain::parse_message_status(pg::string_from_text(new_status));
    if (!before || !reported) return PointerGetDatum(new_row);  // the CHECK refuses it
    const domain::MessageStatus after = domain::next_message_status(*before, *reported);
    std::vector<int> columns{status_col};
    std::vector<Datum> values{pg::text_from_string(domain::to_text(after))};
    const Datum now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
    auto stamp_if_empty = [&](const char* column) {
        const int attnum = pg::column_number(data, column, kStatusGuard);
        bool is_null = false;
        heap_getattr(new_row, attnum, desc, &is_null);
        if (is_null) {
            columns.push_back(attnum);
            values.push_back(now);
        }
    };
    if (after != *before && after != domain::MessageStatus::Failed) {
        stamp_if_empty("sent_at");
        if (after == domain::MessageStatus::Delivered || after == domain::MessageStatus::Read) stamp_if_empty("delivered_at");
        if (after == domain::MessageStatus::Read) stamp_if_empty("read_at");
    }
    return pg::call([&] {
        bool nulls[4] = {false, false, false, false};
        return PointerGetDatum(heap_modify_tuple_by_cols(new_row, desc, static_cast<int>(columns.size()),
                                                         columns.data(), values.data(), nulls));
    });
}

PG_CPP_FUNCTION(tripos_whatsapp_new_users) {
    const pg::TriggerSpec spec{"tripos_internal.whatsapp_new_users", pg::TriggerLevel::Statement,
                               pg::TriggerTiming::After, pg::event::Insert, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (restoring()) return PointerGetDatum(nullptr);
    pg::SpiSession spi;
    pg::call([&] {
        if (SPI_register_trigger_data(data) != SPI_OK_TD_REGISTER) elog(ERROR, "could not register transition tables");
    });
    default_preferences.execute(whatsapp_extension().schema(), nullptr, nullptr);
    return PointerGetDatum(nullptr);
}

// AFTER INSERT / UPDATE ON automation_rules, AFTER UPDATE OF start_date,
// end_date ON trips (statement, NEW TABLE changed_rows): the pending jobs of
// each affected trip_start / trip_end rule are cancelled and planned again,
// rules in id order; a schedule rule's future run is planned again from its
// cron schedule; a budget_exceeded rule's threshold is validated.
PG_CPP_FUNCTION(tripos_plan_rule_jobs) {
    const pg::TriggerSpec spec{kPlan, pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                               pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (internal_write_active()) return PointerGetDatum(nullptr);  // a job stamping its rule
    if (pg::trigger_event(data) == pg::event::Insert && restoring()) return PointerGetDatum(nullptr);  // jobs are dumped
    const Oid app = whatsapp_extension().schema();
    const bool on_trips = std::strcmp(RelationGetRelationName(data->tg_relation), "trips") == 0;
    pg::SpiSession spi;
    pg::call([&] {
        if (SPI_register_trigger_data(data) != SPI_OK_TD_REGISTER) elog(ERROR, "could not register transition tables");
    });
    std::vector<pg::Uuid> rules;
    const uint64 rows = (on_trips ? rules_of_trip_owners : rules_changed).execute(app, nullptr, nullptr, true);
    for (uint64 r = 0; r < rows; ++r) {
        bool is_null = false;
        rules.push_back(pg::uuid_from_datum(pg::spi_value(r, 1, &is_null)));
    }
    for (const pg::Uuid& rule : rules) {
        CHECK_FOR_INTERRUPTS();
        Datum id[1] = {pg::datum_from_uuid(rule)};
        if (rule_plan.execute(app, id, nullptr, false, 1) != 1) continue;
        bool is_null = false;
        const std::string trigger_type = pg::string_from_text(pg::spi_value(0, 1, &is_null));
        const bool active = DatumGetBool(pg::spi_value(0, 2, &is_null));
        const int days_before = DatumGetInt32(pg::spi_value(0, 3, &is_null));
        const int days_after = DatumGetInt32(pg::spi_value(0, 4, &is_null));
        const Datum send_at = pg::spi_value(0, 5, &is_null);  // time: by value
        bool trip_null = false;
        const Datum trip_filter = pg::spi_value(0, 6, &trip_null);
        const std::optional<pg::Uuid> trip = trip_null ? std::nullopt : std::optional(pg::uuid_from_datum(trip_filter));
        bool threshold_null = false;
        const Datum threshold = pg::spi_value(0, 7, &threshold_null);
        if (trigger_type == "schedule") {
            bool cron_null = false;
            const Datum cron = pg::spi_value(0, 8, &cron_null);
            const domain::CronSchedule schedule = schedule_of_rule(cron_null, cron);
            // Runs already due stay (a worker may be about to claim one).
            (active ? cancel_planned : cancel_pending).execute(app, id, nullptr);
            if (active) plan_next_run(app, id[0], schedule, trip);
            continue;
        }
        if (trigger_type == "budget_exceeded" || trigger_type == "booking_pending") {
            // Fired by events (fire_trip_event_rules), not planned: its jobs
            // already due stay, unless the rule is switched off; jobs a date
            // rule planned before it changed type (in the future) go.
            if (trigger_type == "budget_exceeded") {
                domain::budget_rule_threshold(threshold_null ? std::nullopt
                                                             : std::optional(DatumGetInt32(threshold)));
            }
            (active ? cancel_planned : cancel_pending).execute(app, id, nullptr);
            continue;
        }
        const auto anchor = domain::parse_trip_anchor(trigger_type);
        int offset = 0;
        if (anchor) offset = domain::anchor_offset_days(days_before, days_after);  // 22023 beyond a year
        cancel_pending.execute(app, id, nullptr);
        if (!anchor || !active) continue;
        Datum args[5] = {id[0], BoolGetDatum(*anchor == domain::TripAnchor::Start), Int32GetDatum(offset), send_at,
                         trip ? pg::datum_from_uuid(*trip) : Datum(0)};
        const char nulls[6] = {' ', ' ', ' ', ' ', trip ? ' ' : 'n', '\0'};
        plan_jobs.execute(app, args, nulls);
    }
    return PointerGetDatum(nullptr);
}

namespace tripos {

void fire_trip_event_rules(const pg::Uuid& trip, const char* trigger_type, std::optional<int> threshold,
                           bool once_while_pending) {
    if (!whatsapp_extension().installed()) return;
    InternalWrite stamping_rules;  // the stamp is no change of the rule to re-plan
    Datum args[4] = {pg::datum_from_uuid(trip), pg::text_from_string(trigger_type),
                     Int32GetDatum(threshold.value_or(0)), BoolGetDatum(once_while_pending)};
    const char nulls[5] = {' ', ' ', threshold ? ' ' : 'n', ' ', '\0'};
    fire_event_rules.execute(whatsapp_extension().schema(), args, nulls);
}

}  // namespace tripos

// AFTER INSERT / UPDATE OF booking_status ON trip_items FOR EACH ROW WHEN the
// item's booking became pending: the owner's booking_pending rules fire, once
// while a job of theirs for the trip is pending.
PG_CPP_FUNCTION(tripos_fire_booking_rules) {
    const pg::TriggerSpec spec{"tripos_internal.fire_booking_rules", pg::TriggerLevel::Row, pg::TriggerTiming::After,
                               pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (restoring()) return PointerGetDatum(nullptr);  // jobs are dumped
    core_extension().member_table_schema(data->tg_relation);  // 39P01 on anyone else's table
    HeapTuple row = pg::trigger_event(data) == pg::event::Update ? data->tg_newtuple : data->tg_trigtuple;
    const auto trip = tuple_uuid(row, RelationGetDescr(data->tg_relation),
                                 pg::column_number(data, "trip_id", "tripos_internal.fire_booking_rules"));
    if (!trip) return PointerGetDatum(nullptr);
    pg::SpiSession spi;
    fire_trip_event_rules(*trip, "booking_pending", std::nullopt, true);
    return PointerGetDatum(nullptr);
}

// AFTER UPDATE OF status ON scheduled_jobs FOR EACH ROW WHEN a rule's job
// was claimed (pending -> running): a schedule rule's next run is planned
// then, so the schedule goes on whatever the worker reports, and a worker
// that was down for a while gets one run, not the ones it missed. The rule's
// row lock (rule_plan) makes two claims of one rule's jobs plan one run.
PG_CPP_FUNCTION(tripos_plan_next_scheduled_run) {
    const char* function = "tripos_internal.plan_next_scheduled_run";
    const pg::TriggerSpec spec{function, pg::TriggerLevel::Row, pg::TriggerTiming::After, pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = whatsapp_extension().member_table_schema(data->tg_relation);
    const auto rule = tuple_uuid(data->tg_newtuple, RelationGetDescr(data->tg_relation),
                                 pg::column_number(data, "automation_rule_id", function));
    if (!rule) return PointerGetDatum(nullptr);
    pg::SpiSession spi;
    Datum id[1] = {pg::datum_from_uuid(*rule)};
    if (rule_plan.execute(app, id, nullptr, false, 1) != 1) return PointerGetDatum(nullptr);
    bool is_null = false;
    if (pg::string_from_text(pg::spi_value(0, 1, &is_null)) != "schedule") return PointerGetDatum(nullptr);
    if (!DatumGetBool(pg::spi_value(0, 2, &is_null))) return PointerGetDatum(nullptr);
    bool trip_null = false;
    const Datum trip_filter = pg::spi_value(0, 6, &trip_null);
    const std::optional<pg::Uuid> trip = trip_null ? std::nullopt : std::optional(pg::uuid_from_datum(trip_filter));
    bool cron_null = false;
    const Datum cron = pg::spi_value(0, 8, &cron_null);
    const domain::CronSchedule schedule = schedule_of_rule(cron_null, cron);
    if (has_planned_run.execute(app, id, nullptr, false, 1) == 1) return PointerGetDatum(nullptr);
    plan_next_run(app, id[0], schedule, trip);
    return PointerGetDatum(nullptr);
}
