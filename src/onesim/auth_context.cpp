// The caller's identity (see auth_context.hpp) and the SQL-callable RLS helpers
// onesim_internal.current_user_id(), current_partner_id(), current_partner_status(),
// is_admin() and is_service().
#include "onesim/auth_context.hpp"

#include <algorithm>

#include "pg/guard.hpp"
#include "pg/index_lookup.hpp"
#include "pg/relcache_events.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

extern "C" {
#include "access/genam.h"
#include "access/skey.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "storage/proc.h"
#include "storage/sinval.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/snapmgr.h"
}

namespace onesim::auth {
namespace {

struct ExtensionInfo {
    Oid extension = InvalidOid;
    Oid schema = InvalidOid;
    Oid owner = InvalidOid;
};

// Where this backend stands for reading: the transaction, the subtransaction,
// the command counter and the invalidation messages it has taken in. Two
// calls at the same point see the same catalogs, so within one statement
// (every RLS helper of a policy, every row of a trigger) the look-ups below
// run once instead of once per call.
struct CatalogPoint {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    SubTransactionId subxact = InvalidSubTransactionId;
    CommandId cid = InvalidCommandId;
    uint64 invalidations = 0;
    bool operator==(const CatalogPoint& o) const {
        return lxid == o.lxid && subxact == o.subxact && cid == o.cid && invalidations == o.invalidations;
    }
};

CatalogPoint catalog_point() {
    return {MyProc->lxid, GetCurrentSubTransactionId(), GetCurrentCommandId(false),
            SharedInvalidMessageCounter};
}

// The same, plus the active snapshot: two reads at equal points see the same
// table rows. A snapshot sees the transactions below its xmax that are not in
// its in-progress lists (xip, subxip), and its own transaction's changes up to
// its command id; whether a transaction had ended when a snapshot was taken
// never changes afterwards, so snapshots equal in xmin, xmax, both lists and
// command id see exactly the same rows, whenever they were taken. (The
// snapshot's completion count, which PostgreSQL's own snapshot reuse compares,
// is zeroed in every copy, and the active snapshot is always one.) Without an
// MVCC snapshot, or with a sub-transaction list that overflowed, there is no
// point, and nothing is remembered.
struct ReadPoint {
    CatalogPoint catalog;
    CommandId snapshot_cid = InvalidCommandId;
    TransactionId xmin = InvalidTransactionId, xmax = InvalidTransactionId;
    std::vector<TransactionId> in_progress;      // xip
    std::vector<TransactionId> sub_in_progress;  // subxip
    bool operator==(const ReadPoint& o) const {
        return catalog == o.catalog && snapshot_cid == o.snapshot_cid && xmin == o.xmin && xmax == o.xmax &&
               in_progress == o.in_progress && sub_in_progress == o.sub_in_progress;
    }
};

std::optional<ReadPoint> read_point() {
    if (!ActiveSnapshotSet()) return std::nullopt;
    const Snapshot snapshot = GetActiveSnapshot();
    if (snapshot->snapshot_type != SNAPSHOT_MVCC || snapshot->suboverflowed || snapshot->takenDuringRecovery) {
        return std::nullopt;
    }
    return ReadPoint{catalog_point(),
                     snapshot->curcid,
                     snapshot->xmin,
                     snapshot->xmax,
                     std::vector<TransactionId>(snapshot->xip, snapshot->xip + snapshot->xcnt),
                     std::vector<TransactionId>(snapshot->subxip, snapshot->subxip + snapshot->subxcnt)};
}

// Per backend, until anything may have changed it. pg_extension has no
// syscache to say when it changes, but the extension has tables: DROP
// EXTENSION drops them and CREATE EXTENSION creates new ones, and each sends
// a relcache invalidation, here or (at their commit) in every other backend,
// before any later look-up of ours. A (sub)transaction that aborts may have
// created what was found: its end forgets too. Found once per transaction
// before, this cost every transaction about 14,000 instructions.
std::optional<ExtensionInfo> cached_extension;

void forget_extension(void*, Oid) { cached_extension.reset(); }

void forget_extension_on_abort(XactEvent event, void*) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT) cached_extension.reset();
}

void forget_extension_on_subabort(SubXactEvent event, SubTransactionId, SubTransactionId, void*) {
    if (event == SUBXACT_EVENT_ABORT_SUB) cached_extension.reset();
}

ExtensionInfo lookup_extension() {
    if (cached_extension) return *cached_extension;
    static bool listening = false;
    if (!listening) {
        pg::listen_to_relcache(forget_extension);
        pg::call([] {
            RegisterXactCallback(forget_extension_on_abort, nullptr);
            RegisterSubXactCallback(forget_extension_on_subabort, nullptr);
        });
        listening = true;
    }
    ExtensionInfo info;
    info.extension = pg::call([] { return get_extension_oid("onesim", false); });
    // PostgreSQL 15 does not export get_extension_schema(): read pg_extension.
    pg::call([&] {
        Relation rel = table_open(ExtensionRelationId, AccessShareLock);
        ScanKeyData key[1];
        ScanKeyInit(&key[0], Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(info.extension));
        SysScanDesc scan = systable_beginscan(rel, ExtensionOidIndexId, true, nullptr, 1, key);
        HeapTuple tuple = systable_getnext(scan);
        if (!HeapTupleIsValid(tuple)) elog(ERROR, "extension with OID %u does not exist", info.extension);
        const auto* form = reinterpret_cast<Form_pg_extension>(GETSTRUCT(tuple));
        info.schema = form->extnamespace;
        info.owner = form->extowner;
        systable_endscan(scan);
        table_close(rel, AccessShareLock);
    });
    // Kept once both reads are done: each scan takes a fresh catalog
    // snapshot after its lock has taken in the pending invalidations, so
    // what they announced is already what was read.
    cached_extension = info;
    return info;
}

// A GUC's value as current_setting(name, true) gives it: nullopt when unset.
std::optional<std::string> setting(const char* name) {
    const char* value = pg::call([&] { return GetConfigOption(name, true, false); });
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

// claims::jsonb ->> key, with jsonb_in's errors (22P02) for malformed claims.
std::optional<std::string> claims_field(const std::string& claims, const char* key) {
    const char* claims_text = claims.c_str();
    text* field = pg::call([&]() -> text* {
        Datum json = DirectFunctionCall1(jsonb_in, CStringGetDatum(claims_text));
        LOCAL_FCINFO(fc, 2);
        InitFunctionCallInfoData(*fc, nullptr, 2, InvalidOid, nullptr, nullptr);
        fc->args[0].value = json;
        fc->args[0].isnull = false;
        fc->args[1].value = CStringGetTextDatum(key);
        fc->args[1].isnull = false;
        Datum result = jsonb_object_field_text(fc);
        if (fc->isnull) return nullptr;
        return DatumGetTextPP(result);
    });
    if (field == nullptr) return std::nullopt;
    return std::string(VARDATA_ANY(field), VARSIZE_ANY_EXHDR(field));
}

// A claim from its two settings: the single request.jwt.claim.<name> if
// non-empty, else request.jwt.claims ->> name.
std::optional<std::string> claim_from(const std::optional<std::string>& single,
                                      const std::optional<std::string>& claims, const char* name) {
    if (single && !single->empty()) return single;
    if (!claims || claims->empty()) return std::nullopt;
    return claims_field(*claims, name);
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

struct CachedUserFacts {
    ReadPoint at;
    Oid app = InvalidOid;
    pg::Uuid user;
    UserFacts facts;
};
std::optional<CachedUserFacts> cached_user_facts;

UserFacts user_facts(Oid app_schema, const pg::Uuid& user) {
    const auto at = read_point();
    if (at && cached_user_facts && cached_user_facts->at == *at && cached_user_facts->app == app_schema &&
        cached_user_facts->user == user) {
        return cached_user_facts->facts;
    }
    UserFacts facts;
    const Datum key = pg::datum_from_uuid(user);
    Datum values[2];
    bool nulls[2];
    if (partner_of_user.find(app_schema, key, values, nulls)) {
        if (!nulls[0]) facts.partner = pg::uuid_from_datum(values[0]);
        if (!nulls[1]) facts.partner_status = pg::string_from_text(values[1]);
    }
    if (profile_by_id.find(app_schema, key, values, nulls)) {
        facts.admin = !nulls[0] && pg::string_from_text(values[0]) == "admin";
    }
    if (at) cached_user_facts = CachedUserFacts{*at, app_schema, user, facts};
    return facts;
}

// The claims settings current_user_id() read last, and what they said.
struct CachedUser {
    std::optional<std::string> claim_sub, claims;
    std::optional<pg::Uuid> user;
};
std::optional<CachedUser> cached_user;

}  // namespace


AsExtensionOwner::AsExtensionOwner() {
    const Oid owner = lookup_extension().owner;
    GetUserIdAndSecContext(&saved_user_, &saved_context_);
    SetUserIdAndSecContext(owner, saved_context_ | SECURITY_LOCAL_USERID_CHANGE);
}

AsExtensionOwner::~AsExtensionOwner() { SetUserIdAndSecContext(saved_user_, saved_context_); }

Oid extension_schema() { return lookup_extension().schema; }

namespace {

// Tables of ours already checked by extension_table_schema(). A table leaves
// the list when its relcache entry is invalidated (dropped, altered), so a
// dropped table's OID is never trusted again; per row, a check is a short
// scan of this list instead of catalog look-ups.
std::vector<Oid> g_member_tables;

void forget_member_table(void*, Oid relid) {
    if (relid == InvalidOid) {
        g_member_tables.clear();
    } else {
        g_member_tables.erase(std::remove(g_member_tables.begin(), g_member_tables.end(), relid),
                              g_member_tables.end());
    }
}

}  // namespace

Oid extension_table_schema(Relation rel) {
    const Oid relid = RelationGetRelid(rel);
    if (std::find(g_member_tables.begin(), g_member_tables.end(), relid) == g_member_tables.end()) {
        const Oid ext = lookup_extension().extension;
        const Oid owner_ext = pg::call([&] { return getExtensionOfObject(RelationRelationId, relid); });
        if (owner_ext != ext) {
            const std::string table(pg::call([&] {
                return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
                                                  RelationGetRelationName(rel));
            }));
            pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                            fmt::format("onesim's trigger functions serve only onesim's tables, not {}", table),
                            {}, "Attach them only as the extension's own scripts do.");
        }
        pg::listen_to_relcache(forget_member_table);
        g_member_tables.push_back(relid);
    }
    return RelationGetNamespace(rel);
}

std::optional<std::string> jwt_claim(const char* name) {
    const std::string single_name = fmt::format("request.jwt.claim.{}", name);
    return claim_from(setting(single_name.c_str()), setting("request.jwt.claims"), name);
}

std::optional<pg::Uuid> current_user_id() {
    // A pure function of two settings: parse the claims again only when they change.
    auto claim_sub = setting("request.jwt.claim.sub");
    auto claims = setting("request.jwt.claims");
    if (cached_user && cached_user->claim_sub == claim_sub && cached_user->claims == claims) {
        return cached_user->user;
    }
    const auto sub = claim_from(claim_sub, claims, "sub");
    std::optional<pg::Uuid> user;
    if (sub) {
        const char* sub_text = sub->c_str();
        // The text -> uuid cast: uuid_in, with its 22P02 for anything malformed.
        const Datum uuid = pg::call([&] { return DirectFunctionCall1(uuid_in, CStringGetDatum(sub_text)); });
        user = pg::uuid_from_datum(uuid);
    }
    cached_user = CachedUser{std::move(claim_sub), std::move(claims), user};
    return user;
}

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

bool is_admin(Oid app_schema) {
    const auto user = current_user_id();
    if (!user) return false;
    return user_facts(app_schema, *user).admin;
}

bool session_bypasses_rls() {
    return pg::call([] {
        const Oid role = GetOuterUserId();
        return superuser_arg(role) || has_bypassrls_privilege(role);
    });
}

bool is_service() {
    const Oid role = GetUserId();
    const bool privileged =
        pg::call([&] { return superuser_arg(role) || has_bypassrls_privilege(role); });
    if (privileged) return true;
    // A service_role JWT makes PostgREST switch to service_role (caught above).
    // The claim alone never lifts an API role: anon or authenticated with forged
    // claims stay what they are.
    const auto claimed = jwt_claim("role");
    if (!claimed || *claimed != "service_role") return false;
    return pg::call([&] {
        const Oid service = get_role_oid("service_role", true);
        return OidIsValid(service) && has_privs_of_role(role, service);
    });
}

}  // namespace onesim::auth

namespace auth = onesim::auth;
namespace pg = onesim::pg;

// onesim_internal.current_user_id() -> uuid: auth.uid(), exactly.
ONESIM_FUNCTION(onesim_current_user_id) {
    const auto user = auth::current_user_id();
    if (!user) PG_RETURN_NULL();
    return pg::datum_from_uuid(*user);
}

// onesim_internal.current_partner_id() -> uuid: the caller's partners.id, or NULL.
ONESIM_FUNCTION(onesim_current_partner_id) {
    const auto partner = auth::current_partner_id(auth::extension_schema());
    if (!partner) PG_RETURN_NULL();
    return pg::datum_from_uuid(*partner);
}

// onesim_internal.current_partner_status() -> text: the caller's partner status, or NULL.
ONESIM_FUNCTION(onesim_current_partner_status) {
    const auto status = auth::current_partner_status(auth::extension_schema());
    if (!status) PG_RETURN_NULL();
    return pg::text_from_string(*status);
}

// onesim_internal.is_admin() -> boolean
ONESIM_FUNCTION(onesim_is_admin) { return BoolGetDatum(auth::is_admin(auth::extension_schema())); }

// onesim_internal.admin_visible_since() / admin_visible_until() -> timestamptz
// For an admin [-infinity, infinity]; for anyone else the empty [infinity,
// -infinity]. Policies use them as the admin arm
//   "OR created_at BETWEEN (SELECT admin_visible_since()) AND (SELECT admin_visible_until())":
// an arm an index on created_at answers, so the planner can combine every arm
// of the policy in a BitmapOr of index scans (a bare "OR (SELECT is_admin())"
// has no index and forces a scan of the whole table for every caller), and a
// range between two unknown values is estimated as narrow, so that plan is
// chosen at any table size.
ONESIM_FUNCTION(onesim_admin_visible_since) {
    const bool admin = auth::is_admin(auth::extension_schema());
    return TimestampTzGetDatum(admin ? DT_NOBEGIN : DT_NOEND);
}

ONESIM_FUNCTION(onesim_admin_visible_until) {
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

ONESIM_FUNCTION(onesim_admin_visible_id_min) {
    const bool admin = auth::is_admin(auth::extension_schema());
    return pg::datum_from_uuid(uuid_filled_with(admin ? 0x00 : 0xff));
}

ONESIM_FUNCTION(onesim_admin_visible_id_max) {
    const bool admin = auth::is_admin(auth::extension_schema());
    return pg::datum_from_uuid(uuid_filled_with(admin ? 0xff : 0x00));
}

// onesim_internal.is_service() -> boolean
ONESIM_FUNCTION(onesim_is_service) { return BoolGetDatum(auth::is_service()); }
