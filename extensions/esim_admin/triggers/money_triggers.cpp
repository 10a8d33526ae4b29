// Transactions, promotional code uses, refunds, plan prices, eSIM status.
#include "core/counter_deltas.hpp"
#include "esim_admin/domain/lifecycle.hpp"
#include "esim_admin/domain/money.hpp"
#include "esim_admin/domain/periods.hpp"
#include "esim_admin/promo.hpp"
#include "esim_admin/support.hpp"
#include "pg/datum.hpp"
#include "pg/direct_write.hpp"

#include <map>

extern "C" {
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/snapmgr.h"
}

namespace esim_admin {
namespace {

namespace domain = esim_admin::domain;
using core::Decimal;

Decimal money(const Text& v, const char* what) {
    if (!v) throw core::DomainError(core::ErrorKind::NotNull, std::string(what) + " must not be null");
    return Decimal::parse(*v);
}

// The promotional code as validation needs it; nullopt when there is none.
std::optional<domain::PromoCode> load_promo(const std::string& id) {
    static Query q("SELECT " ESIM_ADMIN_PROMO_COLUMNS " FROM {app}.promotional_codes c WHERE c.id = $1::uuid", 1);
    if (q.run({id}, true) == 0) return std::nullopt;
    return promo_from_result(0, 1);
}

// Assigns an eSIM of the plan to the buyer (the given one, or the oldest
// available in stock) and returns its id. The eSIM's own trigger activates it.
std::string assign_esim(const Text& esim_id, const Text& plan_id, const Text& user_id) {
    static Query take_given(
        "UPDATE {app}.esims SET user_id = $2::uuid, status = 'active' "
        "WHERE id = $1::uuid AND status = 'available' AND user_id IS NULL AND deleted_at IS NULL "
        "  AND plan_id IS NOT DISTINCT FROM $3::uuid RETURNING id::text",
        3);
    static Query take_stock(
        "UPDATE {app}.esims SET user_id = $2::uuid, status = 'active' WHERE id = ("
        "  SELECT id FROM {app}.esims WHERE plan_id = $1::uuid AND status = 'available' "
        "    AND user_id IS NULL AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1 "
        "  FOR UPDATE SKIP LOCKED) RETURNING id::text",
        2);
    AsOwner owner;
    if (esim_id) {
        if (take_given.run({esim_id, user_id, plan_id}) != 1) {
            throw core::DomainError(core::ErrorKind::Conflict,
                                    "eSIM " + *esim_id + " is not an available eSIM of the purchased plan");
        }
        return *esim_id;
    }
    if (!plan_id) {
        throw core::DomainError(core::ErrorKind::NotNull, "a completed purchase needs a plan_id");
    }
    if (take_stock.run({plan_id, user_id}) != 1) {
        throw core::DomainError(core::ErrorKind::Conflict, "no eSIM of plan " + *plan_id + " is in stock",
                                {}, "Add available eSIMs of the plan, then complete the purchase again.");
    }
    return *Query::value(0, 1);
}

const char* const kImmutableTransactionColumns[] = {
    "user_id", "plan_id", "amount", "currency", "promo_code_id", "discount_amount", "tax_amount",
    "payment_method", "created_at"};

// transactions.status of a transition table's row, as the domain's status;
// the enum's output function is looked up once per trigger call.
class StatusReader {
public:
    explicit StatusReader(Oid type)
        : output_(pg::call([&] {
              Oid out;
              bool varlena;
              getTypeOutputInfo(type, &out, &varlena);
              return out;
          })) {}
    domain::TransactionStatus operator()(Datum status) const {
        const std::string label(pg::call([&] { return OidOutputFunctionCall(output_, status); }));
        return domain::parse_transaction_status(label);
    }

private:
    Oid output_;
};

}  // namespace

// BEFORE INSERT OR UPDATE on transactions, row.
//   discount_amount: from the promotional code when there is one (validated:
//   active, in its window, for this plan, uses left); total_amount = amount -
//   discount + tax (a client value is overwritten); the status machine; the
//   money columns fixed once written; completing assigns an eSIM, once.
PG_CPP_FUNCTION(esim_admin_transactions_before_write) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"transactions_before_write", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    pg::SpiSession spi;
    if (Purge::active()) return keep_row(row.result());
    const Caller caller = current_caller();
    const domain::TransactionStatus status = domain::parse_transaction_status(row.required("status"));
    bool completing = false;
    if (is_insert) {
        if (!is_admin(caller)) not_authorized("purchases are recorded through purchase()");
        const Decimal amount = money(row.get("amount"), "amount");
        Decimal discount = money(row.get("discount_amount"), "discount_amount");
        if (const Text promo_id = row.get("promo_code_id")) {
            // purchase() has validated the code already (the same checks, the
            // same snapshot) and hands its discount over; the use itself is
            // counted, and max_uses enforced under the code's row lock, by
            // apply_promo_uses() (the statement trigger, or purchase()).
            if (const auto handed = PurchaseInsert::take_discount(*promo_id, row.get("plan_id").value_or(""), amount.to_string())) {
                discount = Decimal::parse(*handed);
            } else {
                const auto promo = load_promo(*promo_id);
                if (!promo) {
                    throw core::DomainError(core::ErrorKind::ForeignKey,
                                            "promotional code " + *promo_id + " does not exist");
                }
                domain::check_promo_usable(*promo, row.get("plan_id").value_or(""), micros(transaction_now()));
                discount = domain::discount_for(*promo, amount);
            }
            row.set("discount_amount", discount.to_string());
        }
        const Decimal total = domain::transaction_total(amount, discount, money(row.get("tax_amount"), "tax_amount"));
        row.set("total_amount", total.to_string());
        if (status == domain::TransactionStatus::Refunded) {
            throw core::DomainError(core::ErrorKind::Conflict, "a transaction is refunded by its refunds",
                                    {}, "Insert it as completed, then record the refund.");
        }
        completing = status == domain::TransactionStatus::Completed;
        if (!completing) row.set("completed_at", std::nullopt);
    } else {
        Row old(td, td->tg_trigtuple);
        for (const char* col : kImmutableTransactionColumns) {
            if (old.get(col) != row.get(col)) {
                throw core::DomainError(core::ErrorKind::Conflict,
                                        std::string("a transaction's ") + col + " cannot change once recorded",
                                        {}, "Cancel it and record a new one, or record a refund.");
            }
        }
        if (!is_admin(caller) && !SystemWrite::active()) not_authorized("only the service or an admin updates a transaction");
        const auto from = domain::parse_transaction_status(old.required("status"));
        domain::check_transaction_transition(from, status, SystemWrite::active());
        if (old.get("esim_id") && old.get("esim_id") != row.get("esim_id")) {
            throw core::DomainError(core::ErrorKind::Conflict, "a transaction's eSIM cannot change once assigned");
        }
        completing = from == domain::TransactionStatus::Pending && status == domain::TransactionStatus::Completed;
        if (!completing) {
            bool null = false;
            const Datum was = old.datum("completed_at", &null);
            row.set_datum("completed_at", was, null);
        }
        // The figures are recomputed from the fixed columns (a no-op UPDATE
        // used as a lock keeps them).
        row.set("total_amount", old.get("total_amount"));
    }
    if (completing) {
        if (row.is_null("completed_at")) row.set_datum("completed_at", TimestampTzGetDatum(transaction_now()), false);
        if (!row.get("user_id")) throw core::DomainError(core::ErrorKind::NotNull, "a completed purchase needs a user_id");
        row.set("esim_id", assign_esim(row.get("esim_id"), row.get("plan_id"), row.get("user_id")));
    }
    HeapTuple out = row.result();
    if (is_insert) PurchaseInsert::capture(out);
    return keep_row(out);
}

// AFTER INSERT / UPDATE / DELETE on transactions, statement, with transition
// tables: promotional_codes.used_count = the transactions holding a use
// (pending, completed, refunded). Per code: +1 per new row holding a use,
// -1 per old one, netted; codes updated in id order (no deadlock); a use
// beyond max_uses fails the whole statement (55000). The row lock makes
// racing buyers queue: the last use goes to one of them.
PG_CPP_FUNCTION(esim_admin_transactions_promo_uses) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"transactions_promo_uses", pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                 pg::event::Insert | pg::event::Update | pg::event::Delete, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    if (Purge::active()) return PointerGetDatum(nullptr);
    const int promo_att = pg::column_number(td, "promo_code_id", "transactions_promo_uses");
    const int status_att = pg::column_number(td, "status", "transactions_promo_uses");
    const StatusReader status_of(TupleDescAttr(td->tg_relation->rd_att, status_att - 1)->atttypid);
    core::CountDeltas deltas;
    auto scan = [&](Tuplestorestate* store, std::int64_t sign) {
        if (store == nullptr) return;
        pg::TransitionTable rows(store, td->tg_relation->rd_att);
        while (rows.next()) {
            CHECK_FOR_INTERRUPTS();
            bool null = false;
            const Datum promo = rows.value(promo_att, &null);
            if (null) continue;
            bool status_null = false;
            if (!domain::holds_promo_use(status_of(rows.value(status_att, &status_null)))) continue;
            const pg::Uuid key = pg::uuid_from_datum(promo);
            core::Key k;
            std::copy(key.begin(), key.end(), k.begin());
            deltas.add(k, sign);
        }
    };
    scan(td->tg_oldtable, -1);
    scan(td->tg_newtable, +1);
    const auto changes = deltas.nonzero_sorted();
    if (!changes.empty()) apply_promo_uses(changes);
    return PointerGetDatum(nullptr);
}

void apply_promo_uses(const std::vector<std::pair<core::Key, std::int64_t>>& changes) {
    pg::SpiSession spi;
    SystemWrite system;
    AsOwner owner;
    auto no_uses_left = [](const core::Key& key) {
        return core::DomainError(core::ErrorKind::Conflict, "the promotional code has no uses left",
                                 "Code " + pg::uuid_text(key.data()) + " has reached its max_uses.");
    };
    // Below SQL where the table allows it (READ COMMITTED, only the
    // extension's triggers): the same row lock on the newest version, the
    // same CHECKs and row triggers, without a statement's planning and its
    // constraints parsed again per statement.
    if (const auto table = pg::DirectWriter::usable_table(app_schema(), "promotional_codes", "esim_admin_internal")) {
        pg::DirectWriter writer(*table);
        pg::RowImage row(writer.descriptor(), *table);
        const AttrNumber id_col = row.column("id"), used_col = row.column("used_count"), max_col = row.column("max_uses");
        for (const auto& [key, delta] : changes) {
            pg::Uuid id;
            std::copy(key.begin(), key.end(), id.begin());
            if (!writer.lock_row(id_col, pg::datum_from_uuid(id), row)) throw no_uses_left(key);
            const std::int64_t used = static_cast<std::int64_t>(DatumGetInt32(row.value(used_col))) + delta;
            if (!row.is_null(max_col) && used > DatumGetInt32(row.value(max_col))) throw no_uses_left(key);
            row.set(used_col, Int32GetDatum(static_cast<int32>(used)));
            writer.update_locked(row);
        }
        writer.finish();
        return;
    }
    static Query apply(
        "UPDATE {app}.promotional_codes SET used_count = used_count + $2::int "
        "WHERE id = $1::uuid AND (max_uses IS NULL OR used_count + $2::int <= max_uses) RETURNING code",
        2);
    for (const auto& [key, delta] : changes) {
        if (apply.run({pg::uuid_text(key.data()), std::to_string(delta)}) != 1) throw no_uses_left(key);
    }
}

// AFTER INSERT / UPDATE / DELETE on transactions, statement: the sales kept
// per (UTC day of completion, plan) in esim_admin_internal.daily_sales,
// which the dashboard sums instead of scanning the month's purchases. A
// sale is a completed or refunded purchase, not soft-deleted; each old row
// takes its figures back from its key, each new row adds them to its own,
// and the net changes are applied in key order (so two statements lock the
// rows they share in the same order). Retention's moves to cold storage
// take their sales out too: the figures describe the live table.
PG_CPP_FUNCTION(esim_admin_transactions_daily_sales) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"transactions_daily_sales", pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                 pg::event::Insert | pg::event::Update | pg::event::Delete, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const char* fn = "transactions_daily_sales";
    const int status_att = pg::column_number(td, "status", fn);
    const int plan_att = pg::column_number(td, "plan_id", fn);
    const int total_att = pg::column_number(td, "total_amount", fn);
    const int completed_att = pg::column_number(td, "completed_at", fn);
    const int deleted_att = pg::column_number(td, "deleted_at", fn);
    const StatusReader status_of(TupleDescAttr(td->tg_relation->rd_att, status_att - 1)->atttypid);

    struct Sales {
        Decimal revenue = Decimal::from_int(0);
        std::int64_t count = 0;
    };
    // (day, plan or nullopt) -> net change; std::optional orders nullopt first.
    std::map<std::pair<domain::Day, std::optional<pg::Uuid>>, Sales> changes;
    auto scan = [&](Tuplestorestate* store, int sign) {
        if (store == nullptr) return;
        pg::TransitionTable rows(store, td->tg_relation->rd_att);
        while (rows.next()) {
            CHECK_FOR_INTERRUPTS();
            bool null = false;
            rows.value(deleted_att, &null);
            if (!null) continue;
            const Datum completed = rows.value(completed_att, &null);
            if (null) continue;
            if (!domain::counts_as_sale(status_of(rows.value(status_att, &null)))) continue;
            const TimestampTz at = DatumGetTimestampTz(completed);
            if (TIMESTAMP_NOT_FINITE(at)) {
                throw core::DomainError(core::ErrorKind::OutOfRange, "a purchase's completed_at must be a finite time");
            }
            const Datum plan = rows.value(plan_att, &null);
            std::optional<pg::Uuid> plan_id;
            if (!null) plan_id = pg::uuid_from_datum(plan);
            const Datum total = rows.value(total_att, &null);
            const Decimal amount =
                Decimal::parse(pg::call([&] { return DatumGetCString(DirectFunctionCall1(numeric_out, total)); }));
            Sales& sales = changes[{domain::day_of(at), plan_id}];
            sales.revenue = sign > 0 ? sales.revenue + amount : sales.revenue - amount;
            sales.count += sign;
        }
    };
    scan(td->tg_oldtable, -1);
    scan(td->tg_newtable, +1);
    if (changes.empty()) return PointerGetDatum(nullptr);  // no sale (a purchase while pending)
    pg::SpiSession spi;
    static Query apply(
        "INSERT INTO esim_admin_internal.daily_sales AS d (day, plan_id, revenue, transactions) "
        "VALUES (DATE '2000-01-01' + $1::int, $2::uuid, $3::numeric, $4::bigint) "
        "ON CONFLICT (day, plan_id) DO UPDATE "
        "SET revenue = d.revenue + EXCLUDED.revenue, transactions = d.transactions + EXCLUDED.transactions",
        4);
    AsOwner owner;
    for (const auto& [key, sales] : changes) {
        if (sales.count == 0 && sales.revenue == Decimal::from_int(0)) continue;
        const Text plan = key.second ? Text(pg::uuid_text(key.second->data())) : Text();
        apply.run({std::to_string(key.first), plan, sales.revenue.to_string(), std::to_string(sales.count)});
    }
    return PointerGetDatum(nullptr);
}

// BEFORE INSERT OR UPDATE on refunds, row: the transaction is locked, then
// its pending and processed refunds summed (a fresh snapshot, after the
// lock): the new total never exceeds the transaction's total_amount, however
// many refunds race. Only a completed transaction is refunded; amount and
// transaction are fixed; pending -> processed | failed sets processed_at and
// processed_by.
PG_CPP_FUNCTION(esim_admin_refunds_before_write) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"refunds_before_write", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    pg::SpiSession spi;
    const Caller caller = current_caller();
    if (!is_admin(caller)) not_authorized("only an admin or the service records refunds");
    const auto status = domain::parse_refund_status(row.required("status"));
    bool leaving_pending = is_insert ? status != domain::RefundStatus::Pending : false;
    if (!is_insert) {
        Row old(td, td->tg_trigtuple);
        if (old.get("transaction_id") != row.get("transaction_id") || old.get("amount") != row.get("amount")) {
            throw core::DomainError(core::ErrorKind::Conflict, "a refund's transaction and amount cannot change",
                                    {}, "Mark it failed and record a new refund.");
        }
        const auto from = domain::parse_refund_status(old.required("status"));
        domain::check_refund_transition(from, status);
        leaving_pending = from == domain::RefundStatus::Pending && status != domain::RefundStatus::Pending;
        if (leaving_pending) {
            // Two refunds of one transaction processed at once must not each
            // miss the other when deciding whether it is fully refunded (the
            // AFTER trigger sums them): the transaction is locked first, so
            // the later one sums after the earlier one commits.
            static Query lock_for_processing(
                "UPDATE {app}.transactions SET status = status WHERE id = $1::uuid", 1);
            SystemWrite system;
            AsOwner owner;
            lock_for_processing.run({row.get("transaction_id")});
        }
        if (from == status) {
            bool null = false;
            const Datum at = old.datum("processed_at", &null);
            row.set_datum("processed_at", at, null);
        }
    } else {
        const Text tx = row.get("transaction_id");
        if (!tx) throw core::DomainError(core::ErrorKind::NotNull, "a refund needs a transaction_id");
        // The lock: an UPDATE, so that REPEATABLE READ callers racing on one
        // transaction get a serialization failure instead of a stale sum.
        static Query lock_tx(
            "UPDATE {app}.transactions SET status = status WHERE id = $1::uuid AND deleted_at IS NULL "
            "RETURNING total_amount::text, status::text",
            1);
        static Query committed(
            "SELECT coalesce(sum(amount), 0)::text FROM {app}.refunds "
            "WHERE transaction_id = $1::uuid AND status IN ('pending', 'processed')",
            1);
        Decimal total;
        {
            SystemWrite system;
            AsOwner owner;
            if (lock_tx.run({tx}) != 1) {
                throw core::DomainError(core::ErrorKind::ForeignKey, "transaction " + tx.value_or("NULL") + " does not exist");
            }
            total = Decimal::parse(*Query::value(0, 1));
            const std::string tx_status = *Query::value(0, 2);
            if (tx_status != "completed") {
                throw core::DomainError(core::ErrorKind::Conflict,
                                        "only a completed transaction is refunded (this one is " + tx_status + ")");
            }
            committed.run({tx}, false);
        }
        const Decimal already = Decimal::parse(*Query::value(0, 1));
        domain::check_refund_fits(total, already, money(row.get("amount"), "amount"));
    }
    if (leaving_pending) {
        row.set_datum("processed_at", TimestampTzGetDatum(transaction_now()), false);
        if (row.is_null("processed_by")) row.set("processed_by", current_user_id());
    } else if (status == domain::RefundStatus::Pending) {
        row.set("processed_at", std::nullopt);
    }
    return keep_row(row.result());
}

// AFTER INSERT OR UPDATE on refunds, row: a transaction whose processed
// refunds reach its total is marked refunded.
PG_CPP_FUNCTION(esim_admin_refunds_after_write) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"refunds_after_write", pg::TriggerLevel::Row, pg::TriggerTiming::After,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    Row row(td, pg::trigger_event(td) == pg::event::Insert ? td->tg_trigtuple : td->tg_newtuple);
    if (row.required("status") != "processed") return PointerGetDatum(nullptr);
    pg::SpiSession spi;
    static Query mark(
        "UPDATE {app}.transactions t SET status = 'refunded' WHERE t.id = $1::uuid AND t.status = 'completed' "
        "AND t.total_amount <= (SELECT coalesce(sum(r.amount), 0) FROM {app}.refunds r "
        "  WHERE r.transaction_id = t.id AND r.status = 'processed')",
        1);
    SystemWrite system;
    AsOwner owner;
    mark.run({row.get("transaction_id")});
    return PointerGetDatum(nullptr);
}

// BEFORE INSERT OR UPDATE on plan_pricing, row: markup_percentage agrees
// with cost and selling price (computed when NULL; a wrong one is 23514).
PG_CPP_FUNCTION(esim_admin_plan_pricing_markup) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"plan_pricing_markup", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    const Decimal cost = money(row.get("cost_price"), "cost_price");
    const Decimal selling = money(row.get("selling_price"), "selling_price");
    const Text given = row.get("markup_percentage");
    bool recompute = !given;
    if (!is_insert && given) {
        Row old(td, td->tg_trigtuple);
        // Prices changed, markup left as it was: it follows the prices.
        recompute = old.get("markup_percentage") == given &&
                    (old.get("cost_price") != row.get("cost_price") || old.get("selling_price") != row.get("selling_price"));
    }
    const auto computed = domain::markup_percentage(cost, selling);
    if (recompute) {
        row.set("markup_percentage", computed ? Text(computed->to_string()) : std::nullopt);
    } else if (!domain::markup_consistent(cost, selling, Decimal::parse(*given))) {
        throw core::DomainError(core::ErrorKind::CheckViolation,
                                "markup_percentage " + *given + " does not match cost " + cost.to_string() +
                                    " and selling price " + selling.to_string(),
                                computed ? "It is " + computed->to_string() + "." : "A zero cost has no markup: leave it NULL.");
    }
    return keep_row(row.result());
}

namespace {

// FNV-1a: a stable 32-bit key for the advisory lock of one (plan, region).
int32 price_key(const std::string& plan, const Text& region) {
    std::uint32_t h = 2166136261u;
    auto mix = [&](const std::string& s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 16777619u;
        }
    };
    mix(plan);
    mix(region ? "r:" + *region : std::string("default"));
    return static_cast<int32>(h);
}

// Live price ranges of (plan, region) but row `id`, as [from, to) micros,
// read with the latest snapshot (rows committed after this transaction's
// snapshot count, as the foreign key checks read them).
std::vector<domain::TimeRange> live_ranges(const std::string& plan, const Text& region, const std::string& id) {
    static std::map<Oid, SPIPlanPtr> plans;
    const Oid schema = app_schema();
    SPIPlanPtr& plan_ptr = plans[schema];
    if (plan_ptr == nullptr || !SPI_plan_is_valid(plan_ptr)) {
        const std::string nsp = pg::call([&] { return quote_identifier(get_namespace_name(schema)); });
        const std::string sql =
            "SELECT (extract(epoch FROM effective_from - '2000-01-01 00:00:00+00') * 1000000)::bigint::text, "
            "       (extract(epoch FROM effective_to - '2000-01-01 00:00:00+00') * 1000000)::bigint::text "
            "FROM " + nsp + ".plan_pricing WHERE plan_id = $1::uuid AND region IS NOT DISTINCT FROM $2 "
            "AND deleted_at IS NULL AND id <> $3::uuid";
        Oid types[3] = {TEXTOID, TEXTOID, TEXTOID};
        if (plan_ptr != nullptr) {
            SPIPlanPtr stale = plan_ptr;
            plan_ptr = nullptr;
            pg::call([&] { SPI_freeplan(stale); });
        }
        plan_ptr = pg::call([&] {
            SPIPlanPtr p = SPI_prepare(sql.c_str(), 3, types);
            if (p == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
            SPI_keepplan(p);
            return p;
        });
    }
    Datum values[3] = {pg::text_from_string(plan), region ? pg::text_from_string(*region) : Datum(0),
                       pg::text_from_string(id)};
    const char nulls[3] = {' ', region ? ' ' : 'n', ' '};
    SPIPlanPtr p = plan_ptr;
    pg::call([&] {
        SPI_execute_snapshot(p, values, nulls, GetLatestSnapshot(), InvalidSnapshot, true, false, 0);
    });
    std::vector<domain::TimeRange> ranges;
    for (uint64 i = 0; i < SPI_processed; ++i) {
        domain::TimeRange r{std::stoll(*Query::value(i, 1)), std::nullopt};
        if (const Text to = Query::value(i, 2)) r.to = std::stoll(*to);
        ranges.push_back(r);
    }
    return ranges;
}

std::int64_t micros_of(const Row& row, const char* column) {
    bool null = false;
    const Datum d = row.datum(column, &null);
    if (null) row.required(column);  // raises 23502
    return static_cast<std::int64_t>(DatumGetTimestampTz(d));
}

}  // namespace

// BEFORE INSERT OR UPDATE on plan_pricing, row: at most one live price per
// (plan, region) at any instant. The (plan, region) is locked (a
// transaction advisory lock, so concurrent writers of one key queue), then
// the other live ranges are read with the latest snapshot: a range committed
// by a writer that went first is seen at every isolation level (23P01).
PG_CPP_FUNCTION(esim_admin_plan_pricing_no_overlap) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"plan_pricing_no_overlap", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    if (!row.is_null("deleted_at")) return keep_row(row.result());
    domain::TimeRange mine{micros_of(row, "effective_from"), std::nullopt};
    if (!row.is_null("effective_to")) mine.to = micros_of(row, "effective_to");
    domain::check_range(mine);
    const std::string plan = row.required("plan_id");
    const Text region = row.get("region");
    pg::SpiSession spi;
    static Query lock("SELECT pg_catalog.pg_advisory_xact_lock(1163087169, $1::int)", 1);
    lock.run({std::to_string(price_key(plan, region))});
    AsOwner owner;
    for (const auto& other : live_ranges(plan, region, row.required("id"))) {
        if (domain::overlaps(mine, other)) {
            pg::raise_error(ERRCODE_EXCLUSION_VIOLATION,
                            "another price of this plan and region is in force in that period",
                            "Plan " + plan + ", region " + region.value_or("(default)") + ".",
                            "End the current price (effective_to) before the new one starts.");
        }
    }
    return keep_row(row.result());
}

// BEFORE INSERT OR UPDATE on data_allocations, row: the provider's pool
// holds the allocations. The provider row is locked, then the other
// allocations summed with the latest snapshot (so concurrent allocations of
// one provider queue and the later one sees the earlier, at every isolation
// level).
PG_CPP_FUNCTION(esim_admin_data_allocations_pool) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"data_allocations_pool", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    const Text provider = row.get("provider_id");
    if (!provider) return keep_row(row.result());
    pg::SpiSession spi;
    static Query lock_provider(
        "SELECT available_data_gb::text FROM {app}.data_providers WHERE id = $1::uuid FOR UPDATE", 1);
    AsOwner owner;
    if (lock_provider.run({provider}) != 1) {
        throw core::DomainError(core::ErrorKind::ForeignKey, "data provider " + *provider + " does not exist");
    }
    const Text available = Query::value(0, 1);
    if (!available) return keep_row(row.result());
    static std::map<Oid, SPIPlanPtr> plans;
    const Oid schema = app_schema();
    SPIPlanPtr& plan = plans[schema];
    if (plan == nullptr || !SPI_plan_is_valid(plan)) {
        const std::string nsp = pg::call([&] { return quote_identifier(get_namespace_name(schema)); });
        const std::string sql = "SELECT coalesce(sum(allocated_mb), 0)::text FROM " + nsp +
                                ".data_allocations WHERE provider_id = $1::uuid AND id <> $2::uuid";
        Oid types[2] = {TEXTOID, TEXTOID};
        plan = pg::call([&] {
            SPIPlanPtr p = SPI_prepare(sql.c_str(), 2, types);
            if (p == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
            SPI_keepplan(p);
            return p;
        });
    }
    Datum values[2] = {pg::text_from_string(*provider), pg::text_from_string(row.required("id"))};
    SPIPlanPtr p = plan;
    pg::call([&] { SPI_execute_snapshot(p, values, nullptr, GetLatestSnapshot(), InvalidSnapshot, true, false, 1); });
    const Decimal others = Decimal::parse(*Query::value(0, 1));
    domain::check_pool(Decimal::parse(*available), others + money(row.get("allocated_mb"), "allocated_mb"));
    return keep_row(row.result());
}

// BEFORE INSERT OR UPDATE on esims, row: the status machine; becoming active
// sets activated_at (now, unless given) and expires_at = activated_at + the
// plan's validity_days.
PG_CPP_FUNCTION(esim_admin_esims_before_write) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"esims_before_write", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    const auto status = domain::parse_esim_status(row.required("status"));
    bool activating = is_insert && status == domain::EsimStatus::Active;
    if (!is_insert) {
        Row old(td, td->tg_trigtuple);
        const auto from = domain::parse_esim_status(old.required("status"));
        domain::check_esim_transition(from, status);
        activating = from == domain::EsimStatus::Available && status == domain::EsimStatus::Active;
    }
    if (activating) {
        pg::SpiSession spi;
        if (row.is_null("activated_at")) row.set_datum("activated_at", TimestampTzGetDatum(transaction_now()), false);
        if (const Text plan = row.get("plan_id")) {
            static Query expiry(
                "SELECT ($1::timestamptz + make_interval(days => validity_days))::text FROM {app}.plans WHERE id = $2::uuid",
                2);
            AsOwner owner;
            if (expiry.run({row.get("activated_at"), plan}, true) == 1) row.set("expires_at", Query::value(0, 1));
        }
    }
    return keep_row(row.result());
}

}  // namespace esim_admin
