// The stages' pg_cron jobs (platform/cron.hpp): each stage's install and
// update script schedules its job where pg_cron is installed, except in a
// restore (the dump holds the job); its drop guard unschedules it.
#include <string>

#include "pg/guard.hpp"
#include "platform/cron.hpp"
#include "tripos/stages.hpp"

extern "C" {
#include "utils/builtins.h"
#include "utils/lsyscache.h"
}

using namespace tripos;

namespace {

struct StageJob {
    const char* extension;
    const platform::Extension& (*stage)();
    const char* name;
    const char* schedule;
    const char* function;  // of the stage's schema, called without arguments
};

const StageJob kStageJobs[] = {
    {"tripos_payments", payments_extension, "tripos_reset_monthly_usage_limits", "5 0 1 * *",
     "reset_monthly_usage_limits"},
    {"tripos_whatsapp", whatsapp_extension, "tripos_release_stalled_jobs", "*/5 * * * *", "release_stalled_jobs"},
};

Datum schedule_jobs_of(const platform::Extension& stage) {
    bool scheduled = false;
    for (const StageJob& job : kStageJobs) {
        if (&job.stage() != &stage) continue;
        const Oid schema = stage.schema();
        const char* schema_name = pg::call([&] { return quote_identifier(get_namespace_name(schema)); });
        const std::string command = std::string("SELECT ") + schema_name + "." + job.function + "()";
        scheduled = platform::schedule_job(job.name, job.schedule, job.extension, command) == platform::CronOutcome::kScheduled;
    }
    return BoolGetDatum(scheduled);
}

}  // namespace

namespace tripos {

void unschedule_stage_jobs(const std::string& extension) {
    for (const StageJob& job : kStageJobs) {
        if (extension == job.extension) platform::unschedule_job(job.name);
    }
}

}  // namespace tripos

// tripos_internal.schedule_payments_jobs() / schedule_whatsapp_jobs() ->
// boolean: whether the stage's job was scheduled.
PG_CPP_FUNCTION(tripos_schedule_payments_jobs) { return schedule_jobs_of(payments_extension()); }
PG_CPP_FUNCTION(tripos_schedule_whatsapp_jobs) { return schedule_jobs_of(whatsapp_extension()); }
