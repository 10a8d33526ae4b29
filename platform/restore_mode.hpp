// Restore mode: rows that pg_restore, or a pg_dump script run by psql, loads
// into a system's tables are taken as dumped. A dump holds every maintained
// figure, counter and derived column as it was; recomputing them while the
// rows load would count figures twice, refuse rows that are past their
// first state (a purchase "born completed") or re-create rows the dump also
// holds. So in a restore session a system's INSERT triggers let the row
// through unchanged and record nothing; UPDATE, DELETE and TRUNCATE triggers
// always run.
//
// <system>.restore_mode (superuser only):
//   auto  (default) a restore session is recognised by the settings pg_dump
//         and pg_restore always emit, row_security = off and
//         check_function_bodies = off, in a session whose role bypasses row
//         level security (superuser or BYPASSRLS: never PostgREST's roles).
//         The first time in a backend, one WARNING.
//   on    every insert of the session is loaded as given.
//   off   never: the triggers always run.
#pragma once

#include "pg/postgres.hpp"

namespace pgcpp::platform {

// Registers `<prefix>.restore_mode` for this library (from _PG_init).
void define_restore_mode(const char* prefix);

// True when the trigger call must let the row(s) through untouched: an
// INSERT in a restore session. Two bool reads in an ordinary session.
bool loads_as_dumped(const TriggerData* data);

}  // namespace pgcpp::platform
