// Plan limits (tripos_payments): what a user's plan allows. Without the
// payments stage nothing is limited.
#pragma once

#include <optional>

#include "pg/datum.hpp"

namespace tripos {

// The user's limit `key` (plans.limits ->> key: -1 unlimited) from their
// subscription's plan while it grants one, else the free plan's; nullopt
// when tripos_payments is not installed. Call inside an SPI session.
std::optional<std::int64_t> plan_limit(const pgcpp::pg::Uuid& user, const char* key);

// Refuses (53400) a collaborator joining a trip whose owner's plan allows no
// more accepted collaborators. The trip's row must be locked by the caller.
void check_collaborator_limit(const pgcpp::pg::Uuid& owner, const pgcpp::pg::Uuid& trip,
                              const pgcpp::pg::Uuid& joining);

}  // namespace tripos
