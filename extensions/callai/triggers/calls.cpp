// Calls: their own figures (duration, billable seconds, cost) and the
// per store / hour analytics and per store / month usage they add up to.
#include <fmt/format.h>

#include "callai/common.hpp"
#include "callai/domain/analytics.hpp"
#include "callai/domain/calls.hpp"
#include "core/errors.hpp"
#include "pg/spi.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
#include "executor/spi.h"
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

#define CALL_FACT_COLUMNS                                                                        \
    "store_id, start_time, direction = 'inbound', status::text, dropped_call, escalated_to_human, " \
    "duration_seconds, quality_score, satisfaction_rating, intent_detected, billable_seconds, "    \
    "cost_usd, coalesce(llm_prompt_tokens, 0)::int8 + coalesce(llm_completion_tokens, 0)"

pg::Statement old_call_rows("SELECT " CALL_FACT_COLUMNS " FROM old_calls", {});
pg::Statement new_call_rows("SELECT " CALL_FACT_COLUMNS " FROM new_calls", {});

void read_calls(pg::Statement& statement, Oid app, bool added, domain::CallAnalyticsDeltas& deltas) {
    const uint64 n = statement.execute(app, nullptr, nullptr, false);
    for (uint64 i = 0; i < n; ++i) {
        CHECK_FOR_INTERRUPTS();
        domain::CallFacts c;
        c.store = *spi_uuid(i, 1);
        c.start_time = *spi_timestamp(i, 2);
        c.inbound = spi_bool(i, 3).value_or(false);
        c.status = domain::parse_call_status(*spi_text(i, 4));
        c.dropped = spi_bool(i, 5).value_or(false);
        c.escalated = spi_bool(i, 6).value_or(false);
        c.duration = spi_int(i, 7);
        c.quality = spi_decimal(i, 8, "quality_score");
        c.satisfaction = spi_int(i, 9);
        c.intent = spi_text(i, 10);
        c.billable = spi_int(i, 11).value_or(0);
        c.cost = spi_decimal(i, 12, "cost_usd").value_or(Decimal::from_int(0));
        c.tokens = spi_int(i, 13).value_or(0);
        if (added) {
            deltas.added(c);
        } else {
            deltas.removed(c);
        }
    }
}

pg::Statement add_to_bucket(
    "INSERT INTO {app}.call_analytics AS a (store_id, date_period, hour_period, total_calls, inbound_calls, "
    "outbound_calls, answered_calls, missed_calls, dropped_calls, ai_resolved_calls, escalated_calls, "
    "duration_seconds_sum, duration_samples, quality_score_sum, quality_samples, satisfaction_sum, "
    "satisfaction_samples) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17 "
    "WHERE EXISTS (SELECT 1 FROM {app}.stores WHERE id = $1) "
    "ON CONFLICT (store_id, date_period, hour_period) DO UPDATE SET "
    "total_calls = a.total_calls + excluded.total_calls, inbound_calls = a.inbound_calls + excluded.inbound_calls, "
    "outbound_calls = a.outbound_calls + excluded.outbound_calls, "
    "answered_calls = a.answered_calls + excluded.answered_calls, "
    "missed_calls = a.missed_calls + excluded.missed_calls, dropped_calls = a.dropped_calls + excluded.dropped_calls, "
    "ai_resolved_calls = a.ai_resolved_calls + excluded.ai_resolved_calls, "
    "escalated_calls = a.escalated_calls + excluded.escalated_calls, "
    "duration_seconds_sum = a.duration_seconds_sum + excluded.duration_seconds_sum, "
    "duration_samples = a.duration_samples + excluded.duration_samples, "
    "quality_score_sum = a.quality_score_sum + excluded.quality_score_sum, "
    "quality_samples = a.quality_samples + excluded.quality_samples, "
    "satisfaction_sum = a.satisfaction_sum + excluded.satisfaction_sum, "
    "satisfaction_samples = a.satisfaction_samples + excluded.satisfaction_samples, updated_at = now()",
    {UUIDOID, DATEOID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID, INT8OID,
     INT4OID, NUMERICOID, INT4OID, INT8OID, INT4OID},
    pg::Statement::Plan::Generic);
pg::Statement add_intent(
    "INSERT INTO {app}.call_intent_counts AS c (store_id, date_period, hour_period, intent, calls) "
    "SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM {app}.stores WHERE id = $1) "
    "ON CONFLICT (store_id, date_period, hour_period, intent) "
    "DO UPDATE SET calls = c.calls + excluded.calls",
    {UUIDOID, DATEOID, INT4OID, TEXTOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement drop_zero_intents(
    "DELETE FROM {app}.call_intent_counts WHERE store_id = $1 AND date_period = $2 AND hour_period = $3 "
    "AND calls = 0",
    {UUIDOID, DATEOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement refresh_top_intents(
    "UPDATE {app}.call_analytics SET top_intents = coalesce((SELECT jsonb_agg(jsonb_build_object('intent', "
    "t.intent, 'calls', t.calls) ORDER BY t.calls DESC, t.intent) FROM (SELECT intent, calls FROM "
    "{app}.call_intent_counts WHERE store_id = $1 AND date_period = $2 AND hour_period = $3 "
    "ORDER BY calls DESC, intent LIMIT 5) t), '[]'::jsonb) "
    "WHERE store_id = $1 AND date_period = $2 AND hour_period = $3",
    {UUIDOID, DATEOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement add_usage(
    "INSERT INTO {app}.store_usage_periods AS u (store_id, period_start, calls, billable_seconds, cost_usd, tokens) "
    "SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM {app}.stores WHERE id = $1) "
    "ON CONFLICT (store_id, period_start) DO UPDATE SET "
    "calls = u.calls + excluded.calls, billable_seconds = u.billable_seconds + excluded.billable_seconds, "
    "cost_usd = u.cost_usd + excluded.cost_usd, tokens = u.tokens + excluded.tokens, updated_at = now()",
    {UUIDOID, DATEOID, INT4OID, INT8OID, NUMERICOID, INT8OID}, pg::Statement::Plan::Generic);

Datum i32(std::int64_t v) { return Int32GetDatum(static_cast<int32>(v)); }

}  // namespace

// callai_internal.calls_changed(): AFTER INSERT / UPDATE / DELETE FOR EACH
// STATEMENT on calls (transition tables old_calls / new_calls). Applies each
// bucket's net delta with one upsert, buckets in (store, day, hour) order, so
// concurrent statements lock analytics rows in one order; usage months
// after them, in (store, month) order. Calls deleted with their store
// (whose figures went with it) add nothing. Runs as the extension's owner.
PG_CPP_FUNCTION(callai_calls_changed) {
    static const pg::TriggerSpec spec{"callai_internal.calls_changed", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After,
                                      pg::event::Insert | pg::event::Update | pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);  // a restore: rows as dumped
    const unsigned ev = pg::trigger_event(data);
    const Oid app = app_schema(data->tg_relation);
    platform::AsExtensionOwner owner(extension);
    pg::SpiSession spi;
    register_transition_tables(data);
    domain::CallAnalyticsDeltas deltas;
    if (ev != pg::event::Insert) read_calls(old_call_rows, app, false, deltas);
    if (ev != pg::event::Delete) read_calls(new_call_rows, app, true, deltas);

    for (const auto& [key, d] : deltas.buckets()) {
        CHECK_FOR_INTERRUPTS();
        const Datum store = pg::datum_from_uuid(key.store);
        const Datum day = DateADTGetDatum(key.day);
        const Datum hour = Int32GetDatum(key.hour);
        Datum args[17] = {store, day, hour, i32(d.total), i32(d.inbound), i32(d.outbound), i32(d.answered),
                          i32(d.missed), i32(d.dropped), i32(d.ai_resolved), i32(d.escalated),
                          Int64GetDatum(d.duration_sum), i32(d.duration_samples),
                          pg::numeric_from_decimal(d.quality_sum), i32(d.quality_samples),
                          Int64GetDatum(d.satisfaction_sum), i32(d.satisfaction_samples)};
        add_to_bucket.execute(app, args, nullptr);
        if (d.intents.empty()) continue;
        for (const auto& [intent, n] : d.intents) {
            Datum iargs[5] = {store, day, hour, pg::text_from_string(intent), i32(n)};
            add_intent.execute(app, iargs, nullptr);
        }
        Datum kargs[3] = {store, day, hour};
        drop_zero_intents.execute(app, kargs, nullptr);
        refresh_top_intents.execute(app, kargs, nullptr);
    }
    for (const auto& [key, u] : deltas.usage()) {
        CHECK_FOR_INTERRUPTS();
        Datum args[6] = {pg::datum_from_uuid(key.store), DateADTGetDatum(key.month_start), i32(u.calls),
                         Int64GetDatum(u.billable_seconds), pg::numeric_from_decimal(u.cost),
                         Int64GetDatum(u.tokens)};
        add_usage.execute(app, args, nullptr);
    }
    return PointerGetDatum(nullptr);
}

namespace {
pg::Statement clear_analytics("DELETE FROM {app}.call_analytics", {});
pg::Statement clear_intents("DELETE FROM {app}.call_intent_counts", {});
pg::Statement clear_usage("DELETE FROM {app}.store_usage_periods", {});
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
    clear_intents.execute(app, nullptr, nullptr);
    clear_usage.execute(app, nullptr, nullptr);
    return PointerGetDatum(nullptr);
}
