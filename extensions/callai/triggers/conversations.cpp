// Conversations and their messages: atomic message index, message count and
// last activity, resolution time, idle completion.
#include <fmt/format.h>

#include <map>

#include "callai/common.hpp"
#include "core/errors.hpp"
#include "pg/spi.hpp"
#include "platform/cron.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_namespace.h"
#include "executor/spi.h"
}

using namespace callai;
using core::DomainError;
using core::ErrorKind;

namespace {
pg::Statement lock_conversation("SELECT 1 FROM {app}.conversations WHERE id = $1 FOR NO KEY UPDATE", {UUIDOID},
                                pg::Statement::Plan::Generic);
pg::Statement next_index(
    "SELECT coalesce(max(message_index) + 1, 0) FROM {app}.conversation_messages WHERE conversation_id = $1",
    {UUIDOID}, pg::Statement::Plan::Generic);
}  // namespace

// callai_internal.message_before(): BEFORE INSERT OR UPDATE FOR EACH ROW on
// conversation_messages. A message inserted without message_index gets the
// next one of its conversation: the conversation row is locked first, so
// concurrent writers take turns, and the rows this statement inserted before
// are visible to the look-up. A message cannot move to another conversation.
PG_CPP_FUNCTION(callai_message_before) {
    static const pg::TriggerSpec spec{"callai_internal.message_before", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(data->tg_trigtuple);  // a restore: rows as dumped
    if (pg::trigger_event(data) == pg::event::Update) {
        RowEdit row(data, data->tg_newtuple);
        OldRow old(data);
        if (row.uuid("conversation_id") != old->uuid("conversation_id")) {
            throw DomainError(ErrorKind::InvalidParameter, "a message cannot move to another conversation");
        }
        return PointerGetDatum(data->tg_newtuple);
    }
    RowEdit row(data, data->tg_trigtuple);
    if (!row.is_null("message_index") || row.is_null("conversation_id")) {
        return PointerGetDatum(data->tg_trigtuple);
    }
    const Oid app = app_schema(data->tg_relation);
    std::int64_t index = 0;
    {
        // As the extension's owner: an agent adding a message may not update
        // the conversation row it must lock.
        platform::AsExtensionOwner owner(extension);
        pg::SpiSession spi;
        Datum key[1] = {row.value("conversation_id")};
        if (lock_conversation.execute(app, key, nullptr, false, 1) == 0) {
            return PointerGetDatum(data->tg_trigtuple);  // the foreign key refuses it
        }
        next_index.execute(app, key, nullptr, false, 1);
        index = spi_int(0, 1).value_or(0);
    }
    row.set_integer("message_index", index);
    return PointerGetDatum(row.result());
}

namespace {
pg::Statement added_messages(
    "SELECT conversation_id, count(*), max(\"timestamp\") FROM new_messages GROUP BY 1 ORDER BY 1", {});
pg::Statement removed_messages(
    "SELECT conversation_id, -count(*), NULL::timestamptz FROM old_messages GROUP BY 1 ORDER BY 1", {});
pg::Statement apply_messages(
    "UPDATE {app}.conversations SET message_count = message_count + $2, "
    "last_activity_at = greatest(last_activity_at, $3) WHERE id = $1",
    {UUIDOID, INT8OID, TIMESTAMPTZOID}, pg::Statement::Plan::Generic);

struct MessageDelta {
    std::int64_t count = 0;
    std::optional<std::int64_t> latest;
};
}  // namespace

// callai_internal.messages_changed(): AFTER INSERT / DELETE FOR EACH STATEMENT
// on conversation_messages (new_messages / old_messages). message_count moves
// by the statement's net count, last_activity_at forward to the newest
// message; one UPDATE per conversation, in id order. Runs as the owner.
PG_CPP_FUNCTION(callai_messages_changed) {
    static const pg::TriggerSpec spec{"callai_internal.messages_changed", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After, pg::event::Insert | pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);  // a restore: rows as dumped
    const unsigned ev = pg::trigger_event(data);
    const Oid app = app_schema(data->tg_relation);
    platform::AsExtensionOwner owner(extension);
    MaintenanceWrite maintenance;
    pg::SpiSession spi;
    register_transition_tables(data);
    std::map<pg::Uuid, MessageDelta> deltas;
    const uint64 n = (ev == pg::event::Insert ? added_messages : removed_messages).execute(app, nullptr, nullptr, false);
    for (uint64 i = 0; i < n; ++i) {
        MessageDelta& d = deltas[*spi_uuid(i, 1)];
        d.count += *spi_int(i, 2);
        d.latest = spi_timestamp(i, 3);
    }
    for (const auto& [conversation, d] : deltas) {
        CHECK_FOR_INTERRUPTS();
        Datum args[3] = {pg::datum_from_uuid(conversation), Int64GetDatum(d.count),
                         d.latest ? TimestampTzGetDatum(*d.latest) : Datum(0)};
        const char nulls[4] = {' ', ' ', d.latest ? ' ' : 'n', '\0'};
        apply_messages.execute(app, args, nulls);
    }
    return PointerGetDatum(nullptr);
}

namespace {
bool is_closed(const std::string& status) { return status == "completed" || status == "resolved"; }
}  // namespace

// callai_internal.conversation_before(): BEFORE INSERT OR UPDATE FOR EACH ROW
// on conversations. Entering completed or resolved stamps end_time (now()
// unless given) and resolution_time_seconds = end_time - start_time; reopening
// clears both. message_count is kept by the database.
PG_CPP_FUNCTION(callai_conversation_before) {
    static const pg::TriggerSpec spec{"callai_internal.conversation_before", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(data->tg_trigtuple);  // a restore: rows as dumped
    const bool update = pg::trigger_event(data) == pg::event::Update;
    RowEdit row(data, update ? data->tg_newtuple : data->tg_trigtuple);
    std::optional<OldRow> old;
    if (update) old.emplace(data);
    const std::int64_t count = row.integer("message_count").value_or(0);
    const std::int64_t expected = old ? (*old)->integer("message_count").value_or(0) : 0;
    if (count != expected && !MaintenanceWrite::active()) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("message_count {} disagrees with the conversation's {} messages", count, expected),
                          {}, "Leave message_count out: the database counts the messages.");
    }
    if (old && row.uuid("store_id") != (*old)->uuid("store_id")) {
        throw DomainError(ErrorKind::InvalidParameter, "a conversation cannot move to another store");
    }
    const std::string status = row.label("status").value_or("active");
    const bool was_closed = old && is_closed((*old)->label("status").value_or(""));
    if (is_closed(status) && !was_closed) {
        std::optional<std::int64_t> end = row.timestamp("end_time");
        if (!end) {
            end = GetCurrentTransactionStartTimestamp();
            row.set("end_time", TimestampTzGetDatum(*end));
        }
        const std::int64_t start = row.timestamp("start_time").value_or(*end);
        if (*end < start) {
            throw DomainError(ErrorKind::CheckViolation, "a conversation's end_time lies before its start_time");
        }
        row.set_integer("resolution_time_seconds", (*end - start) / 1000000);
    } else if (!is_closed(status) && was_closed) {
        row.set("end_time", std::nullopt);
        row.set("resolution_time_seconds", std::nullopt);
    }
    return PointerGetDatum(row.result());
}

namespace {
pg::Statement complete_idle(
    "UPDATE {app}.conversations SET status = 'completed', end_time = greatest(last_activity_at, start_time) "
    "WHERE status = 'active' AND channel IN ('voice', 'chat') AND last_activity_at < now() - $1",
    {INTERVALOID});
}  // namespace

// callai_internal.complete_idle_conversations(idle interval): completes the
// active voice and chat conversations without activity for `idle`, ending
// them at their last activity (upstream's auto_complete_inactive_conversations,
// which nothing scheduled; pg_cron runs this one where installed). Returns
// how many it completed.
PG_CPP_FUNCTION(callai_complete_idle_conversations) {
    const Datum idle = pg::required_arg(fcinfo, 0, "idle");
    const Oid app = extension.schema();
    pg::SpiSession spi;
    Datum args[1] = {idle};
    const uint64 n = complete_idle.execute(app, args, nullptr);
    return Int32GetDatum(static_cast<int32>(n));
}

// callai_internal.schedule_idle_completion(schedule text): where pg_cron is
// installed, schedules complete_idle_conversations('1 hour') under the job
// name callai-complete-idle-conversations (rescheduling it if it exists) and
// returns true; false where pg_cron is not installed, and in a restore (the
// dump holds the job: platform/cron.hpp).
PG_CPP_FUNCTION(callai_schedule_idle_completion) {
    const std::string schedule = pg::string_from_text(pg::required_arg(fcinfo, 0, "schedule"));
    return BoolGetDatum(platform::schedule_job("callai-complete-idle-conversations", schedule, "callai",
                                               "SELECT callai_internal.complete_idle_conversations('1 hour')") ==
                        platform::CronOutcome::kScheduled);
}
