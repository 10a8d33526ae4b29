// A system's pg_cron jobs, where pg_cron is installed in this database.
//
// Install scripts schedule a system's jobs, but not during a restore:
// pg_restore (or a pg_dump script) creates the extensions before it loads
// the data, and cron.job's dumped rows are data. A job scheduled by the
// install script then would take the id of a dumped job, the COPY of
// cron.job would fail on its key and every dumped job would be lost; and the
// dump holds the system's own job already, with whatever schedule the user
// gave it since.
//
// A job outlives its extension where the extension goes without a DROP
// EXTENSION of its own (DROP SCHEMA ... CASCADE, DROP OWNED BY, a drop of an
// extension it requires), which no drop guard of the extension sees. So every
// job runs its statement only while its extension is installed, and
// otherwise unschedules itself on its next run.
//
// Every call may raise (through pg::call): callers may hold C++ objects.
#pragma once

#include <string>

#include "pg/postgres.hpp"

namespace pgcpp::platform {

enum class CronOutcome {
    kScheduled,  // scheduled, or rescheduled under the same name
    kNoPgCron,   // pg_cron is not installed in this database: nothing done
    kRestoring,  // a restore session: nothing done (a NOTICE says so)
};

// Schedules `statement` as job `name` on `schedule` (cron syntax) in this
// database, replacing a job of that name; the job runs the statement while
// `extension` is installed, and unschedules itself once it is not.
CronOutcome schedule_job(const std::string& name, const std::string& schedule, const std::string& extension,
                         const std::string& statement);

// Removes job `name` of this database where pg_cron and the job exist;
// returns whether one was removed.
bool unschedule_job(const std::string& name);

}  // namespace pgcpp::platform
