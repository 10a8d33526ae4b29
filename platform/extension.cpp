#include "platform/extension.hpp"

#include <algorithm>

#include "pg/guard.hpp"
#include "pg/relcache_events.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

extern "C" {
#include "access/genam.h"
#include "access/xact.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_namespace.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "nodes/parsenodes.h"
#include "nodes/value.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
}

namespace pgcpp::platform {
namespace {

// Every Extension of the library, so that a transaction abort forgets them
// all: an aborted (sub)transaction may have created what was found.
std::vector<const Extension*>& all_extensions() {
    static std::vector<const Extension*> list;
    return list;
}

// pg_extension's row of `extension` (PostgreSQL 15 has no syscache for it,
// nor an exported get_extension_schema()); zeroes when there is none. Raises
// (run under pg::call).
FormData_pg_extension extension_row(Oid extension) {
    FormData_pg_extension row{};
    if (!OidIsValid(extension)) return row;
    Relation rel = table_open(ExtensionRelationId, AccessShareLock);
    ScanKeyData key[1];
    ScanKeyInit(&key[0], Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(extension));
    SysScanDesc scan = systable_beginscan(rel, ExtensionOidIndexId, true, nullptr, 1, key);
    HeapTuple tuple = systable_getnext(scan);
    if (HeapTupleIsValid(tuple)) row = *reinterpret_cast<Form_pg_extension>(GETSTRUCT(tuple));
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    return row;
}

}  // namespace

void dump_every_member_table() {
    pg::call([] {
        if (!creating_extension) {
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("only an extension's install or update script marks its tables for pg_dump")));
        }
        // The members: pg_depend rows (class, member) -> (pg_extension, this one), deptype 'e'.
        List* members = NIL;
        Relation depend = table_open(DependRelationId, AccessShareLock);
        ScanKeyData key[2];
        ScanKeyInit(&key[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(ExtensionRelationId));
        ScanKeyInit(&key[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(CurrentExtensionObject));
        SysScanDesc scan = systable_beginscan(depend, DependReferenceIndexId, true, nullptr, 2, key);
        for (HeapTuple tuple; HeapTupleIsValid(tuple = systable_getnext(scan));) {
            const auto* row = reinterpret_cast<Form_pg_depend>(GETSTRUCT(tuple));
            if (row->deptype != DEPENDENCY_EXTENSION || row->classid != RelationRelationId) continue;
            const char kind = get_rel_relkind(row->objid);
            if (kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE || kind == RELKIND_SEQUENCE) {
                members = lappend_oid(members, row->objid);
            }
        }
        systable_endscan(scan);
        table_close(depend, AccessShareLock);
        list_sort(members, list_oid_cmp);
        ListCell* cell;
        foreach (cell, members) {
            DirectFunctionCall2(pg_extension_config_dump, ObjectIdGetDatum(lfirst_oid(cell)),
                                CStringGetTextDatum(""));
            CommandCounterIncrement();  // each call rewrites the extension's one pg_extension row
        }
    });
}

std::optional<DropExtension> drop_extension_statement(FunctionCallInfo fcinfo, const char* function) {
    if (!CALLED_AS_EVENT_TRIGGER(fcinfo)) {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        std::string(function) + "() runs only as an event trigger");
    }
    const auto* event = reinterpret_cast<EventTriggerData*>(fcinfo->context);
    if (event->parsetree == nullptr || !IsA(event->parsetree, DropStmt)) return std::nullopt;
    const auto* drop = reinterpret_cast<DropStmt*>(event->parsetree);
    if (drop->removeType != OBJECT_EXTENSION) return std::nullopt;
    DropExtension statement;
    statement.cascade = drop->behavior == DROP_CASCADE;
    ListCell* cell;
    foreach (cell, drop->objects) {
        Node* name = static_cast<Node*>(lfirst(cell));
        if (IsA(name, String)) statement.names.emplace_back(strVal(name));
    }
    return statement;
}

Oid extension_creator(Oid extension) {
    return pg::call([&] { return extension_row(extension).extowner; });
}

Oid schema_owner(Oid nsp) {
    return pg::call([&] {
        if (!OidIsValid(nsp)) return InvalidOid;
        HeapTuple tuple = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));
        if (!HeapTupleIsValid(tuple)) return InvalidOid;
        const Oid owner = reinterpret_cast<Form_pg_namespace>(GETSTRUCT(tuple))->nspowner;
        ReleaseSysCache(tuple);
        return owner;
    });
}

// pg_extension has no syscache to say when it changes, but an extension has
// tables: DROP EXTENSION drops them and CREATE EXTENSION creates new ones,
// and each sends a relcache invalidation, here or (at their commit) in every
// other backend, before any later look-up. So the facts are kept until a
// relcache invalidation or an abort.
void Extension::forget(void* self, Oid relid) {
    auto* ext = static_cast<Extension*>(self);
    ext->cached_.reset();
    if (relid == InvalidOid) {
        ext->member_tables_.clear();
    } else {
        auto& tables = ext->member_tables_;
        tables.erase(std::remove(tables.begin(), tables.end(), relid), tables.end());
    }
}

void Extension::forget_all_on_abort(XactEvent event, void*) {
    if (event != XACT_EVENT_ABORT && event != XACT_EVENT_PARALLEL_ABORT) return;
    for (const Extension* ext : all_extensions()) ext->cached_.reset();
}

void Extension::forget_all_on_subabort(SubXactEvent event, SubTransactionId, SubTransactionId, void*) {
    if (event != SUBXACT_EVENT_ABORT_SUB) return;
    for (const Extension* ext : all_extensions()) ext->cached_.reset();
}

bool Extension::installed() const {
    if (cached_) return true;  // kept facts go with its drop (forget, below)
    const char* name = name_;
    if (!OidIsValid(pg::call([&] { return get_extension_oid(name, true); }))) return false;
    info();  // keeps the facts: the next call reads no catalog
    return true;
}

const Extension::Info& Extension::info() const {
    if (cached_) return *cached_;
    if (!listening_) {
        static bool abort_callbacks = false;
        if (!abort_callbacks) {
            pg::call([] {
                RegisterXactCallback(&Extension::forget_all_on_abort, nullptr);
                RegisterSubXactCallback(&Extension::forget_all_on_subabort, nullptr);
            });
            abort_callbacks = true;
        }
        pg::listen_to_relcache(&Extension::forget, const_cast<Extension*>(this));
        all_extensions().push_back(this);
        listening_ = true;
    }
    Info info;
    const char* name = name_;
    info.extension = pg::call([&] { return get_extension_oid(name, false); });
    info.schema = pg::call([&] { return extension_row(info.extension).extnamespace; });
    if (!OidIsValid(info.schema)) {
        pg::call([&] { elog(ERROR, "extension with OID %u does not exist", info.extension); });
    }
    info.owner = extension_creator(info.extension);
    // Who owns the extension's objects: the owner of the library's private
    // schema, which the script created. Installed by a superuser that is the
    // extension's owner too; installed as a trusted extension by anyone else,
    // the script ran as the bootstrap superuser, who owns what it created,
    // while pg_extension names the installing role.
    const std::string& internal = pg::internal_schema();
    if (!internal.empty()) {
        const char* internal_name = internal.c_str();
        const Oid owner = schema_owner(pg::call([&] { return get_namespace_oid(internal_name, true); }));
        if (OidIsValid(owner)) info.owner = owner;
    }
    cached_ = info;
    return *cached_;
}

Oid Extension::member_table_schema(Relation rel) const {
    const Oid relid = RelationGetRelid(rel);
    if (std::find(member_tables_.begin(), member_tables_.end(), relid) == member_tables_.end()) {
        const Oid ext = oid();
        const Oid owner_ext = pg::call([&] { return getExtensionOfObject(RelationRelationId, relid); });
        if (owner_ext != ext) {
            const std::string table(pg::call([&] {
                return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
                                                  RelationGetRelationName(rel));
            }));
            pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                            fmt::format("{}'s trigger functions serve only {}'s tables, not {}", name_, name_, table),
                            {}, "Attach them only as the extension's own scripts do.");
        }
        member_tables_.push_back(relid);
    }
    return RelationGetNamespace(rel);
}

AsExtensionOwner::AsExtensionOwner(const Extension& extension) {
    const Oid owner = extension.owner();
    GetUserIdAndSecContext(&saved_user_, &saved_context_);
    SetUserIdAndSecContext(owner, saved_context_ | SECURITY_LOCAL_USERID_CHANGE);
}

AsExtensionOwner::~AsExtensionOwner() { SetUserIdAndSecContext(saved_user_, saved_context_); }

}  // namespace pgcpp::platform
