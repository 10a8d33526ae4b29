// What CallAI puts outside its own objects: its pg_cron jobs (idle
// conversation completion, the call figure fold). PostgreSQL does not record
// them as extension members, and a job left behind would fail every time it
// runs. The event trigger callai_before_drop fires before DROP EXTENSION and
// unschedules them when the statement drops callai: by name, or by CASCADE
// from an extension callai requires. A failed DROP rolls the removal back.
#include <string>
#include <vector>

#include "callai/common.hpp"
#include "platform/cron.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
}

using namespace callai;

namespace {

constexpr const char* kJobs[] = {"callai-complete-idle-conversations", "callai-fold-call-figures"};

// Whether dropping the extension `named` (an OID, InvalidOid when there is
// none of that name) drops callai.
bool drops_callai(Oid named, bool cascade) {
    if (!OidIsValid(named)) return false;
    const Oid callai_oid = extension.oid();
    if (named == callai_oid) return true;
    if (!cascade) return false;
    return pg::call([&] {
        if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
        Oid types[2] = {OIDOID, OIDOID};
        Datum values[2] = {ObjectIdGetDatum(callai_oid), ObjectIdGetDatum(named)};
        const int rc = SPI_execute_with_args(
            "SELECT 1 FROM pg_catalog.pg_depend WHERE classid = 'pg_catalog.pg_extension'::pg_catalog.regclass "
            "AND objid = $1 AND refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND refobjid = $2",
            2, types, values, nullptr, true, 1);
        if (rc != SPI_OK_SELECT) elog(ERROR, "reading callai's required extensions failed: %s", SPI_result_code_string(rc));
        const bool requires_it = SPI_processed > 0;
        SPI_finish();
        return requires_it;
    });
}

}  // namespace

// callai_internal.before_drop(): the event trigger callai_before_drop
// (ddl_command_start, DROP EXTENSION).
PG_CPP_FUNCTION(callai_before_drop) {
    const std::optional<platform::DropExtension> drop =
        platform::drop_extension_statement(fcinfo, "callai_internal.before_drop");
    if (!drop) return PointerGetDatum(nullptr);
    bool dropped = false;
    for (const std::string& name : drop->names) {
        const char* extname = name.c_str();
        const Oid named = pg::call([&] { return get_extension_oid(extname, true); });
        dropped = dropped || drops_callai(named, drop->cascade);
    }
    if (!dropped) return PointerGetDatum(nullptr);
    for (const char* job : kJobs) platform::unschedule_job(job);
    return PointerGetDatum(nullptr);
}
