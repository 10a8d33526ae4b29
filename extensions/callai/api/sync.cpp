// Order sync from the store platform: one order and its lines from the
// platform's payload, keyed on (store, external id). The payload's stated
// amounts are checked against its lines with the order arithmetic of
// domain/orders before anything is written; the rows are then written through
// SQL as the caller (SECURITY INVOKER: policies and column privileges apply),
// and the triggers keep the totals, stock and customer figures as for any
// other write.
#include <fmt/format.h>

#include "callai/common.hpp"
#include "callai/domain/orders.hpp"
#include "core/errors.hpp"
#include "pg/spi.hpp"

extern "C" {
#include "executor/spi.h"
}

using namespace callai;
using core::DomainError;
using core::ErrorKind;
using domain::Decimal;

namespace {

// The order row the payload targets, locked so two syncs of one order queue.
pg::Statement existing("SELECT sync_hash FROM {app}.orders WHERE store_id = $1 AND external_id = $2 FOR UPDATE",
                       {UUIDOID, TEXTOID}, pg::Statement::Plan::Generic);

// The payload's stated amounts (NULL when absent) and whether line_items is an array.
pg::Statement stated(
    "SELECT $1->>'subtotal_price', $1->>'total_price', coalesce($1->>'total_tax', '0'),"
    " coalesce($1->>'total_shipping', '0'), coalesce($1->>'total_discounts', '0'),"
    " jsonb_typeof(coalesce($1->'line_items', '[]'::jsonb)) = 'array'",
    {JSONBOID}, pg::Statement::Plan::Generic);

// Each line's price, quantity and discount as the payload gives them.
pg::Statement payload_lines(
    "SELECT l->>'price', l->>'quantity', coalesce(l->>'discount_amount', '0'), l->>'total_price'"
    " FROM jsonb_array_elements(coalesce($1->'line_items', '[]'::jsonb)) WITH ORDINALITY AS e(l, n) ORDER BY n",
    {JSONBOID}, pg::Statement::Plan::Generic);

// The order, without its maintained amounts (the triggers compute them).
pg::Statement upsert_order(
    "INSERT INTO {app}.orders AS o (store_id, external_id, customer_id, order_number, customer_email,"
    " customer_phone, customer_first_name, customer_last_name, customer_external_id, total_tax, total_shipping,"
    " total_discounts, currency_code, status, payment_status, shipping_address, billing_address, shipping_method,"
    " tracking_number, tracking_url, order_date, platform_data, customer_notes, last_synced_at, sync_hash)"
    " SELECT $1, $2, (SELECT c.id FROM {app}.customers c WHERE c.store_id = $1"
    "                 AND c.external_id = r.customer_external_id), r.order_number, r.customer_email,"
    " r.customer_phone, r.customer_first_name, r.customer_last_name, r.customer_external_id,"
    " coalesce(r.total_tax, 0), coalesce(r.total_shipping, 0), coalesce(r.total_discounts, 0), r.currency_code,"
    " coalesce(r.status, 'pending'), coalesce(r.payment_status, 'pending'), r.shipping_address, r.billing_address,"
    " r.shipping_method, r.tracking_number, r.tracking_url, coalesce(r.order_date, now()), $3, r.customer_notes, now(), $4"
    " FROM jsonb_populate_record(NULL::{app}.orders, $3 - 'line_items' - 'subtotal_price' - 'total_price') AS r"
    " ON CONFLICT (store_id, external_id) DO UPDATE SET customer_id = excluded.customer_id,"
    " order_number = excluded.order_number, customer_email = excluded.customer_email,"
    " customer_phone = excluded.customer_phone, customer_first_name = excluded.customer_first_name,"
    " customer_last_name = excluded.customer_last_name, customer_external_id = excluded.customer_external_id,"
    " total_tax = excluded.total_tax, total_shipping = excluded.total_shipping,"
    " total_discounts = excluded.total_discounts, status = excluded.status,"
    " payment_status = excluded.payment_status, shipping_address = excluded.shipping_address,"
    " billing_address = excluded.billing_address, shipping_method = excluded.shipping_method,"
    " tracking_number = excluded.tracking_number, tracking_url = excluded.tracking_url,"
    " order_date = excluded.order_date, platform_data = excluded.platform_data,"
    " customer_notes = excluded.customer_notes, last_synced_at = excluded.last_synced_at,"
    " sync_hash = excluded.sync_hash"
    " RETURNING o.id, (o.xmax = 0)",
    {UUIDOID, TEXTOID, JSONBOID, TEXTOID}, pg::Statement::Plan::Generic);

// The lines are replaced: the platform's payload is the whole order.
pg::Statement drop_lines("DELETE FROM {app}.order_line_items WHERE order_id = $1", {UUIDOID},
                         pg::Statement::Plan::Generic);
pg::Statement add_lines(
    "INSERT INTO {app}.order_line_items (order_id, store_id, product_id, variant_id, external_id,"
    " external_product_id, external_variant_id, title, variant_title, sku, price, quantity, discount_amount,"
    " tax_amount, properties)"
    " SELECT $1, $2, p.id, v.id, r.external_id, r.external_product_id, r.external_variant_id, r.title,"
    " r.variant_title, r.sku, r.price, r.quantity, coalesce(r.discount_amount, 0), coalesce(r.tax_amount, 0),"
    " r.properties"
    " FROM jsonb_populate_recordset(NULL::{app}.order_line_items, $3) AS r"
    " LEFT JOIN {app}.products p ON p.store_id = $2 AND p.external_id = r.external_product_id"
    " LEFT JOIN {app}.product_variants v ON v.product_id = p.id AND v.external_variant_id = r.external_variant_id",
    {UUIDOID, UUIDOID, JSONBOID}, pg::Statement::Plan::Generic);
pg::Statement line_items("SELECT coalesce($1->'line_items', '[]'::jsonb)", {JSONBOID}, pg::Statement::Plan::Generic);

Decimal amount(const std::optional<std::string>& text, const char* what) {
    if (!text) throw DomainError(ErrorKind::InvalidParameter, fmt::format("the payload has no {}", what));
    try {
        return Decimal::parse(*text);
    } catch (const DomainError&) {
        throw DomainError(ErrorKind::InvalidParameter, fmt::format("{} \"{}\" is not a number", what, *text));
    }
}

void agree(const char* what, const Decimal& stated, const Decimal& computed, const char* rule) {
    if (stated != computed) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("the payload's {} {} disagrees with its lines: {} = {}", what,
                                      stated.to_string(), rule, computed.to_string()));
    }
}

const char* write_order(Oid app, Datum store, Datum external_id, Datum data, Datum hash);

// A sync payload is one record: an object, not an array of them or a scalar
// (which jsonb_populate_record would refuse as "cannot call populate_composite
// on an array", naming none of the caller's arguments).
void require_object(Datum payload, const char* what) {
    const bool object = pg::call([&] {
        Jsonb* j = DatumGetJsonbP(payload);
        return JB_ROOT_IS_OBJECT(j) && !JB_ROOT_IS_SCALAR(j);
    });
    if (!object) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("data must be a JSON object: one {} in its table's column names", what));
    }
}

}  // namespace

// callai_internal.require_sync_object(data, what): the check above, for the
// SQL sync functions (sync_customer, sync_product).
PG_CPP_FUNCTION(callai_require_sync_object) {
    const Datum data = pg::required_arg(fcinfo, 0, "data");
    const std::string what = pg::string_from_text(pg::required_arg(fcinfo, 1, "what"));
    require_object(data, what.c_str());
    PG_RETURN_VOID();
}

// callai.sync_order(store, external_id, data, sync_hash) -> 'inserted' |
// 'updated' | 'unchanged'. data is the order in orders' column names with its
// lines in line_items (order_line_items' column names; products and variants
// found by external_product_id / external_variant_id). A stated subtotal_price,
// total_price or line total_price that disagrees with the lines: 22023.
PG_CPP_FUNCTION(callai_sync_order) {
    const Datum store = pg::required_arg(fcinfo, 0, "store");
    const Datum external_id = pg::required_arg(fcinfo, 1, "external_id");
    const Datum data = pg::required_arg(fcinfo, 2, "data");
    const Datum hash = pg::required_arg(fcinfo, 3, "sync_hash");
    require_object(data, "order");
    const Oid app = pg::schema_of_function(fcinfo);
    const char* outcome = "unchanged";
    {
        pg::SpiSession spi;
        Datum key[2] = {store, external_id};
        const bool unchanged = existing.execute(app, key, nullptr, false, 1) == 1 &&
                               spi_text(0, 1) == pg::string_from_text(hash);
        if (!unchanged) outcome = write_order(app, store, external_id, data, hash);
    }
    return pg::text_from_string(outcome);
}

namespace {

const char* write_order(Oid app, Datum store, Datum external_id, Datum data, Datum hash) {
    {
        Datum payload[1] = {data};
        stated.execute(app, payload, nullptr, true, 1);
        const std::optional<std::string> subtotal_text = spi_text(0, 1), total_text = spi_text(0, 2);
        const Decimal tax = amount(spi_text(0, 3), "total_tax"), shipping = amount(spi_text(0, 4), "total_shipping"),
                      discounts = amount(spi_text(0, 5), "total_discounts");
        if (!spi_bool(0, 6).value_or(false)) {
            throw DomainError(ErrorKind::InvalidParameter, "the payload's line_items is not an array");
        }
        Decimal subtotal = Decimal::from_int(0).rescale(domain::kMoneyScale);
        const uint64 n = payload_lines.execute(app, payload, nullptr, true);
        for (uint64 i = 0; i < n; ++i) {
            const Decimal price = amount(spi_text(i, 1), "line price");
            const std::optional<std::string> quantity_text = spi_text(i, 2);
            std::int64_t quantity = 0;
            try {
                quantity = quantity_text ? std::stoll(*quantity_text) : 0;
            } catch (const std::exception&) {
                throw DomainError(ErrorKind::InvalidParameter,
                                  fmt::format("line quantity \"{}\" is not an integer", *quantity_text));
            }
            const Decimal line = domain::line_total(price, quantity, amount(spi_text(i, 3), "line discount_amount"));
            if (const std::optional<std::string> line_text = spi_text(i, 4)) {
                agree("line total_price", amount(line_text, "line total_price"), line,
                      "round(price x quantity, 2) - discount_amount");
            }
            subtotal = subtotal + line;
        }
        if (subtotal_text) agree("subtotal_price", amount(subtotal_text, "subtotal_price"), subtotal, "the sum of the lines");
        const Decimal total = domain::order_total(subtotal, tax, shipping, discounts);
        if (total_text) {
            agree("total_price", amount(total_text, "total_price"), total,
                  "subtotal + total_tax + total_shipping - total_discounts");
        }
        // No row limit: SPI with one stops the top-level ModifyTable before it
        // fires the AFTER STATEMENT triggers (the figures would drift).
        Datum order_args[4] = {store, external_id, data, hash};
        upsert_order.execute(app, order_args, nullptr);
        const Datum order_id = pg::datum_from_uuid(*spi_uuid(0, 1));
        const char* outcome = spi_bool(0, 2).value_or(false) ? "inserted" : "updated";
        Datum by_order[1] = {order_id};
        drop_lines.execute(app, by_order, nullptr);
        line_items.execute(app, payload, nullptr, true, 1);
        bool isnull;
        const Datum lines = pg::spi_value(0, 1, &isnull);
        Datum line_args[3] = {order_id, store, lines};
        add_lines.execute(app, line_args, nullptr);
        return outcome;
    }
}

}  // namespace
