// The oracle: every maintained figure recomputed from the rows, compared with
// what is stored, and repaired on request. Tests check the triggers against
// it; operators use it after restoring data by hand; TRUNCATE triggers use the
// repair to bring figures back to what the (now empty) tables say.
//
// Its SQL is deliberately a second, independent statement of the definitions
// in docs/design.md: set-based recounts, not the triggers' deltas.
#include "onesim/layers.hpp"
#include <algorithm>
#include "core/errors.hpp"
#include "onesim/auth_context.hpp"
#include "onesim/triggers/partner_figures.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = pgcpp::pg;

namespace {

// Each figure family: the actual values (one row per parent: id, then pairs of
// stored/actual in the column's own type) and how to repair them.
struct Family {
    const char* entity;
    std::string actual_sql;  // SELECT id, <figure>, a_<figure>, ... FROM ...
    std::vector<const char*> figures;
    const char* table;
    // Which schema versions the family applies to: partners has the
    // dashboard's figures from 1.1 on (figures::has_dashboard_figures()).
    enum Versions { kAll, kFrom1_1, kOnly1_0 } versions = kAll;
};

// The partners' figures; with_dashboard adds those of 1.1 (allocated and
// pending orders, allocated spend).
std::string partners_actual_sql(bool with_dashboard) {
    return fmt::format(
        "SELECT p.id, p.total_orders, coalesce(o.n, 0)::integer AS a_total_orders, "
        "  p.last_order_at, o.last AS a_last_order_at, "
        "  p.total_customers, coalesce(c.n, 0)::integer AS a_total_customers, "
        "  p.pending_earnings, coalesce(e.pending, 0)::numeric(15,4) AS a_pending_earnings, "
        "  p.total_earnings, coalesce(e.total, 0)::numeric(15,4) AS a_total_earnings, "
        "  p.balance, coalesce(e.balance, 0)::numeric(15,4) AS a_balance{} "
        "FROM {{app}}.partners p "
        "LEFT JOIN (SELECT partner_id, count(*) AS n, max(created_at) AS last{} "
        "  FROM {{app}}.orders WHERE partner_id IS NOT NULL GROUP BY partner_id) o "
        "  ON o.partner_id = p.id "
        "LEFT JOIN (SELECT partner_id, count(*) AS n FROM {{app}}.partner_customers "
        "           GROUP BY partner_id) c ON c.partner_id = p.id "
        "LEFT JOIN (SELECT partner_id, "
        "   sum(commission_amount_usd) FILTER (WHERE status = 'pending') AS pending, "
        "   sum(commission_amount_usd) FILTER (WHERE status IN ('earned', 'paid')) AS total, "
        "   coalesce(sum(commission_amount_usd) FILTER (WHERE status = 'earned'), 0) "
        "   - coalesce(sum(commission_amount_usd) FILTER (WHERE status = 'cancelled' AND paid_out), 0) "
        "     AS balance "
        "  FROM {{app}}.partner_earnings GROUP BY partner_id) e ON e.partner_id = p.id",
        with_dashboard
            ? ", p.allocated_orders, coalesce(o.allocated, 0)::integer AS a_allocated_orders, "
              "  p.pending_orders, coalesce(o.pending, 0)::integer AS a_pending_orders, "
              "  p.allocated_spent_usd, coalesce(o.usd, 0)::numeric(15,4) AS a_allocated_spent_usd, "
              "  p.allocated_spent_uzs, coalesce(o.uzs, 0)::numeric(20,2) AS a_allocated_spent_uzs"
            : "",
        with_dashboard ? ", count(*) FILTER (WHERE order_status = 'ALLOCATED') AS allocated, "
                         "  count(*) FILTER (WHERE order_status = 'PENDING') AS pending, "
                         "  sum(price_usd) FILTER (WHERE order_status = 'ALLOCATED') AS usd, "
                         "  sum(price_uzs) FILTER (WHERE order_status = 'ALLOCATED') AS uzs"
                       : "");
}

const std::vector<Family>& families() {
    static const std::vector<Family> all = {
        {"partners", partners_actual_sql(true),
         {"total_orders", "last_order_at", "total_customers", "pending_earnings", "total_earnings",
          "balance", "allocated_orders", "pending_orders", "allocated_spent_usd", "allocated_spent_uzs"},
         "partners", Family::kFrom1_1},
        {"partners", partners_actual_sql(false),
         {"total_orders", "last_order_at", "total_customers", "pending_earnings", "total_earnings",
          "balance"},
         "partners", Family::kOnly1_0},
        {"partner_customers",
         "SELECT c.id, c.total_orders, coalesce(o.n, 0)::integer AS a_total_orders, "
         "  c.total_spent, coalesce(o.spent, 0)::numeric(15,4) AS a_total_spent, "
         "  c.last_order_at, o.last AS a_last_order_at "
         "FROM {app}.partner_customers c "
         "LEFT JOIN (SELECT end_customer_id, count(*) AS n, max(created_at) AS last, "
         "   sum(price_usd) FILTER (WHERE order_status NOT IN ('FAILED', 'CANCELLED', 'REFUNDED')) "
         "     AS spent "
         "  FROM {app}.orders WHERE end_customer_type = 'b2b_partner_customer' "
         "  GROUP BY end_customer_id) o ON o.end_customer_id = c.id",
         {"total_orders", "total_spent", "last_order_at"},
         "partner_customers"},
        {"customer_groups",
         "SELECT g.id, g.group_size, coalesce(m.n, 0)::integer AS a_group_size "
         "FROM {app}.customer_groups g "
         "LEFT JOIN (SELECT group_id, count(*) AS n FROM {app}.customer_group_members "
         "           GROUP BY group_id) m ON m.group_id = g.id",
         {"group_size"},
         "customer_groups"},
    };
    return all;
}

std::string differs(const Family& f) {
    std::string cond;
    for (const char* fig : f.figures) {
        if (!cond.empty()) cond += " OR ";
        cond += fmt::format("a.{0} IS DISTINCT FROM a.a_{0}", fig);
    }
    return cond;
}

std::string check_sql(const Family& f) {
    std::string values;
    for (const char* fig : f.figures) {
        if (!values.empty()) values += ", ";
        values += fmt::format("('{0}', a.{0}::text, a.a_{0}::text)", fig);
    }
    return fmt::format(
        "SELECT '{}'::text, a.id, v.figure, v.stored, v.actual FROM ({}) a, "
        "LATERAL (VALUES {}) AS v(figure, stored, actual) "
        "WHERE v.stored IS DISTINCT FROM v.actual ORDER BY a.id, v.figure",
        f.entity, f.actual_sql, values);
}

std::string repair_sql(const Family& f) {
    std::string sets;
    for (const char* fig : f.figures) {
        if (!sets.empty()) sets += ", ";
        sets += fmt::format("{0} = a.a_{0}", fig);
    }
    return fmt::format("UPDATE {{app}}.{} t SET {} FROM ({}) a WHERE t.id = a.id AND ({})", f.table,
                       sets, f.actual_sql, differs(f));
}

// The repair of the rows whose ids are in $1 only (reconcile(true): the
// rows it found drifting, locked first).
std::string repair_ids_sql(const Family& f) { return repair_sql(f) + " AND t.id = ANY($1)"; }

std::string lock_ids_sql(const Family& f) {
    return fmt::format("SELECT 1 FROM {{app}}.{} WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", f.table);
}

// Statement templates are built once; pg::Statement keeps the plans.
struct FamilyStatements {
    const Family& family;
    pg::Statement check, repair, lock_ids, repair_ids;
    explicit FamilyStatements(const Family& f)
        : family(f),
          check(check_sql(f), {}),
          repair(repair_sql(f), {}),
          lock_ids(lock_ids_sql(f), {UUIDARRAYOID}),
          repair_ids(repair_ids_sql(f), {UUIDARRAYOID}) {}
    bool applies_to(Oid app) const {
        if (family.versions == Family::kAll) return true;
        return onesim::figures::has_dashboard_figures(app) == (family.versions == Family::kFrom1_1);
    }
};

std::vector<FamilyStatements>& statements() {
    static std::vector<FamilyStatements> all = [] {
        std::vector<FamilyStatements> v;
        v.reserve(families().size());
        for (const Family& f : families()) v.emplace_back(f);
        return v;
    }();
    return all;
}

// Repairs the drifting rows of one family on a live system: their recount
// must read after the rows are locked (in id order, as every writer locks
// them), or a transaction that committed new orders while the repair waited
// for a row would have its figures overwritten by an older count. Each
// statement takes its own snapshot, after the locks.
void repair_rows(FamilyStatements& s, Oid app, std::vector<pg::Uuid> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<Datum> elems;
    for (const pg::Uuid& id : ids) elems.push_back(pg::datum_from_uuid(id));
    const Datum* data = elems.data();
    const int count = static_cast<int>(elems.size());
    Datum args[1] = {pg::call([&] {
        return PointerGetDatum(
            construct_array(const_cast<Datum*>(data), count, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
    })};
    s.lock_ids.execute(app, args, nullptr);
    s.repair_ids.execute(app, args, nullptr);
}

}  // namespace

// onesim_internal.reconcile(repair boolean DEFAULT false)
//   RETURNS TABLE(entity text, entity_id uuid, figure text, stored text, actual text)
// Lists every maintained figure that differs from the rows (before repair).
PG_CPP_FUNCTION(onesim_reconcile) {
    const bool repair = DatumGetBool(pg::required_arg(fcinfo, 0, "repair"));
    pg::call([&] { InitMaterializedSRF(fcinfo, 0); });
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    onesim::figures::flush();  // figures this transaction has not written yet are not drift
    pg::SpiSession spi;
    const Oid app = onesim::auth::extension_schema();
    for (FamilyStatements& s : statements()) {
        if (!s.applies_to(app)) continue;
        // Not read-only: the query must see what flush() just wrote.
        const uint64 n = s.check.execute(app, nullptr, nullptr, false);
        std::vector<pg::Uuid> drifting;
        for (uint64 i = 0; i < n; ++i) {
            bool id_null = false;
            const Datum id = pg::spi_value(i, 2, &id_null);
            if (!id_null) drifting.push_back(pg::uuid_from_datum(id));
            Datum values[5];
            bool nulls[5];
            pg::call([&] {
                for (int c = 0; c < 5; ++c) {
                    values[c] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, c + 1, &nulls[c]);
                }
                // Datums of SPI's tuple are copied by tuplestore_putvalues.
                tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
            });
        }
        if (repair && !drifting.empty()) repair_rows(s, app, std::move(drifting));
    }
    return Datum(0);
}

// AFTER TRUNCATE on a table whose rows feed maintained figures: recount them.
PG_CPP_FUNCTION(onesim_recount_after_truncate) {
    static const pg::TriggerSpec spec{"onesim_internal.recount_after_truncate",
                                      pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                                      pg::event::Truncate, 0};
    TriggerData* td = pg::validate_trigger(fcinfo, spec);
    const Oid app = onesim::auth::extension_table_schema(td->tg_relation);
    onesim::figures::flush();  // then the recount below is the last word
    pg::SpiSession spi;
    for (FamilyStatements& s : statements()) {
        if (s.applies_to(app)) s.repair.execute(app, nullptr, nullptr);
    }
    return PointerGetDatum(nullptr);
}

// onesim_internal.flush_partner_figures(): writes the partner figures this
// transaction has collected (onesim.partner_figures = at_commit) now.
PG_CPP_FUNCTION(onesim_flush_partner_figures) {
    onesim::figures::flush();
    return PointerGetDatum(nullptr);
}
