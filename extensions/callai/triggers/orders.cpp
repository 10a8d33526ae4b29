// Orders, their lines, stock and customer figures.
//
//   line_before      BEFORE INSERT/UPDATE of a line: its total and status
//   lines_changed    AFTER each statement on lines: the orders' subtotal,
//                    total and fulfilment roll-up, their customers' figures,
//                    stock of orders that hold it
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
#include "callai/store_settings.hpp"
#include "core/errors.hpp"
#include "pg/direct_write.hpp"
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
    std::int64_t fulfilled;
    Decimal total;
};

// The rows of a transition table of order_line_items, read directly (no
// statement over the table).
std::vector<LineRow> read_lines(TriggerData* data, Tuplestorestate* store) {
    const Relation rel = data->tg_relation;
    const TupleDesc desc = RelationGetDescr(rel);
    const Oid relid = RelationGetRelid(rel);
    auto att = [&](const char* name) { return pg::cached_attnum(relid, desc, name); };
    const int order = att("order_id"), product = att("product_id"), variant = att("variant_id"),
              quantity = att("quantity"), fulfilled = att("fulfilled_quantity"), total = att("total_price");
    pg::TransitionTable rows(store, desc);
    std::vector<LineRow> out;
    bool isnull = false;
    auto uuid = [&](int att) -> std::optional<pg::Uuid> {
        const Datum v = rows.value(att, &isnull);
        return isnull ? std::nullopt : std::optional(pg::uuid_from_datum(v));
    };
    auto integer = [&](int att) -> std::int64_t {  // NOT NULL columns
        const Datum v = rows.value(att, &isnull);
        return isnull ? 0 : DatumGetInt32(v);
    };
    while (rows.next()) {
        CHECK_FOR_INTERRUPTS();
        LineRow l{*uuid(order), uuid(product), uuid(variant), integer(quantity), integer(fulfilled), kZero};
        const Datum t = rows.value(total, &isnull);
        if (!isnull) l.total = pg::decimal_from_numeric(t, "total_price");
        out.push_back(l);
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

// ------------------------------------------------ rows written below SQL
//
// Where every trigger of a table is the extension's own and the transaction
// runs under READ COMMITTED (pg::DirectWriter::usable(); otherwise the SQL
// statements above run, so a trigger a user adds keeps firing), orders,
// customers and stock are written through pg::DirectWriter: the same row
// lock as the statements' (FOR NO KEY UPDATE of the newest version, a
// concurrent writer waited for), the same row triggers (order_before,
// product_before, touch_updated_at, foreign keys), CHECKs, index entries and
// WAL, without planning and executor start-up per statement, and with the
// tables' CHECKs built once per backend instead of once per statement.

std::optional<Oid> direct_table(Oid app, const char* name) {
    return pg::DirectWriter::usable_table(app, name, "callai_internal");
}

// 22003, as the assignment of an out-of-range value to the column raises.
[[noreturn]] void raise_out_of_range(const char* type) {
    pg::raise_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, fmt::format("{} out of range", type));
}

// What `UPDATE customers SET total_spent = total_spent + d.spent, lifetime_value
// = lifetime_value + d.spent, total_orders = total_orders + d.orders,
// last_order_date = greatest(last_order_date, d.newest_added)` writes, for
// deltas that need no recount of last_order_date, customers in id order.
void apply_customer_deltas_directly(Oid table, const std::vector<std::pair<pg::Uuid, domain::CustomerDelta>>& deltas) {
    pg::DirectWriter writer(table);
    pg::RowImage row(writer.descriptor(), table);
    const AttrNumber id = row.column("id"), spent = row.column("total_spent"), value = row.column("lifetime_value"),
                     count = row.column("total_orders"), last = row.column("last_order_date");
    for (const auto& [customer, d] : deltas) {
        CHECK_FOR_INTERRUPTS();
        if (!writer.lock_row(id, pg::datum_from_uuid(customer), row)) continue;  // deleted meanwhile
        // NULL + x stays NULL, as in the UPDATE (the columns are NOT NULL).
        for (const AttrNumber money : {spent, value}) {
            if (row.is_null(money)) {
                row.keep(money);
            } else {
                row.set_numeric(money, *row.decimal(money) + d.spent);
            }
        }
        if (row.is_null(count)) {
            row.keep(count);
        } else {
            const std::int64_t orders = std::int64_t{DatumGetInt32(row.value(count))} + d.orders;
            if (orders < PG_INT32_MIN || orders > PG_INT32_MAX) raise_out_of_range("integer");
            row.set(count, Int32GetDatum(static_cast<int32>(orders)));
        }
        const bool later =
            d.newest_added && (row.is_null(last) || DatumGetTimestampTz(row.value(last)) < *d.newest_added);
        if (later) {
            row.set(last, TimestampTzGetDatum(*d.newest_added));
        } else {
            row.keep(last);
        }
        writer.update_locked(row);
    }
    writer.finish();
}

// Applies the customers' figure deltas, in customer-id order.
void apply_customer_deltas(const domain::CustomerStatsDeltas& customers, Oid app) {
    const auto deltas = customers.sorted();
    if (deltas.empty()) return;
    bool recount = false;
    for (const auto& [id, d] : deltas) recount = recount || d.recompute_last_date;
    if (!recount) {
        if (const auto table = direct_table(app, "customers")) return apply_customer_deltas_directly(*table, deltas);
    }
    std::vector<pg::Uuid> ids;
    for (const auto& [id, d] : deltas) ids.push_back(id);
    pg::SpiSession spi;
    // Customers are locked in id order, then updated: a recount of
    // last_order_date reads the orders after the lock, in a statement of
    // its own. One customer whose update is pure deltas (applied to the
    // newest version when it waits) is locked by the update alone.
    if (deltas.size() > 1 || recount) {
        Datum lock_args[1] = {pg::uuid_array(ids)};
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

// The item a line's stock comes from: its variant when it names one.
std::optional<domain::StockItem> stock_item(const std::optional<pg::Uuid>& product,
                                            const std::optional<pg::Uuid>& variant) {
    if (variant) return domain::StockItem{true, *variant};
    if (product) return domain::StockItem{false, *product};
    return std::nullopt;
}

std::string item_name(const domain::StockItem& item) {
    return fmt::format("{} {}", item.variant ? "variant" : "product", uuid_string(item.id));
}

// One item's stock moved through SQL: one conditional UPDATE, or the lock
// and read that says why it matched nothing.
void move_stock_by_sql(const domain::StockItem& item, std::int64_t delta, Oid app) {
    pg::SpiSession spi;
    Datum key[1] = {pg::datum_from_uuid(item.id)};
    if (delta >= PG_INT32_MIN && delta <= PG_INT32_MAX) {
        Datum move[2] = {key[0], Int32GetDatum(static_cast<int32>(delta))};
        if ((item.variant ? move_variant_stock : move_product_stock).execute(app, move, nullptr) == 1) return;
    }
    pg::Statement& lock = item.variant ? lock_variant : lock_product;
    if (lock.execute(app, key, nullptr, false, 1) == 0) return;  // deleted
    if (!spi_bool(0, 2).value_or(false)) return;                 // stock not tracked
    const std::int64_t after = domain::apply_stock_delta(spi_int(0, 1).value_or(0), delta, item_name(item));
    if (after > PG_INT32_MAX) raise_out_of_range("integer");
    Datum args[2] = {key[0], Int32GetDatum(static_cast<int32>(after))};
    (item.variant ? set_variant_stock : set_product_stock).execute(app, args, nullptr);
}

// Moves each item's stock by its delta, items in (table, id) order: products,
// then variants.
void apply_stock(const domain::StockDeltas& deltas, Oid app) {
    const auto items = deltas.nonzero_sorted();
    std::size_t i = 0;
    for (const bool variants : {false, true}) {
        std::size_t end = i;
        while (end < items.size() && items[end].first.variant == variants) ++end;
        if (end == i) continue;
        const std::optional<Oid> table = direct_table(app, variants ? "product_variants" : "products");
        if (!table) {
            for (; i < end; ++i) {
                CHECK_FOR_INTERRUPTS();
                move_stock_by_sql(items[i].first, items[i].second, app);
            }
            continue;
        }
        pg::DirectWriter writer(*table);
        pg::RowImage row(writer.descriptor(), *table);
        const AttrNumber id = row.column("id"), quantity = row.column("inventory_quantity"),
                         tracked = row.column("inventory_tracked");
        for (; i < end; ++i) {
            CHECK_FOR_INTERRUPTS();
            const auto& [item, delta] = items[i];
            if (!writer.lock_row(id, pg::datum_from_uuid(item.id), row)) continue;  // deleted
            if (row.is_null(tracked) || !DatumGetBool(row.value(tracked))) continue;  // stock not tracked
            const std::int64_t on_hand = row.is_null(quantity) ? 0 : DatumGetInt32(row.value(quantity));
            const std::int64_t after =
                on_hand + delta >= 0 ? on_hand + delta : domain::apply_stock_delta(on_hand, delta, item_name(item));
            if (after > PG_INT32_MAX) raise_out_of_range("integer");
            row.set(quantity, Int32GetDatum(static_cast<int32>(after)));
            writer.update_locked(row);  // product_before derives the availability
        }
        writer.finish();
    }
}

struct OrderSums {
    Decimal subtotal;
    std::vector<domain::LineProgress> progress;
};

// The order's lines, read after its row lock (a statement of its own, so it
// sees the lines of a transaction the lock waited for).
OrderSums sum_lines(const pg::Uuid& order, Oid app) {
    pg::SpiSession spi;
    Datum key[1] = {pg::datum_from_uuid(order)};
    const uint64 n = lines_of_order.execute(app, key, nullptr, false);
    OrderSums sums{Decimal::from_int(0).rescale(domain::kMoneyScale), {}};
    sums.progress.reserve(n);
    for (uint64 i = 0; i < n; ++i) {
        sums.progress.push_back({*spi_int(i, 1), *spi_int(i, 2)});
        sums.subtotal = sums.subtotal + *spi_decimal(i, 3, "total_price");
    }
    return sums;
}

// The orders' subtotal and fulfilment through SQL: each locked, summed and
// updated by a statement whose triggers (order_before, orders_changed) keep
// the total and the customer's figures.
void sum_orders_by_sql(const std::set<pg::Uuid>& orders, Oid app, std::set<pg::Uuid>& holding) {
    pg::SpiSession spi;
    for (const pg::Uuid& order : orders) {
        CHECK_FOR_INTERRUPTS();
        Datum key[1] = {pg::datum_from_uuid(order)};
        if (lock_order.execute(app, key, nullptr, false, 1) == 0) continue;  // deleted with its lines
        if (domain::holds_stock(domain::parse_order_status(*spi_text(0, 1)))) holding.insert(order);
        const domain::Fulfilment current = domain::parse_fulfilment(*spi_text(0, 2));
        const OrderSums sums = sum_lines(order, app);
        const std::string rolled = domain::fulfilment_label(domain::roll_up(current, sums.progress));
        Datum args[3] = {key[0], pg::numeric_from_decimal(sums.subtotal), pg::text_from_string(rolled)};
        set_order_sums.execute(app, args, nullptr);
    }
}

// The same below SQL. The orders' statement trigger does not fire for rows
// written here; what it would do for them is done here: a line edit changes
// neither an order's status, customer nor date, so there is no status
// history and no stock to move by status, and the customer's figures follow
// the order's total (the deltas are returned for the caller to apply after
// every order, as the lock order says: orders, then customers).
//
// Lines only added (an INSERT) move the subtotal by their totals, and the
// fulfilment as domain::roll_up_added() says, from the locked order's
// figures (exact: every change of an order's lines moves them under its
// row lock); the order's lines are read only where the roll-up needs them.
using LinesByOrder = std::map<pg::Uuid, std::vector<const LineRow*>>;
void sum_orders_directly(Oid table, const std::set<pg::Uuid>& orders, const LinesByOrder* only_added, Oid app,
                         std::set<pg::Uuid>& holding, domain::CustomerStatsDeltas& customers) {
    pg::DirectWriter writer(table);
    pg::RowImage row(writer.descriptor(), table);
    const AttrNumber id = row.column("id"), status = row.column("status"),
                     fulfilment = row.column("fulfillment_status"), subtotal = row.column("subtotal_price"),
                     tax = row.column("total_tax"), shipping = row.column("total_shipping"),
                     discounts = row.column("total_discounts"), total = row.column("total_price"),
                     customer = row.column("customer_id"), order_date = row.column("order_date");
    const Oid fulfilment_type = TupleDescAttr(writer.descriptor(), fulfilment - 1)->atttypid;
    for (const pg::Uuid& order : orders) {
        CHECK_FOR_INTERRUPTS();
        if (!writer.lock_row(id, pg::datum_from_uuid(order), row)) continue;  // deleted with its lines
        const domain::OrderStatus order_status = domain::parse_order_status(enum_label(row.value(status)));
        if (domain::holds_stock(order_status)) holding.insert(order);
        const std::string current_label = enum_label(row.value(fulfilment));
        const domain::Fulfilment current = domain::parse_fulfilment(current_label);
        const Decimal old_subtotal = row.decimal(subtotal).value_or(kZero);
        std::optional<OrderSums> sums;
        std::optional<domain::Fulfilment> rolled_up;
        if (only_added != nullptr) {
            const std::vector<const LineRow*>& lines = only_added->at(order);
            OrderSums added{old_subtotal, {}};
            for (const LineRow* l : lines) {
                added.subtotal = added.subtotal + l->total;
                added.progress.push_back({l->quantity, l->fulfilled});
            }
            rolled_up = domain::roll_up_added(current, added.progress);
            if (rolled_up) sums = std::move(added);
        }
        if (!rolled_up) {
            sums = sum_lines(order, app);
            rolled_up = domain::roll_up(current, sums->progress);
        }
        const std::string rolled = domain::fulfilment_label(*rolled_up);
        if (sums->subtotal == old_subtotal && rolled == current_label) continue;
        // order_before computes the same total again; it is computed here
        // for the customer's figures.
        const Decimal old_total = row.decimal(total).value_or(kZero);
        const Decimal new_total = domain::order_total(sums->subtotal, row.decimal(tax).value_or(kZero),
                                                      row.decimal(shipping).value_or(kZero),
                                                      row.decimal(discounts).value_or(kZero));
        row.set_numeric(subtotal, sums->subtotal);
        row.set(fulfilment, enum_value(fulfilment_type, rolled));
        row.set_numeric(total, new_total);
        const std::optional<pg::Uuid> who =
            row.is_null(customer) ? std::nullopt : std::optional(pg::uuid_from_datum(row.value(customer)));
        const std::int64_t date = DatumGetTimestampTz(row.value(order_date));
        writer.update_locked(row);
        customers.changed({who, order_status, old_total, date}, {who, order_status, new_total, date});
    }
    writer.finish();
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

    std::vector<LineRow> removed, added;
    if (ev != pg::event::Insert) removed = read_lines(data, data->tg_oldtable);
    if (ev != pg::event::Delete) added = read_lines(data, data->tg_newtable);
    std::set<pg::Uuid> orders;
    for (const LineRow& l : removed) orders.insert(l.order);
    for (const LineRow& l : added) orders.insert(l.order);

    // Orders (in id order), then their customers, then stock.
    std::set<pg::Uuid> holding;  // orders whose lines hold stock
    if (const auto table = direct_table(app, "orders")) {
        LinesByOrder by_order;
        for (const LineRow& l : added) by_order[l.order].push_back(&l);
        domain::CustomerStatsDeltas customers;
        sum_orders_directly(*table, orders, ev == pg::event::Insert ? &by_order : nullptr, app, holding, customers);
        apply_customer_deltas(customers, app);
    } else {
        sum_orders_by_sql(orders, app, holding);
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
    apply_customer_deltas(customers, app);

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
    std::optional<Decimal> setting;
    if (row.is_null("store_id")) return PointerGetDatum(row.result());  // NOT NULL says so
    const SettingRead read = read_store_setting(app, row.value("store_id"), "general", "low_stock_threshold");
    if (read.answered) {
        if (read.value) setting = jsonb_number(*read.value, "general.low_stock_threshold");
    } else {
        pg::SpiSession spi;
        Datum key[1] = {row.value("store_id")};
        if (low_stock_threshold.execute(app, key, nullptr, false, 1) == 1) {
            setting = spi_decimal(0, 1, "general.low_stock_threshold");
        }
    }
    if (setting) threshold = static_cast<std::int64_t>(setting->rescale(0).units());
    const domain::Availability requested =
        domain::parse_availability(row.label("availability").value_or("in_stock"));
    row.set_label("availability", domain::availability_label(domain::derive_availability(
                                      true, row.integer("inventory_quantity").value_or(0), threshold, requested)));
    return PointerGetDatum(row.result());
}
