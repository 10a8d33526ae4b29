// The caller's standing on a trip, for API functions and triggers.
#pragma once

#include "pg/datum.hpp"
#include "tripos/domain/collaboration.hpp"

namespace tripos {

// Owner (trips.user_id = auth.uid()), accepted collaborator (with its flags,
// when tripos_collab is installed) or none. Reads as the caller's SPI context
// allows: call from SECURITY DEFINER functions.
domain::Membership trip_membership(const pgcpp::pg::Uuid& trip);

// auth.uid(), or 42501 when the caller is not signed in.
pgcpp::pg::Uuid require_caller();

// The trip's owner and accepted collaborators (sorted), or empty when the
// trip does not exist.
std::vector<pgcpp::pg::Uuid> trip_members(const pgcpp::pg::Uuid& trip);

// Rows of a set-returning function in materialize mode: the first call
// prepares the tuplestore from the declared result type.
void return_row(FunctionCallInfo fcinfo, const Datum* values, const bool* nulls);

}  // namespace tripos
