// Guards against changes that would silently corrupt or destroy data:
//
//   onesim_internal.forbid_column_change(col, ...)  BEFORE UPDATE row trigger:
//       the named columns are immutable (a customer or group never changes
//       partner: its members, orders and figures would then straddle two
//       tenants). 55000 with a hint.
//   onesim_internal.guard_drop()  event trigger on DROP EXTENSION / DROP SCHEMA:
//       refuses to drop onesim (or its schema) while it holds customer data,
//       unless the session says so: SET onesim.allow_drop_with_data = on.
#include "onesim/guards.hpp"

#include "core/errors.hpp"
#include "onesim/auth_context.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

extern "C" {
#include "commands/event_trigger.h"
#include "nodes/parsenodes.h"
#include "utils/datum.h"
#include "utils/guc.h"
}

namespace pg = onesim::pg;
using onesim::core::DomainError;
using onesim::core::ErrorKind;

ONESIM_FUNCTION(onesim_forbid_column_change) {
    static const pg::TriggerSpec spec{"onesim_internal.forbid_column_change", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Update, pg::kOneOrMoreArgs};
    TriggerData* td = pg::validate_trigger(fcinfo, spec);
    TupleDesc desc = td->tg_relation->rd_att;
    for (int i = 0; i < td->tg_trigger->tgnargs; ++i) {
        const std::string column = pg::trigger_arg(td, i);
        const int att = pg::column_number(td, column.c_str(), spec.function);
        const bool same = pg::call([&] {
            bool old_null, new_null;
            const Datum o = heap_getattr(td->tg_trigtuple, att, desc, &old_null);
            const Datum n = heap_getattr(td->tg_newtuple, att, desc, &new_null);
            if (old_null || new_null) return old_null == new_null;
            const Form_pg_attribute a = TupleDescAttr(desc, att - 1);
            return datum_image_eq(o, n, a->attbyval, a->attlen);
        });
        if (!same) {
            const char* table = RelationGetRelationName(td->tg_relation);
            throw DomainError(ErrorKind::Conflict,
                              fmt::format("{}.{} cannot be changed", table, column),
                              "Its members, orders and figures belong to one partner.",
                              "Create the record under the other partner instead.");
        }
    }
    return PointerGetDatum(td->tg_newtuple);
}

namespace {

bool g_allow_drop_with_data = false;

// Rows that dropping the extension would destroy, per table (none: empty).
std::string data_at_risk(Oid app) {
    static pg::Statement stmt(
        "SELECT concat_ws(', ', "
        "  CASE WHEN EXISTS (SELECT 1 FROM {app}.orders) THEN 'orders' END, "
        "  CASE WHEN EXISTS (SELECT 1 FROM {app}.partners) THEN 'partners' END, "
        "  CASE WHEN EXISTS (SELECT 1 FROM {app}.partner_customers) THEN 'partner_customers' END, "
        "  CASE WHEN EXISTS (SELECT 1 FROM {app}.partner_earnings) THEN 'partner_earnings' END, "
        "  CASE WHEN EXISTS (SELECT 1 FROM {app}.profiles) THEN 'profiles' END)",
        {});
    pg::SpiSession spi;
    stmt.execute(app, nullptr, nullptr, true, 1);
    bool isnull;
    const Datum d = pg::spi_value(0, 1, &isnull);
    return isnull ? std::string() : pg::string_from_text(d);
}

// Does this DROP statement remove onesim (directly, or with its schema)?
bool drops_onesim(Node* parsetree, Oid app) {
    if (parsetree == nullptr || !IsA(parsetree, DropStmt)) return false;
    auto* drop = reinterpret_cast<DropStmt*>(parsetree);
    ListCell* cell;
    if (drop->removeType == OBJECT_EXTENSION) {
        foreach (cell, drop->objects) {
            const std::string_view name = strVal(lfirst(cell));
            if (name == "onesim" || name == "onesim_auth") return true;
        }
    } else if (drop->removeType == OBJECT_SCHEMA) {
        const std::string app_name = pg::call([&] { return pstrdup(get_namespace_name(app)); });
        foreach (cell, drop->objects) {
            const std::string_view name = strVal(lfirst(cell));
            if (name == app_name || name == "onesim_internal") return true;
        }
    }
    return false;
}

}  // namespace

ONESIM_FUNCTION(onesim_guard_drop) {
    if (!CALLED_AS_EVENT_TRIGGER(fcinfo)) {
        throw DomainError(ErrorKind::InvalidParameter, "guard_drop() must be called as an event trigger");
    }
    auto* event = reinterpret_cast<EventTriggerData*>(fcinfo->context);
    const Oid app = onesim::auth::extension_schema();
    if (!drops_onesim(event->parsetree, app) || g_allow_drop_with_data) return PointerGetDatum(nullptr);
    const std::string tables = data_at_risk(app);
    if (tables.empty()) return PointerGetDatum(nullptr);
    const std::string message = fmt::format("dropping onesim would destroy the data in {}", tables);
    pg::call([&] {
        ereport(ERROR, (errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST), errmsg("%s", message.c_str()),
                        errhint("Back the data up (pg_dump), then SET onesim.allow_drop_with_data = on "
                                "in the session that drops it.")));
    });
    return PointerGetDatum(nullptr);
}

void onesim::guards::initialize() {
    DefineCustomBoolVariable(
        "onesim.allow_drop_with_data",
        "Lets DROP EXTENSION onesim (or DROP SCHEMA of its schema) destroy customer data.",
        "Off by default: the drop is refused while orders, partners, customers, earnings or "
        "profiles exist. Set it in the session that drops, after a backup.",
        &g_allow_drop_with_data, false, PGC_USERSET, 0, nullptr, nullptr, nullptr);
}
