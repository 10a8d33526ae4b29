// Collaboration: invitations by token, answering them, revoking them,
// changing and removing collaborators. SECURITY DEFINER steps: every one
// acts for auth.uid() only and checks the caller's standing on the trip
// first (domain/collaboration). Collaborator rows are written here and
// nowhere else: an invitee can never raise their own role or permissions.
#include <algorithm>
#include <cctype>

#include "core/errors.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "tripos/access.hpp"
#include "tripos/api/limits.hpp"
#include "tripos/domain/collaboration.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
namespace domain = tripos::domain;
using namespace tripos;

namespace {

pg::Statement user_by_email("SELECT id FROM auth.users WHERE lower(email) = $1 ORDER BY id LIMIT 1", {TEXTOID},
                            pg::Statement::Plan::Generic);
pg::Statement email_of_user("SELECT lower(email) FROM auth.users WHERE id = $1", {UUIDOID},
                            pg::Statement::Plan::Generic);
pg::Statement trip_owner_of("SELECT user_id FROM {app}.trips WHERE id = $1 FOR NO KEY UPDATE", {UUIDOID},
                            pg::Statement::Plan::Generic);
pg::Statement collaborator_status("SELECT status FROM {app}.collaborators WHERE trip_id = $1 AND user_id = $2",
                                  {UUIDOID, UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement new_token(
    "SELECT t, sha256(convert_to(t, 'UTF8')) FROM "
    "(SELECT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '') AS t) AS s",
    {});
pg::Statement insert_invitation(
    "INSERT INTO {app}.trip_invitations (trip_id, email, role, can_edit, can_invite, token_hash, invited_by, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8) RETURNING id",
    {UUIDOID, TEXTOID, TEXTOID, BOOLOID, BOOLOID, BYTEAOID, UUIDOID, INTERVALOID});
pg::Statement upsert_pending(
    "INSERT INTO {app}.collaborators AS c (trip_id, user_id, invited_by, role, can_edit, can_invite, status) "
    "VALUES ($1, $2, $3, $4, $5, $6, 'pending') "
    "ON CONFLICT (trip_id, user_id) DO UPDATE SET status = 'pending', invited_by = EXCLUDED.invited_by, "
    "role = EXCLUDED.role, can_edit = EXCLUDED.can_edit, can_invite = EXCLUDED.can_invite "
    "WHERE c.status <> 'accepted'",
    {UUIDOID, UUIDOID, UUIDOID, TEXTOID, BOOLOID, BOOLOID});
pg::Statement invitation_by_token(
    "SELECT id, trip_id, email, role, can_edit, can_invite, invited_by, "
    "extract(epoch FROM expires_at - now()) > 0, accepted_at IS NOT NULL OR declined_at IS NOT NULL, "
    "revoked_at IS NOT NULL "
    "FROM {app}.trip_invitations WHERE token_hash = sha256(convert_to($1, 'UTF8')) FOR UPDATE",
    {TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement accept_collaborator(
    "INSERT INTO {app}.collaborators AS c (trip_id, user_id, invited_by, role, can_edit, can_invite, status, accepted_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, 'accepted', now()) "
    "ON CONFLICT (trip_id, user_id) DO UPDATE SET status = 'accepted', accepted_at = now(), "
    "invited_by = EXCLUDED.invited_by, role = EXCLUDED.role, can_edit = EXCLUDED.can_edit, "
    "can_invite = EXCLUDED.can_invite RETURNING *",
    {UUIDOID, UUIDOID, UUIDOID, TEXTOID, BOOLOID, BOOLOID});
pg::Statement mark_accepted("UPDATE {app}.trip_invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1",
                            {UUIDOID, UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement mark_declined("UPDATE {app}.trip_invitations SET declined_at = now() WHERE id = $1", {UUIDOID},
                            pg::Statement::Plan::Generic);
pg::Statement decline_collaborator(
    "UPDATE {app}.collaborators SET status = 'declined' WHERE trip_id = $1 AND user_id = $2 AND status = 'pending'",
    {UUIDOID, UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement invitation_by_id(
    "SELECT trip_id, invited_by, email, accepted_at IS NOT NULL OR declined_at IS NOT NULL OR revoked_at IS NOT NULL "
    "FROM {app}.trip_invitations WHERE id = $1 FOR UPDATE",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement mark_revoked("UPDATE {app}.trip_invitations SET revoked_at = now() WHERE id = $1", {UUIDOID},
                           pg::Statement::Plan::Generic);
pg::Statement withdraw_pending(
    "UPDATE {app}.collaborators c SET status = 'removed' FROM auth.users u "
    "WHERE c.trip_id = $1 AND c.user_id = u.id AND lower(u.email) = $2 AND c.status = 'pending'",
    {UUIDOID, TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement remove_member(
    "UPDATE {app}.collaborators SET status = 'removed' "
    "WHERE trip_id = $1 AND user_id = $2 AND status IN ('accepted', 'pending')",
    {UUIDOID, UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement set_role(
    "UPDATE {app}.collaborators SET role = $3, can_edit = ($3 = 'editor'), can_invite = coalesce($4, can_invite) "
    "WHERE trip_id = $1 AND user_id = $2 AND status = 'accepted'",
    {UUIDOID, UUIDOID, TEXTOID, BOOLOID}, pg::Statement::Plan::Generic);

std::optional<pg::Uuid> optional_uuid(uint64 row, int column) {
    bool is_null = false;
    const Datum value = pg::spi_value(row, column, &is_null);
    if (is_null) return std::nullopt;
    return pg::uuid_from_datum(value);
}

std::string text_at(uint64 row, int column) {
    bool is_null = false;
    const Datum value = pg::spi_value(row, column, &is_null);
    return is_null ? std::string() : pg::string_from_text(value);
}

bool bool_at(uint64 row, int column) {
    bool is_null = false;
    const Datum value = pg::spi_value(row, column, &is_null);
    return !is_null && DatumGetBool(value);
}

// The trip's owner, with the trip's row locked (membership changes of one
// trip apply one at a time: the plan limit counts stay exact).
std::optional<pg::Uuid> lock_trip_owner(const pg::Uuid& trip) {
    Datum arg[1] = {pg::datum_from_uuid(trip)};
    if (trip_owner_of.execute(core_extension().schema(), arg, nullptr, false, 1) != 1) return std::nullopt;
    return optional_uuid(0, 1);
}

std::string normalized_email(std::string email) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    email.erase(email.begin(), std::find_if(email.begin(), email.end(), not_space));
    email.erase(std::find_if(email.rbegin(), email.rend(), not_space).base(), email.end());
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == email.size()) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "'" + email + "' is not an email address");
    }
    return email;
}

}  // namespace

// tripos_internal.invite_collaborator(trip_id, email, role, can_invite, expires_in)
PG_CPP_FUNCTION(tripos_invite_collaborator) {
    const pg::Uuid caller = require_caller();
    const pg::Uuid trip = pg::uuid_from_datum(pg::required_arg(fcinfo, 0, "trip_id"));
    const std::string email = normalized_email(pg::string_from_text(pg::required_arg(fcinfo, 1, "email")));
    const std::string role_text = pg::string_from_text(pg::required_arg(fcinfo, 2, "role"));
    const bool can_invite = DatumGetBool(pg::required_arg(fcinfo, 3, "can_invite"));
    const Datum expires_in = pg::required_arg(fcinfo, 4, "expires_in");
    const auto role = domain::parse_role(role_text);
    if (!role) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a role is viewer or editor, not '" + role_text + "'");
    }
    const domain::InviteRequest granted =
        domain::check_invitation(trip_membership(trip), {*role, false, can_invite});
    const bool sane_expiry = pg::call([&] {
        const Interval* i = DatumGetIntervalP(expires_in);
        const double seconds = i->time / 1e6 + (i->day + i->month * 30.0) * 86400.0;
        return seconds > 0 && seconds <= 90 * 86400.0;
    });
    if (!sane_expiry) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "an invitation expires within 90 days");
    }

    const Oid app = core_extension().schema();
    pg::SpiSession spi;
    const std::optional<pg::Uuid> owner = lock_trip_owner(trip);
    std::optional<pg::Uuid> invitee;
    {
        Datum arg[1] = {pg::text_from_string(email)};
        if (user_by_email.execute(app, arg, nullptr, false, 1) == 1) invitee = optional_uuid(0, 1);
    }
    if (invitee && invitee == owner) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "the trip's owner cannot be invited to it");
    }
    if (invitee) {
        Datum args[2] = {pg::datum_from_uuid(trip), pg::datum_from_uuid(*invitee)};
        if (collaborator_status.execute(app, args, nullptr, false, 1) == 1 && text_at(0, 1) == "accepted") {
            throw core::DomainError(core::ErrorKind::Conflict, email + " already collaborates on this trip",
                                    {}, "Change their role with change_collaborator_role().");
        }
    }
    new_token.execute(app, nullptr, nullptr, true, 1);
    const std::string token = text_at(0, 1);
    bool is_null = false;
    const Datum token_hash = pg::call([&] { return SPI_datumTransfer(pg::spi_value(0, 2, &is_null), false, -1); });
    const std::string role_name(domain::to_text(granted.role));
    Datum args[8] = {pg::datum_from_uuid(trip),        pg::text_from_string(email),
                     pg::text_from_string(role_name),  BoolGetDatum(granted.can_edit),
                     BoolGetDatum(granted.can_invite), token_hash,
                     pg::datum_from_uuid(caller),      expires_in};
    insert_invitation.execute(app, args, nullptr);
    const pg::Uuid invitation = *optional_uuid(0, 1);
    if (invitee) {
        Datum pending[6] = {pg::datum_from_uuid(trip),        pg::datum_from_uuid(*invitee),
                            pg::datum_from_uuid(caller),      pg::text_from_string(role_name),
                            BoolGetDatum(granted.can_edit), BoolGetDatum(granted.can_invite)};
        upsert_pending.execute(app, pending, nullptr);
    }
    Datum values[2] = {pg::datum_from_uuid(invitation), pg::text_from_string(token)};
    bool nulls[2] = {false, false};
    return_row(fcinfo, values, nulls);
    return Datum(0);
}

// tripos_internal.answer_invitation(token, accept): the collaborator row when
// accepted, NULL when declined.
PG_CPP_FUNCTION(tripos_answer_invitation) {
    const pg::Uuid caller = require_caller();
    const std::string token = pg::string_from_text(pg::required_arg(fcinfo, 0, "token"));
    const bool accept = DatumGetBool(pg::required_arg(fcinfo, 1, "accept"));
    const Oid app = core_extension().schema();
    pg::SpiSession spi;
    Datum arg[1] = {pg::text_from_string(token)};
    if (invitation_by_token.execute(app, arg, nullptr, false, 1) != 1) {
        throw core::DomainError(core::ErrorKind::NotFound, "no invitation has this token");
    }
    const pg::Uuid invitation = *optional_uuid(0, 1);
    const pg::Uuid trip = *optional_uuid(0, 2);
    const std::string email = text_at(0, 3);
    const std::string role = text_at(0, 4);
    const bool can_edit = bool_at(0, 5);
    const bool can_invite = bool_at(0, 6);
    const std::optional<pg::Uuid> invited_by = optional_uuid(0, 7);
    const bool open_in_time = bool_at(0, 8);
    const bool answered = bool_at(0, 9);
    const bool revoked = bool_at(0, 10);
    // The clock itself is the database's: expiry was decided in the query.
    const auto state = domain::invitation_state(open_in_time ? 0 : 1, 1, answered, revoked);
    if (state == domain::InvitationState::Accepted) {
        throw core::DomainError(core::ErrorKind::Conflict, "this invitation has already been answered");
    }
    if (state == domain::InvitationState::Revoked) {
        throw core::DomainError(core::ErrorKind::Conflict, "this invitation was revoked");
    }
    if (state == domain::InvitationState::Expired) {
        throw core::DomainError(core::ErrorKind::Conflict, "this invitation has expired",
                                {}, "Ask for a new invitation.");
    }
    {
        Datum who[1] = {pg::datum_from_uuid(caller)};
        if (email_of_user.execute(app, who, nullptr, false, 1) != 1 || text_at(0, 1) != email) {
            throw core::DomainError(core::ErrorKind::NotAuthorized,
                                    "this invitation is addressed to another email address");
        }
    }
    const std::optional<pg::Uuid> owner = lock_trip_owner(trip);
    if (!owner) throw core::DomainError(core::ErrorKind::NotFound, "the trip of this invitation no longer exists");
    if (*owner == caller) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "the trip's owner cannot join it as a collaborator");
    }
    if (!accept) {
        Datum id[1] = {pg::datum_from_uuid(invitation)};
        mark_declined.execute(app, id, nullptr);
        Datum pair[2] = {pg::datum_from_uuid(trip), pg::datum_from_uuid(caller)};
        decline_collaborator.execute(app, pair, nullptr);
        PG_RETURN_NULL();
    }
    check_collaborator_limit(*owner, trip, caller);
    Datum row[6] = {pg::datum_from_uuid(trip),
                    pg::datum_from_uuid(caller),
                    invited_by ? pg::datum_from_uuid(*invited_by) : Datum(0),
                    pg::text_from_string(role),
                    BoolGetDatum(can_edit),
                    BoolGetDatum(can_invite)};
    const char nulls[7] = {' ', ' ', invited_by ? ' ' : 'n', ' ', ' ', ' ', '\0'};
    accept_collaborator.execute(app, row, nulls);
    // The row, copied out of SPI's memory before the next statement.
    const Datum collaborator = pg::call([] { return PointerGetDatum(SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc)); });
    Datum mark[2] = {pg::datum_from_uuid(invitation), pg::datum_from_uuid(caller)};
    mark_accepted.execute(app, mark, nullptr);
    return collaborator;
}

// tripos_internal.revoke_invitation(invitation_id): the trip's owner, or the
// collaborator who sent it while they may still invite.
PG_CPP_FUNCTION(tripos_revoke_invitation) {
    const pg::Uuid caller = require_caller();
    const pg::Uuid invitation = pg::uuid_from_datum(pg::required_arg(fcinfo, 0, "invitation_id"));
    const Oid app = core_extension().schema();
    pg::SpiSession spi;
    Datum arg[1] = {pg::datum_from_uuid(invitation)};
    if (invitation_by_id.execute(app, arg, nullptr, false, 1) != 1) {
        throw core::DomainError(core::ErrorKind::NotFound, "no such invitation");
    }
    const pg::Uuid trip = *optional_uuid(0, 1);
    const std::optional<pg::Uuid> inviter = optional_uuid(0, 2);
    const std::string email = text_at(0, 3);
    const bool answered = bool_at(0, 4);
    const domain::Membership m = trip_membership(trip);
    const bool allowed = m.role == domain::TripRole::Owner || (inviter == caller && m.can_invite);
    if (!allowed) {
        throw core::DomainError(core::ErrorKind::NotAuthorized,
                                "only the trip's owner or the collaborator who invited can revoke an invitation");
    }
    if (answered) throw core::DomainError(core::ErrorKind::Conflict, "this invitation has already been answered");
    mark_revoked.execute(app, arg, nullptr);
    Datum pending[2] = {pg::datum_from_uuid(trip), pg::text_from_string(email)};
    withdraw_pending.execute(app, pending, nullptr);
    PG_RETURN_VOID();
}

// tripos_internal.change_collaborator(trip_id, user_id, new_role, can_invite, remove)
PG_CPP_FUNCTION(tripos_change_collaborator) {
    const pg::Uuid caller = require_caller();
    const pg::Uuid trip = pg::uuid_from_datum(pg::required_arg(fcinfo, 0, "trip_id"));
    const pg::Uuid member = pg::uuid_from_datum(pg::required_arg(fcinfo, 1, "user_id"));
    const bool remove = DatumGetBool(pg::required_arg(fcinfo, 4, "remove"));
    const domain::Membership m = trip_membership(trip);
    const bool is_owner = m.role == domain::TripRole::Owner;
    const Oid app = core_extension().schema();
    pg::SpiSession spi;
    const std::optional<pg::Uuid> owner = lock_trip_owner(trip);
    if (!owner || m.role == domain::TripRole::None) {
        throw core::DomainError(core::ErrorKind::NotAuthorized, "only the trip's members can change its collaborators");
    }
    if (member == *owner) {
        throw core::DomainError(core::ErrorKind::NotAuthorized, remove ? "the trip's owner is never removed"
                                                                       : "the trip's owner keeps the owner's role");
    }
    Datum pair[2] = {pg::datum_from_uuid(trip), pg::datum_from_uuid(member)};
    if (remove) {
        if (!is_owner && member != caller) {
            throw core::DomainError(core::ErrorKind::NotAuthorized,
                                    "only the trip's owner removes collaborators (anyone may leave)");
        }
        if (remove_member.execute(app, pair, nullptr) == 0) {
            throw core::DomainError(core::ErrorKind::NotFound, "no such collaborator on this trip");
        }
        PG_RETURN_VOID();
    }
    if (!is_owner) {
        throw core::DomainError(core::ErrorKind::NotAuthorized, "only the trip's owner changes collaborators' roles");
    }
    if (PG_ARGISNULL(2)) throw core::DomainError(core::ErrorKind::NullValue, "a new role is needed");
    const std::string role = pg::string_from_text(PG_GETARG_DATUM(2));
    if (role != "viewer" && role != "editor") {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a role is viewer or editor, not '" + role + "'");
    }
    Datum args[4] = {pair[0], pair[1], pg::text_from_string(role), PG_ARGISNULL(3) ? Datum(0) : PG_GETARG_DATUM(3)};
    const char nulls[5] = {' ', ' ', ' ', PG_ARGISNULL(3) ? 'n' : ' ', '\0'};
    if (set_role.execute(app, args, nulls) == 0) {
        throw core::DomainError(core::ErrorKind::NotFound, "no accepted collaborator with this id on this trip");
    }
    PG_RETURN_VOID();
}
