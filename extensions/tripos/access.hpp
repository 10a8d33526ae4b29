// The caller's standing on a trip, for API functions and triggers.
#pragma once

#include "pg/datum.hpp"
#include "tripos/domain/collaboration.hpp"

namespace tripos {

// Owner (trips.user_id = auth.uid()), accepted collaborator (with its flags,
// when tripos_collab is installed) or none. Reads as the caller's SPI context
// allows: call from SECURITY DEFINER functions.
domain::Membership trip_membership(const pgcpp::pg::Uuid& trip);

}  // namespace tripos
