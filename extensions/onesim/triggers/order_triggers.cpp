// Triggers on orders and partner_earnings: commission at purchase, the
// earnings lifecycle, and the partner / partner-customer figures that follow
// from orders and earnings (docs/design.md).
//
//   orders  BEFORE INSERT OR UPDATE, per row   onesim_orders_before_write
//   orders  AFTER INSERT / UPDATE / DELETE,    onesim_orders_after_change
//           per statement, transition tables
//   partner_earnings AFTER INSERT / UPDATE /   onesim_earnings_after_change
//           DELETE, per statement
//
// Statement-level triggers aggregate a whole statement's rows in C++ and
// write each partner (then each customer) once, in key order, so bulk
// statements cost one UPDATE per parent and concurrent transactions always
// lock parents in the same order (no deadlocks).
#include "onesim/layers.hpp"
#include <algorithm>
#include <map>
#include <optional>

#include "onesim/auth_context.hpp"
#include "onesim/column_types.hpp"
#include "onesim/domain/commission.hpp"
#include "onesim/domain/earnings.hpp"
#include "core/errors.hpp"
#include "onesim/triggers/partner_figures.hpp"
#include "platform/restore_mode.hpp"
#include "onesim/triggers/timestamps.hpp"
#include "pg/datum.hpp"
#include "pg/direct_write.hpp"
#include "pg/guard.hpp"
#include "pg/index_lookup.hpp"
#include "pg/spi.hpp"
#include "pg/tuples.hpp"

namespace core = pgcpp::core;
namespace domain = onesim::domain;
namespace pg = pgcpp::pg;
using core::Decimal;
using core::DomainError;
using core::ErrorKind;
using pg::Uuid;

namespace {

// ------------------------------------------------------------------ helpers

std::string uuid_text(const Uuid& id) { return pg::uuid_text(id.data()); }

Datum timestamptz_datum(TimestampTz t) { return TimestampTzGetDatum(t); }

// A one-dimensional array Datum of `type` from values/nulls (for unnest()).
Datum array_datum(const std::vector<Datum>& values, const std::vector<bool>& nulls, Oid type) {
    int dims[1] = {static_cast<int>(values.size())};
    int lbs[1] = {1};
    std::vector<char> null_flags(nulls.begin(), nulls.end());
    int16 typlen;
    bool typbyval;
    char typalign;
    const Datum* vals = values.data();
    bool* nflags = reinterpret_cast<bool*>(null_flags.data());
    return pg::call([&] {
        get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
        return PointerGetDatum(construct_md_array(const_cast<Datum*>(vals), nflags, 1, dims, lbs,
                                                  type, typlen, typbyval, typalign));
    });
}

struct ColumnValues {
    std::vector<Datum> values;
    std::vector<bool> nulls;
    void push(std::optional<Datum> d) {
        values.push_back(d.value_or(Datum(0)));
        nulls.push_back(!d.has_value());
    }
};

// ------------------------------------------------ BEFORE INSERT OR UPDATE

// Attribute number of a column of the trigger's table, by name
// (pg::cached_attnum: not a scan of the descriptor at every access of every row).
int attnum(TupleDesc desc, Oid relid, const char* col) {
    const AttrNumber att = pg::cached_attnum(relid, desc, col);
    if (att <= 0) pg::call([&] { elog(ERROR, "orders has no column \"%s\"", col); });
    return att;
}

Oid column_type(TupleDesc desc, int att) { return TupleDescAttr(desc, att - 1)->atttypid; }

std::optional<std::string> row_column_text(pg::TransitionTable& row, AttrNumber att, TupleDesc desc) {
    bool isnull;
    const Datum d = row.value(att, &isnull);
    if (isnull) return std::nullopt;
    return pg::string_from_datum(d, column_type(desc, att));
}

struct Heap {
    HeapTuple tuple;
    TupleDesc desc;
    Oid relid;
    Datum get(const char* col, bool* isnull) const {
        const int att = attnum(desc, relid, col);
        return pg::call([&] { return heap_getattr(tuple, att, desc, isnull); });
    }
    std::optional<std::string> text(const char* col) const {
        bool isnull;
        const Datum d = get(col, &isnull);
        if (isnull) return std::nullopt;
        return pg::string_from_datum(d, column_type(desc, attnum(desc, relid, col)));
    }
    std::optional<Uuid> uuid(const char* col) const {
        bool isnull;
        const Datum d = get(col, &isnull);
        if (isnull) return std::nullopt;
        return pg::uuid_from_datum(d);
    }
    std::optional<Decimal> decimal(const char* col) const {
        bool isnull;
        const Datum d = get(col, &isnull);
        if (isnull) return std::nullopt;
        return pg::decimal_from_numeric(d, col);
    }
    bool is_null(const char* col) const {
        bool isnull;
        get(col, &isnull);
        return isnull;
    }
};

// Column replacements collected, then applied with heap_modify_tuple_by_cols.
struct Replacements {
    TupleDesc desc;
    Oid relid;
    std::vector<int> cols;
    std::vector<Datum> values;
    std::vector<char> nulls;
    void set(const char* col, std::optional<Datum> value) {
        cols.push_back(attnum(desc, relid, col));
        values.push_back(value.value_or(Datum(0)));
        nulls.push_back(value ? 0 : 1);
    }
    // A text-like or enum column (end_customer_type, an enum from 1.2 on) set
    // from its text.
    void set_text(const char* col, const std::string& text) {
        set(col, onesim::columns::datum_from_string(text, column_type(desc, attnum(desc, relid, col))));
    }
    void keep(const Heap& old, const char* col) {
        bool isnull;
        const Datum d = old.get(col, &isnull);
        set(col, isnull ? std::nullopt : std::optional<Datum>(d));
    }
    HeapTuple apply(HeapTuple tuple) {
        if (cols.empty()) return tuple;
        const int n = static_cast<int>(cols.size());
        int* c = cols.data();
        Datum* v = values.data();
        bool* nl = reinterpret_cast<bool*>(nulls.data());
        TupleDesc d = desc;
        return pg::call([&] { return heap_modify_tuple_by_cols(tuple, d, n, c, v, nl); });
    }
};

template <typename T>
bool changed(const std::optional<T>& a, const std::optional<T>& b) {
    return a.has_value() != b.has_value() || (a && !(*a == *b));
}

struct PartnerTerms {
    std::string status;
    Decimal rate;
};

// The partner and the partner customer an order names, read from their key
// indexes (pg::IndexLookup) under the statement's snapshot, as the table's
// owner: for one row each, an SPI query costs several times the look-up.
std::optional<PartnerTerms> load_partner(Oid app, const Uuid& partner_id) {
    static pg::IndexLookup partner_by_id("partners", "id", {"status", "effective_commission_rate"});
    Datum values[2];
    bool nulls[2];
    if (!partner_by_id.find(app, pg::datum_from_uuid(partner_id), values, nulls)) return std::nullopt;
    const Oid status_type = onesim::columns::type_of(app, "partners", "status");  // an enum from 1.2 on
    return PartnerTerms{nulls[0] ? std::string() : pg::string_from_datum(values[0], status_type),
                        nulls[1] ? Decimal() : pg::decimal_from_numeric(values[1], "commission rate")};
}

struct CustomerContact {
    std::optional<std::string> first_name, last_name, email, phone;
};

std::optional<CustomerContact> load_partner_customer(Oid app, const Uuid& customer,
                                                     const Uuid& partner) {
    static pg::IndexLookup customer_by_id("partner_customers", "id",
                                          {"partner_id", "first_name", "last_name", "email", "phone"});
    Datum values[5];
    bool nulls[5];
    if (!customer_by_id.find(app, pg::datum_from_uuid(customer), values, nulls)) return std::nullopt;
    if (nulls[0] || !(pg::uuid_from_datum(values[0]) == partner)) return std::nullopt;  // another partner's
    CustomerContact c;
    std::optional<std::string>* fields[4] = {&c.first_name, &c.last_name, &c.email, &c.phone};
    for (int i = 0; i < 4; ++i) {
        if (!nulls[i + 1]) *fields[i] = pg::string_from_text(values[i + 1]);
    }
    return c;
}

bool group_belongs_to_partner(Oid app, const Uuid& group, const Uuid& partner) {
    static pg::Statement stmt(
        "SELECT 1 FROM {app}.customer_groups WHERE id = $1 AND partner_id = $2", {UUIDOID, UUIDOID});
    pg::SpiSession spi;
    Datum args[2] = {pg::datum_from_uuid(group), pg::datum_from_uuid(partner)};
    return stmt.execute(app, args, nullptr, true, 1) == 1;
}

// A client's order is priced from the catalog: the price is money the client
// does not own, so what it sends is ignored, as for the commission. Clients
// are the API roles acting for themselves; the service, migrations, jobs and
// admins may record any price (manual orders, imports, corrections).
struct CatalogPackage {
    Uuid id;
    std::optional<std::string> name;
    Decimal price_usd;
    std::optional<Decimal> price_uzs;
};

CatalogPackage catalog_package(Oid app, const std::string& code, const std::optional<Uuid>& named_id) {
    static pg::Statement stmt(
        "SELECT id, name::text, price_usd, price_uzs FROM {app}.esim_packages "
        "WHERE package_code = $1 AND is_active",
        {TEXTOID});
    pg::SpiSession spi;
    Datum args[1] = {pg::text_from_string(code)};
    if (stmt.execute(app, args, nullptr, true, 1) == 0) {
        throw DomainError(ErrorKind::NotFound, "package " + code + " does not exist or is not on sale");
    }
    bool null_id, null_name, null_usd, null_uzs;
    const Datum id = pg::spi_value(0, 1, &null_id);
    const Datum name = pg::spi_value(0, 2, &null_name);
    const Datum usd = pg::spi_value(0, 3, &null_usd);
    const Datum uzs = pg::spi_value(0, 4, &null_uzs);
    CatalogPackage p{pg::uuid_from_datum(id),
                     null_name ? std::nullopt : std::optional(pg::string_from_text(name)),
                     pg::decimal_from_numeric(usd, "price_usd"),
                     null_uzs ? std::nullopt : std::optional(pg::decimal_from_numeric(uzs, "price_uzs"))};
    if (named_id && !(*named_id == p.id)) {
        throw DomainError(ErrorKind::ForeignKey,
                          "package_id " + uuid_text(*named_id) + " is not the package " + code);
    }
    return p;
}

HeapTuple order_before_write(TriggerData* td) {
    const bool inserting = TRIGGER_FIRED_BY_INSERT(td->tg_event);
    TupleDesc desc = td->tg_relation->rd_att;
    const Oid app = onesim::auth::extension_table_schema(td->tg_relation);
    HeapTuple new_tuple = inserting ? td->tg_trigtuple : td->tg_newtuple;
    const Oid relid = RelationGetRelid(td->tg_relation);
    const Heap now_row{new_tuple, desc, relid};
    const std::optional<Heap> old_row =
        inserting ? std::nullopt : std::optional<Heap>(Heap{td->tg_trigtuple, desc, relid});
    Replacements out{desc, relid, {}, {}, {}};

    const std::string source = now_row.text("source_type").value_or("b2c");
    const auto partner = now_row.uuid("partner_id");
    std::optional<CatalogPackage> catalog;
    if (inserting && onesim::auth::order_priced_from_catalog(app)) {
        const auto code = now_row.text("package_code");
        if (!code) throw DomainError(ErrorKind::NotNull, "orders.package_code must not be null");
        catalog = catalog_package(app, *code, now_row.uuid("package_id"));
        out.set("package_id", pg::datum_from_uuid(catalog->id));
        out.set("package_name", catalog->name ? std::optional(pg::text_from_string(*catalog->name))
                                              : std::nullopt);
        out.set("price_usd", pg::numeric_from_decimal(catalog->price_usd));
        out.set("price_uzs", catalog->price_uzs ? std::optional(pg::numeric_from_decimal(*catalog->price_uzs))
                                                : std::nullopt);
    }
    const auto price_usd = catalog ? std::optional(catalog->price_usd) : now_row.decimal("price_usd");
    const auto price_uzs = catalog ? catalog->price_uzs : now_row.decimal("price_uzs");
    const auto status = now_row.text("order_status").value_or("PENDING");
    domain::order_phase(status);  // validates the status

    if (source == "b2c" && partner) {
        throw DomainError(ErrorKind::CheckViolation, "a b2c order cannot name a partner",
                          "Use source_type 'b2b_partner' (or 'admin') for orders placed for a partner.");
    }
    // An order whose partner goes away (the partner was deleted: ON DELETE SET
    // NULL, or an admin detached it) keeps its history but earns nothing.
    const bool detached = old_row && !partner && old_row->uuid("partner_id").has_value();
    if (source == "b2b_partner" && !partner && !detached) {
        throw DomainError(ErrorKind::NotNull, "a b2b_partner order needs partner_id");
    }
    if (!price_usd) throw DomainError(ErrorKind::NotNull, "orders.price_usd must not be null");

    const bool partner_changed = !old_row || changed(old_row->uuid("partner_id"), partner);
    const bool recompute = partner_changed || changed(old_row->text("source_type"), std::optional(source)) ||
                           changed(old_row->decimal("price_usd"), price_usd) ||
                           changed(old_row->decimal("price_uzs"), price_uzs);

    auto end_type = now_row.text("end_customer_type");
    auto end_customer = now_row.uuid("end_customer_id");
    const auto group = now_row.uuid("customer_group_id");

    if (partner) {
        if (recompute) {
            const auto terms = load_partner(app, *partner);
            if (!terms) {
                throw DomainError(ErrorKind::ForeignKey,
                                  "partner " + uuid_text(*partner) + " does not exist");
            }
            if (partner_changed && terms->status != "active") {
                throw DomainError(ErrorKind::Conflict,
                                  "partner " + uuid_text(*partner) + " is " + terms->status +
                                      ", not active",
                                  "Only active partners can place orders.");
            }
            const auto usd = domain::compute_commission(*price_usd, terms->rate, domain::Currency::USD);
            out.set("commission_applicable", BoolGetDatum(true));
            out.set("commission_rate", pg::numeric_from_decimal(usd.rate));
            out.set("commission_amount_usd", pg::numeric_from_decimal(usd.commission));
            out.set("paid_amount_usd", pg::numeric_from_decimal(usd.partner_pays));
            if (price_uzs) {
                const auto uzs = domain::compute_commission(*price_uzs, terms->rate, domain::Currency::UZS);
                out.set("commission_amount_uzs", pg::numeric_from_decimal(uzs.commission));
                out.set("paid_amount_uzs", pg::numeric_from_decimal(uzs.partner_pays));
            } else {
                out.set("commission_amount_uzs", std::nullopt);
                out.set("paid_amount_uzs", std::nullopt);
            }
        } else {
            // Commission is fixed at purchase: what a client sends is ignored.
            for (const char* col : {"commission_applicable", "commission_rate", "commission_amount_usd",
                                    "commission_amount_uzs", "paid_amount_usd", "paid_amount_uzs"}) {
                out.keep(*old_row, col);
            }
        }
        if (!end_type) {
            end_type = "b2b_partner_customer";
            out.set_text("end_customer_type", *end_type);
        }
        if (*end_type != "b2b_partner_customer") {
            throw DomainError(ErrorKind::CheckViolation,
                              "an order placed for a partner has end_customer_type b2b_partner_customer");
        }
        const bool customer_changed =
            partner_changed || changed(old_row->uuid("end_customer_id"), end_customer);
        if (end_customer && customer_changed) {
            const auto contact = load_partner_customer(app, *end_customer, *partner);
            if (!contact) {
                throw DomainError(ErrorKind::ForeignKey,
                                  "end customer " + uuid_text(*end_customer) +
                                      " is not a customer of partner " + uuid_text(*partner));
            }
            const std::pair<const char*, const std::optional<std::string>*> fill[] = {
                {"customer_first_name", &contact->first_name},
                {"customer_last_name", &contact->last_name},
                {"customer_email", &contact->email},
                {"customer_phone", &contact->phone}};
            for (const auto& [col, value] : fill) {
                if (now_row.is_null(col) && value->has_value()) {
                    out.set(col, pg::text_from_string(**value));
                }
            }
        }
        if (group && (partner_changed || changed(old_row->uuid("customer_group_id"), group)) &&
            !group_belongs_to_partner(app, *group, *partner)) {
            throw DomainError(ErrorKind::ForeignKey, "customer group " + uuid_text(*group) +
                                                         " is not a group of partner " +
                                                         uuid_text(*partner));
        }
    } else {
        // No partner. An order that had one (detached) keeps its commission
        // as history; any other carries none and its purchaser pays the price.
        const bool had_commission = old_row && !old_row->is_null("commission_rate");
        out.set("commission_applicable", BoolGetDatum(false));
        if (had_commission) {
            for (const char* col : {"commission_rate", "commission_amount_usd", "commission_amount_uzs",
                                    "paid_amount_usd", "paid_amount_uzs"}) {
                out.keep(*old_row, col);
            }
        } else {
            out.set("commission_rate", std::nullopt);
            out.set("commission_amount_usd", std::nullopt);
            out.set("commission_amount_uzs", std::nullopt);
            out.set("paid_amount_usd", pg::numeric_from_decimal(*price_usd));
            out.set("paid_amount_uzs", price_uzs ? std::optional(pg::numeric_from_decimal(*price_uzs))
                                                 : std::nullopt);
        }
        // Shape rules apply to what is being written, not to history.
        const bool shape_changed = !old_row || changed(old_row->text("end_customer_type"), end_type) ||
                                   changed(old_row->uuid("customer_group_id"), group) ||
                                   changed(old_row->text("source_type"), std::optional(source));
        if (shape_changed && !detached) {
            if (end_type && *end_type == "b2b_partner_customer") {
                throw DomainError(ErrorKind::CheckViolation,
                                  "end_customer_type b2b_partner_customer needs a partner_id");
            }
            if (group) {
                throw DomainError(ErrorKind::CheckViolation, "customer_group_id needs a partner_id");
            }
        }
        if (source == "b2c" && !old_row) {
            if (!end_type) out.set_text("end_customer_type", "b2c");
            if (!end_customer) {
                const auto user = now_row.uuid("user_id");
                if (user) out.set("end_customer_id", pg::datum_from_uuid(*user));
            }
        }
    }

    // Lifecycle timestamps follow the status.
    const auto old_status = old_row ? old_row->text("order_status") : std::nullopt;
    const std::pair<const char*, const char*> stamps[] = {
        {"ALLOCATED", "allocated_at"}, {"CANCELLED", "cancelled_at"}, {"REFUNDED", "refunded_at"}};
    for (const auto& [stamp_status, col] : stamps) {
        if (status == stamp_status && old_status != std::optional<std::string>(stamp_status) &&
            now_row.is_null(col)) {
            out.set(col, timestamptz_datum(GetCurrentTransactionStartTimestamp()));
        }
    }
    return out.apply(new_tuple);
}

}  // namespace

PG_CPP_FUNCTION(onesim_orders_before_write) {
    static const pg::TriggerSpec spec{"onesim_internal.orders_before_write", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before,
                                      pg::event::Insert | pg::event::Update, 0};
    TriggerData* td = pg::validate_trigger(fcinfo, spec);
    if (pgcpp::platform::loads_as_dumped(td)) return PointerGetDatum(td->tg_trigtuple);
    return PointerGetDatum(order_before_write(td));
}

// ----------------------------------------------- AFTER, per statement: orders

namespace {

struct OrderFacts {
    Uuid id;
    std::optional<Uuid> partner;
    std::optional<Uuid> customer;  // set only for b2b_partner_customer end customers
    Decimal price_usd;
    std::optional<Decimal> price_uzs;
    domain::OrderPhase phase;
    bool pending;  // order_status = 'PENDING' (the dashboard's pending orders)
    TimestampTz created_at;
    bool commissionable;
    std::optional<Decimal> rate, commission_usd, commission_uzs;

    bool live() const { return phase != domain::OrderPhase::Dead; }
};

std::vector<OrderFacts> read_orders(Tuplestorestate* table, Oid relid, TupleDesc desc) {
    const pg::Columns cols(relid, desc, {"id", "partner_id", "end_customer_type", "end_customer_id",
                                         "price_usd", "price_uzs", "order_status", "created_at",
                                         "commission_applicable", "commission_rate",
                                         "commission_amount_usd", "commission_amount_uzs"});
    std::vector<OrderFacts> rows;
    pg::TransitionTable slot(table, desc);
    while (slot.next()) {
        OrderFacts f;
        f.id = pg::required_value(pg::row_uuid(slot, cols[0]), "orders.id");
        f.partner = pg::row_uuid(slot, cols[1]);
        if (row_column_text(slot, cols[2], desc) == std::optional<std::string>("b2b_partner_customer")) {
            f.customer = pg::row_uuid(slot, cols[3]);
        }
        f.price_usd = pg::required_value(pg::row_decimal(slot, cols[4], "price_usd"), "orders.price_usd");
        f.price_uzs = pg::row_decimal(slot, cols[5], "price_uzs");
        const std::string status =
            pg::required_value(row_column_text(slot, cols[6], desc), "orders.order_status");
        f.phase = domain::order_phase(status);
        f.pending = status == "PENDING";
        f.created_at = pg::required_value(pg::row_timestamptz(slot, cols[7]), "orders.created_at");
        f.commissionable = pg::row_bool(slot, cols[8]).value_or(false) && f.partner.has_value();
        f.rate = pg::row_decimal(slot, cols[9], "commission_rate");
        f.commission_usd = pg::row_decimal(slot, cols[10], "commission_amount_usd");
        f.commission_uzs = pg::row_decimal(slot, cols[11], "commission_amount_uzs");
        rows.push_back(std::move(f));
    }
    return rows;
}

// An order joins (+1) or leaves (-1) a partner's or customer's figures.
template <typename Delta>
void count_order(Delta& d, const OrderFacts& o, int sign) {
    d.orders += sign;
    if (sign < 0) {
        d.lost_an_order = true;
    } else if (!d.newest_order || *d.newest_order < o.created_at) {
        d.newest_order = o.created_at;
    }
}

void count_order(onesim::figures::CustomerDelta& d, const OrderFacts& o, int sign) {
    count_order<onesim::figures::CustomerDelta>(d, o, sign);
    if (o.live()) d.spent = sign > 0 ? d.spent + o.price_usd : d.spent - o.price_usd;
}

// An order's contribution to its partner's per-status figures (allocated and
// pending counts, allocated prices) joins (+1) or leaves (-1) them.
void count_status(onesim::figures::PartnerDelta& d, const OrderFacts& o, int sign) {
    if (o.pending) d.pending_orders += sign;
    if (o.phase != domain::OrderPhase::Allocated) return;
    d.allocated_orders += sign;
    const Decimal uzs = o.price_uzs.value_or(Decimal());
    d.allocated_usd = sign > 0 ? d.allocated_usd + o.price_usd : d.allocated_usd - o.price_usd;
    d.allocated_uzs = sign > 0 ? d.allocated_uzs + uzs : d.allocated_uzs - uzs;
}

// Whether an order's per-status contribution differs between two versions.
bool status_figures_changed(const OrderFacts& a, const OrderFacts& b) {
    const bool a_alloc = a.phase == domain::OrderPhase::Allocated;
    const bool b_alloc = b.phase == domain::OrderPhase::Allocated;
    if (a.pending != b.pending || a_alloc != b_alloc) return true;
    return a_alloc && (a.price_usd != b.price_usd || changed(a.price_uzs, b.price_uzs));
}

// The figure changes one statement makes, from its old and new rows.
void order_deltas(const std::vector<OrderFacts>& old_rows, const std::vector<OrderFacts>& new_rows,
                  onesim::figures::PartnerDeltas& partners,
                  onesim::figures::CustomerDeltas& customers) {
    std::map<Uuid, const OrderFacts*> after;
    for (const auto& n : new_rows) after[n.id] = &n;
    std::map<Uuid, const OrderFacts*> before;
    for (const auto& o : old_rows) before[o.id] = &o;
    for (const auto& o : old_rows) {
        const auto it = after.find(o.id);
        const OrderFacts* n = it == after.end() ? nullptr : it->second;
        if (o.partner && (!n || n->partner != o.partner)) count_order(partners[*o.partner], o, -1);
        if (o.partner && (!n || n->partner != o.partner || status_figures_changed(o, *n))) {
            count_status(partners[*o.partner], o, -1);
        }
        if (o.customer && (!n || n->customer != o.customer)) count_order(customers[*o.customer], o, -1);
    }
    for (const auto& n : new_rows) {
        const auto it = before.find(n.id);
        const OrderFacts* o = it == before.end() ? nullptr : it->second;
        if (n.partner && (!o || o->partner != n.partner)) count_order(partners[*n.partner], n, +1);
        if (n.partner && (!o || o->partner != n.partner || status_figures_changed(*o, n))) {
            count_status(partners[*n.partner], n, +1);
        }
        if (n.customer && (!o || o->customer != n.customer)) {
            count_order(customers[*n.customer], n, +1);
        } else if (n.customer) {
            // Same customer: only what counts as spent may change.
            auto& d = customers[*n.customer];
            if (o->live()) d.spent = d.spent - o->price_usd;
            if (n.live()) d.spent = d.spent + n.price_usd;
        }
    }
}

struct CurrentEarning {
    domain::EarningStatus status;
    bool paid_out;
};

// Locks and reads the earnings of the given orders (FOR UPDATE: a concurrent
// payout run either finished before us, and we see 'paid', or waits for us).
std::map<Uuid, CurrentEarning> lock_earnings(Oid app, const std::vector<const OrderFacts*>& orders) {
    std::map<Uuid, CurrentEarning> out;
    if (orders.empty()) return out;
    static pg::Statement stmt(
        "SELECT order_id, status::text, paid_out FROM {app}.partner_earnings "
        "WHERE order_id = ANY($1) ORDER BY order_id FOR UPDATE",
        {UUIDARRAYOID});
    ColumnValues ids;
    for (const OrderFacts* o : orders) ids.push(pg::datum_from_uuid(o->id));
    Datum args[1] = {array_datum(ids.values, ids.nulls, UUIDOID)};
    const uint64 n = stmt.execute(app, args, nullptr);
    for (uint64 i = 0; i < n; ++i) {
        bool isnull;
        const Uuid id = pg::uuid_from_datum(pg::spi_value(i, 1, &isnull));
        const Datum status_datum = pg::spi_value(i, 2, &isnull);  // NULL once its NOT NULL is dropped
        const auto status = domain::parse_earning_status(isnull ? "" : pg::string_from_text(status_datum));
        const Datum paid = pg::spi_value(i, 3, &isnull);
        out[id] = {status, !isnull && DatumGetBool(paid)};
    }
    return out;
}

// The pending (or later) earnings of new orders, from the statement's new
// order rows: {0} is the SQL of the status (cast to the enum from 1.2 on),
// {1} the FROM clause naming the orders as n.
constexpr const char* kInsertEarnings =
    "INSERT INTO {{app}}.partner_earnings (order_id, partner_id, order_amount_usd, "
    "order_amount_uzs, commission_rate, commission_amount_usd, commission_amount_uzs, "
    "status, earned_at, cancelled_at) "
    "SELECT n.id, n.partner_id, n.price_usd, n.price_uzs, n.commission_rate, "
    "n.commission_amount_usd, n.commission_amount_uzs, {0}, "
    "CASE WHEN {0} IN ('earned', 'paid') THEN now() END, "
    "CASE WHEN {0} = 'cancelled' THEN now() END {1}";

using NewEarning = std::pair<const OrderFacts*, domain::EarningStatus>;

// partner_earnings, when its rows may be written below SQL
// (pg::DirectWriter::usable(): READ COMMITTED, and no trigger on the table
// but the extension's, each enabled).
std::optional<Oid> earnings_written_directly(Oid app) {
    return pg::DirectWriter::usable_table(app, "partner_earnings", "onesim_internal");
}

// The columns of partner_earnings the direct writes set or read.
struct EarningColumns {
    explicit EarningColumns(const pg::RowImage& row)
        : order_id(row.column("order_id")), partner_id(row.column("partner_id")),
          amount_usd(row.column("order_amount_usd")), amount_uzs(row.column("order_amount_uzs")),
          rate(row.column("commission_rate")), commission_usd(row.column("commission_amount_usd")),
          commission_uzs(row.column("commission_amount_uzs")), status(row.column("status")),
          earned_at(row.column("earned_at")), cancelled_at(row.column("cancelled_at")),
          paid_out(row.column("paid_out")) {}
    AttrNumber order_id, partner_id, amount_usd, amount_uzs, rate, commission_usd, commission_uzs, status,
        earned_at, cancelled_at, paid_out;
};

// Records the partner money figures earnings written below SQL moved (what
// earnings_after_change() records for rows written through SQL).
void record_money(Oid app, onesim::figures::PartnerDeltas& figures) {
    for (auto it = figures.begin(); it != figures.end();) {
        it = it->second.money.is_zero() ? figures.erase(it) : std::next(it);
    }
    onesim::figures::record(app, figures);
}

// What kInsertEarnings inserts, written through pg::DirectWriter: one
// earning's INSERT statement costs more than the row (its CHECKs alone are
// parsed and planned again for every statement). The earnings' statement
// trigger does not fire for rows written this way, so the partner figures
// it would record (earnings_after_change) are recorded here.
void insert_earnings_directly(Oid app, Oid table, const std::vector<NewEarning>& earnings) {
    pg::DirectWriter writer(table);
    // An earning references its order, inserted by this statement, and the
    // order's partner, which the order's own foreign key check has locked
    // (KEY SHARE) until this transaction ends: both hold, so the earning's
    // two checks (a query each) would only repeat them. Its third foreign
    // key, payout_id, is NULL until a payout pays it.
    writer.vouch_for_foreign_keys();
    pg::RowImage row(writer.descriptor(), RelationGetRelid(writer.relation()));
    const EarningColumns c(row);
    const Oid status_type = onesim::columns::type_of(writer.descriptor(), c.status);  // an enum from 1.2 on
    const Datum now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
    onesim::figures::PartnerDeltas figures;
    for (const auto& [order, want] : earnings) {
        row.forget_set_columns();
        row.set(c.order_id, pg::datum_from_uuid(order->id));
        row.set(c.partner_id, order->partner ? std::optional(pg::datum_from_uuid(*order->partner)) : std::nullopt);
        row.set_numeric(c.amount_usd, order->price_usd);
        row.set_numeric(c.amount_uzs, order->price_uzs);
        row.set_numeric(c.rate, order->rate);
        row.set_numeric(c.commission_usd, order->commission_usd);
        row.set_numeric(c.commission_uzs, order->commission_uzs);
        row.set(c.status, onesim::columns::datum_from_string(domain::earning_status_name(want), status_type));
        const bool earned = want == domain::EarningStatus::Earned || want == domain::EarningStatus::Paid;
        row.set(c.earned_at, earned ? std::optional(now) : std::nullopt);
        row.set(c.cancelled_at, want == domain::EarningStatus::Cancelled ? std::optional(now) : std::nullopt);
        writer.insert(row);
        // The row was written (NOT NULL held), so partner and amount are there.
        const bool is_paid_out = !row.is_null(c.paid_out) && DatumGetBool(row.value(c.paid_out));
        figures[*order->partner].money += domain::earning_contribution(want, is_paid_out, *order->commission_usd);
    }
    writer.finish();
    record_money(app, figures);
}

// What lock_earnings() and the earnings' UPDATE statement below do, through
// pg::DirectWriter (see insert_earnings_directly()): each order's earning is
// locked, in order-id order as lock_earnings() locks them, and brought to the
// c.status the lifecycle requires, its partner and amounts following the
// order; the partner figures the earnings' statement trigger would record
// are recorded here. Returns the orders that have no earning yet: the caller
// inserts theirs through SQL, foreign key checks included (an order that is
// updated does not lock its partner the way a new one does).
std::vector<const OrderFacts*> update_earnings_directly(Oid app, Oid table,
                                                        std::vector<const OrderFacts*> orders) {
    std::sort(orders.begin(), orders.end(), [](const OrderFacts* a, const OrderFacts* b) { return a->id < b->id; });
    pg::DirectWriter writer(table);
    pg::RowImage row(writer.descriptor(), RelationGetRelid(writer.relation()));
    const EarningColumns c(row);
    const Oid status_type = onesim::columns::type_of(writer.descriptor(), c.status);  // an enum from 1.2 on
    const Datum now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
    onesim::figures::PartnerDeltas figures;
    std::vector<const OrderFacts*> missing;
    for (const OrderFacts* o : orders) {
        if (!writer.lock_row(c.order_id, pg::datum_from_uuid(o->id), row)) {
            missing.push_back(o);
            continue;
        }
        const auto was =
            domain::parse_earning_status(row.is_null(c.status) ? "" : pg::string_from_datum(row.value(c.status), status_type));
        const bool is_paid_out = !row.is_null(c.paid_out) && DatumGetBool(row.value(c.paid_out));
        const auto want = domain::desired_earning_status(o->commissionable, o->phase, was, is_paid_out);
        if (want == domain::EarningStatus::None) continue;  // an existing earning is at least cancelled
        const std::optional<Uuid> old_partner =
            row.is_null(c.partner_id) ? std::nullopt : std::optional(pg::uuid_from_datum(row.value(c.partner_id)));
        const auto old_usd = row.decimal(c.amount_usd), old_uzs = row.decimal(c.amount_uzs);
        const auto old_rate = row.decimal(c.rate), old_commission_usd = row.decimal(c.commission_usd),
                   old_commission_uzs = row.decimal(c.commission_uzs);
        // The partner stays when the order lost its partner (the earning is
        // then cancelled); the commission stays when the order has none.
        const std::optional<Uuid> new_partner = o->partner ? o->partner : old_partner;
        const bool differs =
            was != want || new_partner != old_partner || changed(old_usd, std::optional(o->price_usd)) ||
            changed(old_uzs, o->price_uzs) ||
            (o->commission_usd && (changed(old_commission_usd, o->commission_usd) ||
                                   changed(old_commission_uzs, o->commission_uzs) || changed(old_rate, o->rate)));
        if (!differs) continue;
        const auto new_commission_usd = o->commission_usd ? o->commission_usd : old_commission_usd;
        row.set(c.partner_id, new_partner ? std::optional(pg::datum_from_uuid(*new_partner)) : std::nullopt);
        row.set_numeric(c.amount_usd, o->price_usd);
        row.set_numeric(c.amount_uzs, o->price_uzs);
        row.set_numeric(c.rate, o->rate ? o->rate : old_rate);
        row.set_numeric(c.commission_usd, new_commission_usd);
        row.set_numeric(c.commission_uzs, o->commission_usd ? o->commission_uzs : old_commission_uzs);
        row.set(c.status, onesim::columns::datum_from_string(domain::earning_status_name(want), status_type));
        const bool earned = want == domain::EarningStatus::Earned || want == domain::EarningStatus::Paid;
        if (earned && row.is_null(c.earned_at)) {
            row.set(c.earned_at, now);
        } else {
            row.keep(c.earned_at);
        }
        const bool cancelled = want == domain::EarningStatus::Cancelled;
        const Datum cancelled_since = row.is_null(c.cancelled_at) ? now : row.value(c.cancelled_at);
        row.set(c.cancelled_at, cancelled ? std::optional(cancelled_since) : std::nullopt);
        onesim::timestamps::stamp_updated_at(row);  // the touch trigger is then skipped
        writer.update_locked(row);
        // What earnings_after_change() records for the old and new row.
        if (old_partner && old_commission_usd) {
            figures[*old_partner].money -= domain::earning_contribution(was, is_paid_out, *old_commission_usd);
        }
        if (new_partner && new_commission_usd) {
            figures[*new_partner].money += domain::earning_contribution(want, is_paid_out, *new_commission_usd);
        }
    }
    writer.finish();
    record_money(app, figures);
    return missing;
}

// The UPDATE that brings existing earnings to their orders ($1 order ids, $2
// statuses, unnested as t(o, s)); `status` is the SQL of the wanted status.
std::string update_earnings_sql(const char* status) {
    return fmt::format(
        "UPDATE {{app}}.partner_earnings e SET partner_id = coalesce(n.partner_id, e.partner_id), "
        "order_amount_usd = n.price_usd, order_amount_uzs = n.price_uzs, "
        "commission_rate = coalesce(n.commission_rate, e.commission_rate), "
        "commission_amount_usd = coalesce(n.commission_amount_usd, e.commission_amount_usd), "
        "commission_amount_uzs = CASE WHEN n.commission_amount_usd IS NULL "
        "  THEN e.commission_amount_uzs ELSE n.commission_amount_uzs END, "
        "status = {0}, "
        "earned_at = CASE WHEN t.s IN ('earned', 'paid') THEN coalesce(e.earned_at, now()) "
        "                 ELSE e.earned_at END, "
        "cancelled_at = CASE WHEN t.s = 'cancelled' THEN coalesce(e.cancelled_at, now()) END "
        "FROM unnest($1, $2) AS t(o, s) JOIN new_rows n ON n.id = t.o "
        "WHERE e.order_id = t.o AND (e.status IS DISTINCT FROM {0} "
        "   OR e.partner_id IS DISTINCT FROM coalesce(n.partner_id, e.partner_id) "
        "   OR e.order_amount_usd IS DISTINCT FROM n.price_usd "
        "   OR e.order_amount_uzs IS DISTINCT FROM n.price_uzs "
        "   OR (n.commission_amount_usd IS NOT NULL "
        "       AND (e.commission_amount_usd IS DISTINCT FROM n.commission_amount_usd "
        "            OR e.commission_amount_uzs IS DISTINCT FROM n.commission_amount_uzs "
        "            OR e.commission_rate IS DISTINCT FROM n.commission_rate)))",
        status);
}

// Brings each order's earning to the state the lifecycle requires: inserts
// the missing ones and updates the others, below SQL when the table allows
// it (the *_directly functions above), else in two set-based statements. C++
// decides each earning's status (domain::desired_earning_status); the amounts
// come from the statement's new order rows ("new_rows").
void sync_earnings(Oid app, const std::vector<const OrderFacts*>& all_orders, bool orders_are_new) {
    std::vector<const OrderFacts*> orders = all_orders;
    bool updated_directly = false;
    if (!orders_are_new && !orders.empty()) {
        if (const std::optional<Oid> table = earnings_written_directly(app)) {
            orders = update_earnings_directly(app, *table, orders);  // those left have no earning
            updated_directly = true;
        }
    }
    const auto current =
        orders_are_new || updated_directly ? std::map<Uuid, CurrentEarning>() : lock_earnings(app, orders);
    std::vector<NewEarning> to_insert, to_update;
    for (const OrderFacts* o : orders) {
        const auto it = current.find(o->id);
        const CurrentEarning now = it == current.end()
                                       ? CurrentEarning{domain::EarningStatus::None, false}
                                       : it->second;
        const auto want = domain::desired_earning_status(o->commissionable, o->phase, now.status, now.paid_out);
        if (want == domain::EarningStatus::None) continue;
        (now.status == domain::EarningStatus::None ? to_insert : to_update).emplace_back(o, want);
    }
    // The statements' arguments: order ids and wanted statuses.
    const auto ids_and_statuses = [](const std::vector<NewEarning>& earnings) {
        std::pair<ColumnValues, ColumnValues> out;
        for (const auto& [o, want] : earnings) {
            out.first.push(pg::datum_from_uuid(o->id));
            out.second.push(pg::text_from_string(domain::earning_status_name(want)));
        }
        return out;
    };
    const std::optional<Oid> direct =
        orders_are_new && !to_insert.empty() ? earnings_written_directly(app) : std::nullopt;
    const auto [ins_ids, ins_status] = direct ? std::pair<ColumnValues, ColumnValues>() : ids_and_statuses(to_insert);
    const auto [upd_ids, upd_status] = ids_and_statuses(to_update);
    // The statuses are text; partner_earnings.status is an enum from 1.2 on,
    // which takes them cast (the statements' second form), VARCHAR before.
    const bool enum_status =
        (!ins_ids.values.empty() || !upd_ids.values.empty()) && onesim::columns::is_enum(app, "partner_earnings", "status");
    if (direct) {
        insert_earnings_directly(app, *direct, to_insert);
    } else if (ins_ids.values.size() == 1) {
        // One order (the common INSERT ... VALUES): a filtered scan of
        // new_rows, with none of the join and sort the set-based form sets up
        // at every execution.
        static pg::Statement as_text(fmt::format(kInsertEarnings, "$2", "FROM new_rows n WHERE n.id = $1"),
                                     {UUIDOID, TEXTOID}, pg::Statement::Plan::Generic);
        static pg::Statement as_enum(
            fmt::format(kInsertEarnings, "$2::{app}.earning_status", "FROM new_rows n WHERE n.id = $1"),
            {UUIDOID, TEXTOID}, pg::Statement::Plan::Generic);
        Datum args[2] = {ins_ids.values[0], ins_status.values[0]};
        (enum_status ? as_enum : as_text).execute(app, args, nullptr);
    } else if (!ins_ids.values.empty()) {
        // The generic plan (a hash join of the ids with new_rows, linear
        // whatever the statement's size): re-planning it for every order
        // cost about 5 % of a single-order insert.
        constexpr const char* kFrom = "FROM unnest($1, $2) AS t(o, s) JOIN new_rows n ON n.id = t.o ORDER BY n.id";
        static pg::Statement as_text(fmt::format(kInsertEarnings, "t.s", kFrom), {UUIDARRAYOID, TEXTARRAYOID},
                                     pg::Statement::Plan::Generic);
        static pg::Statement as_enum(fmt::format(kInsertEarnings, "t.s::{app}.earning_status", kFrom),
                                     {UUIDARRAYOID, TEXTARRAYOID}, pg::Statement::Plan::Generic);
        Datum args[2] = {array_datum(ins_ids.values, ins_ids.nulls, UUIDOID),
                         array_datum(ins_status.values, ins_status.nulls, TEXTOID)};
        (enum_status ? as_enum : as_text).execute(app, args, nullptr);
    }
    if (!upd_ids.values.empty()) {
        // The earning follows its order: partner, amounts and status. The
        // partner stays when the order lost its partner (the earning is then
        // cancelled); paid_out and paid_at are history and are kept.
        static pg::Statement as_text(update_earnings_sql("t.s"), {UUIDARRAYOID, TEXTARRAYOID});
        static pg::Statement as_enum(update_earnings_sql("t.s::{app}.earning_status"), {UUIDARRAYOID, TEXTARRAYOID});
        Datum args[2] = {array_datum(upd_ids.values, upd_ids.nulls, UUIDOID),
                         array_datum(upd_status.values, upd_status.nulls, TEXTOID)};
        (enum_status ? as_enum : as_text).execute(app, args, nullptr);
    }
}

bool earning_inputs_changed(const OrderFacts& a, const OrderFacts& b) {
    return a.phase != b.phase || a.partner != b.partner || a.commissionable != b.commissionable ||
           a.price_usd != b.price_usd || changed(a.price_uzs, b.price_uzs) || changed(a.rate, b.rate) ||
           changed(a.commission_usd, b.commission_usd) || changed(a.commission_uzs, b.commission_uzs);
}

void orders_after_change(TriggerData* td) {
    const Oid app = onesim::auth::extension_table_schema(td->tg_relation);
    TupleDesc desc = td->tg_relation->rd_att;
    const bool ins = TRIGGER_FIRED_BY_INSERT(td->tg_event);
    const bool del = TRIGGER_FIRED_BY_DELETE(td->tg_event);
    const Oid relid = RelationGetRelid(td->tg_relation);
    const auto old_rows = ins ? std::vector<OrderFacts>() : read_orders(td->tg_oldtable, relid, desc);
    const auto new_rows = del ? std::vector<OrderFacts>() : read_orders(td->tg_newtable, relid, desc);

    onesim::figures::PartnerDeltas partners;
    onesim::figures::CustomerDeltas customers;
    order_deltas(old_rows, new_rows, partners, customers);
    {
        // Every partner whose orders or earnings this statement touches.
        std::vector<Uuid> touched_partners;
        for (const auto* rows : {&old_rows, &new_rows}) {
            for (const auto& o : *rows) {
                if (o.partner) touched_partners.push_back(*o.partner);
            }
        }
        std::sort(touched_partners.begin(), touched_partners.end());
        touched_partners.erase(std::unique(touched_partners.begin(), touched_partners.end()),
                               touched_partners.end());
        onesim::figures::lock_partners_if_immediate(app, touched_partners);
    }
    std::map<Uuid, const OrderFacts*> before;
    for (const auto& o : old_rows) before[o.id] = &o;

    pg::SpiSession spi;
    // The earnings statements read the new order rows as "new_rows".
    pg::call([&] {
        if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER) {
            elog(ERROR, "could not register the transition tables of orders");
        }
    });
    onesim::figures::record(app, partners);  // partners, then customers: the lock order
    onesim::figures::record(app, customers);
    if (del) return;  // earnings go with their orders (FK cascade)

    std::vector<const OrderFacts*> touched;
    for (const auto& o : new_rows) {
        const auto it = before.find(o.id);
        if (it == before.end() || earning_inputs_changed(*it->second, o)) touched.push_back(&o);
    }
    sync_earnings(app, touched, ins);
}

}  // namespace

PG_CPP_FUNCTION(onesim_orders_after_change) {
    static const pg::TriggerSpec spec{"onesim_internal.orders_after_change",
                                      pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                                      pg::event::Insert | pg::event::Update | pg::event::Delete, 0};
    TriggerData* td = pg::validate_trigger(fcinfo, spec);
    if (pgcpp::platform::loads_as_dumped(td)) return PointerGetDatum(nullptr);
    orders_after_change(td);
    return PointerGetDatum(nullptr);
}

// --------------------------------------- AFTER, per statement: partner_earnings

namespace {

struct EarningFacts {
    Uuid partner;
    domain::EarningStatus status;
    bool paid_out;
    Decimal amount;
};

std::vector<EarningFacts> read_earnings(Tuplestorestate* table, Oid relid, TupleDesc desc) {
    const pg::Columns cols(relid, desc, {"partner_id", "status", "paid_out", "commission_amount_usd"});
    std::vector<EarningFacts> rows;
    pg::TransitionTable slot(table, desc);
    while (slot.next()) {
        rows.push_back({pg::required_value(pg::row_uuid(slot, cols[0]), "partner_earnings.partner_id"),
                        domain::parse_earning_status(row_column_text(slot, cols[1], desc).value_or("")),
                        pg::row_bool(slot, cols[2]).value_or(false),
                        pg::required_value(pg::row_decimal(slot, cols[3], "commission_amount_usd"),
                                          "partner_earnings.commission_amount_usd")});
    }
    return rows;
}

}  // namespace

PG_CPP_FUNCTION(onesim_earnings_after_change) {
    static const pg::TriggerSpec spec{"onesim_internal.earnings_after_change",
                                      pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                                      pg::event::Insert | pg::event::Update | pg::event::Delete, 0};
    TriggerData* td = pg::validate_trigger(fcinfo, spec);
    const Oid app = onesim::auth::extension_table_schema(td->tg_relation);
    if (pgcpp::platform::loads_as_dumped(td)) return PointerGetDatum(nullptr);
    TupleDesc desc = td->tg_relation->rd_att;
    std::map<Uuid, domain::EarningTotals> deltas;
    if (!TRIGGER_FIRED_BY_INSERT(td->tg_event)) {
        for (const auto& e : read_earnings(td->tg_oldtable, RelationGetRelid(td->tg_relation), desc)) {
            deltas[e.partner] -= domain::earning_contribution(e.status, e.paid_out, e.amount);
        }
    }
    if (!TRIGGER_FIRED_BY_DELETE(td->tg_event)) {
        for (const auto& e : read_earnings(td->tg_newtable, RelationGetRelid(td->tg_relation), desc)) {
            deltas[e.partner] += domain::earning_contribution(e.status, e.paid_out, e.amount);
        }
    }
    onesim::figures::PartnerDeltas out;
    for (const auto& [partner, d] : deltas) {
        if (!d.is_zero()) out[partner].money = d;
    }
    onesim::figures::record(app, out);
    return PointerGetDatum(nullptr);
}
