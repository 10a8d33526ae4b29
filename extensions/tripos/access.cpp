// RLS helpers: which trips the caller may read or edit, and their role on one.
//
// Policies call them as (SELECT tripos_internal.fn()), once per statement.
// They run as the extension owner (SECURITY DEFINER), so reading trips and
// collaborators evaluates no policy (no 42P17 recursion), and always for the
// caller's own auth.uid(). Collaborators count only when tripos_collab is
// installed and their invitation is accepted; editors need can_edit.
#include <algorithm>

#include "core/errors.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "platform/caller.hpp"
extern "C" {
#include "storage/proc.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
}
#include "tripos/domain/collaboration.hpp"
#include "tripos/access.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
namespace domain = tripos::domain;
using namespace tripos;

namespace {

// The caller ($1 below) is platform::current_user_id(), not auth.uid() in
// the statement (platform/caller.hpp says why).
pg::Statement owned_trips("SELECT id FROM {app}.trips WHERE user_id = $1", {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement shared_trips("SELECT trip_id FROM {app}.collaborators WHERE user_id = $1 AND status = 'accepted'",
                           {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement shared_editable_trips(
    "SELECT trip_id FROM {app}.collaborators WHERE user_id = $1 AND status = 'accepted' AND can_edit", {UUIDOID},
    pg::Statement::Plan::Generic);
pg::Statement trip_owner("SELECT user_id = $2 FROM {app}.trips WHERE id = $1", {UUIDOID, UUIDOID},
                         pg::Statement::Plan::Generic);
pg::Statement collaborator_grant(
    "SELECT role, can_edit, can_invite FROM {app}.collaborators "
    "WHERE trip_id = $1 AND user_id = $2 AND status = 'accepted'",
    {UUIDOID, UUIDOID}, pg::Statement::Plan::Generic);

// The caller's id as a statement argument (NULL when nobody signed in: then
// `user_id = $1` matches nothing, as `user_id = auth.uid()` would).
struct CallerArgument {
    Datum value = 0;
    char null = 'n';
    explicit CallerArgument(const std::optional<pg::Uuid>& uid) {
        if (uid) {
            value = pg::datum_from_uuid(*uid);
            null = ' ';
        }
    }
};

void collect_for_caller(pg::Statement& statement, Oid schema, const CallerArgument& caller,
                        std::vector<pg::Uuid>& out) {
    Datum arg[1] = {caller.value};
    const char nulls[2] = {caller.null, '\0'};
    const uint64 rows = statement.execute(schema, arg, nulls, true);
    for (uint64 r = 0; r < rows; ++r) {
        bool is_null = false;
        const Datum value = pg::spi_value(r, 1, &is_null);
        if (!is_null) out.push_back(pg::uuid_from_datum(value));
    }
}

void collect_with(pg::Statement& statement, Oid schema, Datum* args, std::vector<pg::Uuid>& out) {
    const uint64 rows = statement.execute(schema, args, nullptr, true);
    for (uint64 r = 0; r < rows; ++r) {
        bool is_null = false;
        const Datum value = pg::spi_value(r, 1, &is_null);
        if (!is_null) out.push_back(pg::uuid_from_datum(value));
    }
}

enum class Scope { Readable, Editable, Shared, SharedEditable };

// The answer depends only on the caller's claims and on what the statement's
// snapshot shows, so it is kept for the statement: one policy expression can
// call a helper several times (USING, WITH CHECK, the SELECT policy of
// RETURNING), and each call would read trips and collaborators again. Two
// calls see the same rows when they run in one transaction and subtransaction
// (a rolled-back savepoint starts a new one) with equal snapshots: the same
// command id, xmin, xmax and in-progress transactions.
struct StatementKey {
    LocalTransactionId transaction = InvalidLocalTransactionId;
    SubTransactionId subtransaction = InvalidSubTransactionId;
    CommandId command = InvalidCommandId;
    TransactionId xmin = InvalidTransactionId, xmax = InvalidTransactionId;
    std::vector<TransactionId> running;  // xip, then subxip
    bool overflowed = false;
    int scope = 0;
    bool collab = false;
    std::string sub, claims;
    bool operator==(const StatementKey& o) const {
        return transaction == o.transaction && subtransaction == o.subtransaction && command == o.command &&
               xmin == o.xmin && xmax == o.xmax && running == o.running && overflowed == o.overflowed && scope == o.scope && collab == o.collab && sub == o.sub &&
               claims == o.claims;
    }
};

// None of these calls can raise (a missing setting is NULL); the vector's
// allocation throws std::bad_alloc at worst, which the entry guard reports.
std::optional<StatementKey> statement_key(Scope scope) {
    if (!ActiveSnapshotSet()) return std::nullopt;
    const Snapshot snapshot = GetActiveSnapshot();
    if (snapshot->snapshot_type != SNAPSHOT_MVCC || snapshot->takenDuringRecovery) return std::nullopt;
    const char* sub = GetConfigOption("request.jwt.claim.sub", true, false);
    const char* claims = GetConfigOption("request.jwt.claims", true, false);
    StatementKey key;
    key.scope = static_cast<int>(scope);
    key.transaction = MyProc->lxid;
    key.subtransaction = GetCurrentSubTransactionId();
    key.command = snapshot->curcid;
    key.xmin = snapshot->xmin;
    key.xmax = snapshot->xmax;
    key.running.assign(snapshot->xip, snapshot->xip + snapshot->xcnt);
    key.running.push_back(InvalidTransactionId);  // separates xip from subxip
    key.running.insert(key.running.end(), snapshot->subxip, snapshot->subxip + snapshot->subxcnt);
    key.overflowed = snapshot->suboverflowed;
    key.collab = collab_extension().installed();
    key.sub = sub ? sub : "";
    key.claims = claims ? claims : "";
    return key;
}

struct KeptAnswer {
    StatementKey key;
    std::vector<pg::Uuid> ids;
};
std::optional<KeptAnswer> kept[4];  // per scope

Datum trip_ids(Scope scope) {
    const std::optional<StatementKey> key = statement_key(scope);
    std::optional<KeptAnswer>& last = kept[static_cast<int>(scope)];
    if (key && last && last->key == *key) return pg::uuid_array(last->ids);
    std::vector<pg::Uuid> ids;
    {
        const CallerArgument caller(platform::current_user_id());
        pg::SpiSession spi;
        if (scope == Scope::Readable || scope == Scope::Editable) {
            collect_for_caller(owned_trips, core_extension().schema(), caller, ids);
        }
        if (collab_extension().installed()) {
            const Oid collab = collab_extension().schema();
            collect_for_caller(scope == Scope::Readable || scope == Scope::Shared ? shared_trips
                                                                                  : shared_editable_trips,
                               collab, caller, ids);
        }
    }
    if (key) {
        last.reset();
        last = KeptAnswer{*key, ids};
    }
    return pg::uuid_array(ids);
}

}  // namespace

PG_CPP_FUNCTION(tripos_readable_trip_ids) { return trip_ids(Scope::Readable); }
PG_CPP_FUNCTION(tripos_editable_trip_ids) { return trip_ids(Scope::Editable); }
PG_CPP_FUNCTION(tripos_shared_trip_ids) { return trip_ids(Scope::Shared); }
PG_CPP_FUNCTION(tripos_shared_editable_trip_ids) { return trip_ids(Scope::SharedEditable); }

namespace tripos {

// The caller's membership of a trip (owner, accepted collaborator or none).
domain::Membership trip_membership(const pg::Uuid& trip) {
    domain::Membership m;
    const CallerArgument caller(platform::current_user_id());
    pg::SpiSession spi;
    Datum args[2] = {pg::datum_from_uuid(trip), caller.value};
    const char nulls[3] = {' ', caller.null, '\0'};
    if (trip_owner.execute(core_extension().schema(), args, nulls, true, 1) == 1) {
        bool is_null = false;
        const Datum owner = pg::spi_value(0, 1, &is_null);
        if (!is_null && DatumGetBool(owner)) {
            m.role = domain::TripRole::Owner;
            m.can_edit = m.can_invite = true;
            return m;
        }
    } else {
        return m;  // no such trip
    }
    if (!collab_extension().installed()) return m;
    if (collaborator_grant.execute(collab_extension().schema(), args, nulls, true, 1) == 1) {
        bool is_null = false;
        const std::string role = pg::string_from_text(pg::spi_value(0, 1, &is_null));
        m.role = domain::parse_role(role).value_or(domain::TripRole::None);
        if (m.role == domain::TripRole::Owner) m.role = domain::TripRole::Editor;  // never an owner by a row
        m.can_edit = DatumGetBool(pg::spi_value(0, 2, &is_null)) && !is_null;
        m.can_invite = DatumGetBool(pg::spi_value(0, 3, &is_null)) && !is_null;
    }
    return m;
}

}  // namespace tripos

PG_CPP_FUNCTION(tripos_trip_role) {
    if (PG_ARGISNULL(0)) return pg::text_from_string("none");
    const pg::Uuid trip = pg::uuid_from_datum(PG_GETARG_DATUM(0));
    const domain::TripRole role = domain::effective_role(tripos::trip_membership(trip));
    return pg::text_from_string(domain::to_text(role));
}

namespace {
pg::Statement members_of_trip("SELECT user_id FROM {app}.trips WHERE id = $1", {UUIDOID},
                              pg::Statement::Plan::Generic);
pg::Statement accepted_collaborators(
    "SELECT user_id FROM {app}.collaborators WHERE trip_id = $1 AND status = 'accepted'", {UUIDOID},
    pg::Statement::Plan::Generic);
}  // namespace

namespace tripos {

pg::Uuid require_caller() {
    const std::optional<pg::Uuid> uid = platform::current_user_id();
    if (!uid) {
        throw core::DomainError(core::ErrorKind::NotAuthorized, "this needs a signed-in user (auth.uid() is NULL)");
    }
    return *uid;
}

std::vector<pg::Uuid> trip_members(const pg::Uuid& trip) {
    std::vector<pg::Uuid> members;
    pg::SpiSession spi;
    Datum arg[1] = {pg::datum_from_uuid(trip)};
    collect_with(members_of_trip, core_extension().schema(), arg, members);
    if (!members.empty() && collab_extension().installed()) {
        collect_with(accepted_collaborators, collab_extension().schema(), arg, members);
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    return members;
}

void return_row(FunctionCallInfo fcinfo, const Datum* values, const bool* nulls) {
    pg::call([&] {
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        if (rsinfo->setResult == nullptr) InitMaterializedSRF(fcinfo, 0);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, const_cast<Datum*>(values),
                             const_cast<bool*>(nulls));
    });
}

}  // namespace tripos
