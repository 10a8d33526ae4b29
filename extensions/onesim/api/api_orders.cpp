// RPC API: quotes and orders (sql/onesim/60_api.sql, docs/design.md).
//
// These functions decide who may do what and insert or update order rows;
// commission, paid amounts, earnings and every maintained figure are the
// order triggers' job (order_triggers.cpp), never recomputed here.
#include "onesim/layers.hpp"
#include "onesim/domain/commission.hpp"
#include "onesim/api/api_common.hpp"

namespace core = pgcpp::core;
namespace domain = onesim::domain;
namespace pg = pgcpp::pg;
using namespace onesim::api;

namespace {

// Statuses an order can no longer leave through the API.
bool is_closed(const std::string& status) { return status == "CANCELLED" || status == "REFUNDED"; }

// The active catalog package `code`, or P0002.
struct Package {
    std::string code, name;
    Decimal price_usd;
    std::optional<Decimal> price_uzs;
};

Package active_package(Oid app, const std::string& code, bool read_only) {
    static pg::Statement stmt(
        "SELECT package_code::text, name::text, price_usd, price_uzs FROM {app}.esim_packages "
        "WHERE package_code = $1 AND is_active",
        {TEXTOID});
    pg::SpiSession spi;
    Args args;
    args.text(code);
    if (args.run(stmt, app, read_only, 1) == 0) {
        not_found(fmt::format("package {} does not exist or is not on sale", code));
    }
    return Package{*spi_text(0, 1), *spi_text(0, 2), *spi_decimal(0, 3, "price_usd"),
                   spi_decimal(0, 4, "price_uzs")};
}

// The order `id` locked for update with what the API decides on, or P0002.
struct OrderState {
    std::string status, source;
    std::optional<Uuid> user, partner;
    std::optional<std::string> iccid;
};

std::optional<OrderState> lock_order(Oid app, const Uuid& id) {
    static pg::Statement stmt(
        "SELECT order_status::text, source_type::text, user_id, partner_id, iccid::text "
        "FROM {app}.orders WHERE id = $1 FOR UPDATE",
        {UUIDOID});
    pg::SpiSession spi;
    Args args;
    args.uuid(id);
    if (args.run(stmt, app, false, 1) == 0) return std::nullopt;
    return OrderState{*spi_text(0, 1), *spi_text(0, 2), spi_uuid(0, 3), spi_uuid(0, 4), spi_text(0, 5)};
}

std::string order_not_found(const Uuid& id) { return fmt::format("order {} not found", uuid_text(id)); }

// SELECT * of one order as the function's result (for idempotent replies).
Datum order_row(FunctionCallInfo fcinfo, MemoryContext result_context, Oid app, const Uuid& id) {
    static pg::Statement stmt("SELECT * FROM {app}.orders WHERE id = $1", {UUIDOID});
    pg::SpiSession spi;
    Args args;
    args.uuid(id);
    if (args.run(stmt, app, false, 1) == 0) not_found(order_not_found(id));
    return spi_row_as_result(fcinfo, result_context);
}

}  // namespace

// quote_package(package_code text, currency text DEFAULT 'USD')
//   -> TABLE(package_code, package_name, retail_price, commission_rate,
//            commission_amount, you_pay, currency)
// Anyone: retail price for anon, customers and partners that are not active;
// an active partner's effective rate by the one commission rule.
PG_CPP_FUNCTION(onesim_api_quote_package) {
    const std::string code = required_text(fcinfo, 0, "package_code");
    const domain::Currency currency = domain::parse_currency(required_text(fcinfo, 1, "currency"));
    Caller caller(onesim::auth::extension_schema());
    const Package package = active_package(caller.app(), code, true);

    const std::optional<Decimal> price =
        currency == domain::Currency::USD ? std::optional(package.price_usd) : package.price_uzs;
    if (!price) {
        not_found(fmt::format("package {} has no {} price", code, domain::currency_code(currency)));
    }
    Decimal rate;
    if (caller.active_partner()) {
        static pg::Statement stmt(
            "SELECT effective_commission_rate FROM {app}.partners WHERE id = $1", {UUIDOID});
        pg::SpiSession spi;
        Args args;
        args.uuid(caller.partner());
        if (args.run(stmt, caller.app(), true, 1) == 1) {
            rate = spi_decimal(0, 1, "effective_commission_rate").value_or(Decimal());
        }
    }
    const domain::CommissionBreakdown b = domain::compute_commission(*price, rate, currency);

    Datum values[7] = {pg::text_from_string(package.code), pg::text_from_string(package.name),
                       pg::numeric_from_decimal(b.retail_price), pg::numeric_from_decimal(b.rate),
                       pg::numeric_from_decimal(b.commission), pg::numeric_from_decimal(b.partner_pays),
                       pg::text_from_string(domain::currency_code(currency))};
    init_materialized(fcinfo);
    pg::call([&] {
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        bool nulls[7] = {false, false, false, false, false, false, false};
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    });
    return Datum(0);
}

// place_b2c_order(package_code text, transaction_id text DEFAULT NULL) RETURNS orders
// A signed-in user with a profile buys a package for themselves at its
// current price.
PG_CPP_FUNCTION(onesim_api_place_b2c_order) {
    const MemoryContext result_context = CurrentMemoryContext;
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    if (!caller.user()) deny("place_b2c_order needs a signed-in user");
    const std::string code = required_text(fcinfo, 0, "package_code");
    const auto transaction_id = opt_text(fcinfo, 1);

    // A client's order is priced by the orders trigger, which reads the
    // package (P0002 when it is not on sale): the INSERT names only its code.
    // An admin's order is priced here, from the catalog, in the INSERT.
    static pg::Statement insert_for_client(
        "INSERT INTO {app}.orders (user_id, transaction_id, package_code, price_usd, source_type, "
        "  customer_first_name, customer_last_name, customer_email, customer_phone) "
        "SELECT u.id, $2, $3, 0, 'b2c', u.first_name, u.last_name, u.email, u.phone "
        "FROM {app}.profiles u WHERE u.id = $1 "
        "RETURNING *",
        {UUIDOID, TEXTOID, TEXTOID});
    static pg::Statement insert_priced(
        "INSERT INTO {app}.orders (user_id, transaction_id, package_id, package_code, package_name, "
        "  price_usd, price_uzs, source_type, customer_first_name, customer_last_name, "
        "  customer_email, customer_phone) "
        "SELECT u.id, $2, p.id, p.package_code, p.name, p.price_usd, p.price_uzs, 'b2c', "
        "       u.first_name, u.last_name, u.email, u.phone "
        "FROM {app}.profiles u, {app}.esim_packages p "
        "WHERE u.id = $1 AND p.package_code = $3 AND p.is_active "
        "RETURNING *",
        {UUIDOID, TEXTOID, TEXTOID});
    static pg::Statement has_profile("SELECT 1 FROM {app}.profiles WHERE id = $1", {UUIDOID});
    pg::SpiSession spi;
    {
        Args args;
        args.uuid(caller.user());
        if (args.run(has_profile, app, false, 1) == 0) {
            deny("place_b2c_order needs a user profile", "Create the user's profiles row first.");
        }
    }
    const bool client = onesim::auth::order_priced_from_catalog(app);
    Args args;
    args.uuid(caller.user()).text(transaction_id).text(code);
    if (args.run(client ? insert_for_client : insert_priced, app) != 1) {
        not_found(fmt::format("package {} does not exist or is not on sale", code));
    }
    return spi_row_as_result(fcinfo, result_context);
}

namespace {

// The customer of `partner` with this email (case-insensitive), created from
// the contact if there is none.
Uuid customer_from_json(Oid app, const Uuid& partner, Datum json) {
    const JsonFields f =
        json_object_fields(app, json, "new_customer", {"first_name", "last_name", "email", "phone"});
    const char* names[3] = {"first_name", "last_name", "email"};
    for (int i = 0; i < 3; ++i) {
        const auto& v = f.values[static_cast<std::size_t>(i)];
        if (!v || v->find_first_not_of(" \t\r\n") == std::string::npos) {
            throw DomainError(ErrorKind::InvalidParameter,
                              fmt::format("new_customer.{} is required", names[i]));
        }
    }
    const std::string& email = *f.values[2];
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == email.size() ||
        email.find_first_of(" \t\r\n") != std::string::npos) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("new_customer.email \"{}\" is not an email address", email));
    }
    static pg::Statement insert(
        "INSERT INTO {app}.partner_customers (partner_id, first_name, last_name, email, phone) "
        "VALUES ($1, $2, $3, $4, nullif($5, '')) ON CONFLICT DO NOTHING RETURNING id",
        {UUIDOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID});
    static pg::Statement existing(
        "SELECT id FROM {app}.partner_customers WHERE partner_id = $1 AND lower(email) = lower($2)",
        {UUIDOID, TEXTOID});
    pg::SpiSession spi;
    Args ins;
    ins.uuid(partner).text(f.values[0]).text(f.values[1]).text(email).text(f.values[3]);
    if (ins.run(insert, app) == 1) return *spi_uuid(0, 1);
    Args sel;
    sel.uuid(partner).text(email);
    if (sel.run(existing, app, false, 1) == 1) return *spi_uuid(0, 1);
    throw DomainError(ErrorKind::Conflict, "new_customer conflicts with an existing customer",
                      "Retry the call.");
}

bool owns(Oid app, pg::Statement& stmt, const Uuid& id, const Uuid& partner) {
    pg::SpiSession spi;
    Args args;
    args.uuid(id).uuid(partner);
    return args.run(stmt, app, false, 1) == 1;
}

pg::Statement customer_of_partner(
    "SELECT 1 FROM {app}.partner_customers WHERE id = $1 AND partner_id = $2", {UUIDOID, UUIDOID});
pg::Statement group_of_partner(
    "SELECT 1 FROM {app}.customer_groups WHERE id = $1 AND partner_id = $2", {UUIDOID, UUIDOID});

}  // namespace

// place_b2b_order(package_code text, customer_id uuid DEFAULT NULL,
//                 new_customer jsonb DEFAULT NULL, customer_group_id uuid DEFAULT NULL,
//                 transaction_id text DEFAULT NULL) RETURNS orders
// An active partner orders for one of its customers (customer_id), for a new
// or same-email customer (new_customer), or unassigned (neither).
PG_CPP_FUNCTION(onesim_api_place_b2b_order) {
    const MemoryContext result_context = CurrentMemoryContext;
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    const Uuid partner = caller.require_active_partner("place a B2B order");
    const std::string code = required_text(fcinfo, 0, "package_code");
    std::optional<Uuid> customer = opt_uuid(fcinfo, 1);
    const bool has_new_customer = !PG_ARGISNULL(2);
    const auto group = opt_uuid(fcinfo, 3);
    const auto transaction_id = opt_text(fcinfo, 4);
    if (customer && has_new_customer) {
        throw DomainError(ErrorKind::InvalidParameter, "pass customer_id or new_customer, not both");
    }
    if (customer && !owns(app, customer_of_partner, *customer, partner)) {
        throw DomainError(ErrorKind::ForeignKey,
                          fmt::format("customer {} not found", uuid_text(*customer)));
    }
    if (group && !owns(app, group_of_partner, *group, partner)) {
        throw DomainError(ErrorKind::ForeignKey,
                          fmt::format("customer group {} not found", uuid_text(*group)));
    }
    if (has_new_customer) customer = customer_from_json(app, partner, PG_GETARG_DATUM(2));

    // As for place_b2c_order: a client's order is priced by the orders
    // trigger (one read of the package), an admin's here.
    static pg::Statement insert_for_client(
        "INSERT INTO {app}.orders (user_id, transaction_id, package_code, price_usd, source_type, "
        "  partner_id, end_customer_id, end_customer_type, customer_group_id) "
        "VALUES ($1, $2, $6, 0, 'b2b_partner', $3, $4, 'b2b_partner_customer', $5) "
        "RETURNING *",
        {UUIDOID, TEXTOID, UUIDOID, UUIDOID, UUIDOID, TEXTOID});
    static pg::Statement insert_priced(
        "INSERT INTO {app}.orders (user_id, transaction_id, package_id, package_code, package_name, "
        "  price_usd, price_uzs, source_type, partner_id, end_customer_id, end_customer_type, "
        "  customer_group_id) "
        "SELECT $1, $2, p.id, p.package_code, p.name, p.price_usd, p.price_uzs, 'b2b_partner', $3, "
        "       $4, 'b2b_partner_customer', $5 "
        "FROM {app}.esim_packages p WHERE p.package_code = $6 AND p.is_active "
        "RETURNING *",
        {UUIDOID, TEXTOID, UUIDOID, UUIDOID, UUIDOID, TEXTOID});
    pg::SpiSession spi;
    const bool client = onesim::auth::order_priced_from_catalog(app);
    Args args;
    args.uuid(caller.user()).text(transaction_id).uuid(partner).uuid(customer).uuid(group).text(code);
    if (args.run(client ? insert_for_client : insert_priced, app) != 1) {
        not_found(fmt::format("package {} does not exist or is not on sale", code));
    }
    return spi_row_as_result(fcinfo, result_context);
}

// bulk_order_for_group(group_id uuid, package_code text) RETURNS SETOF orders
// One order per member of the partner's group, in one INSERT ... SELECT.
PG_CPP_FUNCTION(onesim_api_bulk_order_for_group) {
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    const Uuid partner = caller.require_active_partner("order for a group");
    const Uuid group = required_uuid(fcinfo, 0, "group_id");
    const std::string code = required_text(fcinfo, 1, "package_code");
    init_materialized(fcinfo);
    if (!owns(app, group_of_partner, group, partner)) {
        not_found(fmt::format("customer group {} not found", uuid_text(group)));
    }
    active_package(app, code, false);
    static pg::Statement insert(
        "INSERT INTO {app}.orders (user_id, package_id, package_code, package_name, price_usd, "
        "  price_uzs, source_type, partner_id, end_customer_id, end_customer_type, customer_group_id) "
        "SELECT $1, p.id, p.package_code, p.name, p.price_usd, p.price_uzs, 'b2b_partner', $2, "
        "       m.customer_id, 'b2b_partner_customer', m.group_id "
        "FROM {app}.customer_group_members m "
        "JOIN {app}.esim_packages p ON p.package_code = $4 AND p.is_active "
        "WHERE m.group_id = $3 ORDER BY m.customer_id "
        "RETURNING *",
        {UUIDOID, UUIDOID, UUIDOID, TEXTOID});
    pg::SpiSession spi;
    Args args;
    args.uuid(caller.user()).uuid(partner).uuid(group).text(code);
    args.run(insert, app);
    spi_rows_to_result_set(fcinfo);
    return Datum(0);
}

// record_allocation(order_id, iccid, qr_code_url, activation_code, smdp_address,
//                   provider_order_no, esim_tran_no) RETURNS orders
// The provider webhook (service role): the eSIM is allocated. Idempotent for
// the same ICCID; cancelled and refunded orders are refused (55000).
PG_CPP_FUNCTION(onesim_api_record_allocation) {
    const MemoryContext result_context = CurrentMemoryContext;
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    if (!caller.service()) deny("only the service role may record an allocation");
    const Uuid id = required_uuid(fcinfo, 0, "order_id");
    const std::string iccid = required_text(fcinfo, 1, "iccid");
    const auto state = lock_order(app, id);
    if (!state) not_found(order_not_found(id));
    if (is_closed(state->status)) {
        throw DomainError(ErrorKind::Conflict,
                          fmt::format("order {} is {}: it cannot be allocated", uuid_text(id),
                                      state->status));
    }
    if (state->status == "ALLOCATED") {
        if (state->iccid == std::optional(iccid)) return order_row(fcinfo, result_context, app, id);
        throw DomainError(ErrorKind::Conflict,
                          fmt::format("order {} is already allocated to another ICCID", uuid_text(id)));
    }
    static pg::Statement update(
        "UPDATE {app}.orders SET order_status = 'ALLOCATED', iccid = $2, "
        "  qr_code_url = coalesce($3, qr_code_url), activation_code = coalesce($4, activation_code), "
        "  smdp_address = coalesce($5, smdp_address), "
        "  provider_order_no = coalesce($6, provider_order_no), "
        "  esim_tran_no = coalesce($7, esim_tran_no) "
        "WHERE id = $1 RETURNING *",
        {UUIDOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID});
    pg::SpiSession spi;
    Args args;
    args.uuid(id).text(iccid);
    for (int i = 2; i <= 6; ++i) args.text(opt_text(fcinfo, i));
    if (args.run(update, app) != 1) not_found(order_not_found(id));
    return spi_row_as_result(fcinfo, result_context);
}

// cancel_order(order_id uuid, reason text DEFAULT NULL) RETURNS orders
// The order's owner while it is not allocated; admins and the service any time.
PG_CPP_FUNCTION(onesim_api_cancel_order) {
    const MemoryContext result_context = CurrentMemoryContext;
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    const Uuid id = required_uuid(fcinfo, 0, "order_id");
    const auto reason = opt_text(fcinfo, 1);
    const bool privileged = caller.admin_or_service();
    if (!privileged && !caller.user()) deny("cancel_order needs a signed-in user");
    const auto state = lock_order(app, id);
    // Other people's orders are not found, whether they exist or not.
    const bool owner =
        state && ((state->source == "b2c" && caller.user() && state->user == caller.user()) ||
                  (state->partner && caller.partner() && state->partner == caller.partner()));
    if (!state || (!privileged && !owner)) not_found(order_not_found(id));
    if (state->status == "CANCELLED") return order_row(fcinfo, result_context, app, id);
    if (state->status == "REFUNDED") {
        throw DomainError(ErrorKind::Conflict,
                          fmt::format("order {} is already refunded", uuid_text(id)));
    }
    if (state->status == "ALLOCATED" && !privileged) {
        throw DomainError(ErrorKind::Conflict,
                          fmt::format("order {} is allocated: only support can cancel it now", uuid_text(id)),
                          {}, "Ask support for a refund.");
    }
    static pg::Statement update(
        "UPDATE {app}.orders SET order_status = 'CANCELLED', cancel_reason = coalesce($2, cancel_reason) "
        "WHERE id = $1 RETURNING *",
        {UUIDOID, TEXTOID});
    pg::SpiSession spi;
    Args args;
    args.uuid(id).text(reason);
    if (args.run(update, app) != 1) not_found(order_not_found(id));
    return spi_row_as_result(fcinfo, result_context);
}

// refund_order(order_id uuid, reason text DEFAULT NULL) RETURNS orders
// Admins and the service: the order is refunded (its earning is cancelled,
// clawed back if it was paid out).
PG_CPP_FUNCTION(onesim_api_refund_order) {
    const MemoryContext result_context = CurrentMemoryContext;
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    if (!caller.admin_or_service()) deny("only an admin or the service may refund an order");
    const Uuid id = required_uuid(fcinfo, 0, "order_id");
    const auto reason = opt_text(fcinfo, 1);
    const auto state = lock_order(app, id);
    if (!state) not_found(order_not_found(id));
    if (state->status == "REFUNDED") return order_row(fcinfo, result_context, app, id);
    static pg::Statement update(
        "UPDATE {app}.orders SET order_status = 'REFUNDED', payment_status = 'refunded', "
        "  cancel_reason = coalesce($2, cancel_reason) "
        "WHERE id = $1 RETURNING *",
        {UUIDOID, TEXTOID});
    pg::SpiSession spi;
    Args args;
    args.uuid(id).text(reason);
    if (args.run(update, app) != 1) not_found(order_not_found(id));
    return spi_row_as_result(fcinfo, result_context);
}
