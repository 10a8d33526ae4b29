#include "tripos/domain/collaboration.hpp"

#include "core/errors.hpp"

namespace core = pgcpp::core;

namespace tripos::domain {

std::optional<TripRole> parse_role(std::string_view text) {
    if (text == "viewer") return TripRole::Viewer;
    if (text == "editor") return TripRole::Editor;
    if (text == "owner") return TripRole::Owner;
    if (text == "none") return TripRole::None;
    return std::nullopt;
}

std::string_view to_text(TripRole role) {
    switch (role) {
        case TripRole::None: return "none";
        case TripRole::Viewer: return "viewer";
        case TripRole::Editor: return "editor";
        case TripRole::Owner: return "owner";
    }
    return "none";
}

TripRole effective_role(const Membership& m) {
    if (m.role == TripRole::Owner) return TripRole::Owner;
    if (m.role == TripRole::None) return TripRole::None;
    return m.can_edit ? TripRole::Editor : TripRole::Viewer;
}

InviteRequest check_invitation(const Membership& inviter, InviteRequest request) {
    const bool owner = inviter.role == TripRole::Owner;
    if (!owner && !(inviter.role != TripRole::None && inviter.can_invite)) {
        throw core::DomainError(core::ErrorKind::NotAuthorized,
                                "only the trip owner or a collaborator allowed to invite can invite");
    }
    if (request.role != TripRole::Viewer && request.role != TripRole::Editor) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "an invitation is for a viewer or an editor");
    }
    request.can_edit = request.role == TripRole::Editor;
    if (!owner) {
        if (request.can_invite) {
            throw core::DomainError(core::ErrorKind::NotAuthorized,
                                    "only the trip owner can allow a collaborator to invite");
        }
        if (request.role == TripRole::Editor && effective_role(inviter) != TripRole::Editor) {
            throw core::DomainError(core::ErrorKind::NotAuthorized,
                                    "a collaborator cannot invite with more rights than their own");
        }
    }
    return request;
}

InvitationState invitation_state(long long now, long long expires_at, bool accepted, bool revoked) {
    if (accepted) return InvitationState::Accepted;
    if (revoked) return InvitationState::Revoked;
    if (now >= expires_at) return InvitationState::Expired;
    return InvitationState::Open;
}

}  // namespace tripos::domain
