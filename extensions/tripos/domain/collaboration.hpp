// Trip membership: roles, what each may do, invitations.
#pragma once

#include <optional>
#include <string_view>

namespace tripos::domain {

// Ordered: a higher role can do all a lower one can.
enum class TripRole { None = 0, Viewer = 1, Editor = 2, Owner = 3 };

std::optional<TripRole> parse_role(std::string_view text);
std::string_view to_text(TripRole role);

// A member's standing on a trip as stored: the owner (trips.user_id), or an
// accepted collaborators row with its flags. Pending, declined and removed
// rows give no access.
struct Membership {
    TripRole role = TripRole::None;
    bool can_edit = false;
    bool can_invite = false;
};

// The role the policies see: editors write only with can_edit (the seed's
// "collaborator with edit permission"); without it they read like viewers.
TripRole effective_role(const Membership& m);

struct InviteRequest {
    TripRole role;  // viewer or editor (ownership is never given by invitation)
    bool can_edit;
    bool can_invite;
};

// Refuses (42501 / 22023) an invitation the inviter may not make: only the
// owner, or a collaborator with can_invite, invites; only the owner grants
// can_invite; nobody grants more than they hold. Returns the flags stored
// (an editor role implies can_edit, a viewer never has it).
InviteRequest check_invitation(const Membership& inviter, InviteRequest request);

enum class InvitationState { Open, Accepted, Revoked, Expired };

// now, expires_at: epoch microseconds.
InvitationState invitation_state(long long now, long long expires_at, bool accepted, bool revoked);

}  // namespace tripos::domain
