#include "tripos/api/limits.hpp"

#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/domain/billing.hpp"
#include "tripos/stages.hpp"

namespace domain = tripos::domain;

namespace tripos {

namespace {
// usage_limits holds the limits of the plan the user's subscription grants
// (kept by the Stripe ingestion); users without a row get the default plan's.
pg::Statement limit_of_user(
    "SELECT coalesce("
    "  (SELECT CASE $2 WHEN 'ai_runs_per_month' THEN l.ai_runs_limit WHEN 'trips_max' THEN l.trips_limit "
    "          WHEN 'collaborators_per_trip' THEN l.collaborators_per_trip_limit END::int8 "
    "     FROM {app}.usage_limits l WHERE l.user_id = $1),"
    "  (SELECT (p.limits ->> $2)::int8 FROM {app}.plans p WHERE p.is_default))",
    {UUIDOID, TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement accepted_count(
    "SELECT count(*)::int8 FROM {app}.collaborators WHERE trip_id = $1 AND status = 'accepted' AND user_id <> $2",
    {UUIDOID, UUIDOID}, pg::Statement::Plan::Generic);
}  // namespace

std::optional<std::int64_t> plan_limit(const pg::Uuid& user, const char* key) {
    if (!payments_extension().installed()) return std::nullopt;
    Datum args[2] = {pg::datum_from_uuid(user), pg::text_from_string(key)};
    limit_of_user.execute(payments_extension().schema(), args, nullptr, true, 1);
    bool is_null = false;
    const Datum value = pg::spi_value(0, 1, &is_null);
    if (is_null) return std::nullopt;  // a plan without this limit limits nothing
    return DatumGetInt64(value);
}

void check_collaborator_limit(const pg::Uuid& owner, const pg::Uuid& trip, const pg::Uuid& joining) {
    const auto limit = plan_limit(owner, "collaborators_per_trip");
    if (!limit) return;
    Datum args[2] = {pg::datum_from_uuid(trip), pg::datum_from_uuid(joining)};
    accepted_count.execute(collab_extension().schema(), args, nullptr, true, 1);
    bool is_null = false;
    const std::int64_t used = DatumGetInt64(pg::spi_value(0, 1, &is_null));
    if (!domain::within_limit(used, *limit)) {
        pg::raise_error(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED,
                        fmt::format("the trip owner's plan allows {} collaborator(s) per trip", *limit), {},
                        "The owner can upgrade their plan.");
    }
}

}  // namespace tripos
