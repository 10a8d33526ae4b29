// Inbound call routing: the one look-up a voice backend makes when a call
// rings, answered by one kept-plan statement.
#include <fmt/format.h>

#include "callai/common.hpp"
#include "callai/domain/phone.hpp"
#include "core/errors.hpp"
#include "pg/spi.hpp"

extern "C" {
#include "executor/spi.h"
}

using namespace callai;
using core::DomainError;
using core::ErrorKind;

namespace {

// The called number's store and voice agent (the number's own, else the
// store's oldest active one), the greeting setting, the caller as a customer
// of that store (the most recent buyer when several share the number) and
// that customer's five latest orders.
pg::Statement route(
    "SELECT jsonb_build_object("
    " 'store_id', s.id, 'store_name', s.name, 'currency_code', s.currency_code, 'timezone', s.timezone,"
    " 'phone_number_id', n.id, 'caller', $2::text,"
    " 'greeting', (SELECT g.value FROM {app}.settings g WHERE g.store_id = s.id AND g.category = 'voice'"
    "              AND g.key = 'greeting_message'),"
    " 'voice_agent', (SELECT jsonb_build_object('id', a.id, 'provider', a.provider, 'external_assistant_id',"
    "                 a.external_assistant_id, 'name', a.name, 'first_message', a.first_message)"
    "                 FROM {app}.voice_agents a WHERE a.store_id = s.id AND a.is_active"
    "                 ORDER BY a.id IS DISTINCT FROM n.voice_agent_id, a.created_at, a.id LIMIT 1),"
    " 'customer', (SELECT jsonb_build_object('id', c.id, 'first_name', c.first_name, 'last_name', c.last_name,"
    "              'email', c.email, 'preferred_language', c.preferred_language, 'total_orders', c.total_orders,"
    "              'total_spent', c.total_spent) FROM {app}.customers c WHERE c.id = cust.id),"
    " 'recent_orders', coalesce((SELECT jsonb_agg(jsonb_build_object('id', o.id, 'order_number', o.order_number,"
    "              'status', o.status, 'fulfillment_status', o.fulfillment_status, 'total_price', o.total_price,"
    "              'currency_code', o.currency_code, 'order_date', o.order_date, 'tracking_number',"
    "              o.tracking_number, 'tracking_url', o.tracking_url) ORDER BY o.order_date DESC)"
    "              FROM (SELECT * FROM {app}.orders o WHERE o.store_id = s.id AND o.customer_id = cust.id"
    "                    ORDER BY o.order_date DESC LIMIT 5) o), '[]'::jsonb))"
    " FROM {app}.store_phone_numbers n JOIN {app}.stores s ON s.id = n.store_id"
    " LEFT JOIN LATERAL (SELECT c.id FROM {app}.customers c WHERE c.store_id = n.store_id AND c.phone = $2"
    "                    ORDER BY c.last_order_date DESC NULLS LAST, c.id LIMIT 1) cust ON true"
    " WHERE n.phone_number = $1 AND n.is_active",
    {TEXTOID, TEXTOID}, pg::Statement::Plan::Generic);

std::string required_e164(Datum value, const char* what) {
    const std::string raw = pg::string_from_text(value);
    const std::optional<std::string> number = domain::normalize_e164(raw);
    if (!number) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("{} \"{}\" is not an international (E.164) phone number", what, raw));
    }
    return *number;
}

}  // namespace

// callai.route_inbound_call(to_phone, from_phone) -> jsonb, SECURITY INVOKER:
// what a voice backend needs when a call rings (see route above), read
// through the caller's privileges and policies. NULL when no active number
// of a store the caller can see is to_phone; 22023 for a number that is not
// E.164 after removing spaces, dots, dashes and parentheses.
PG_CPP_FUNCTION(callai_route_inbound_call) {
    const std::string to = required_e164(pg::required_arg(fcinfo, 0, "to_phone"), "to_phone");
    const std::string from = required_e164(pg::required_arg(fcinfo, 1, "from_phone"), "from_phone");
    const Oid app = pg::schema_of_function(fcinfo);
    std::optional<Datum> result;
    {
        pg::SpiSession spi;
        Datum args[2] = {pg::text_from_string(to), pg::text_from_string(from)};
        if (route.execute(app, args, nullptr, true, 1) == 1) {
            bool isnull;
            const Datum value = pg::spi_value(0, 1, &isnull);
            result = pg::call([&] { return SPI_datumTransfer(value, false, -1); });
        }
    }
    if (!result) {
        fcinfo->isnull = true;
        return Datum(0);
    }
    return *result;
}
