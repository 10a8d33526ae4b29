// RPC API: partner onboarding and status, groups, the partner dashboard
// (sql/onesim/60_api.sql, docs/design.md).
#include "onesim/layers.hpp"
#include "onesim/domain/commission.hpp"
#include "onesim/api/api_common.hpp"
#include "onesim/column_types.hpp"
#include "onesim/triggers/partner_figures.hpp"

namespace core = pgcpp::core;
namespace domain = onesim::domain;
namespace pg = pgcpp::pg;
using namespace onesim::api;

namespace {

// The partner owning group `group`, or nullopt when there is no such group.
// A plain read: a group never changes partner (guard trigger), and locking
// the group here would take it before the member rows, the reverse of the
// order every member change takes them in (members, then the group's size).
std::optional<Uuid> group_owner(Oid app, const Uuid& group) {
    static pg::Statement stmt("SELECT partner_id FROM {app}.customer_groups WHERE id = $1",
                              {UUIDOID});
    pg::SpiSession spi;
    Args args;
    args.uuid(group);
    if (args.run(stmt, app, false, 1) == 0) return std::nullopt;
    return spi_uuid(0, 1);
}

// The group's partner when the caller may manage the group's members: the
// partner owning it, an admin or the service. Others: not found.
Uuid manageable_group(Caller& caller, const Uuid& group) {
    const bool privileged = caller.admin_or_service();
    if (!privileged && !caller.partner()) deny("only a partner or an admin may manage group members");
    const auto owner = group_owner(caller.app(), group);
    if (!owner || (!privileged && owner != caller.partner())) {
        not_found(fmt::format("customer group {} not found", uuid_text(group)));
    }
    return *owner;
}

// customer_ids: not NULL, no NULL element.
Datum id_array(FunctionCallInfo fcinfo, int n) {
    const Datum array = pg::required_arg(fcinfo, n, "customer_ids");
    const bool has_nulls = pg::call([&] { return array_contains_nulls(DatumGetArrayTypeP(array)); });
    if (has_nulls) {
        throw DomainError(ErrorKind::NullValue, "customer_ids must not contain NULL");
    }
    return array;
}

}  // namespace

// add_group_members(group_id uuid, customer_ids uuid[]) RETURNS integer
// Adds the partner's own customers to its group (already-members ignored);
// one id that is not the group partner's customer adds nothing (23503).
PG_CPP_FUNCTION(onesim_api_add_group_members) {
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    const Uuid group = required_uuid(fcinfo, 0, "group_id");
    const Datum ids = id_array(fcinfo, 1);
    const Uuid partner = manageable_group(caller, group);

    static pg::Statement foreign(
        "SELECT u.id FROM unnest($1::uuid[]) AS u(id) "
        "WHERE NOT EXISTS (SELECT 1 FROM {app}.partner_customers c "
        "                  WHERE c.id = u.id AND c.partner_id = $2) "
        "ORDER BY u.id LIMIT 1",
        {UUIDARRAYOID, UUIDOID});
    static pg::Statement insert(
        "INSERT INTO {app}.customer_group_members (group_id, customer_id, added_by) "
        "SELECT DISTINCT $1::uuid, u.id, $3::uuid FROM unnest($2::uuid[]) AS u(id) ORDER BY 2 "
        "ON CONFLICT (group_id, customer_id) DO NOTHING",
        {UUIDOID, UUIDARRAYOID, UUIDOID});
    pg::SpiSession spi;
    {
        const Datum args[2] = {ids, pg::datum_from_uuid(partner)};
        if (foreign.execute(app, args, nullptr, false, 1) == 1) {
            throw DomainError(ErrorKind::ForeignKey,
                              fmt::format("customer {} not found", uuid_text(*spi_uuid(0, 1))),
                              "Every id must be one of the group partner's customers; nothing was added.");
        }
    }
    Args args;
    args.uuid(group).add(ids).uuid(caller.user());
    const uint64 added = args.run(insert, app);
    return Int32GetDatum(static_cast<int32>(added));
}

// remove_group_members(group_id uuid, customer_ids uuid[]) RETURNS integer
PG_CPP_FUNCTION(onesim_api_remove_group_members) {
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    const Uuid group = required_uuid(fcinfo, 0, "group_id");
    const Datum ids = id_array(fcinfo, 1);
    manageable_group(caller, group);
    static pg::Statement remove(
        "DELETE FROM {app}.customer_group_members WHERE group_id = $1 AND customer_id = ANY ($2)",
        {UUIDOID, UUIDARRAYOID});
    pg::SpiSession spi;
    Args args;
    args.uuid(group).add(ids);
    return Int32GetDatum(static_cast<int32>(args.run(remove, app)));
}

// register_partner(company_name, business_email, company_type, business_phone,
//                  website, legal_name, tax_id, registration_number) RETURNS partners
// A signed-in user without a partner account applies: the partner row is
// created in pending_approval and the profile becomes a partner's.
PG_CPP_FUNCTION(onesim_api_register_partner) {
    const MemoryContext result_context = CurrentMemoryContext;
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    if (!caller.user()) deny("register_partner needs a signed-in user");
    const std::string company = required_text(fcinfo, 0, "company_name");
    const std::string email = required_text(fcinfo, 1, "business_email");
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == email.size() ||
        email.find_first_of(" \t\r\n") != std::string::npos) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("business_email \"{}\" is not an email address", email));
    }
    if (caller.partner()) {
        throw DomainError(ErrorKind::Conflict, "this user already has a partner account");
    }
    if (caller.admin()) {
        throw DomainError(ErrorKind::Conflict, "an admin account cannot register as a partner",
                          {}, "Register the partner with another user.");
    }
    static pg::Statement profile(
        "INSERT INTO {app}.profiles AS p (id, email, user_type) "
        "SELECT u.id, u.email, 'partner' FROM auth.users u WHERE u.id = $1 "
        "ON CONFLICT (id) DO UPDATE SET user_type = 'partner' WHERE p.user_type <> 'partner'",
        {UUIDOID});
    static pg::Statement user_exists("SELECT 1 FROM auth.users WHERE id = $1", {UUIDOID});
    static pg::Statement insert(
        "INSERT INTO {app}.partners (user_id, company_name, business_email, company_type, "
        "  business_phone, website, legal_name, tax_id, registration_number, status) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending_approval') RETURNING *",
        {UUIDOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID});
    pg::SpiSession spi;
    {
        Args args;
        args.uuid(caller.user());
        if (args.run(user_exists, app, false, 1) == 0) deny("register_partner needs an existing user");
        args.run(profile, app);
    }
    Args args;
    args.uuid(caller.user()).text(company).text(email);
    for (int i = 2; i <= 7; ++i) args.text(opt_text(fcinfo, i));
    args.run(insert, app);
    return spi_row_as_result(fcinfo, result_context);
}

// set_partner_status(partner_id uuid, status text, commission_rate numeric DEFAULT NULL)
//   RETURNS partners
// Admins (and the service): approve (active, verified), suspend, deactivate,
// and optionally set the partner's custom commission rate.
PG_CPP_FUNCTION(onesim_api_set_partner_status) {
    const MemoryContext result_context = CurrentMemoryContext;
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    if (!caller.admin_or_service()) deny("only an admin may change a partner's status");
    const Uuid partner = required_uuid(fcinfo, 0, "partner_id");
    const std::string status = required_text(fcinfo, 1, "status");
    if (status != "active" && status != "suspended" && status != "pending_approval" &&
        status != "deactivated") {
        throw DomainError(ErrorKind::InvalidParameter, fmt::format("unknown partner status \"{}\"", status),
                          {}, "One of: active, suspended, pending_approval, deactivated.");
    }
    std::optional<Decimal> rate;
    if (!PG_ARGISNULL(2)) {
        rate = pg::decimal_from_numeric(PG_GETARG_DATUM(2), "commission_rate");
        domain::validate_commission_rate(*rate);
    }
    // partners.status is an enum from 1.2 on, which takes the text argument
    // cast; VARCHAR before.
    constexpr const char* kUpdate =
        "UPDATE {{app}}.partners SET status = {}, "
        "  custom_commission_rate = CASE WHEN $3::numeric IS NULL THEN custom_commission_rate "
        "                                ELSE $3::numeric END, "
        "  verified = verified OR $2 = 'active', "
        "  verified_at = CASE WHEN $2 = 'active' THEN coalesce(verified_at, now()) ELSE verified_at END "
        "WHERE id = $1 RETURNING *";
    static pg::Statement update_text(fmt::format(kUpdate, "$2"), {UUIDOID, TEXTOID, NUMERICOID});
    static pg::Statement update_enum(fmt::format(kUpdate, "$2::{app}.partner_status"), {UUIDOID, TEXTOID, NUMERICOID});
    pg::Statement& update = onesim::columns::is_enum(app, "partners", "status") ? update_enum : update_text;
    pg::SpiSession spi;
    Args args;
    args.uuid(partner).text(status).numeric(rate);
    if (args.run(update, app) != 1) not_found(fmt::format("partner {} not found", uuid_text(partner)));
    return spi_row_as_result(fcinfo, result_context);
}

// partner_dashboard(partner_id uuid DEFAULT NULL) RETURNS v_partner_dashboard_stats
// The calling partner's figures; admins and the service name the partner.
PG_CPP_FUNCTION(onesim_api_partner_dashboard) {
    const MemoryContext result_context = CurrentMemoryContext;
    onesim::figures::flush();  // show this transaction's own orders too
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    auto partner = opt_uuid(fcinfo, 0);
    if (caller.admin_or_service()) {
        if (!partner) partner = caller.partner();
        if (!partner) throw DomainError(ErrorKind::NullValue, "partner_id must not be null for an admin");
    } else {
        if (!caller.partner()) deny("only a partner or an admin may read a partner dashboard");
        if (partner && partner != caller.partner()) {
            not_found(fmt::format("partner {} not found", uuid_text(*partner)));
        }
        partner = caller.partner();
    }
    static pg::Statement stmt("SELECT * FROM {app}.v_partner_dashboard_stats WHERE partner_id = $1",
                              {UUIDOID});
    pg::SpiSession spi;
    Args args;
    args.uuid(partner);
    // Not read-only: the query must see what flush() wrote.
    if (args.run(stmt, app, false, 1) == 0) not_found(fmt::format("partner {} not found", uuid_text(*partner)));
    return spi_row_as_result(fcinfo, result_context);
}
