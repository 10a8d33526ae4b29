// Install-time enums, the RLS helper and store invitations.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "callai/common.hpp"
#include "callai/domain/store_defaults.hpp"
#include "core/errors.hpp"
#include "pg/spi.hpp"
#include "platform/caller.hpp"
#include "platform/read_point.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_enum.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
#include "utils/uuid.h"
}

namespace callai {
namespace {

using core::DomainError;
using core::ErrorKind;

std::vector<std::string> text_array(Datum array) {
    std::vector<std::string> out;
    Datum* elems = nullptr;
    bool* nulls = nullptr;
    int n = 0;
    pg::call([&] {
        deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
    });
    for (int i = 0; i < n; ++i) {
        if (nulls[i]) throw DomainError(ErrorKind::NullValue, "enum labels must not be NULL");
        out.push_back(pg::string_from_text(elems[i]));
    }
    return out;
}

pg::Statement enum_labels_of(
    "SELECT t.typtype = 'e', coalesce((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) "
    "FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '{{}}') "
    "FROM pg_catalog.pg_type t WHERE t.typnamespace = $1 AND t.typname = $2",
    {OIDOID, TEXTOID});

}  // namespace
}  // namespace callai

using namespace callai;

// callai_internal.ensure_enum(schema, name, labels): the type exists
// afterwards with at least these labels, in this order for a new type.
PG_CPP_FUNCTION(callai_ensure_enum) {
    const Oid schema = DatumGetObjectId(pg::required_arg(fcinfo, 0, "type_schema"));
    const std::string name = pg::string_from_text(pg::required_arg(fcinfo, 1, "type_name"));
    const std::vector<std::string> labels = text_array(pg::required_arg(fcinfo, 2, "labels"));
    const std::string schema_name =
        pg::call([&] { return static_cast<const char*>(get_namespace_name(schema)); });
    auto q = [](const std::string& s) {
        return std::string(pg::call([&] { return quote_identifier(s.c_str()); }));
    };
    auto lit = [](const std::string& s) {
        return std::string(pg::call([&] { return quote_literal_cstr(s.c_str()); }));
    };
    pg::SpiSession spi;
    Datum args[2] = {ObjectIdGetDatum(schema), pg::text_from_string(name)};
    std::string sql;
    if (enum_labels_of.execute(schema, args, nullptr, true) == 0) {
        sql = "CREATE TYPE " + q(schema_name) + "." + q(name) + " AS ENUM (";
        for (std::size_t i = 0; i < labels.size(); ++i) sql += (i ? ", " : "") + lit(labels[i]);
        sql += ")";
        pg::call([&] { SPI_execute(sql.c_str(), false, 0); });
        return PointerGetDatum(nullptr);
    }
    if (!spi_bool(0, 1).value_or(false)) {
        throw DomainError(ErrorKind::CheckViolation,
                          fmt::format("type {}.{} exists and is not an enum", schema_name, name));
    }
    bool isnull;
    const std::vector<std::string> existing = text_array(pg::spi_value(0, 2, &isnull));
    for (const std::string& label : labels) {
        if (std::find(existing.begin(), existing.end(), label) != existing.end()) continue;
        sql = "ALTER TYPE " + q(schema_name) + "." + q(name) + " ADD VALUE IF NOT EXISTS " + lit(label);
        pg::call([&] { SPI_execute(sql.c_str(), false, 0); });
    }
    return PointerGetDatum(nullptr);
}

namespace {
// All of a user's memberships: every min_role is answered from one read.
pg::Statement member_roles(
    "SELECT store_id, role FROM {app}.store_members WHERE user_id = $1",
    {UUIDOID}, pg::Statement::Plan::Generic);

// The memberships read are kept per user at one read point
// (platform/read_point: a grant or revoke committed anywhere changes the next
// statement's snapshot, so the next statement reads again, and one in the
// caller's own transaction is a new command id); read-only transactions
// between which no writing transaction of the cluster commits share their
// answers.
struct Membership {
    pg::Uuid store;
    Oid role;  // the store_member_role value (a pg_enum row)
};
platform::KeptAtReadPoint<pg::Uuid, std::vector<Membership>, pg::UuidHash> kept_memberships(4096);

const std::vector<Membership>& memberships_of(const pg::Uuid& user, Oid app) {
    if (const std::vector<Membership>* held = kept_memberships.find(app, user)) return *held;
    std::vector<Membership> rows;
    {
        pg::SpiSession spi;
        Datum args[1] = {pg::datum_from_uuid(user)};
        const uint64 n = member_roles.execute(app, args, nullptr, true);
        rows.reserve(n);
        for (uint64 r = 0; r < n; ++r) {
            bool isnull;
            const Datum role = pg::spi_value(r, 2, &isnull);
            rows.push_back({*spi_uuid(r, 1), DatumGetObjectId(role)});
        }
    }
    return kept_memberships.keep(user, std::move(rows));
}

}  // namespace

// callai_internal.member_store_ids(min_role): the stores in which the caller
// (auth.uid()) holds min_role or a stronger one, as an array the policies
// compare store_id with (= ANY, which an index takes). Empty for no caller.
PG_CPP_FUNCTION(callai_member_store_ids) {
    const Oid min_role = DatumGetObjectId(pg::required_arg(fcinfo, 0, "min_role"));
    const std::optional<pg::Uuid> user = platform::current_user_id();
    std::vector<pg::Uuid> stores;
    if (user) {
        const std::vector<Membership>& held = memberships_of(*user, extension.schema());
        // role <= min_role in the enum's order (owner first), as the type's
        // comparison says.
        TypeCacheEntry* type = pg::call([&] {
            HeapTuple label = SearchSysCache1(ENUMOID, ObjectIdGetDatum(min_role));
            if (!HeapTupleIsValid(label)) elog(ERROR, "invalid enum value %u", min_role);
            const Oid enum_type = reinterpret_cast<Form_pg_enum>(GETSTRUCT(label))->enumtypid;
            ReleaseSysCache(label);
            return lookup_type_cache(enum_type, 0);
        });
        for (const Membership& m : held) {
            const int order = pg::call([&] { return compare_values_of_enum(type, m.role, min_role); });
            if (order <= 0) stores.push_back(m.store);
        }
    }
    return pg::uuid_array(stores);
}

namespace {
pg::Statement find_invitation(
    "SELECT id, store_id, role::text, email, expires_at < now(), accepted_at IS NOT NULL "
    "FROM {app}.store_invitations WHERE token = $1 FOR UPDATE",
    {TEXTOID});
pg::Statement already_member(
    "SELECT role::text FROM {app}.store_members WHERE store_id = $1 AND user_id = $2", {UUIDOID, UUIDOID});
pg::Statement add_member(
    "INSERT INTO {app}.store_members (store_id, user_id, role, invited_by) "
    "SELECT store_id, $2, role, invited_by FROM {app}.store_invitations WHERE id = $1",
    {UUIDOID, UUIDOID});
pg::Statement mark_accepted(
    "UPDATE {app}.store_invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1",
    {UUIDOID, UUIDOID});
}  // namespace

// callai_internal.accept_store_invitation(token) (SECURITY DEFINER): the
// caller joins the invitation's store with its role. Refuses: no caller
// (42501), an unknown token (P0002), an expired or used invitation (55000),
// an invitation for another e-mail address (42501), and a caller who already
// belongs to the store (23505). Returns the store's id.
PG_CPP_FUNCTION(callai_accept_store_invitation) {
    const std::string token = pg::string_from_text(pg::required_arg(fcinfo, 0, "token"));
    const std::optional<pg::Uuid> user = platform::current_user_id();
    if (!user) throw DomainError(ErrorKind::NotAuthorized, "accepting an invitation needs a signed-in user");
    const std::optional<std::string> email = platform::jwt_claim("email");
    const Oid app = extension.schema();
    pg::Uuid store{};
    {
        pg::SpiSession spi;
        Datum targ[1] = {pg::text_from_string(token)};
        if (find_invitation.execute(app, targ, nullptr, false, 1) == 0) {
            throw DomainError(ErrorKind::NotFound, "no invitation has this token");
        }
        const pg::Uuid id = *spi_uuid(0, 1);
        store = *spi_uuid(0, 2);
        const std::optional<std::string> invited_email = spi_text(0, 4);
        if (*spi_bool(0, 6)) throw DomainError(ErrorKind::Conflict, "this invitation has already been used");
        if (*spi_bool(0, 5)) throw DomainError(ErrorKind::Conflict, "this invitation has expired");
        if (invited_email) {
            auto lower = [](std::string s) {
                for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                return s;
            };
            if (!email || lower(*email) != lower(*invited_email)) {
                throw DomainError(ErrorKind::NotAuthorized, "this invitation is for another e-mail address");
            }
        }
        Datum margs[2] = {pg::datum_from_uuid(store), pg::datum_from_uuid(*user)};
        if (already_member.execute(app, margs, nullptr, true, 1) > 0) {
            pg::raise_error(ERRCODE_UNIQUE_VIOLATION, "you already belong to this store");
        }
        Datum args[2] = {pg::datum_from_uuid(id), pg::datum_from_uuid(*user)};
        add_member.execute(app, args, nullptr);
        mark_accepted.execute(app, args, nullptr);
    }
    return pg::datum_from_uuid(store);
}
