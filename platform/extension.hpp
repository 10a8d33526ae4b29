// The identity of one of our extensions in this database: its OID, the schema
// it was created in (the {app} of its statements) and its owner, found by name
// and kept per backend until anything may have changed them.
//
// A library declares one Extension per extension it serves (Trip OS: one per
// stage), as a static object:
//   const pgcpp::platform::Extension onesim_extension("onesim");
// Every call may raise (through pg::call): callers may hold C++ objects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/postgres.hpp"

namespace pgcpp::platform {

class Extension {
public:
    explicit Extension(const char* name) : name_(name) {}
    Extension(const Extension&) = delete;
    Extension& operator=(const Extension&) = delete;

    const char* name() const { return name_; }
    Oid oid() const { return info().extension; }
    // The schema it was created in: @extschema@ of its scripts.
    Oid schema() const { return info().schema; }
    // The owner of its objects (the owner of the library's internal schema,
    // else the extension's owner).
    Oid owner() const { return info().owner; }
    // Whether it is installed in this database (no error when it is not).
    // Once it is, the answer comes from the kept facts until they are
    // forgotten (an extension with tables only: their drop says it went).
    bool installed() const;

    // The schema of a table of this extension, for a trigger fired on it.
    // Raises 39P01 when the table is not a member: SECURITY DEFINER trigger
    // functions that run as the owner and write through {app} must not run
    // on anyone else's table of the same name (a caller's temporary one).
    Oid member_table_schema(Relation rel) const;

private:
    struct Info {
        Oid extension = InvalidOid;
        Oid schema = InvalidOid;
        Oid owner = InvalidOid;
    };
    const Info& info() const;
    static void forget(void* self, Oid relid);
    static void forget_all_on_abort(XactEvent event, void*);
    static void forget_all_on_subabort(SubXactEvent event, SubTransactionId, SubTransactionId, void*);

    const char* name_;
    mutable std::optional<Info> cached_;
    mutable std::vector<Oid> member_tables_;
    mutable bool listening_ = false;
};

// Marks every table and sequence of the extension being created (or updated)
// for pg_dump (pg_extension_config_dump(member, '')): an extension's tables
// are otherwise left out of a dump, while a system's rows, its internal ones
// included, are its users' data. Call from the install script, and from
// every update script (tables an update adds are marked too). Raises
// outside CREATE or ALTER EXTENSION.
void dump_every_member_table();

// The statement an event trigger on ddl_command_start fires for, when it is
// DROP EXTENSION: the names it gives and whether it cascades; nullopt for any
// other statement. Raises 39P01 when `fcinfo` is not an event trigger call
// (`function` names the trigger function in the message).
struct DropExtension {
    std::vector<std::string> names;
    bool cascade = false;
};
std::optional<DropExtension> drop_extension_statement(FunctionCallInfo fcinfo, const char* function);

// pg_extension.extowner of `extension` (the role that created it), and the
// owner of schema `nsp`: InvalidOid when there is no such extension or schema.
Oid extension_creator(Oid extension);
Oid schema_owner(Oid nsp);

// Runs the enclosed code as the extension's owner (who owns its tables, so RLS
// does not apply and no policy recurses), as SECURITY DEFINER would. The
// transaction abort also restores the user, should an error escape.
class AsExtensionOwner {
public:
    explicit AsExtensionOwner(const Extension& extension);
    ~AsExtensionOwner();
    AsExtensionOwner(const AsExtensionOwner&) = delete;
    AsExtensionOwner& operator=(const AsExtensionOwner&) = delete;

private:
    Oid saved_user_ = InvalidOid;
    int saved_context_ = 0;
};

}  // namespace pgcpp::platform
