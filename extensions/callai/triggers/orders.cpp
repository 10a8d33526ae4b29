// Orders, their lines, stock and customer figures.
//
//   line_before      BEFORE INSERT/UPDATE of a line: its total and status
//   lines_changed    AFTER each statement on lines: the orders' subtotal and
//                    fulfilment roll-up, stock of orders that hold it
//   order_before     BEFORE INSERT/UPDATE of an order: currency, total,
//                    protected columns, status dates
//   order_deleting   BEFORE DELETE of an order holding stock: gives it back
//   orders_changed   AFTER each statement on orders: status history,
//                    customer figures, stock reserved / restored on status
//   product_before   BEFORE INSERT/UPDATE of a product or variant:
//                    availability, currency
//
// Locks are taken in one order everywhere: orders, then customers, then
// products and variants, each set in ascending id order.
#include <fmt/format.h>

#include <map>
#include <set>

#include "callai/common.hpp"
#include "callai/domain/customer_stats.hpp"
#include "callai/domain/orders.hpp"
#include "callai/domain/stock.hpp"
#include "core/errors.hpp"
#include "pg/spi.hpp"
#include "platform/restore_mode.hpp"
#include "platform/caller.hpp"

extern "C" {
#include "executor/spi.h"
#include "utils/guc.h"
}

using namespace callai;
using core::Decimal;
using core::DomainError;
using core::ErrorKind;
namespace domain = callai::domain;

namespace {

const Decimal kZero = Decimal::from_int(0);

[[noreturn]] void disagree(const char* column, const Decimal& given, const Decimal& computed,
                           const char* rule) {
    throw DomainError(ErrorKind::InvalidParameter,
                      fmt::format("{} {} disagrees with {} = {}", column, given.to_string(), rule,
                                  computed.to_string()),
                      {}, fmt::format("Leave {} out: the database computes it.", column));
}

// A maintained column: computed on every write; a value written that
// differs from the computed one is refused. On UPDATE a value not written
// is the old one, so only a changed value counts as written.
void keep_computed(RowEdit& row, const RowEdit* old, const char* column, const Decimal& computed,
                   const char* rule) {
    const std::optional<Decimal> given = row.decimal(column);
    const bool written = old == nullptr ? given.has_value() : given != old->decimal(column);
    if (written && given && *given != computed) disagree(column, *given, computed, rule);
    row.set_decimal(column, computed);
}

std::string fulfilment_of_line(const RowEdit& row) {
    const domain::Fulfilment current =
        domain::parse_fulfilment(row.label("fulfillment_status").value_or("unfulfilled"));
    if (current == domain::Fulfilment::Restocked || current == domain::Fulfilment::Cancelled) {
        domain::line_fulfilment(*row.integer("quantity"), row.integer("fulfilled_quantity").value_or(0));
        return domain::fulfilment_label(current);
    }
    return domain::fulfilment_label(
        domain::line_fulfilment(*row.integer("quantity"), row.integer("fulfilled_quantity").value_or(0)));
}

}  // namespace

// callai_internal.line_before(): BEFORE INSERT OR UPDATE FOR EACH ROW on
// order_line_items.
PG_CPP_FUNCTION(callai_line_before) {
    static const pg::TriggerSpec spec{"callai_internal.line_before", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(data->tg_trigtuple);  // a restore: rows as dumped
    const bool update = pg::trigger_event(data) == pg::event::Update;
    RowEdit row(data, update ? data->tg_newtuple : data->tg_trigtuple);
    std::optional<OldRow> old;
    if (update) {
        old.emplace(data);
        if (row.uuid("order_id") != (*old)->uuid("order_id")) {
            throw DomainError(ErrorKind::InvalidParameter, "a line cannot move to another order",
                              {}, "Delete it and insert it into the other order.");
        }
    }
    const std::optional<Decimal> price = row.decimal("price");
    const std::optional<std::int64_t> quantity = row.integer("quantity");
    if (!price || !quantity) {
        throw DomainError(ErrorKind::NotNull, "a line needs a price and a quantity");
    }
    const Decimal total = domain::line_total(*price, *quantity, row.decimal("discount_amount").value_or(kZero));
    keep_computed(row, old ? &**old : nullptr, "total_price", total, "round(price x quantity, 2) - discount_amount");
    row.set_label("fulfillment_status", fulfilment_of_line(row));
    return PointerGetDatum(row.result());
}

namespace {

struct LineRow {
    pg::Uuid order;
    std::optional<pg::Uuid> product;
    std::optional<pg::Uuid> variant;
    std::int64_t quantity;
};

pg::Statement old_line_rows("SELECT order_id, product_id, variant_id, quantity FROM old_lines", {});
pg::Statement new_line_rows("SELECT order_id, product_id, variant_id, quantity FROM new_lines", {});

std::vector<LineRow> read_lines(pg::Statement& statement, Oid app) {
    const uint64 n = statement.execute(app, nullptr, nullptr, false);
    std::vector<LineRow> out;
    out.reserve(n);
    for (uint64 i = 0; i < n; ++i) {
        CHECK_FOR_INTERRUPTS();
        out.push_back({*spi_uuid(i, 1), spi_uuid(i, 2), spi_uuid(i, 3), spi_int(i, 4).value_or(0)});
    }
    return out;
}

pg::Statement lock_order(
    "SELECT status::text, fulfillment_status::text FROM {app}.orders WHERE id = $1 FOR NO KEY UPDATE", {UUIDOID},
    pg::Statement::Plan::Generic);
pg::Statement lines_of_order(
    "SELECT quantity, fulfilled_quantity, total_price, product_id, variant_id "
    "FROM {app}.order_line_items WHERE order_id = $1",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement set_order_sums(
    "UPDATE {app}.orders SET subtotal_price = $2, fulfillment_status = $3::text::{app}.fulfillment_status "
    "WHERE id = $1 AND (subtotal_price <> $2 OR fulfillment_status <> $3::text::{app}.fulfillment_status)",
    {UUIDOID, NUMERICOID, TEXTOID}, pg::Statement::Plan::Generic);

pg::Statement lock_product(
    "SELECT inventory_quantity, inventory_tracked FROM {app}.products WHERE id = $1 FOR NO KEY UPDATE",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement lock_variant(
    "SELECT inventory_quantity, inventory_tracked FROM {app}.product_variants WHERE id = $1 FOR NO KEY UPDATE",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement set_product_stock("UPDATE {app}.products SET inventory_quantity = $2 WHERE id = $1",
                                {UUIDOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement set_variant_stock("UPDATE {app}.product_variants SET inventory_quantity = $2 WHERE id = $1",
                                {UUIDOID, INT4OID}, pg::Statement::Plan::Generic);
// The common case in one statement: a tracked item with enough stock moves
// by the delta (UPDATE locks the newest version and checks it again, so the
// test holds under concurrency). Anything else (not tracked, deleted, not
// enough) takes the lock-and-read path, which says which.
pg::Statement move_product_stock(
    "UPDATE {app}.products SET inventory_quantity = inventory_quantity + $2 "
    "WHERE id = $1 AND inventory_tracked AND inventory_quantity + $2 >= 0",
    {UUIDOID, INT4OID}, pg::Statement::Plan::Generic);
pg::Statement move_variant_stock(
    "UPDATE {app}.product_variants SET inventory_quantity = inventory_quantity + $2 "
    "WHERE id = $1 AND inventory_tracked AND inventory_quantity + $2 >= 0",
    {UUIDOID, INT4OID}, pg::Statement::Plan::Generic);

// The item a line's stock comes from: its variant when it names one.
std::optional<domain::StockItem> stock_item(const std::optional<pg::Uuid>& product,
                                            const std::optional<pg::Uuid>& variant) {
    if (variant) return domain::StockItem{true, *variant};
    if (product) return domain::StockItem{false, *product};
    return std::nullopt;
}

void apply_stock(const domain::StockDeltas& deltas, Oid app) {
    for (const auto& [item, delta] : deltas.nonzero_sorted()) {
        CHECK_FOR_INTERRUPTS();
        Datum key[1] = {pg::datum_from_uuid(item.id)};
        if (delta >= PG_INT32_MIN && delta <= PG_INT32_MAX) {
            Datum move[2] = {key[0], Int32GetDatum(static_cast<int32>(delta))};
            if ((item.variant ? move_variant_stock : move_product_stock).execute(app, move, nullptr) == 1) continue;
        }
        pg::Statement& lock = item.variant ? lock_variant : lock_product;
        if (lock.execute(app, key, nullptr, false, 1) == 0) continue;  // deleted
        if (!spi_bool(0, 2).value_or(false)) continue;                 // stock not tracked
        const std::int64_t on_hand = spi_int(0, 1).value_or(0);
        const std::int64_t after = domain::apply_stock_delta(
            on_hand, delta, fmt::format("{} {}", item.variant ? "variant" : "product", uuid_string(item.id)));
        Datum args[2] = {key[0], Int32GetDatum(static_cast<int32>(after))};
        (item.variant ? set_variant_stock : set_product_stock).execute(app, args, nullptr);
    }
}

}  // namespace

// callai_internal.lines_changed(): AFTER INSERT / UPDATE / DELETE FOR EACH
// STATEMENT on order_line_items, with the transition tables as old_lines /
// new_lines. Runs as the extension's owner.
PG_CPP_FUNCTION(callai_lines_changed) {
    static const pg::TriggerSpec spec{"callai_internal.lines_changed", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After,
                                      pg::event::Insert | pg::event::Update | pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);  // a restore: rows as dumped
    const unsigned ev = pg::trigger_event(data);
    const Oid app = app_schema(data->tg_relation);
    platform::AsExtensionOwner owner(extension);
    MaintenanceWrite maintenance;
    pg::SpiSession spi;
    register_transition_tables(data);

    std::vector<LineRow> removed, added;
    if (ev != pg::event::Insert) removed = read_lines(old_line_rows, app);
    if (ev != pg::event::Delete) added = read_lines(new_line_rows, app);
    std::set<pg::Uuid> orders;
    for (const LineRow& l : removed) orders.insert(l.order);
    for (const LineRow& l : added) orders.insert(l.order);

    std::set<pg::Uuid> holding;  // orders whose lines hold stock
    for (const pg::Uuid& order : orders) {
        CHECK_FOR_INTERRUPTS();
        Datum key[1] = {pg::datum_from_uuid(order)};
        if (lock_order.execute(app, key, nullptr, false, 1) == 0) continue;  // deleted with its lines
        if (domain::holds_stock(domain::parse_order_status(*spi_text(0, 1)))) holding.insert(order);
        const domain::Fulfilment current = domain::parse_fulfilment(*spi_text(0, 2));
        const uint64 n = lines_of_order.execute(app, key, nullptr, false);
        Decimal subtotal = Decimal::from_int(0).rescale(domain::kMoneyScale);
        std::vector<domain::LineProgress> progress;
        for (uint64 i = 0; i < n; ++i) {
            progress.push_back({*spi_int(i, 1), *spi_int(i, 2)});
            subtotal = subtotal + *spi_decimal(i, 3, "total_price");
        }
        const std::string rolled = domain::fulfilment_label(domain::roll_up(current, progress));
        Datum args[3] = {key[0], pg::numeric_from_decimal(subtotal), pg::text_from_string(rolled)};
        set_order_sums.execute(app, args, nullptr);
    }

    domain::StockDeltas stock;
    for (const LineRow& l : removed) {
        if (!holding.count(l.order)) continue;
        if (auto item = stock_item(l.product, l.variant)) stock.restore(*item, l.quantity);
    }
    for (const LineRow& l : added) {
        if (!holding.count(l.order)) continue;
        if (auto item = stock_item(l.product, l.variant)) stock.reserve(*item, l.quantity);
    }
    apply_stock(stock, app);
    return PointerGetDatum(nullptr);
}

namespace {

pg::Statement store_currency("SELECT currency_code FROM {app}.stores WHERE id = $1", {UUIDOID},
                             pg::Statement::Plan::Generic);

// Fills a NULL currency_code with the store's, refuses (22023) any other.
void keep_store_currency(RowEdit& row, const RowEdit* old, Oid app, const char* what) {
    if (old != nullptr && row.text("currency_code") == old->text("currency_code") &&
        row.uuid("store_id") == old->uuid("store_id")) {
        return;
    }
    std::optional<std::string> currency;
    {
        pg::SpiSession spi;
        Datum key[1] = {row.value("store_id")};
        if (row.is_null("store_id")) return;  // NOT NULL says so
        if (store_currency.execute(app, key, nullptr, false, 1) == 1) currency = spi_text(0, 1);
    }
    if (!currency) return;  // the foreign key says so
    const std::optional<std::string> given = row.text("currency_code");
    if (!given) {
        row.set_text("currency_code", *currency);
    } else if (*given != *currency) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("{} in {} for a store that sells in {}", what, *given, *currency),
                          "An order, its lines and its products are in the store's currency.");
    }
}

}  // namespace

// callai_internal.order_before(): BEFORE INSERT OR UPDATE FOR EACH ROW on orders.
PG_CPP_FUNCTION(callai_order_before) {
    static const pg::TriggerSpec spec{"callai_internal.order_before", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(data->tg_trigtuple);  // a restore: rows as dumped
    const bool update = pg::trigger_event(data) == pg::event::Update;
    const Oid app = app_schema(data->tg_relation);
    RowEdit row(data, update ? data->tg_newtuple : data->tg_trigtuple);
    std::optional<OldRow> old;
    if (update) {
        old.emplace(data);
        if (row.uuid("id") != (*old)->uuid("id") || row.uuid("store_id") != (*old)->uuid("store_id")) {
            throw DomainError(ErrorKind::InvalidParameter, "an order's id and store cannot change");
        }
    }
    const RowEdit* before = old ? &**old : nullptr;
    keep_store_currency(row, before, app, "an order");

    // subtotal_price: the sum of the lines, written only by lines_changed.
    const Decimal subtotal = row.decimal("subtotal_price").value_or(kZero);
    if (!MaintenanceWrite::active()) {
        const Decimal expected = before ? before->decimal("subtotal_price").value_or(kZero) : kZero;
        if (subtotal != expected) {
            disagree("subtotal_price", subtotal, expected, "the sum of the order's lines");
        }
        // fulfillment_status: people set restocked or cancelled; the rest is rolled up.
        const domain::Fulfilment given =
            domain::parse_fulfilment(row.label("fulfillment_status").value_or("unfulfilled"));
        const bool manual = given == domain::Fulfilment::Restocked || given == domain::Fulfilment::Cancelled;
        if (!manual && (!before || row.label("fulfillment_status") != before->label("fulfillment_status"))) {
            std::vector<domain::LineProgress> progress;
            if (before) {
                pg::SpiSession spi;
                Datum key[1] = {row.value("id")};
                const uint64 n = lines_of_order.execute(app, key, nullptr, false);
                for (uint64 i = 0; i < n; ++i) progress.push_back({*spi_int(i, 1), *spi_int(i, 2)});
            }
            row.set_label("fulfillment_status",
                          domain::fulfilment_label(domain::roll_up(domain::Fulfilment::Unfulfilled, progress)));
        }
    }
    const Decimal total = domain::order_total(subtotal, row.decimal("total_tax").value_or(kZero),
                                              row.decimal("total_shipping").value_or(kZero),
                                              row.decimal("total_discounts").value_or(kZero));
    const bool inputs_changed =
        !before || subtotal != before->decimal("subtotal_price").value_or(kZero) ||
        row.decimal("total_tax") != before->decimal("total_tax") ||
        row.decimal("total_shipping") != before->decimal("total_shipping") ||
        row.decimal("total_discounts") != before->decimal("total_discounts");
    // A total written together with the parts it sums must agree with them;
    // a total left alone follows the parts.
    const std::optional<Decimal> given_total = row.decimal("total_price");
    const bool total_written = before ? given_total != before->decimal("total_price") : given_total.has_value();
    if (total_written && given_total && *given_total != total) {
        disagree("total_price", *given_total, total, "subtotal_price + total_tax + total_shipping - total_discounts");
    }
    if (inputs_changed || total_written) row.set_decimal("total_price", total);

    // Dates of the status reached, when the writer gave none.
    const std::string status = row.label("status").value_or("pending");
    if (!before || status != before->label("status").value_or("")) {
        const Datum now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
        const char* date_column = status == "shipped"     ? "shipped_date"
                                  : status == "delivered" ? "delivered_date"
                                  : status == "cancelled" ? "cancelled_date"
                                                          : nullptr;
        if (date_column && row.is_null(date_column)) row.set(date_column, now);
    }
    return PointerGetDatum(row.result());
}

// callai_internal.order_deleting(): BEFORE DELETE FOR EACH ROW on orders. An
// order deleted while it holds stock gives its lines' stock back (its lines
// go with it). An order deleted with its store gives nothing back: the
// products go too.
PG_CPP_FUNCTION(callai_order_deleting) {
    static const pg::TriggerSpec spec{"callai_internal.order_deleting", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    RowEdit row(data, data->tg_trigtuple);
    if (!domain::holds_stock(domain::parse_order_status(row.label("status").value_or("pending")))) {
        return PointerGetDatum(data->tg_trigtuple);
    }
    const Oid app = app_schema(data->tg_relation);
    platform::AsExtensionOwner owner(extension);
    pg::SpiSession spi;
    Datum store_key[1] = {row.value("store_id")};
    if (store_currency.execute(app, store_key, nullptr, false, 1) == 0) return PointerGetDatum(data->tg_trigtuple);
    Datum key[1] = {row.value("id")};
    const uint64 n = lines_of_order.execute(app, key, nullptr, false);
    domain::StockDeltas stock;
    for (uint64 i = 0; i < n; ++i) {
        if (auto item = stock_item(spi_uuid(i, 4), spi_uuid(i, 5))) stock.restore(*item, *spi_int(i, 1));
    }
    apply_stock(stock, app);
    return PointerGetDatum(data->tg_trigtuple);
}

namespace {

pg::Statement old_order_rows(
    "SELECT id, customer_id, status::text, total_price, order_date FROM old_orders ORDER BY id", {});
pg::Statement new_order_rows(
    "SELECT id, customer_id, status::text, total_price, order_date FROM new_orders ORDER BY id", {});
pg::Statement record_status_inserted(
    "INSERT INTO {app}.order_status_history (order_id, store_id, from_status, to_status, changed_by, source) "
    "SELECT n.id, n.store_id, NULL, n.status, $1, $2::text::{app}.order_change_source FROM new_orders n ORDER BY n.id",
    {UUIDOID, TEXTOID});
pg::Statement record_status_updated(
    "INSERT INTO {app}.order_status_history (order_id, store_id, from_status, to_status, changed_by, source) "
    "SELECT n.id, n.store_id, o.status, n.status, $1, $2::text::{app}.order_change_source FROM new_orders n JOIN old_orders o ON o.id = n.id "
    "WHERE o.status <> n.status ORDER BY n.id",
    {UUIDOID, TEXTOID});
pg::Statement lock_customers(
    "SELECT id FROM {app}.customers WHERE id = ANY ($1) ORDER BY id FOR NO KEY UPDATE", {UUIDARRAYOID});
pg::Statement apply_customer_delta(
    "UPDATE {app}.customers SET total_spent = total_spent + $2, lifetime_value = lifetime_value + $2, "
    "total_orders = total_orders + $3, "
    "last_order_date = CASE WHEN $5 THEN (SELECT max(o.order_date) FROM {app}.orders o "
    "  WHERE o.customer_id = $1 AND o.status NOT IN ('cancelled', 'refunded')) "
    "  ELSE greatest(last_order_date, $4) END "
    "WHERE id = $1",
    {UUIDOID, NUMERICOID, INT4OID, TIMESTAMPTZOID, BOOLOID}, pg::Statement::Plan::Generic);

struct OrderRow {
    pg::Uuid id;
    domain::OrderFacts facts;
};

std::vector<OrderRow> read_orders(pg::Statement& statement, Oid app) {
    const uint64 n = statement.execute(app, nullptr, nullptr, false);
    std::vector<OrderRow> out;
    out.reserve(n);
    for (uint64 i = 0; i < n; ++i) {
        CHECK_FOR_INTERRUPTS();
        out.push_back({*spi_uuid(i, 1),
                       {spi_uuid(i, 2), domain::parse_order_status(*spi_text(i, 3)),
                        *spi_decimal(i, 4, "total_price"), *spi_timestamp(i, 5)}});
    }
    return out;
}

// Who changed the status and through what: callai.change_source when the
// writer set it (sync, voice, agent, system), else sync for the service and
// agent for a member.
std::string change_source() {
    const char* setting = pg::call([] { return GetConfigOption("callai.change_source", true, false); });
    if (setting != nullptr && *setting != '\0') {
        const std::string s(setting);
        if (s == "sync" || s == "voice" || s == "agent" || s == "system") return s;
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("callai.change_source must be sync, voice, agent or system, not \"{}\"", s));
    }
    return platform::is_service() ? "sync" : "agent";
}

}  // namespace

// callai_internal.orders_changed(): AFTER INSERT / UPDATE / DELETE FOR EACH
// STATEMENT on orders, with the transition tables as old_orders / new_orders.
// Runs as the extension's owner.
PG_CPP_FUNCTION(callai_orders_changed) {
    static const pg::TriggerSpec spec{"callai_internal.orders_changed", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After,
                                      pg::event::Insert | pg::event::Update | pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);  // a restore: rows as dumped
    const unsigned ev = pg::trigger_event(data);
    const Oid app = app_schema(data->tg_relation);
    const std::optional<pg::Uuid> actor = platform::current_user_id();
    const std::string source = ev == pg::event::Delete ? "" : change_source();
    platform::AsExtensionOwner owner(extension);
    MaintenanceWrite maintenance;
    pg::SpiSession spi;
    register_transition_tables(data);

    std::vector<OrderRow> removed, added;
    if (ev != pg::event::Insert) removed = read_orders(old_order_rows, app);
    if (ev != pg::event::Delete) added = read_orders(new_order_rows, app);

    bool status_changed = ev == pg::event::Insert;
    for (std::size_t i = 0; ev == pg::event::Update && i < added.size() && i < removed.size(); ++i) {
        status_changed = status_changed || added[i].facts.status != removed[i].facts.status;
    }
    if (status_changed) {
        Datum args[2] = {actor ? pg::datum_from_uuid(*actor) : Datum(0), pg::text_from_string(source)};
        const char nulls[3] = {actor ? ' ' : 'n', ' ', '\0'};
        (ev == pg::event::Insert ? record_status_inserted : record_status_updated).execute(app, args, nulls);
    }

    // Customer figures. Both lists are in id order; an UPDATE pairs them.
    domain::CustomerStatsDeltas customers;
    if (ev == pg::event::Update) {
        for (std::size_t i = 0; i < added.size() && i < removed.size(); ++i) {
            customers.changed(removed[i].facts, added[i].facts);
        }
    } else {
        for (const OrderRow& o : removed) customers.removed(o.facts);
        for (const OrderRow& o : added) customers.added(o.facts);
    }
    const auto deltas = customers.sorted();
    if (!deltas.empty()) {
        std::vector<Datum> ids;
        for (const auto& [id, d] : deltas) ids.push_back(pg::datum_from_uuid(id));
        const Datum id_array = pg::call([&] {
            return PointerGetDatum(construct_array(ids.data(), static_cast<int>(ids.size()), UUIDOID, UUID_LEN,
                                                   false, TYPALIGN_CHAR));
        });
        // Customers are locked in id order, then updated: a recount of
        // last_order_date reads the orders after the lock, in a statement of
        // its own. One customer whose update is pure deltas (applied to the
        // newest version when it waits) is locked by the update alone.
        Datum lock_args[1] = {id_array};
        if (deltas.size() > 1 || deltas.front().second.recompute_last_date) {
            lock_customers.execute(app, lock_args, nullptr);
        }
        for (const auto& [id, d] : deltas) {
            CHECK_FOR_INTERRUPTS();
            Datum args[5] = {pg::datum_from_uuid(id), pg::numeric_from_decimal(d.spent),
                             Int32GetDatum(static_cast<int32>(d.orders)),
                             d.newest_added ? TimestampTzGetDatum(*d.newest_added) : Datum(0),
                             BoolGetDatum(d.recompute_last_date)};
            const char nulls[6] = {' ', ' ', ' ', d.newest_added ? ' ' : 'n', ' ', '\0'};
            apply_customer_delta.execute(app, args, nulls);
        }
    }

    // Stock follows the status: reserved on entering a holding status,
    // restored on leaving it.
    if (ev == pg::event::Update) {
        domain::StockDeltas stock;
        for (std::size_t i = 0; i < added.size() && i < removed.size(); ++i) {
            const bool held_before = domain::holds_stock(removed[i].facts.status);
            const bool held_after = domain::holds_stock(added[i].facts.status);
            if (held_before == held_after) continue;
            Datum key[1] = {pg::datum_from_uuid(added[i].id)};
            const uint64 n = lines_of_order.execute(app, key, nullptr, false);
            for (uint64 r = 0; r < n; ++r) {
                auto item = stock_item(spi_uuid(r, 4), spi_uuid(r, 5));
                if (!item) continue;
                if (held_after) {
                    stock.reserve(*item, *spi_int(r, 1));
                } else {
                    stock.restore(*item, *spi_int(r, 1));
                }
            }
        }
        apply_stock(stock, app);
    }
    return PointerGetDatum(nullptr);
}

namespace {
pg::Statement low_stock_threshold(
    "SELECT CASE WHEN jsonb_typeof(value) = 'number' THEN (value #>> '{{}}')::numeric END "
    "FROM {app}.settings WHERE store_id = $1 AND category = 'general' AND key = 'low_stock_threshold'",
    {UUIDOID}, pg::Statement::Plan::Generic);
constexpr std::int64_t kDefaultLowStockThreshold = 5;
}  // namespace

// callai_internal.product_before(): BEFORE INSERT OR UPDATE FOR EACH ROW on
// products and product_variants: availability from tracked stock, and (on
// products) the store's currency.
PG_CPP_FUNCTION(callai_product_before) {
    static const pg::TriggerSpec spec{"callai_internal.product_before", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(data->tg_trigtuple);  // a restore: rows as dumped
    const bool update = pg::trigger_event(data) == pg::event::Update;
    const Oid app = app_schema(data->tg_relation);
    RowEdit row(data, update ? data->tg_newtuple : data->tg_trigtuple);
    std::optional<OldRow> old;
    if (update) old.emplace(data);
    const bool is_product = std::strcmp(RelationGetRelationName(data->tg_relation), "products") == 0;
    if (is_product) keep_store_currency(row, old ? &**old : nullptr, app, "a product priced");
    if (!row.boolean("inventory_tracked")) return PointerGetDatum(row.result());

    std::int64_t threshold = kDefaultLowStockThreshold;
    {
        pg::SpiSession spi;
        Datum key[1] = {row.value("store_id")};
        if (low_stock_threshold.execute(app, key, nullptr, false, 1) == 1) {
            if (auto t = spi_decimal(0, 1, "general.low_stock_threshold")) {
                threshold = static_cast<std::int64_t>(t->rescale(0).units());
            }
        }
    }
    const domain::Availability requested =
        domain::parse_availability(row.label("availability").value_or("in_stock"));
    row.set_label("availability", domain::availability_label(domain::derive_availability(
                                      true, row.integer("inventory_quantity").value_or(0), threshold, requested)));
    return PointerGetDatum(row.result());
}
