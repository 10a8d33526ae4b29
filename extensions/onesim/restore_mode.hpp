// Restore mode (src/onesim/restore_mode.cpp): rows that pg_restore, or a
// pg_dump script run by psql, loads into OneSIM's tables are taken as dumped.
//
// A dump already holds every maintained figure, commission, earning and price
// as they were; recomputing them while the rows load would count figures
// twice, recreate earnings and reprice history from today's rates. So in a
// restore session every OneSIM trigger that fires on INSERT lets the row
// through unchanged and records nothing. UPDATE, DELETE and TRUNCATE triggers
// always run.
//
// onesim.restore_mode (superuser only):
//   auto  (default) a restore session is recognised by the settings pg_dump
//         and pg_restore always emit, row_security = off,
//         check_function_bodies = off and an empty search_path (set with
//         set_config), in a session whose role bypasses row level security
//         (superuser or BYPASSRLS), for a statement issued by that session,
//         not by OneSIM's own functions. The first time, one WARNING.
//   on    every statement the session issues directly is loaded as given.
//   off   never: the triggers always run.
#pragma once

#include "onesim/layers.hpp"
#include "pg/postgres.hpp"

namespace onesim::restore {

// Registers onesim.restore_mode (from _PG_init).
void initialize();

// True when the trigger call `data` must let the row(s) through untouched:
// an INSERT issued by a restore session (see above). Costs two bool reads in
// an ordinary session.
bool loads_as_dumped(const TriggerData* data);

}  // namespace onesim::restore
