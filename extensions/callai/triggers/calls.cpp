// Calls: their own figures (duration, billable seconds, cost) and the
// per store / hour analytics and per store / month usage they add up to.
#include <fmt/format.h>

#include <array>
#include <map>

#include "callai/common.hpp"
#include "callai/domain/analytics.hpp"
#include "callai/domain/calls.hpp"
#include "core/errors.hpp"
#include "pg/direct_write.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "platform/cron.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
#include "executor/spi.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/jsonb.h"
}

using namespace callai;
using core::Decimal;
using core::DomainError;
using core::ErrorKind;
namespace domain = callai::domain;

namespace {

// The money parts and token counts of a cost_breakdown object.
domain::CostBreakdown read_breakdown(Datum value) {
    Jsonb* jb = pg::call([&] { return DatumGetJsonbP(value); });
    if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb)) {
        throw DomainError(ErrorKind::InvalidParameter, "cost_breakdown must be a JSON object");
    }
    domain::CostBreakdown out;
    JsonbIterator* it = pg::call([&] { return JsonbIteratorInit(&jb->root); });
    JsonbValue v;
    std::string key;
    for (;;) {
        const JsonbIteratorToken token = pg::call([&] { return JsonbIteratorNext(&it, &v, true); });
        if (token == WJB_DONE) break;
        if (token == WJB_KEY) {
            key.assign(v.val.string.val, v.val.string.len);
            continue;
        }
        if (token != WJB_VALUE) continue;
        const bool money = domain::is_cost_part(key) || key == "total";
        const bool count = key == "llmPromptTokens" || key == "llmCompletionTokens" || key == "ttsCharacters";
        if (!money && !count) continue;
        if (v.type != jbvNumeric) {
            throw DomainError(ErrorKind::InvalidParameter, fmt::format("cost_breakdown.{} must be a number", key));
        }
        const Decimal amount = pg::decimal_from_numeric(NumericGetDatum(v.val.numeric), "cost_breakdown");
        if (money) {
            if (key == "total") {
                out.total = amount;
            } else {
                out.parts.emplace_back(key, amount);
            }
            continue;
        }
        if (amount.is_negative() || amount.significant_scale() != 0) {
            throw DomainError(ErrorKind::InvalidParameter,
                              fmt::format("cost_breakdown.{} must be a whole number of at least 0", key));
        }
        const std::int64_t n = static_cast<std::int64_t>(amount.rescale(0).units());
        if (key == "llmPromptTokens") out.prompt_tokens = n;
        if (key == "llmCompletionTokens") out.completion_tokens = n;
        if (key == "ttsCharacters") out.tts_characters = n;
    }
    return out;
}

}  // namespace

// callai_internal.call_before(): BEFORE INSERT OR UPDATE FOR EACH ROW on calls.
// duration_seconds from start_time and end_time whenever the call has ended
// (upstream computed it on UPDATE only); billable_seconds from the status and
// duration; cost_usd and, where not given, the token counts from
// cost_breakdown when the provider sent one.
PG_CPP_FUNCTION(callai_call_before) {
    static const pg::TriggerSpec spec{"callai_internal.call_before", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(data->tg_trigtuple);  // a restore: rows as dumped
    const bool update = pg::trigger_event(data) == pg::event::Update;
    RowEdit row(data, update ? data->tg_newtuple : data->tg_trigtuple);
    if (update) {
        OldRow old(data);
        if (row.uuid("store_id") != old->uuid("store_id")) {
            throw DomainError(ErrorKind::InvalidParameter, "a call cannot move to another store");
        }
    }
    std::optional<std::int64_t> duration = row.integer("duration_seconds");
    const std::optional<std::int64_t> start = row.timestamp("start_time");
    const std::optional<std::int64_t> end = row.timestamp("end_time");
    if (start && end) {
        duration = domain::call_duration_seconds(*start, *end);
        row.set_integer("duration_seconds", *duration);
    }
    const domain::CallStatus status = domain::parse_call_status(row.label("status").value_or("initiated"));
    row.set_integer("billable_seconds", domain::billable_seconds(status, duration));
    if (!row.is_null("cost_breakdown")) {
        const domain::CostBreakdown breakdown = read_breakdown(row.value("cost_breakdown"));
        row.set_decimal("cost_usd", domain::cost_from_breakdown(breakdown));
        if (breakdown.prompt_tokens && row.is_null("llm_prompt_tokens")) {
            row.set_integer("llm_prompt_tokens", *breakdown.prompt_tokens);
        }
        if (breakdown.completion_tokens && row.is_null("llm_completion_tokens")) {
            row.set_integer("llm_completion_tokens", *breakdown.completion_tokens);
        }
        if (breakdown.tts_characters && row.is_null("tts_characters")) {
            row.set_integer("tts_characters", *breakdown.tts_characters);
        }
    }
    return PointerGetDatum(row.result());
}

namespace {

// The columns of calls a statement's figures are read from.
struct CallColumns {
    explicit CallColumns(const TriggerData* data)
        : store(col(data, "store_id")), start(col(data, "start_time")), direction(col(data, "direction")),
          status(col(data, "status")), dropped(col(data, "dropped_call")),
          escalated(col(data, "escalated_to_human")), duration(col(data, "duration_seconds")),
          quality(col(data, "quality_score")), satisfaction(col(data, "satisfaction_rating")),
          intent(col(data, "intent_detected")), billable(col(data, "billable_seconds")), cost(col(data, "cost_usd")),
          prompt_tokens(col(data, "llm_prompt_tokens")), completion_tokens(col(data, "llm_completion_tokens")) {}
    int store, start, direction, status, dropped, escalated, duration, quality, satisfaction, intent, billable, cost,
        prompt_tokens, completion_tokens;

private:
    static int col(const TriggerData* data, const char* name) {
        return pg::column_number(data, name, "callai_internal.calls_changed");
    }
};

// The transition table's rows, read in place (no query).
void read_calls(TriggerData* data, Tuplestorestate* store, bool added, domain::CallAnalyticsDeltas& deltas) {
    const CallColumns c(data);
    pg::TransitionTable rows(store, RelationGetDescr(data->tg_relation));
    bool isnull = false;
    auto present = [&](int att) -> std::optional<Datum> {
        const Datum v = rows.value(att, &isnull);
        return isnull ? std::nullopt : std::optional<Datum>(v);
    };
    auto integer = [&](int att) -> std::optional<std::int64_t> {
        const std::optional<Datum> v = present(att);
        return v ? std::optional<std::int64_t>(DatumGetInt32(*v)) : std::nullopt;
    };
    auto flag = [&](int att) {
        const std::optional<Datum> v = present(att);
        return v && DatumGetBool(*v);
    };
    while (rows.next()) {
        CHECK_FOR_INTERRUPTS();
        domain::CallFacts f;
        f.store = pg::uuid_from_datum(*present(c.store));
        f.start_time = DatumGetTimestampTz(*present(c.start));
        f.inbound = enum_label(*present(c.direction)) == "inbound";
        f.status = domain::parse_call_status(enum_label(*present(c.status)));
        f.dropped = flag(c.dropped);
        f.escalated = flag(c.escalated);
        f.duration = integer(c.duration);
        if (const auto q = present(c.quality)) f.quality = pg::decimal_from_numeric(*q, "quality_score");
        f.satisfaction = integer(c.satisfaction);
        if (const auto i = present(c.intent)) f.intent = pg::string_from_text(*i);
        f.billable = integer(c.billable).value_or(0);
        const auto cost = present(c.cost);
        f.cost = cost ? pg::decimal_from_numeric(*cost, "cost_usd") : Decimal::from_int(0);
        f.tokens = integer(c.prompt_tokens).value_or(0) + integer(c.completion_tokens).value_or(0);
        if (added) {
            deltas.added(f);
        } else {
            deltas.removed(f);
        }
    }
}

// Through SQL (a store deleted by this statement, whose calls went with it,
// adds nothing; the store of an updated call is not locked by its statement).
pg::Statement add_to_bucket(
    "INSERT INTO {internal}.call_analytics_pending (store_id, date_period, hour_period, total_calls, "
    "inbound_calls, outbound_calls, answered_calls, missed_calls, dropped_calls, ai_resolved_calls, "
    "escalated_calls, duration_seconds_sum, duration_samples, quality_score_sum, quality_samples, "
    "satisfaction_sum, satisfaction_samples, intents, intent_calls) "
    "SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19 "
    "WHERE EXISTS (SELECT 1 FROM {app}.stores WHERE id = $1)",
    {UUIDOID, DATEOID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT8OID,
     INT4OID, NUMERICOID, INT4OID, INT8OID, INT4OID, TEXTARRAYOID, INT4ARRAYOID},
    pg::Statement::Plan::Generic);
pg::Statement add_usage(
    "INSERT INTO {internal}.store_usage_pending (store_id, period_start, calls, billable_seconds, cost_usd, tokens) "
    "SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM {app}.stores WHERE id = $1)",
    {UUIDOID, DATEOID, INT4OID, INT8OID, NUMERICOID, INT8OID}, pg::Statement::Plan::Generic);

const char* const kAnalyticsColumns[] = {"store_id", "date_period", "hour_period", "total_calls", "inbound_calls",
                                         "outbound_calls", "answered_calls", "missed_calls", "dropped_calls",
                                         "ai_resolved_calls", "escalated_calls", "duration_seconds_sum",
                                         "duration_samples", "quality_score_sum", "quality_samples",
                                         "satisfaction_sum", "satisfaction_samples", "intents", "intent_calls"};
const char* const kUsageColumns[] = {"store_id", "period_start", "calls", "billable_seconds", "cost_usd", "tokens"};

// The intents' names and net counts as two arrays of one order.
std::pair<Datum, Datum> intent_arrays(const std::map<std::string, std::int64_t>& intents) {
    std::vector<Datum> names, counts;
    for (const auto& [intent, n] : intents) {
        if (n == 0) continue;
        names.push_back(pg::text_from_string(intent));
        counts.push_back(Int32GetDatum(static_cast<int32>(n)));
    }
    const Datum names_array = pg::call([&] {
        return PointerGetDatum(
            construct_array(names.data(), static_cast<int>(names.size()), TEXTOID, -1, false, TYPALIGN_INT));
    });
    const Datum counts_array = pg::call([&] {
        return PointerGetDatum(
            construct_array(counts.data(), static_cast<int>(counts.size()), INT4OID, 4, true, TYPALIGN_INT));
    });
    return {names_array, counts_array};
}

Datum i32(std::int64_t v) { return Int32GetDatum(static_cast<int32>(v)); }

// A pending table, when its rows may be written below SQL.
std::optional<Oid> pending_table(const char* name) {
    const Oid internal = pg::call([] { return get_namespace_oid("callai_internal", true); });
    if (!OidIsValid(internal)) return std::nullopt;
    return pg::DirectWriter::usable_table(internal, name, "callai_internal");
}

// Inserts one pending row per key, values in kAnalyticsColumns / kUsageColumns
// order: below SQL when the calls were inserted (their foreign key checks
// have locked each store for this transaction, KEY SHARE, so the pending
// rows' own checks would only repeat them) and the table allows it, else
// through `statement`.
template <std::size_t N>
void insert_pending(const char* table, const char* const (&columns)[N], pg::Statement& statement, Oid app,
                    bool calls_inserted, const std::vector<std::array<Datum, N>>& rows) {
    if (rows.empty()) return;
    const std::optional<Oid> direct = calls_inserted ? pending_table(table) : std::nullopt;
    if (!direct) {
        for (const auto& values : rows) statement.execute(app, values.data(), nullptr);
        return;
    }
    pg::DirectWriter writer(*direct);
    writer.vouch_for_foreign_keys();
    pg::RowImage row(writer.descriptor(), *direct);
    AttrNumber att[N];
    for (std::size_t i = 0; i < N; ++i) att[i] = row.column(columns[i]);
    for (const auto& values : rows) {
        row.forget_set_columns();
        for (std::size_t i = 0; i < N; ++i) row.set(att[i], values[i]);
        writer.insert(row);
    }
    writer.finish();
}

}  // namespace

// callai_internal.calls_changed(): AFTER INSERT / UPDATE / DELETE FOR EACH
// STATEMENT on calls (transition tables old_calls / new_calls). Records each
// bucket's and usage month's net delta as a pending row, in key order; the
// views add them to the folded totals. Runs as the extension's owner.
PG_CPP_FUNCTION(callai_calls_changed) {
    static const pg::TriggerSpec spec{"callai_internal.calls_changed", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After,
                                      pg::event::Insert | pg::event::Update | pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);  // a restore: rows as dumped
    const unsigned ev = pg::trigger_event(data);
    const Oid app = app_schema(data->tg_relation);
    platform::AsExtensionOwner owner(extension);
    domain::CallAnalyticsDeltas deltas;
    if (ev != pg::event::Insert) read_calls(data, data->tg_oldtable, false, deltas);
    if (ev != pg::event::Delete) read_calls(data, data->tg_newtable, true, deltas);

    std::vector<std::array<Datum, 19>> buckets;
    for (const auto& [key, d] : deltas.buckets()) {
        const auto [intents, intent_calls] = intent_arrays(d.intents);
        buckets.push_back({pg::datum_from_uuid(key.store), DateADTGetDatum(key.day), Int32GetDatum(key.hour),
                           i32(d.total), i32(d.inbound), i32(d.outbound), i32(d.answered), i32(d.missed),
                           i32(d.dropped), i32(d.ai_resolved), i32(d.escalated), Int64GetDatum(d.duration_sum),
                           i32(d.duration_samples), pg::numeric_from_decimal(d.quality_sum), i32(d.quality_samples),
                           Int64GetDatum(d.satisfaction_sum), i32(d.satisfaction_samples), intents, intent_calls});
    }
    std::vector<std::array<Datum, 6>> months;
    for (const auto& [key, u] : deltas.usage()) {
        months.push_back({pg::datum_from_uuid(key.store), DateADTGetDatum(key.month_start), i32(u.calls),
                          Int64GetDatum(u.billable_seconds), pg::numeric_from_decimal(u.cost),
                          Int64GetDatum(u.tokens)});
    }
    if (buckets.empty() && months.empty()) return PointerGetDatum(nullptr);
    pg::SpiSession spi;
    const bool inserted = ev == pg::event::Insert;
    insert_pending("call_analytics_pending", kAnalyticsColumns, add_to_bucket, app, inserted, buckets);
    insert_pending("store_usage_pending", kUsageColumns, add_usage, app, inserted, months);
    return PointerGetDatum(nullptr);
}

namespace {
pg::Statement clear_analytics(
    "WITH a AS (DELETE FROM {internal}.call_analytics_pending), b AS (DELETE FROM {internal}.call_intent_counts_folded), "
    "c AS (DELETE FROM {internal}.store_usage_pending), d AS (DELETE FROM {internal}.store_usage_folded) "
    "DELETE FROM {internal}.call_analytics_folded",
    {});
}  // namespace

// callai_internal.calls_truncated(): AFTER TRUNCATE FOR EACH STATEMENT on
// calls: no calls, no call figures.
PG_CPP_FUNCTION(callai_calls_truncated) {
    static const pg::TriggerSpec spec{"callai_internal.calls_truncated", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After, pg::event::Truncate, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = app_schema(data->tg_relation);
    platform::AsExtensionOwner owner(extension);
    pg::SpiSession spi;
    clear_analytics.execute(app, nullptr, nullptr);
    return PointerGetDatum(nullptr);
}

namespace {
// Folds serialise on a transaction lock keyed on the pending table's OID;
// callers never take it. Each fold moves the pending rows its statement sees
// (rows committed later stay for the next fold) into the folded rows, keys
// in order, carrying the pending rows' times into created_at and updated_at,
// so the views read the same before and after.
pg::Statement fold_lock(
    "SELECT pg_catalog.pg_advisory_xact_lock("
    "'{internal}.call_analytics_pending'::pg_catalog.regclass::pg_catalog.oid::pg_catalog.int8)",
    {});
pg::Statement fold_analytics(
    "WITH moved AS (DELETE FROM {internal}.call_analytics_pending RETURNING *), "
    "sums AS (SELECT store_id, date_period, hour_period, sum(total_calls) AS total_calls, "
    "sum(inbound_calls) AS inbound_calls, sum(outbound_calls) AS outbound_calls, "
    "sum(answered_calls) AS answered_calls, sum(missed_calls) AS missed_calls, sum(dropped_calls) AS dropped_calls, "
    "sum(ai_resolved_calls) AS ai_resolved_calls, sum(escalated_calls) AS escalated_calls, "
    "sum(duration_seconds_sum) AS duration_seconds_sum, sum(duration_samples) AS duration_samples, "
    "sum(quality_score_sum) AS quality_score_sum, sum(quality_samples) AS quality_samples, "
    "sum(satisfaction_sum) AS satisfaction_sum, sum(satisfaction_samples) AS satisfaction_samples, "
    "min(created_at) AS created_at, max(created_at) AS updated_at FROM moved GROUP BY 1, 2, 3), "
    "buckets AS (INSERT INTO {internal}.call_analytics_folded AS f (store_id, date_period, hour_period, total_calls, "
    "inbound_calls, outbound_calls, answered_calls, missed_calls, dropped_calls, ai_resolved_calls, escalated_calls, "
    "duration_seconds_sum, duration_samples, quality_score_sum, quality_samples, satisfaction_sum, "
    "satisfaction_samples, created_at, updated_at) "
    "SELECT s.* FROM sums s JOIN {app}.stores st ON st.id = s.store_id ORDER BY 1, 2, 3 "
    "ON CONFLICT (store_id, date_period, hour_period) DO UPDATE SET "
    "total_calls = f.total_calls + excluded.total_calls, inbound_calls = f.inbound_calls + excluded.inbound_calls, "
    "outbound_calls = f.outbound_calls + excluded.outbound_calls, "
    "answered_calls = f.answered_calls + excluded.answered_calls, "
    "missed_calls = f.missed_calls + excluded.missed_calls, dropped_calls = f.dropped_calls + excluded.dropped_calls, "
    "ai_resolved_calls = f.ai_resolved_calls + excluded.ai_resolved_calls, "
    "escalated_calls = f.escalated_calls + excluded.escalated_calls, "
    "duration_seconds_sum = f.duration_seconds_sum + excluded.duration_seconds_sum, "
    "duration_samples = f.duration_samples + excluded.duration_samples, "
    "quality_score_sum = f.quality_score_sum + excluded.quality_score_sum, "
    "quality_samples = f.quality_samples + excluded.quality_samples, "
    "satisfaction_sum = f.satisfaction_sum + excluded.satisfaction_sum, "
    "satisfaction_samples = f.satisfaction_samples + excluded.satisfaction_samples, "
    "created_at = least(f.created_at, excluded.created_at), updated_at = greatest(f.updated_at, excluded.updated_at)), "
    "intents AS (INSERT INTO {internal}.call_intent_counts_folded AS c (store_id, date_period, hour_period, intent, "
    "calls) SELECT m.store_id, m.date_period, m.hour_period, i.intent, sum(i.calls) FROM moved m "
    "JOIN {app}.stores st ON st.id = m.store_id "
    "CROSS JOIN LATERAL unnest(m.intents, m.intent_calls) AS i (intent, calls) GROUP BY 1, 2, 3, 4 "
    "ORDER BY 1, 2, 3, 4 ON CONFLICT (store_id, date_period, hour_period, intent) "
    "DO UPDATE SET calls = c.calls + excluded.calls) "
    "SELECT count(*) FROM moved",
    {});
pg::Statement fold_usage(
    "WITH moved AS (DELETE FROM {internal}.store_usage_pending RETURNING *), "
    "sums AS (SELECT store_id, period_start, sum(calls) AS calls, sum(billable_seconds) AS billable_seconds, "
    "sum(cost_usd) AS cost_usd, sum(tokens) AS tokens, min(created_at) AS created_at, max(created_at) AS updated_at "
    "FROM moved GROUP BY 1, 2), "
    "periods AS (INSERT INTO {internal}.store_usage_folded AS f (store_id, period_start, calls, billable_seconds, "
    "cost_usd, tokens, created_at, updated_at) SELECT s.* FROM sums s JOIN {app}.stores st ON st.id = s.store_id "
    "ORDER BY 1, 2 ON CONFLICT (store_id, period_start) DO UPDATE SET calls = f.calls + excluded.calls, "
    "billable_seconds = f.billable_seconds + excluded.billable_seconds, cost_usd = f.cost_usd + excluded.cost_usd, "
    "tokens = f.tokens + excluded.tokens, created_at = least(f.created_at, excluded.created_at), "
    "updated_at = greatest(f.updated_at, excluded.updated_at)) "
    "SELECT count(*) FROM moved",
    {});
}  // namespace

// callai_internal.fold_call_figures(): moves the pending call figure deltas
// into the folded totals (the views read the same before and after); returns
// how many pending rows it folded. For the service role and pg_cron.
PG_CPP_FUNCTION(callai_fold_call_figures) {
    const Oid app = extension.schema();
    pg::SpiSession spi;
    fold_lock.execute(app, nullptr, nullptr);
    std::int64_t folded = 0;
    for (pg::Statement* fold : {&fold_analytics, &fold_usage}) {
        fold->execute(app, nullptr, nullptr);
        folded += spi_int(0, 1).value_or(0);
    }
    return Int64GetDatum(folded);
}

// callai_internal.schedule_call_figure_fold(schedule text): where pg_cron is
// installed, schedules fold_call_figures() under the job name
// callai-fold-call-figures and returns true; false where pg_cron is not
// installed, and in a restore (platform/cron.hpp).
PG_CPP_FUNCTION(callai_schedule_call_figure_fold) {
    const std::string schedule = pg::string_from_text(pg::required_arg(fcinfo, 0, "schedule"));
    return BoolGetDatum(platform::schedule_job("callai-fold-call-figures", schedule, "callai",
                                               "SELECT callai_internal.fold_call_figures()") ==
                        platform::CronOutcome::kScheduled);
}
