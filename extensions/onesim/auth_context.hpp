// Who is calling: the identity RLS policies, triggers and API functions decide on.
//
// The same answers as the SQL helpers in onesim_internal (sql/onesim/15_auth_helpers.sql),
// for C++ code that needs them directly:
//
//   current_user_id()        exactly auth.uid(): request.jwt.claim.sub if non-empty,
//                            else request.jwt.claims ->> 'sub', cast to uuid
//                            (malformed claims or sub: 22P02, as auth.uid() raises)
//   current_partner_id(app)  partners.id of the current user, if any
//   current_partner_status(app)  that partner's status, if any
//   is_admin(app)            profiles.user_type = 'admin' for the current user
//   is_service()             the session's current role is a superuser or has
//                            BYPASSRLS (service_role, migrations, jobs), or the JWT
//                            role claim is 'service_role' and the current role acts
//                            with service_role's privileges
//
// `app` is the extension's schema (extension_schema()). The table look-ups run
// as the extension's owner, so they neither depend on the caller's privileges
// nor recurse into RLS policies. One look-up answers partner, status and
// admin, and its answer is reused at the same read point (platform/read_point:
// every helper call of one statement's policies, every row of a trigger, and
// the next read-only transaction while nothing has committed in between);
// test/isolation/specs/caller_identity.spec holds that to what a fresh
// look-up would say. Each function may raise; all Postgres errors
// go through pg::call, so callers may hold C++ objects.
#pragma once

#include "onesim/layers.hpp"
#include <optional>
#include <string>

#include "pg/datum.hpp"
#include "pg/postgres.hpp"
#include "platform/caller.hpp"
#include "platform/extension.hpp"

namespace onesim::auth {

// The schema the onesim extension was created in (kept per backend until a
// relcache invalidation or an abort, so a dropped and re-created extension is
// found again; see platform/extension.hpp).
Oid extension_schema();

// The schema of a table of the onesim extension, for a trigger fired on it:
// the {app} of the trigger's SQL. Raises 39P01 when the table is not a member
// of the extension: our SECURITY DEFINER trigger functions run as the owner
// and write through {app}, so on anyone else's table (a caller's temporary
// "orders" or "partners", whose own triggers would then run as the owner)
// they must not run at all.
Oid extension_table_schema(Relation rel);

// Runs the enclosed code as the onesim extension's owner (who owns the tables,
// so RLS does not apply and no policy recurses), like SECURITY DEFINER would.
class AsExtensionOwner : public platform::AsExtensionOwner {
public:
    AsExtensionOwner();
};

// The caller as Supabase's API says it (platform/caller.hpp).
using platform::current_user_id;
using platform::is_service;
using platform::jwt_claim;
using platform::session_bypasses_rls;

std::optional<pg::Uuid> current_partner_id(Oid app_schema);
std::optional<std::string> current_partner_status(Oid app_schema);
bool is_admin(Oid app_schema);

// Whether a new order of this caller is priced from the catalog by the
// orders trigger (a client's order: an API role acting for itself, not an
// admin), whatever price the INSERT gives; the service, migrations, jobs and
// admins record the price they give. The API leaves a client's order to the
// trigger, so that the package is read once.
bool order_priced_from_catalog(Oid app_schema);

}  // namespace onesim::auth
