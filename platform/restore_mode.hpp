// Restore mode: rows that pg_restore, or a pg_dump script run by psql, loads
// into a system's tables are taken as dumped.
//
// A dump already holds every maintained figure, counter, derived column and
// the rows other rows' triggers would make; recomputing them while the rows
// load would count figures twice, refuse rows past their first state (a
// purchase "born refunded"), re-create rows the dump holds too, or reprice
// history from today's rates. So in a restore session every INSERT trigger
// of the system lets the row through unchanged and records nothing. UPDATE,
// DELETE and TRUNCATE triggers always run.
//
// <prefix>.restore_mode (superuser only):
//   auto  (default) a restore session is recognised by the settings pg_dump
//         and pg_restore always emit, row_security = off,
//         check_function_bodies = off and an empty search_path (set with
//         set_config), in a session whose role bypasses row level security
//         (superuser or BYPASSRLS), for a statement issued by that session,
//         not by the system's own functions. The first time, one WARNING.
//   on    every statement the session issues directly is loaded as given.
//   off   never: the triggers always run.
#pragma once

#include "pg/postgres.hpp"

namespace pgcpp::platform {

// Registers <prefix>.restore_mode and the statement hooks (from _PG_init).
void define_restore_mode(const char* prefix);

// True when the trigger call `data` must let the row(s) through untouched:
// an INSERT issued by a restore session (see above). Costs two bool reads in
// an ordinary session.
bool loads_as_dumped(const TriggerData* data);

// The same test without a trigger's event: whether the statement running now
// was issued by a restore session (for triggers that fire on INSERT only).
bool restore_session();

// Whether this session is restoring a dump, asked by what an install script
// does beside creating objects (scheduling a pg_cron job): inside CREATE
// EXTENSION the statement-level test above cannot answer, since the script
// runs with the extension's own search_path. auto: the session has
// row_security = off (pg_dump and pg_restore set it; no application session
// needs it, since it only makes a query fail where a policy applies) and its
// role bypasses row level security. on: always. off: never.
bool restoring_database();

}  // namespace pgcpp::platform
