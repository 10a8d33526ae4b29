// The five Trip OS stages served by this one library, and helpers they share.
#pragma once

#include <optional>
#include <string>

#include "pg/datum.hpp"
#include "pg/postgres.hpp"
#include "platform/extension.hpp"

extern "C" {
#include "utils/date.h"
}

namespace tripos {

namespace pg = pgcpp::pg;
namespace platform = pgcpp::platform;

const platform::Extension& core_extension();
const platform::Extension& collab_extension();
const platform::Extension& ai_extension();
const platform::Extension& payments_extension();
const platform::Extension& whatsapp_extension();

// True while the library itself rewrites itinerary positions or other rows
// whose own triggers must let the write through unchanged.
bool internal_write_active();

class InternalWrite {
public:
    InternalWrite();
    ~InternalWrite();
    InternalWrite(const InternalWrite&) = delete;
    InternalWrite& operator=(const InternalWrite&) = delete;
};

// A restore session (platform/restore_mode.hpp, tripos.restore_mode): rows
// that pg_restore (or a pg_dump script run by psql) loads are taken as
// dumped, so INSERT triggers let them through unchanged and record nothing
// (positions, usage, events, per-user rows are in the dump already).
bool restoring();

// Fires the trip owner's active automation rules of an event type
// (budget_exceeded with the crossed `threshold`, booking_pending) for `trip`,
// where the WhatsApp stage is installed: a scheduled job due now per rule
// (of the trip when the rule names one), the rule's last_triggered_at
// stamped. With `once_while_pending`, a rule that has a job due for the trip
// still pending fires no other (triggers/whatsapp.cpp).
void fire_trip_event_rules(const pg::Uuid& trip, const char* trigger_type, std::optional<int> threshold,
                           bool once_while_pending);

// Removes the pg_cron job of the stage named `extension`, if it has one and
// it is scheduled (api/cron_jobs.cpp; called before DROP EXTENSION).
void unschedule_stage_jobs(const std::string& extension);

// Column `attnum` of a heap tuple, as an optional of the given reader.
std::optional<pg::Uuid> tuple_uuid(HeapTuple tuple, TupleDesc desc, int attnum);
std::optional<int> tuple_int(HeapTuple tuple, TupleDesc desc, int attnum);
std::optional<DateADT> tuple_date(HeapTuple tuple, TupleDesc desc, int attnum);

// A copy of `tuple` with the given int4 columns replaced (palloc'd in the
// trigger's memory context).
HeapTuple with_int_columns(HeapTuple tuple, TupleDesc desc, std::initializer_list<std::pair<int, int>> values);


// Locks of a trip's itinerary (transaction advisory locks, keyed by a hash of
// the trip and the day): an edit of some days takes the trip's key shared,
// then each day's key exclusively in ascending order, so edits of different
// days of one trip run in parallel and edits of one day queue; a change of the
// whole itinerary (the trip's dates) takes the trip's key exclusively. All
// takers go in (trip, day) order, the trip's own key first.
void lock_itinerary_days(const pg::Uuid& trip, std::vector<int> days);
// Gives back one hold of each of those locks (for a taker that read nothing
// under them it relies on: see lock_itinerary()).
void unlock_itinerary_days(const pg::Uuid& trip, std::vector<int> days);
void lock_whole_itinerary(const pg::Uuid& trip);

}  // namespace tripos
