// Guards against changes that would silently corrupt or destroy data:
//
//   onesim_internal.forbid_column_change(col, ...)  BEFORE UPDATE row trigger:
//       the named columns are immutable (a customer or group never changes
//       partner: its members, orders and figures would then straddle two
//       tenants). 55000 with a hint.
//   onesim_internal.guard_drop()  event trigger on DROP EXTENSION / DROP SCHEMA /
//       DROP OWNED: refuses every statement that would drop onesim (itself,
//       supabase_platform it requires, a schema it lives in, or the role owning any
//       of them) while it holds data, unless the session says so:
//       SET onesim.allow_drop_with_data = on. DROP DATABASE fires no event
//       trigger and cannot be guarded.
#include "onesim/layers.hpp"
#include "onesim/guards.hpp"

#include "core/errors.hpp"
#include "onesim/auth_context.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

extern "C" {
#include "access/genam.h"
#include "access/skey.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_namespace.h"
#include "commands/event_trigger.h"
#include "nodes/makefuncs.h"
#include "nodes/parsenodes.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/fmgroids.h"
#include "utils/syscache.h"
#include "utils/datum.h"
#include "utils/guc.h"
}

namespace pg = pgcpp::pg;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

PG_CPP_FUNCTION(onesim_forbid_column_change) {
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

// Tables of the extension that hold nothing a drop could lose: listing
// caches, rebuilt from the provider's catalog. Every other member table is
// guarded, so a table a later version adds is guarded without a word here.
constexpr const char* kRebuildableCaches[] = {"cached_global_packages", "cached_regional_packages",
                                              "package_cache_metadata"};

bool is_rebuildable_cache(const std::string& table) {
    for (const char* cache : kRebuildableCaches) {
        if (table == cache) return true;
    }
    return false;
}

// Rows that dropping the extension would destroy, per table (none: empty):
// every table that is a member of the extension (pg_depend), in name order,
// but the listing caches; with_auth adds auth.users, when supabase_platform
// created it and goes too.
std::string data_at_risk(Oid app, bool with_auth) {
    static pg::Statement member_tables(
        "SELECT c.relname::text FROM pg_catalog.pg_depend d "
        "JOIN pg_catalog.pg_class c ON c.oid = d.objid "
        "JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid "
        "WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "  AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass "
        "  AND d.deptype = 'e' AND e.extname = 'onesim' AND c.relkind IN ('r', 'p') "
        "  AND c.relnamespace = $1 "
        "ORDER BY c.relname",
        {OIDOID});
    static pg::Statement auth_users(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM auth.users) THEN 'auth.users' END", {});
    pg::SpiSession spi;
    Datum args[1] = {ObjectIdGetDatum(app)};
    const uint64 n = member_tables.execute(app, args, nullptr, true);
    std::vector<std::string> tables;
    for (uint64 i = 0; i < n; ++i) {
        bool isnull = false;
        const Datum name = pg::spi_value(i, 1, &isnull);
        if (!isnull) tables.push_back(pg::string_from_text(name));
    }
    const char* schema = pg::call([&] { return get_namespace_name(app); });
    std::string at_risk;
    for (const std::string& table : tables) {
        if (is_rebuildable_cache(table)) continue;
        // One look per table; the names come from the catalog, quoted.
        const std::string sql = "SELECT 1 FROM " +
                                std::string(pg::call([&] { return quote_qualified_identifier(schema, table.c_str()); })) +
                                " LIMIT 1";
        const char* text = sql.c_str();
        const uint64 rows = pg::call([&] {
            const int rc = SPI_execute(text, true, 1);
            if (rc != SPI_OK_SELECT) elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
            return SPI_processed;
        });
        if (rows > 0) at_risk += (at_risk.empty() ? "" : ", ") + table;
    }
    if (with_auth) {
        bool isnull = false;
        auth_users.execute(app, nullptr, nullptr, true, 1);
        const Datum d = pg::spi_value(0, 1, &isnull);
        if (!isnull) at_risk += (at_risk.empty() ? "" : ", ") + pg::string_from_text(d);
    }
    return at_risk;
}

struct Owners {
    Oid onesim;           // owner of the extension onesim
    Oid supabase_platform;      // owner of supabase_platform, if installed
    Oid app_schema;       // owners of the schemas holding our objects
    Oid internal_schema;
};

// The extension supabase_platform, when it created auth.users (not Supabase's).
Oid supabase_platform_owning_users() {
    return pg::call([] {
        const Oid ext = get_extension_oid("supabase_platform", true);
        if (!OidIsValid(ext)) return InvalidOid;
        const Oid users = RangeVarGetRelid(makeRangeVar(pstrdup("auth"), pstrdup("users"), -1),
                                           NoLock, true);
        if (!OidIsValid(users)) return InvalidOid;
        return getExtensionOfObject(RelationRelationId, users) == ext ? ext : InvalidOid;
    });
}

enum class Drop { None, Onesim, OnesimAndAuth };

// Does this statement remove onesim (directly, with its schema, with
// supabase_platform it requires, or with the role owning any of them)?
Drop drops_onesim(Node* parsetree, Oid app) {
    if (parsetree == nullptr) return Drop::None;
    const bool auth_users_ours = OidIsValid(supabase_platform_owning_users());
    const Drop with_auth = auth_users_ours ? Drop::OnesimAndAuth : Drop::Onesim;
    ListCell* cell;
    if (IsA(parsetree, DropStmt)) {
        auto* drop = reinterpret_cast<DropStmt*>(parsetree);
        if (drop->removeType == OBJECT_EXTENSION) {
            Drop result = Drop::None;
            foreach (cell, drop->objects) {
                const std::string_view name = strVal(lfirst(cell));
                if (name == "supabase_platform") return with_auth;
                if (name == "onesim") result = Drop::Onesim;
            }
            return result;
        }
        if (drop->removeType == OBJECT_SCHEMA) {
            const std::string app_name = pg::call([&] { return pstrdup(get_namespace_name(app)); });
            foreach (cell, drop->objects) {
                const std::string_view name = strVal(lfirst(cell));
                if (name == app_name || name == "onesim_internal") return Drop::Onesim;
                if (name == "auth" && auth_users_ours) return with_auth;
            }
        }
        return Drop::None;
    }
    if (IsA(parsetree, DropOwnedStmt)) {
        // DROP OWNED BY the owner of the extension (or of a schema it lives
        // in) drops the extension and every table with it.
        auto* drop = reinterpret_cast<DropOwnedStmt*>(parsetree);
        const Owners owners{
            pgcpp::platform::extension_creator(pg::call([] { return get_extension_oid("onesim", true); })),
            pgcpp::platform::extension_creator(pg::call([] { return get_extension_oid("supabase_platform", true); })),
            pgcpp::platform::schema_owner(app),
            pgcpp::platform::schema_owner(pg::call([] { return get_namespace_oid("onesim_internal", true); }))};
        Drop result = Drop::None;
        foreach (cell, drop->roles) {
            auto* spec = static_cast<RoleSpec*>(lfirst(cell));
            const Oid role = pg::call([&] { return get_rolespec_oid(spec, true); });
            if (!OidIsValid(role)) continue;
            if (role == owners.supabase_platform) return with_auth;
            if (role == owners.onesim || role == owners.app_schema || role == owners.internal_schema) {
                result = Drop::Onesim;
            }
        }
        return result;
    }
    return Drop::None;
}

}  // namespace

PG_CPP_FUNCTION(onesim_guard_drop) {
    if (!CALLED_AS_EVENT_TRIGGER(fcinfo)) {
        throw DomainError(ErrorKind::InvalidParameter, "guard_drop() must be called as an event trigger");
    }
    auto* event = reinterpret_cast<EventTriggerData*>(fcinfo->context);
    const Oid app = onesim::auth::extension_schema();
    if (g_allow_drop_with_data) return PointerGetDatum(nullptr);
    const Drop drop = drops_onesim(event->parsetree, app);
    if (drop == Drop::None) return PointerGetDatum(nullptr);
    const std::string tables = data_at_risk(app, drop == Drop::OnesimAndAuth);
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
