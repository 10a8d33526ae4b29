// pg_cron jobs (platform/cron.hpp).
#include "platform/cron.hpp"

#include "pg/guard.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "utils/builtins.h"
}

namespace pgcpp::platform {
namespace {

bool pg_cron_installed() {
    return pg::call([] { return OidIsValid(get_extension_oid("pg_cron", true)); });
}

// Runs a statement of pg_cron's API (not prepared and kept: pg_cron may be
// dropped and created again; these run once per install or drop).
uint64 run_cron_statement(const char* sql, int nargs, Oid* types, Datum* values) {
    return pg::call([&] {
        if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
        const int rc = SPI_execute_with_args(sql, nargs, types, values, nullptr, false, 0);
        if (rc != SPI_OK_SELECT) elog(ERROR, "%s failed: %s", sql, SPI_result_code_string(rc));
        const uint64 rows = SPI_processed;
        SPI_finish();
        return rows;
    });
}

std::string quoted_literal(const std::string& text) {
    return pg::call([&] { return quote_literal_cstr(text.c_str()); });
}

// The command cron.job holds for a job: a DO block that runs `statement`
// while `extension` is installed and otherwise unschedules job `name`.
std::string guarded_job_command(const std::string& name, const std::string& extension, const std::string& statement) {
    static const std::string kTag = "$cron_job$";
    const std::string statement_literal = quoted_literal(statement);
    const std::string name_literal = quoted_literal(name);
    const std::string extension_literal = quoted_literal(extension);
    for (const std::string* part : {&statement_literal, &name_literal, &extension_literal}) {
        if (part->find(kTag) != std::string::npos) {
            pg::call([&] {
                ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                                errmsg("a pg_cron job's statement, name or extension must not contain %s", kTag.c_str())));
            });
        }
    }
    return "DO " + kTag + " BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = " +
           extension_literal + ") THEN EXECUTE " + statement_literal +
           "; ELSE PERFORM cron.unschedule(jobid) FROM cron.job WHERE jobname = " + name_literal +
           " AND database = pg_catalog.current_database(); END IF; END " + kTag;
}

}  // namespace

CronOutcome schedule_job(const std::string& name, const std::string& schedule, const std::string& extension,
                         const std::string& statement) {
    if (!pg_cron_installed()) return CronOutcome::kNoPgCron;
    if (restoring_database()) {
        pg::call([&] {
            ereport(NOTICE, (errmsg("pg_cron job \"%s\" not scheduled: this session restores a dump", name.c_str()),
                             errdetail("The dump's rows of cron.job hold the job as it was.")));
        });
        return CronOutcome::kRestoring;
    }
    const std::string command = guarded_job_command(name, extension, statement);
    Oid types[3] = {TEXTOID, TEXTOID, TEXTOID};
    Datum values[3];
    pg::call([&] {
        values[0] = CStringGetTextDatum(name.c_str());
        values[1] = CStringGetTextDatum(schedule.c_str());
        values[2] = CStringGetTextDatum(command.c_str());
    });
    run_cron_statement("SELECT cron.schedule($1, $2, $3)", 3, types, values);
    return CronOutcome::kScheduled;
}

bool unschedule_job(const std::string& name) {
    if (!pg_cron_installed()) return false;
    Oid types[1] = {TEXTOID};
    Datum values[1];
    pg::call([&] { values[0] = CStringGetTextDatum(name.c_str()); });
    return run_cron_statement(
               "SELECT cron.unschedule(jobid) FROM cron.job "
               "WHERE jobname = $1 AND database = pg_catalog.current_database()",
               1, types, values) > 0;
}

}  // namespace pgcpp::platform
