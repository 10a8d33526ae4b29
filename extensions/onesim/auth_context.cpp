// The caller's identity (see auth_context.hpp) and the SQL-callable RLS helpers
// onesim_internal.current_user_id(), current_partner_id(), current_partner_status(),
// is_admin() and is_service().
#include "onesim/layers.hpp"
#include "onesim/auth_context.hpp"
#include "onesim/column_types.hpp"

#include <algorithm>

#include "pg/guard.hpp"
#include "pg/index_lookup.hpp"
#include "platform/extension.hpp"
#include "platform/read_point.hpp"

namespace onesim::auth {
namespace {

// The onesim extension of this database: its schema and owner, kept per backend.
const pgcpp::platform::Extension& onesim_extension() {
    static const pgcpp::platform::Extension extension("onesim");
    return extension;
}

// What the database says about a user: their partner (id, status) and
// whether they are an admin, whatever the caller may read; remembered for the
// read point it was found at.
struct UserFacts {
    std::optional<pg::Uuid> partner;
    std::optional<std::string> partner_status;
    bool admin = false;
};

// Both by key (partners.user_id is UNIQUE, profiles.id the primary key),
// read straight from their indexes: this runs for every statement a policy
// guards, and an SPI query spent three times as long setting up its executor.
pg::IndexLookup partner_of_user("partners", "user_id", {"id", "status"});
pg::IndexLookup profile_by_id("profiles", "id", {"user_type"});

// Kept per user: a backend serving an API's pooled connections answers
// many callers in turn.
pgcpp::platform::KeptAtReadPoint<pg::Uuid, UserFacts, pg::UuidHash> kept_user_facts(4096);

UserFacts user_facts(Oid app_schema, const pg::Uuid& user) {
    if (const UserFacts* kept = kept_user_facts.find(app_schema, user)) return *kept;
    UserFacts facts;
    const Datum key = pg::datum_from_uuid(user);
    Datum values[2];
    bool nulls[2];
    // partners.status and profiles.user_type: enums from 1.2 on, VARCHAR before.
    if (partner_of_user.find(app_schema, key, values, nulls)) {
        if (!nulls[0]) facts.partner = pg::uuid_from_datum(values[0]);
        if (!nulls[1]) {
            facts.partner_status =
                pg::string_from_datum(values[1], columns::type_of(app_schema, "partners", "status"));
        }
    }
    if (profile_by_id.find(app_schema, key, values, nulls)) {
        facts.admin = !nulls[0] && pg::string_from_datum(values[0], columns::type_of(app_schema, "profiles",
                                                                                      "user_type")) == "admin";
    }
    return kept_user_facts.keep(user, std::move(facts));
}

}  // namespace

AsExtensionOwner::AsExtensionOwner() : platform::AsExtensionOwner(onesim_extension()) {}

Oid extension_schema() { return onesim_extension().schema(); }

Oid extension_table_schema(Relation rel) { return onesim_extension().member_table_schema(rel); }

std::optional<pg::Uuid> current_partner_id(Oid app_schema) {
    const auto user = current_user_id();
    if (!user) return std::nullopt;
    return user_facts(app_schema, *user).partner;
}

std::optional<std::string> current_partner_status(Oid app_schema) {
    const auto user = current_user_id();
    if (!user) return std::nullopt;
    return user_facts(app_schema, *user).partner_status;
}

bool order_priced_from_catalog(Oid app_schema) {
    return !session_bypasses_rls() && !is_admin(app_schema);
}

bool is_admin(Oid app_schema) {
    const auto user = current_user_id();
    if (!user) return false;
    return user_facts(app_schema, *user).admin;
}

}  // namespace onesim::auth

namespace auth = onesim::auth;
namespace pg = pgcpp::pg;

// onesim_internal.current_user_id() -> uuid: auth.uid(), exactly.
PG_CPP_FUNCTION(onesim_current_user_id) {
    const auto user = auth::current_user_id();
    if (!user) PG_RETURN_NULL();
    return pg::datum_from_uuid(*user);
}

// onesim_internal.current_partner_id() -> uuid: the caller's partners.id, or NULL.
PG_CPP_FUNCTION(onesim_current_partner_id) {
    const auto partner = auth::current_partner_id(auth::extension_schema());
    if (!partner) PG_RETURN_NULL();
    return pg::datum_from_uuid(*partner);
}

// onesim_internal.current_partner_status() -> text: the caller's partner status, or NULL.
PG_CPP_FUNCTION(onesim_current_partner_status) {
    const auto status = auth::current_partner_status(auth::extension_schema());
    if (!status) PG_RETURN_NULL();
    return pg::text_from_string(*status);
}

// onesim_internal.is_admin() -> boolean
PG_CPP_FUNCTION(onesim_is_admin) { return BoolGetDatum(auth::is_admin(auth::extension_schema())); }

// onesim_internal.admin_visible_since() / admin_visible_until() -> timestamptz
// For an admin [-infinity, infinity]; for anyone else the empty [infinity,
// -infinity]. Policies use them as the admin arm
//   "OR created_at BETWEEN (SELECT admin_visible_since()) AND (SELECT admin_visible_until())":
// an arm an index on created_at answers, so the planner can combine every arm
// of the policy in a BitmapOr of index scans (a bare "OR (SELECT is_admin())"
// has no index and forces a scan of the whole table for every caller), and a
// range between two unknown values is estimated as narrow, so that plan is
// chosen at any table size.
PG_CPP_FUNCTION(onesim_admin_visible_since) {
    const bool admin = auth::is_admin(auth::extension_schema());
    return TimestampTzGetDatum(admin ? DT_NOBEGIN : DT_NOEND);
}

PG_CPP_FUNCTION(onesim_admin_visible_until) {
    const bool admin = auth::is_admin(auth::extension_schema());
    return TimestampTzGetDatum(admin ? DT_NOEND : DT_NOBEGIN);
}

// onesim_internal.admin_visible_id_min() / admin_visible_id_max() -> uuid
// The same for the tables whose only index every row has is their uuid
// primary key: "OR id BETWEEN (SELECT admin_visible_id_min()) AND
// (SELECT admin_visible_id_max())" covers every id for an admin, none
// (an empty range) for anyone else.
namespace {
pg::Uuid uuid_filled_with(unsigned char byte) {
    pg::Uuid id;
    id.fill(byte);
    return id;
}
}  // namespace

PG_CPP_FUNCTION(onesim_admin_visible_id_min) {
    const bool admin = auth::is_admin(auth::extension_schema());
    return pg::datum_from_uuid(uuid_filled_with(admin ? 0x00 : 0xff));
}

PG_CPP_FUNCTION(onesim_admin_visible_id_max) {
    const bool admin = auth::is_admin(auth::extension_schema());
    return pg::datum_from_uuid(uuid_filled_with(admin ? 0xff : 0x00));
}

// onesim_internal.is_service() -> boolean
PG_CPP_FUNCTION(onesim_is_service) { return BoolGetDatum(auth::is_service()); }
