#include "onesim/layers.hpp"
#include "onesim/triggers/partner_figures.hpp"

#include <vector>

#include "onesim/auth_context.hpp"
#include "onesim/triggers/timestamps.hpp"
#include "pg/direct_write.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

extern "C" {
#include "access/xact.h"
#include "common/int.h"
#include "storage/proc.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
}

namespace onesim::figures {
namespace {

enum Mode { kImmediate = 0, kAtCommit = 1 };
int g_mode = kAtCommit;
const struct config_enum_entry kModes[] = {
    {"immediate", kImmediate, false}, {"at_commit", kAtCommit, false}, {nullptr, 0, false}};

// Deltas by the (sub)transaction that recorded them and by extension schema.
// Only open (sub)transactions appear: a committed subtransaction's deltas move
// to its parent, an aborted one's are dropped.
struct Pending {
    PartnerDeltas partners;
    CustomerDeltas customers;
};
using Levels = std::map<SubTransactionId, std::map<Oid, Pending>>;
Levels g_pending;

// Deltas written by a flush inside a subtransaction: if that subtransaction
// aborts, its UPDATEs are undone and the deltas are pending again.
struct Written {
    SubTransactionId writer;
    Levels levels;
};
std::vector<Written> g_written;

template <typename Deltas>
void merge_into(Deltas& into, const Deltas& from) {
    for (const auto& [id, d] : from) into[id].merge(d);
}

void merge_into(Pending& into, const Pending& from) {
    merge_into(into.partners, from.partners);
    merge_into(into.customers, from.customers);
}

void merge_levels(Levels& into, SubTransactionId level, std::map<Oid, Pending>& from) {
    for (auto& [app, pending] : from) merge_into(into[level][app], pending);
}

// last_order_at is recounted from the orders only when the delta lost an
// order (a delete or a move); otherwise it only moves forward. The two cases
// are two statements, so the common one carries no recount subquery: its
// plan is set up at every execution even when the CASE never runs it.
constexpr const char* kRecountPartnerLastOrder =
    "(SELECT max(o.created_at) FROM {app}.orders o WHERE o.partner_id = $1)";
constexpr const char* kRecountCustomerLastOrder =
    "(SELECT max(o.created_at) FROM {app}.orders o WHERE o.end_customer_id = $1 "
    "AND o.end_customer_type = 'b2b_partner_customer')";

// One UPDATE of a partner's figures; `last_order_at` is the new value's SQL
// ($3 is the newest order added, NULL if none).
std::string partner_update(const char* last_order_at, bool dashboard_figures) {
    return fmt::format(
        "UPDATE {{app}}.partners SET total_orders = total_orders + $2, last_order_at = {}, "
        "pending_earnings = pending_earnings + $4, total_earnings = total_earnings + $5, "
        "balance = balance + $6{} WHERE id = $1",
        last_order_at,
        dashboard_figures ? ", allocated_orders = allocated_orders + $7, "
                            "pending_orders = pending_orders + $8, "
                            "allocated_spent_usd = allocated_spent_usd + $9, "
                            "allocated_spent_uzs = allocated_spent_uzs + $10"
                          : "");
}

std::string customer_update(const char* last_order_at) {
    return fmt::format(
        "UPDATE {{app}}.partner_customers SET total_orders = total_orders + $2, "
        "total_spent = total_spent + $3, last_order_at = {} WHERE id = $1",
        last_order_at);
}

// The arguments: $1 id, $2 orders, $3 newest order added (NULL if none),
// $4-$6 pending, total and balance, and with the dashboard figures $7-$10
// allocated and pending orders, allocated USD and UZS.
pg::Statement& partner_statement(bool recount, bool dashboard_figures) {
    constexpr auto generic = pg::Statement::Plan::Generic;
    constexpr const char* kForward = "GREATEST(last_order_at, $3)";
    // Version 1.0's partners have no dashboard figures (has_dashboard_figures()).
    static pg::Statement plain_1_0(
        partner_update(kForward, false),
        {UUIDOID, INT8OID, TIMESTAMPTZOID, NUMERICOID, NUMERICOID, NUMERICOID}, generic);
    static pg::Statement recount_1_0(
        partner_update(kRecountPartnerLastOrder, false),
        {UUIDOID, INT8OID, TIMESTAMPTZOID, NUMERICOID, NUMERICOID, NUMERICOID}, generic);
    static pg::Statement plain(
        partner_update(kForward, true),
        {UUIDOID, INT8OID, TIMESTAMPTZOID, NUMERICOID, NUMERICOID, NUMERICOID, INT8OID, INT8OID,
         NUMERICOID, NUMERICOID},
        generic);
    static pg::Statement with_recount(
        partner_update(kRecountPartnerLastOrder, true),
        {UUIDOID, INT8OID, TIMESTAMPTZOID, NUMERICOID, NUMERICOID, NUMERICOID, INT8OID, INT8OID,
         NUMERICOID, NUMERICOID},
        generic);
    if (dashboard_figures) return recount ? with_recount : plain;
    return recount ? recount_1_0 : plain_1_0;
}

// ------------------------------------------------ figures written below SQL
//
// The common flush (figures of 1.1, no order lost, READ COMMITTED, no
// trigger on the table but the extension's) writes each row through
// pg::DirectWriter: the same row lock, constraints, row triggers and
// result as the UPDATE statements below, without their per-statement work
// (above all, re-parsing every CHECK of the table for each row). Each
// column gets what `column = column + $n` assigned back to it gives,
// overflow errors included.

// One row of figures: the locked row's values, changed column by column.
class FigureRow {
public:
    explicit FigureRow(pg::DirectWriter& writer)
        : writer_(writer), row_(writer.descriptor(), RelationGetRelid(writer.relation())) {}

    bool lock(const pg::Uuid& id) { return writer_.lock_row(row_.column("id"), pg::datum_from_uuid(id), row_); }

    // column = column + delta, for an integer column.
    void add(const char* name, int64 delta) {
        const AttrNumber att = row_.column(name);
        if (row_.is_null(att)) return row_.keep(att);  // NULL + x is NULL
        const Oid type = TupleDescAttr(row_.descriptor(), att - 1)->atttypid;
        const Datum value = row_.value(att);
        const int64 now = type == INT2OID ? DatumGetInt16(value) : type == INT4OID ? DatumGetInt32(value)
                                                                                   : DatumGetInt64(value);
        int64 sum = 0;
        const bool overflow = pg_add_s64_overflow(now, delta, &sum) ||
                              (type == INT4OID && (sum < PG_INT32_MIN || sum > PG_INT32_MAX)) ||
                              (type == INT2OID && (sum < PG_INT16_MIN || sum > PG_INT16_MAX));
        if (overflow) {
            const char* what = type == INT2OID ? "smallint" : type == INT4OID ? "integer" : "bigint";
            pg::call([&] {
                ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("%s out of range", what)));
            });
        }
        row_.set(att, type == INT2OID   ? Int16GetDatum(sum)
                      : type == INT4OID ? Int32GetDatum(sum)
                                        : Int64GetDatum(sum));
    }

    // column = column + delta, for a numeric column (rounded to its scale;
    // 22003 beyond its precision, as the assignment would).
    void add(const char* name, const core::Decimal& delta) {
        const AttrNumber att = row_.column(name);
        if (row_.is_null(att)) return row_.keep(att);
        const int32 typmod = TupleDescAttr(row_.descriptor(), att - 1)->atttypmod;
        const Datum now = row_.value(att);
        const Datum addend = pg::numeric_from_decimal(delta);
        row_.set(att, pg::call([&] {
                     const Datum sum = DirectFunctionCall2(numeric_add, now, addend);
                     return typmod >= 0 ? DirectFunctionCall2(numeric, sum, Int32GetDatum(typmod)) : sum;
                 }));
    }

    // column = GREATEST(column, newest), NULLs ignored as GREATEST does.
    void raise_to(const char* name, const std::optional<TimestampTz>& newest) {
        const AttrNumber att = row_.column(name);
        const bool raise = newest && (row_.is_null(att) || DatumGetTimestampTz(row_.value(att)) < *newest);
        if (raise) return row_.set(att, TimestampTzGetDatum(*newest));
        row_.keep(att);
    }

    void write() {
        onesim::timestamps::stamp_updated_at(row_);  // the touch trigger is then skipped
        writer_.update_locked(row_);
    }

private:
    pg::DirectWriter& writer_;
    pg::RowImage row_;
};

// The table to write these deltas to below SQL, if they may be (see above).
template <typename Deltas>
std::optional<Oid> direct_table(Oid app, const char* name, const Deltas& deltas) {
    for (const auto& [id, d] : deltas) {
        if (d.lost_an_order) return std::nullopt;  // last_order_at is recounted by a query
    }
    return pg::DirectWriter::usable_table(app, name, "onesim_internal");
}

// A delta's columns, as the UPDATE statements below set them.
void set_figures(FigureRow& row, const PartnerDelta& d) {
    row.add("total_orders", d.orders);
    row.raise_to("last_order_at", d.newest_order);
    row.add("pending_earnings", d.money.pending);
    row.add("total_earnings", d.money.total);
    row.add("balance", d.money.balance);
    row.add("allocated_orders", d.allocated_orders);
    row.add("pending_orders", d.pending_orders);
    row.add("allocated_spent_usd", d.allocated_usd);
    row.add("allocated_spent_uzs", d.allocated_uzs);
}

void set_figures(FigureRow& row, const CustomerDelta& d) {
    row.add("total_orders", d.orders);
    row.add("total_spent", d.spent);
    row.raise_to("last_order_at", d.newest_order);
}

template <typename Deltas>
void apply_directly(Oid table, const Deltas& deltas) {
    pg::DirectWriter writer(table);
    FigureRow row(writer);
    for (const auto& [id, d] : deltas) {  // std::map: id order, no deadlocks
        pg::check_for_interrupts();
        if (d.is_empty() || !row.lock(id)) continue;
        set_figures(row, d);
        row.write();
    }
    writer.finish();
}

// Locks the rows (FOR NO KEY UPDATE, the lock the figures UPDATE takes) of
// `table` with these ids, in id order.
void lock_rows(Oid app, const char* table, const std::vector<pg::Uuid>& ids_to_lock) {
    if (ids_to_lock.empty()) return;
    static pg::Statement partners(
        "SELECT 1 FROM {app}.partners WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", {UUIDARRAYOID});
    static pg::Statement customers(
        "SELECT 1 FROM {app}.partner_customers WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
        {UUIDARRAYOID});
    std::vector<Datum> ids;
    for (const pg::Uuid& id : ids_to_lock) ids.push_back(pg::datum_from_uuid(id));
    const Datum* elems = ids.data();
    const int n = static_cast<int>(ids.size());
    Datum args[1] = {pg::call([&] {
        return PointerGetDatum(construct_array(const_cast<Datum*>(elems), n, UUIDOID, UUID_LEN, false,
                                               TYPALIGN_CHAR));
    })};
    pg::SpiSession spi;
    (std::string_view(table) == "partners" ? partners : customers).execute(app, args, nullptr);
}

// A recount of last_order_at reads the orders with the snapshot of its
// UPDATE, taken before the UPDATE waits for the row: an order committed by
// the transaction it waited for would be missed, and its newer value
// overwritten. So when any delta recounts, every row is locked first (in id
// order, the order of the UPDATEs), and each UPDATE then reads with a
// snapshot taken after the locks.
template <typename Deltas>
void lock_before_recount(Oid app, const char* table, const Deltas& deltas) {
    bool recounts = false;
    for (const auto& [id, d] : deltas) recounts = recounts || (d.lost_an_order && !d.is_empty());
    if (!recounts) return;
    std::vector<pg::Uuid> ids;
    for (const auto& [id, d] : deltas) {
        if (!d.is_empty()) ids.push_back(id);
    }
    lock_rows(app, table, ids);
}

void apply(Oid app, const PartnerDeltas& deltas) {
    const bool dashboard_figures = has_dashboard_figures(app);
    if (dashboard_figures) {
        if (const auto table = direct_table(app, "partners", deltas)) return apply_directly(*table, deltas);
    }
    lock_before_recount(app, "partners", deltas);
    pg::SpiSession spi;
    for (const auto& [id, d] : deltas) {  // std::map: partner-id order, no deadlocks
        if (d.is_empty()) continue;
        Datum args[10] = {pg::datum_from_uuid(id),
                          Int64GetDatum(d.orders),
                          d.newest_order ? TimestampTzGetDatum(*d.newest_order) : Datum(0),
                          pg::numeric_from_decimal(d.money.pending),
                          pg::numeric_from_decimal(d.money.total),
                          pg::numeric_from_decimal(d.money.balance),
                          Int64GetDatum(d.allocated_orders),
                          Int64GetDatum(d.pending_orders),
                          pg::numeric_from_decimal(d.allocated_usd),
                          pg::numeric_from_decimal(d.allocated_uzs)};
        const char nulls[11] = {' ', ' ', d.newest_order ? ' ' : 'n', ' ', ' ', ' ', ' ', ' ', ' ', ' ', '\0'};
        partner_statement(d.lost_an_order, dashboard_figures).execute(app, args, nulls);
    }
}

void apply(Oid app, const CustomerDeltas& deltas) {
    // $1 id, $2 orders, $3 spent, $4 newest order added (NULL if none).
    static pg::Statement plain(customer_update("GREATEST(last_order_at, $4)"),
                               {UUIDOID, INT8OID, NUMERICOID, TIMESTAMPTZOID}, pg::Statement::Plan::Generic);
    static pg::Statement recount(customer_update(kRecountCustomerLastOrder),
                                 {UUIDOID, INT8OID, NUMERICOID, TIMESTAMPTZOID}, pg::Statement::Plan::Generic);
    if (const auto table = direct_table(app, "partner_customers", deltas)) return apply_directly(*table, deltas);
    lock_before_recount(app, "partner_customers", deltas);
    pg::SpiSession spi;
    for (const auto& [id, d] : deltas) {  // std::map: id order, no deadlocks
        if (d.is_empty()) continue;
        Datum args[4] = {pg::datum_from_uuid(id), Int64GetDatum(d.orders),
                         pg::numeric_from_decimal(d.spent),
                         d.newest_order ? TimestampTzGetDatum(*d.newest_order) : Datum(0)};
        const char nulls[5] = {' ', ' ', ' ', d.newest_order ? ' ' : 'n', '\0'};
        (d.lost_an_order ? recount : plain).execute(app, args, nulls);
    }
}

// Set when the bookkeeping could not follow a subtransaction's end (out of
// memory in a callback, where nothing may be thrown): the pending deltas are
// then no longer the transaction's, and its commit fails instead of writing
// wrong figures.
bool g_lost_track = false;

void follow_subxact(SubXactEvent event, SubTransactionId sub, SubTransactionId parent) {
    if (event == SUBXACT_EVENT_ABORT_SUB) {
        g_pending.erase(g_pending.lower_bound(sub), g_pending.end());
        for (auto it = g_written.begin(); it != g_written.end();) {
            if (it->writer < sub) {
                ++it;
                continue;
            }
            for (auto& [level, by_app] : it->levels) {
                if (level < sub) merge_levels(g_pending, level, by_app);
            }
            it = g_written.erase(it);
        }
    } else if (event == SUBXACT_EVENT_COMMIT_SUB) {
        if (auto it = g_pending.find(sub); it != g_pending.end()) {
            merge_levels(g_pending, parent, it->second);
            g_pending.erase(it);
        }
        for (Written& w : g_written) {
            if (w.writer == sub) w.writer = parent;
            if (auto it = w.levels.find(sub); it != w.levels.end()) {
                merge_levels(w.levels, parent, it->second);
                w.levels.erase(it);
            }
        }
    }
}

// A C++ exception must not leave a callback PostgreSQL calls.
void on_subxact(SubXactEvent event, SubTransactionId sub, SubTransactionId parent, void*) {
    try {
        follow_subxact(event, sub, parent);
    } catch (...) {
        g_lost_track = true;
    }
}

// Runs flush() from a callback, where no entry guard stands between C++ and
// Postgres: exceptions become a Postgres error once C++ frames are gone.
void flush_from_callback() {
    char message[512] = "";
    ErrorData* pg_error = nullptr;
    try {
        // At commit no trigger function stands around this: do what SECURITY
        // DEFINER SET search_path does for them (the caller may have no right
        // to write partners, and its search_path must not choose operators),
        // and take the snapshot SPI needs (deferred triggers released theirs).
        onesim::auth::AsExtensionOwner as_owner;
        const int guc_level = pg::call([] {
            const int level = NewGUCNestLevel();
            set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
                              GUC_ACTION_SAVE, true, 0, false);
            PushActiveSnapshot(GetTransactionSnapshot());
            return level;
        });
        flush();
        pg::call([&] {
            PopActiveSnapshot();
            AtEOXact_GUC(true, guc_level);
        });
        return;
    } catch (const pg::PgError& e) {
        pg_error = e.data();
    } catch (const std::exception& e) {
        std::strncpy(message, e.what(), sizeof message - 1);
    } catch (...) {
        std::strncpy(message, "unknown C++ exception", sizeof message - 1);
    }
    if (pg_error != nullptr) ReThrowError(pg_error);
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                    errmsg_internal("writing partner figures at commit: %s", message)));
}

// Whether the onesim extension still exists (a transaction may write orders
// and then drop it: the pending deltas then have no rows to go to).
bool extension_exists() {
    return OidIsValid(get_extension_oid("onesim", true));
}

// At commit: PostgreSQL has fired the deferred triggers already, and fires no
// more after this callback. The flush's own UPDATEs can queue deferred user
// triggers (a DEFERRABLE INITIALLY DEFERRED constraint trigger on partners),
// and those, like any trigger the flush fires, can write orders whose deltas
// are pending again: so flush, fire what was deferred, and repeat until
// nothing is pending.
void flush_at_commit() {
    if (g_lost_track) {
        g_lost_track = false;
        g_pending.clear();
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
                        errmsg("partner figures of this transaction were lost track of"),
                        errdetail("Memory ran out while a subtransaction ended; the transaction is rolled back.")));
    }
    while (!g_pending.empty()) {
        if (!extension_exists()) {
            g_pending.clear();
            break;
        }
        flush_from_callback();
        AfterTriggerFireDeferred();
    }
}

void on_xact(XactEvent event, void*) {
    switch (event) {
        case XACT_EVENT_PRE_COMMIT:
        case XACT_EVENT_PRE_PREPARE:
            flush_at_commit();
            break;
        case XACT_EVENT_PARALLEL_PRE_COMMIT:
            break;
        default:  // commit, abort, prepare: nothing may survive the transaction
            g_pending.clear();
            g_written.clear();
            g_lost_track = false;
            break;
    }
}

}  // namespace

bool PartnerDelta::is_empty() const {
    return orders == 0 && !newest_order && !lost_an_order && money.is_zero() &&
           allocated_orders == 0 && pending_orders == 0 && allocated_usd.is_zero() &&
           allocated_uzs.is_zero();
}

void PartnerDelta::merge(const PartnerDelta& o) {
    orders += o.orders;
    if (o.newest_order && (!newest_order || *newest_order < *o.newest_order)) newest_order = o.newest_order;
    lost_an_order = lost_an_order || o.lost_an_order;
    money += o.money;
    allocated_orders += o.allocated_orders;
    pending_orders += o.pending_orders;
    allocated_usd = allocated_usd + o.allocated_usd;
    allocated_uzs = allocated_uzs + o.allocated_uzs;
}

bool CustomerDelta::is_empty() const {
    return orders == 0 && spent.is_zero() && !newest_order && !lost_an_order;
}

void CustomerDelta::merge(const CustomerDelta& o) {
    orders += o.orders;
    spent = spent + o.spent;
    if (o.newest_order && (!newest_order || *newest_order < *o.newest_order)) newest_order = o.newest_order;
    lost_an_order = lost_an_order || o.lost_an_order;
}

void record(Oid app, const PartnerDeltas& deltas) {
    if (deltas.empty()) return;
    if (g_mode == kImmediate) {
        apply(app, deltas);
        return;
    }
    if (has_dashboard_figures(app)) {
        merge_into(g_pending[GetCurrentSubTransactionId()][app].partners, deltas);
        return;
    }
    // A 1.0 schema has no dashboard figures: an update to 1.1 later in this
    // transaction backfills them from the rows, these orders included, so
    // its deltas must not count them again at commit.
    PartnerDeltas without_dashboard = deltas;
    for (auto& [id, d] : without_dashboard) {
        d.allocated_orders = 0;
        d.pending_orders = 0;
        d.allocated_usd = core::Decimal();
        d.allocated_uzs = core::Decimal();
    }
    merge_into(g_pending[GetCurrentSubTransactionId()][app].partners, without_dashboard);
}

void record(Oid app, const CustomerDeltas& deltas) {
    if (deltas.empty()) return;
    if (g_mode == kImmediate) {
        apply(app, deltas);
        return;
    }
    merge_into(g_pending[GetCurrentSubTransactionId()][app].customers, deltas);
}

// One pass over what is pending now.
void flush_once();

void flush() {
    // What the flush's own UPDATEs fire (a user trigger on partners that
    // writes an order) records new deltas: flush until none is left.
    while (!g_pending.empty()) flush_once();
}

void flush_once() {
    // Net every level per schema. The levels leave the pending set before
    // anything is written, so nothing is ever applied twice; inside a
    // subtransaction they are remembered, to be pending again if it aborts.
    Levels levels;
    levels.swap(g_pending);
    std::map<Oid, Pending> by_schema;
    for (const auto& [level, by_app] : levels) {
        for (const auto& [app, pending] : by_app) merge_into(by_schema[app], pending);
    }
    const SubTransactionId writer = GetCurrentSubTransactionId();
    if (writer != TopSubTransactionId) g_written.push_back(Written{writer, std::move(levels)});
    // A schema whose extension was dropped in this transaction (and perhaps
    // created again elsewhere) has no rows left for its deltas.
    for (auto it = by_schema.begin(); it != by_schema.end();) {
        const Oid app = it->first;
        const bool has_partners = pg::call([&] { return OidIsValid(get_relname_relid("partners", app)); });
        it = has_partners ? std::next(it) : by_schema.erase(it);
    }
    // Partners, then customers: the lock order of every path (immediate()).
    for (const auto& [app, pending] : by_schema) apply(app, pending.partners);
    for (const auto& [app, pending] : by_schema) apply(app, pending.customers);
}

bool has_dashboard_figures(Oid app) {
    return pg::call([&] {
        const Oid partners = get_relname_relid("partners", app);
        return OidIsValid(partners) && get_attnum(partners, "allocated_orders") != InvalidAttrNumber;
    });
}

bool immediate() { return g_mode == kImmediate; }

void lock_partners(Oid app, const std::vector<pg::Uuid>& partners) {
    if (partners.empty()) return;
    static pg::Statement stmt(
        "SELECT 1 FROM {app}.partners WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
        {UUIDARRAYOID});
    std::vector<Datum> ids;
    for (const pg::Uuid& id : partners) ids.push_back(pg::datum_from_uuid(id));
    const Datum* elems = ids.data();
    const int n = static_cast<int>(ids.size());
    Datum args[1] = {pg::call([&] {
        return PointerGetDatum(construct_array(const_cast<Datum*>(elems), n, UUIDOID, UUID_LEN, false,
                                               TYPALIGN_CHAR));
    })};
    pg::SpiSession spi;
    stmt.execute(app, args, nullptr);
}

void lock_partners_if_immediate(Oid app, const std::vector<pg::Uuid>& partners) {
    if (g_mode == kImmediate) lock_partners(app, partners);
}

void initialize() {
    DefineCustomEnumVariable(
        "onesim.partner_figures",
        "When orders and earnings update their partner's figures: at_commit or immediate.",
        "at_commit collects a transaction's changes and writes them just before it commits, so "
        "concurrent transactions of one partner do not queue on its row.",
        &g_mode, kAtCommit, kModes, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    RegisterXactCallback(on_xact, nullptr);
    RegisterSubXactCallback(on_subxact, nullptr);
}

}  // namespace onesim::figures

namespace {

// The partner row this subtransaction of this transaction has already
// locked for a customer edit: a statement editing many customers of one
// partner locks it once. A rolled-back subtransaction releases its row locks,
// and a new one has a new id, so the memo never outlives the lock.
struct LockedPartner {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    SubTransactionId subxact = InvalidSubTransactionId;
    Oid app = InvalidOid;
    pgcpp::pg::Uuid partner{};
};
LockedPartner g_locked_partner;

}  // namespace

// onesim_internal.lock_partner_before_customer() RETURNS trigger
// BEFORE UPDATE (of anything but the figures) or DELETE FOR EACH ROW on
// partner_customers. The figures are written partner row first, then the
// customers' (at commit, or at the end of each statement in immediate mode);
// a transaction that edits or deletes a customer would otherwise hold the
// customer's row until it commits and only then take its partner's, the
// reverse order, and deadlock with another transaction writing figures for
// the same partner and customer. This takes the partner's row lock (the one
// its figures UPDATE takes) as soon as the customer's row is locked, so the
// other transaction waits instead. What remains is the moment between the
// executor locking the customer row and this trigger running, against a
// flush caught between its two UPDATEs; PostgreSQL's deadlock detector
// resolves that rare case. Under REPEATABLE READ or SERIALIZABLE it does
// nothing: there, locking a partner whose figures changed after the
// snapshot fails the statement (40001), and an edit that touches no figure
// must not fail for that.
PG_CPP_FUNCTION(onesim_lock_partner_before_customer) {
    namespace pg = pgcpp::pg;
    static const pg::TriggerSpec spec{"onesim_internal.lock_partner_before_customer", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Update | pg::event::Delete, 0};
    TriggerData* td = pg::validate_trigger(fcinfo, spec);
    const int partner_column = pg::column_number(td, "partner_id", spec.function);
    bool is_null = false;
    const Datum partner_datum =
        pg::call([&] { return heap_getattr(td->tg_trigtuple, partner_column, td->tg_relation->rd_att, &is_null); });
    const HeapTuple result = pg::trigger_event(td) == pg::event::Update ? td->tg_newtuple : td->tg_trigtuple;
    if (is_null || IsolationUsesXactSnapshot()) return PointerGetDatum(result);
    const Oid app = onesim::auth::extension_table_schema(td->tg_relation);
    const pg::Uuid partner = pg::uuid_from_datum(partner_datum);
    const LockedPartner now{MyProc->lxid, GetCurrentSubTransactionId(), app, partner};
    const LockedPartner& last = g_locked_partner;
    if (last.lxid == now.lxid && last.subxact == now.subxact && last.app == app && last.partner == partner) {
        return PointerGetDatum(result);
    }
    onesim::figures::lock_partners(app, {partner});
    g_locked_partner = now;
    return PointerGetDatum(result);
}
