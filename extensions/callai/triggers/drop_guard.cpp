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
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "nodes/value.h"
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
    if (!CALLED_AS_EVENT_TRIGGER(fcinfo)) {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        "callai_internal.before_drop() runs only as an event trigger");
    }
    auto* event = reinterpret_cast<EventTriggerData*>(fcinfo->context);
    if (event->parsetree == nullptr || !IsA(event->parsetree, DropStmt)) return PointerGetDatum(nullptr);
    auto* drop = reinterpret_cast<DropStmt*>(event->parsetree);
    if (drop->removeType != OBJECT_EXTENSION) return PointerGetDatum(nullptr);
    const bool cascade = drop->behavior == DROP_CASCADE;
    std::vector<Oid> named;
    ListCell* cell;
    foreach (cell, drop->objects) {
        Node* name = static_cast<Node*>(lfirst(cell));
        if (IsA(name, String)) {
            const char* extname = strVal(name);
            named.push_back(pg::call([&] { return get_extension_oid(extname, true); }));
        }
    }
    bool dropped = false;
    for (const Oid oid : named) dropped = dropped || drops_callai(oid, cascade);
    if (!dropped) return PointerGetDatum(nullptr);
    for (const char* job : kJobs) platform::unschedule_job(job);
    return PointerGetDatum(nullptr);
}
