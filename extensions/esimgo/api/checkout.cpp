// Checkout sessions owned by the database: the price is fixed at creation
// by the engine, the state machine is enforced (domain/workflows.cpp and the
// guard trigger), anonymous sessions are reachable only with their token,
// and completion is idempotent: a repeated payment webhook gets the same
// order. API functions are SECURITY INVOKER; they write as the extension's
// owner after checking who calls.
#include <string>

#include "core/errors.hpp"
#include "esimgo/api/caller.hpp"
#include "esimgo/domain/json.hpp"
#include "esimgo/domain/workflows.hpp"
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;
namespace platform = pgcpp::platform;
namespace domain = esimgo::domain;
using domain::CheckoutState;

namespace {

Datum jsonb_from_text(const std::string& text) {
    return pg::call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text.c_str())); });
}

std::optional<std::string> optional_text(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return pg::string_from_text(PG_GETARG_DATUM(n));
}

std::string random_token() {
    unsigned char bytes[32];
    if (!pg::call([&] { return pg_strong_random(bytes, sizeof bytes); }))
        throw core::DomainError(core::ErrorKind::Conflict, "could not generate a session token");
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) { out.push_back(hex[b >> 4]); out.push_back(hex[b & 15]); }
    return out;
}

std::string steps_json(CheckoutState s) {
    auto done = [&](CheckoutState at_least) {
        return (s != CheckoutState::Expired && int(s) >= int(at_least)) ? "true" : "false";
    };
    return std::string("{\"authentication\":{\"completed\":") + done(CheckoutState::Authenticated) +
           "},\"delivery\":{\"completed\":" + done(CheckoutState::DeliverySet) +
           "},\"payment\":{\"completed\":" + (s == CheckoutState::PaymentCompleted ? "true" : "false") + "}}";
}

std::string text_at(uint64 row, int att, bool* is_null = nullptr) {
    bool n = false;
    Datum v = pg::spi_value(row, att, &n);
    if (is_null) *is_null = n;
    return n ? std::string() : pg::string_from_text(v);
}

constexpr const char* kSummary =
    "jsonb_build_object('sessionId', id, 'state', state, 'expiresAt', expires_at, 'userId', user_id,"
    " 'orderId', order_id, 'paymentStatus', payment_status, 'planSnapshot', plan_snapshot, 'pricing', pricing,"
    " 'steps', steps)::text";

pg::Statement insert_session_sql(
    std::string("INSERT INTO {app}.checkout_sessions (user_id, plan_id, plan_snapshot, pricing, steps, token_hash, state, metadata)"
                " VALUES ($1::uuid, $2, $3::jsonb, $4::jsonb, $5::jsonb, encode(sha256(convert_to($6, 'UTF8')), 'hex'), $7,"
                " jsonb_build_object('state', $7::text, 'paymentMethod', $8::text))"
                " RETURNING ") + kSummary,
    {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID});

pg::Statement lock_session_sql(
    "SELECT user_id::text, state::text, token_hash = encode(sha256(convert_to($2, 'UTF8')), 'hex'),"
    " expires_at < now(), order_id::text FROM {app}.checkout_sessions WHERE id = $1::uuid FOR UPDATE",
    {TEXTOID, TEXTOID}, pg::Statement::Plan::Generic);

pg::Statement set_state_sql(
    std::string("UPDATE {app}.checkout_sessions SET state = $2, steps = $3::jsonb,"
                " metadata = jsonb_set(coalesce(metadata, '{{}}'), '{{state}}', to_jsonb($2::text)),"
                " user_id = coalesce(user_id, $4::uuid) WHERE id = $1::uuid RETURNING ") + kSummary,
    {TEXTOID, TEXTOID, TEXTOID, TEXTOID}, pg::Statement::Plan::Generic);

struct Locked {
    bool found = false;
    bool has_user = false;
    std::string user_id, state, order_id;
    bool token_ok = false, expired = false;
};

// Locks the session; "not found" also when the caller may not reach it, so
// nobody learns which sessions exist.
Locked lock_session(const std::string& id, const std::optional<std::string>& token,
                    const std::optional<std::string>& uid, bool service) {
    Locked s;
    Datum args[2] = {pg::text_from_string(id), token ? pg::text_from_string(*token) : Datum(0)};
    char nulls[3] = {' ', token ? ' ' : 'n', '\0'};
    if (lock_session_sql.execute(esimgo::extension.schema(), args, nulls, false, 1) == 1) {
        bool n = false;
        s.user_id = text_at(0, 1, &n);
        s.has_user = !n;
        s.state = text_at(0, 2);
        Datum ok = pg::spi_value(0, 3, &n);
        s.token_ok = !n && DatumGetBool(ok);
        s.expired = DatumGetBool(pg::spi_value(0, 4, &n));
        s.order_id = text_at(0, 5, &n);
        s.found = service || s.token_ok || (s.has_user && uid && *uid == s.user_id);
    }
    if (!s.found) throw core::DomainError(core::ErrorKind::NotFound, "checkout session " + id + " not found");
    return s;
}

CheckoutState state_of(const std::string& name) {
    auto s = domain::checkout_state_from_name(name);
    if (!s) throw core::DomainError(core::ErrorKind::InvalidParameter, "unknown checkout state \"" + name.substr(0, 40) + "\"");
    return *s;
}

std::string uuid_arg(FunctionCallInfo fcinfo, int n, const char* name) {
    return pg::uuid_text(pg::uuid_from_datum(pg::required_arg(fcinfo, n, name)).data());
}

}  // namespace

// create_checkout_session(requested_days, country, region, bundle_group, payment_method) -> jsonb
PG_CPP_FUNCTION(esimgo_create_checkout_session) {
    domain::Request request;
    request.days = DatumGetInt32(pg::required_arg(fcinfo, 0, "requested_days"));
    esimgo::check_days(request.days, "requested_days");
    request.country = optional_text(fcinfo, 1);
    request.region = optional_text(fcinfo, 2);
    request.group = optional_text(fcinfo, 3);
    request.payment_method = pg::string_from_text(pg::required_arg(fcinfo, 4, "payment_method"));
    esimgo::check_payment_method(request.payment_method);
    if (!request.country && !request.region)
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a checkout needs a country or a region");
    std::string token = random_token();
    std::string summary;
    {
        pg::SpiSession spi;
        std::optional<std::string> uid = esimgo::caller::user_id();
        platform::AsExtensionOwner owner(esimgo::extension);
        domain::PriceResult result;
        std::vector<domain::Bundle> catalog;
        std::string pricing = esimgo::price_request_json(request, std::nullopt, &result, &catalog);
        const domain::Bundle& b = *result.selected;
        std::string snapshot = "{\"id\":";
        domain::json::append_quoted(snapshot, b.name);
        snapshot += ",\"name\":";
        domain::json::append_quoted(snapshot, b.name);
        snapshot += ",\"duration\":" + std::to_string(request.days) + ",\"validityInDays\":" +
                    std::to_string(b.validity_days) + ",\"price\":" + domain::format_cents(result.final_price) +
                    ",\"currency\":\"USD\",\"countries\":[";
        for (std::size_t i = 0; i < b.countries.size(); ++i) {
            if (i) snapshot.push_back(',');
            domain::json::append_quoted(snapshot, b.countries[i]);
        }
        snapshot += "]}";
        CheckoutState state = uid ? CheckoutState::Authenticated : CheckoutState::Initialized;
        Datum args[8] = {uid ? pg::text_from_string(*uid) : Datum(0), pg::text_from_string(b.name),
                         pg::text_from_string(snapshot), pg::text_from_string(pricing),
                         pg::text_from_string(steps_json(state)), pg::text_from_string(token),
                         pg::text_from_string(domain::checkout_state_name(state)),
                         pg::text_from_string(request.payment_method)};
        char nulls[9] = {uid ? ' ' : 'n', ' ', ' ', ' ', ' ', ' ', ' ', ' ', '\0'};
        insert_session_sql.execute(esimgo::extension.schema(), args, nulls, false);
        summary = text_at(0, 1);
    }
    // the token is shown once; only its hash is kept
    summary.pop_back();
    summary += ", \"sessionToken\": \"" + token + "\"}";
    return jsonb_from_text(summary);
}

// advance_checkout_session(session_id, to_state, session_token) -> jsonb
PG_CPP_FUNCTION(esimgo_advance_checkout_session) {
    std::string id = uuid_arg(fcinfo, 0, "session_id");
    std::string to_name = pg::string_from_text(pg::required_arg(fcinfo, 1, "to_state"));
    std::optional<std::string> token = optional_text(fcinfo, 2);
    CheckoutState to = state_of(to_name);
    std::string summary;
    {
        pg::SpiSession spi;
        std::optional<std::string> uid = esimgo::caller::user_id();
        bool service = esimgo::caller::is_service();
        if (!service && (to == CheckoutState::PaymentProcessing || to == CheckoutState::PaymentCompleted ||
                         to == CheckoutState::PaymentFailed))
            throw core::DomainError(core::ErrorKind::NotAuthorized,
                                    "payment states are set by the payment service (complete_checkout)");
        if (to == CheckoutState::PaymentCompleted)
            throw core::DomainError(core::ErrorKind::InvalidParameter, "use complete_checkout() to complete a payment");
        platform::AsExtensionOwner owner(esimgo::extension);
        Locked s = lock_session(id, token, uid, service);
        CheckoutState from = state_of(s.state);
        if (s.expired && !domain::checkout_state_terminal(from) && to != CheckoutState::Expired)
            throw core::DomainError(core::ErrorKind::Conflict, "checkout session " + id + " has expired");
        if (!domain::checkout_transition_allowed(from, to))
            throw core::DomainError(core::ErrorKind::CheckViolation,
                                    std::string("a checkout session cannot go from ") + s.state + " to " + to_name);
        bool attach_user = false;
        if (int(to) >= int(CheckoutState::Authenticated) && to != CheckoutState::Expired && !s.has_user) {
            if (!uid)
                throw core::DomainError(core::ErrorKind::NotAuthorized, "sign in to take an anonymous checkout further");
            attach_user = true;
        }
        Datum args[4] = {pg::text_from_string(id), pg::text_from_string(to_name), pg::text_from_string(steps_json(to)),
                         attach_user ? pg::text_from_string(*uid) : Datum(0)};
        char nulls[5] = {' ', ' ', ' ', attach_user ? ' ' : 'n', '\0'};
        set_state_sql.execute(esimgo::extension.schema(), args, nulls, false);
        summary = text_at(0, 1);
    }
    return jsonb_from_text(summary);
}

// complete_checkout(session_id, payment_intent_id) -> jsonb {orderId, state, alreadyCompleted}
PG_CPP_FUNCTION(esimgo_complete_checkout) {
    std::string id = uuid_arg(fcinfo, 0, "session_id");
    std::string intent = pg::string_from_text(pg::required_arg(fcinfo, 1, "payment_intent_id"));
    static pg::Statement insert_order_sql(
        "INSERT INTO {app}.esim_orders (user_id, reference, status, quantity, total_price, plan_data, pricing_breakdown)"
        " SELECT user_id, 'order_' || id::text, 'PROCESSING', 1, (pricing ->> 'finalPrice')::numeric, plan_snapshot, pricing"
        " FROM {app}.checkout_sessions WHERE id = $1::uuid RETURNING id::text",
        {TEXTOID}, pg::Statement::Plan::Generic);
    static pg::Statement to_processing_sql(
        "UPDATE {app}.checkout_sessions SET state = 'PAYMENT_PROCESSING' WHERE id = $1::uuid", {TEXTOID},
        pg::Statement::Plan::Generic);
    static pg::Statement completed_sql(
        "UPDATE {app}.checkout_sessions SET state = 'PAYMENT_COMPLETED', payment_status = 'SUCCEEDED',"
        " payment_intent_id = $3, order_id = $2::uuid, steps = $4::jsonb,"
        " metadata = jsonb_set(coalesce(metadata, '{{}}'), '{{state}}', '\"PAYMENT_COMPLETED\"')"
        " WHERE id = $1::uuid",
        {TEXTOID, TEXTOID, TEXTOID, TEXTOID}, pg::Statement::Plan::Generic);
    // The session's user, locked before the session: the order's foreign key
    // takes this lock anyway, and an account deletion takes the user's row
    // before its trigger reaches the sessions, so the reverse order could
    // deadlock with it (checkout_account_deletion.spec).
    static pg::Statement session_user_sql(
        "SELECT user_id::text FROM {app}.checkout_sessions WHERE id = $1::uuid", {TEXTOID},
        pg::Statement::Plan::Generic);
    static pg::Statement lock_user_sql("SELECT 1 FROM auth.users WHERE id = $1::uuid FOR KEY SHARE", {TEXTOID},
                                       pg::Statement::Plan::Generic);
    std::string order_id;
    bool already = false;
    {
        pg::SpiSession spi;
        esimgo::caller::require_service("complete_checkout()");
        platform::AsExtensionOwner owner(esimgo::extension);
        Datum session_arg = pg::text_from_string(id);
        std::optional<std::string> locked_user;
        if (session_user_sql.execute(esimgo::extension.schema(), &session_arg, nullptr, false, 1) == 1) {
            bool n = false;
            std::string user = text_at(0, 1, &n);
            if (!n) {
                Datum user_arg = pg::text_from_string(user);
                if (lock_user_sql.execute(esimgo::extension.schema(), &user_arg, nullptr, false, 1) == 1)
                    locked_user = user;
            }
        }
        // The row lock makes a second webhook wait, then see the completed session.
        Locked s = lock_session(id, std::nullopt, std::nullopt, true);
        // The user was attached after it was read (the session was not
        // payable then): not the user locked.
        if (s.has_user && s.user_id != locked_user.value_or(""))
            throw core::DomainError(core::ErrorKind::Conflict,
                                    "checkout session " + id + " changed user while it was being paid; retry");
        CheckoutState from = state_of(s.state);
        if (from == CheckoutState::PaymentCompleted) {
            order_id = s.order_id;
            already = true;
        } else {
            if (from != CheckoutState::PaymentReady && from != CheckoutState::PaymentProcessing)
                throw core::DomainError(core::ErrorKind::Conflict,
                                        "checkout session " + id + " is " + s.state + ": it cannot be paid");
            if (!s.has_user)
                throw core::DomainError(core::ErrorKind::Conflict, "checkout session " + id + " has no user");
            Datum arg = pg::text_from_string(id);
            if (from == CheckoutState::PaymentReady)
                to_processing_sql.execute(esimgo::extension.schema(), &arg, nullptr, false);
            insert_order_sql.execute(esimgo::extension.schema(), &arg, nullptr, false);
            order_id = text_at(0, 1);
            Datum args[4] = {arg, pg::text_from_string(order_id), pg::text_from_string(intent),
                             pg::text_from_string(steps_json(CheckoutState::PaymentCompleted))};
            completed_sql.execute(esimgo::extension.schema(), args, nullptr, false);
        }
    }
    return jsonb_from_text("{\"orderId\":\"" + order_id + "\",\"state\":\"PAYMENT_COMPLETED\",\"alreadyCompleted\":" +
                           (already ? "true" : "false") + "}");
}

// fail_checkout_payment(session_id) -> jsonb: PAYMENT_PROCESSING -> PAYMENT_FAILED
PG_CPP_FUNCTION(esimgo_fail_checkout_payment) {
    std::string id = uuid_arg(fcinfo, 0, "session_id");
    static pg::Statement failed_sql(
        std::string("UPDATE {app}.checkout_sessions SET state = 'PAYMENT_FAILED', payment_status = 'FAILED',"
                    " metadata = jsonb_set(coalesce(metadata, '{{}}'), '{{state}}', '\"PAYMENT_FAILED\"')"
                    " WHERE id = $1::uuid RETURNING ") + kSummary,
        {TEXTOID}, pg::Statement::Plan::Generic);
    std::string summary;
    {
        pg::SpiSession spi;
        esimgo::caller::require_service("fail_checkout_payment()");
        platform::AsExtensionOwner owner(esimgo::extension);
        Locked s = lock_session(id, std::nullopt, std::nullopt, true);
        if (!domain::checkout_transition_allowed(state_of(s.state), CheckoutState::PaymentFailed))
            throw core::DomainError(core::ErrorKind::CheckViolation,
                                    "a checkout session cannot go from " + s.state + " to PAYMENT_FAILED");
        Datum arg = pg::text_from_string(id);
        failed_sql.execute(esimgo::extension.schema(), &arg, nullptr, false);
        summary = text_at(0, 1);
    }
    return jsonb_from_text(summary);
}

// cleanup_expired_checkout_sessions() -> integer: expires what is past its
// time, deletes what expired over an hour ago (completed sessions stay: they
// name their order).
PG_CPP_FUNCTION(esimgo_cleanup_expired_checkout_sessions) {
    static pg::Statement expire_sql(
        "UPDATE {app}.checkout_sessions SET state = 'EXPIRED', steps = $1::jsonb,"
        " metadata = jsonb_set(coalesce(metadata, '{{}}'), '{{state}}', '\"EXPIRED\"')"
        " WHERE expires_at < now() AND state IN ('INITIALIZED', 'AUTHENTICATED', 'DELIVERY_SET', 'PAYMENT_READY', 'PAYMENT_FAILED')",
        {TEXTOID}, pg::Statement::Plan::Generic);
    static pg::Statement delete_sql(
        "DELETE FROM {app}.checkout_sessions WHERE expires_at < now() - interval '1 hour' AND state = 'EXPIRED'", {},
        pg::Statement::Plan::Generic);
    uint64 deleted = 0;
    {
        pg::SpiSession spi;
        esimgo::caller::require_service("cleanup_expired_checkout_sessions()");
        platform::AsExtensionOwner owner(esimgo::extension);
        Datum steps = pg::text_from_string(steps_json(CheckoutState::Expired));
        expire_sql.execute(esimgo::extension.schema(), &steps, nullptr, false);
        deleted = delete_sql.execute(esimgo::extension.schema(), nullptr, nullptr, false);
    }
    return Int32GetDatum(int32(deleted));
}
