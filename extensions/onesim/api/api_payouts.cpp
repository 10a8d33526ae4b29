// RPC API: partner payouts (sql/onesim/60_api.sql; docs/design.md, "Earnings
// lifecycle" and open question 2).
//
// One run settles everything the partner's balance says: every `earned`
// earning becomes `paid` and every unsettled clawback (a cancelled earning
// that had been paid out) is netted out. The earnings trigger moves
// partners.balance / total_earnings; this code only writes the rows.
#include "onesim/layers.hpp"
#include "onesim/api/api_common.hpp"
#include "onesim/triggers/partner_figures.hpp"

namespace pg = pgcpp::pg;
using namespace onesim::api;

// run_partner_payout(partner_id uuid, method text, reference text DEFAULT NULL,
//                    minimum_amount numeric DEFAULT 0) RETURNS partner_payouts
PG_CPP_FUNCTION(onesim_api_run_partner_payout) {
    const MemoryContext result_context = CurrentMemoryContext;
    Caller caller(onesim::auth::extension_schema());
    const Oid app = caller.app();
    if (!caller.admin_or_service()) deny("only an admin or the service may run a payout");
    onesim::figures::flush();  // the balance must include this transaction's own changes
    const Uuid partner = required_uuid(fcinfo, 0, "partner_id");
    const std::string method = required_text(fcinfo, 1, "method");
    const auto reference = opt_text(fcinfo, 2);
    const Decimal minimum =
        pg::decimal_from_numeric(pg::required_arg(fcinfo, 3, "minimum_amount"), "minimum_amount");
    if (minimum.is_negative()) {
        throw DomainError(ErrorKind::InvalidParameter, "minimum_amount must not be negative");
    }

    // Lock order (partner_figures.hpp): in immediate mode the partner row
    // first, as the order triggers do; at_commit it is locked only at commit,
    // so the earnings rows are locked first here, as a refund locks them.
    static pg::Statement lock_partner(
        "SELECT 1 FROM {app}.partners WHERE id = $1 FOR NO KEY UPDATE", {UUIDOID});
    static pg::Statement exists(
        "SELECT 1 FROM {app}.partners WHERE id = $1", {UUIDOID});
    // Locks the due earnings in id order and totals exactly the locked rows
    // (their latest versions). Everything after works on these ids only:
    // re-reading "what is due" with a newer snapshot would take in earnings
    // that became due meanwhile and that a concurrent payout of the same
    // partner may already hold, a lock-order inversion (stress suite,
    // test/stress/deadlock-repro.sh replay 3).
    static pg::Statement lock_due(
        "SELECT array_agg(id), "
        "       count(*) FILTER (WHERE status = 'earned'), "
        "       count(*) FILTER (WHERE status = 'cancelled'), "
        "       coalesce(sum(commission_amount_usd) FILTER (WHERE status = 'earned'), 0) "
        "     - coalesce(sum(commission_amount_usd) FILTER (WHERE status = 'cancelled'), 0) "
        "FROM (SELECT id, status, commission_amount_usd FROM {app}.partner_earnings "
        "      WHERE partner_id = $1 AND (status = 'earned' OR (status = 'cancelled' AND paid_out)) "
        "      ORDER BY id FOR UPDATE) due",
        {UUIDOID});
    static pg::Statement insert(
        "INSERT INTO {app}.partner_payouts (partner_id, amount_usd, earnings_count, method, "
        "  reference, status, created_by, paid_at) "
        "VALUES ($1, $2, $3, $4, $5, 'paid', $6, now()) RETURNING *",
        {UUIDOID, NUMERICOID, INT4OID, TEXTOID, TEXTOID, UUIDOID});
    static pg::Statement settle(
        "UPDATE {app}.partner_earnings SET "
        "  status = CASE WHEN status = 'earned' THEN 'paid' ELSE status END, "
        "  paid_out = (status = 'earned'), "
        "  paid_at = CASE WHEN status = 'earned' THEN now() ELSE paid_at END, "
        "  payout_method = CASE WHEN status = 'earned' THEN $3 ELSE payout_method END, "
        "  payout_reference = CASE WHEN status = 'earned' THEN $4 ELSE payout_reference END, "
        "  payout_id = $2 "
        "WHERE partner_id = $1 AND id = ANY ($5)",
        {UUIDOID, UUIDOID, TEXTOID, TEXTOID, UUIDARRAYOID});

    pg::SpiSession spi;
    {
        Args args;
        args.uuid(partner);
        if (args.run(onesim::figures::immediate() ? lock_partner : exists, app, false, 1) == 0) {
            not_found(fmt::format("partner {} not found", uuid_text(partner)));
        }
    }
    // The amount is what the locked rows say: exactly what partners.balance
    // holds once every committed change is in.
    Decimal balance;
    int64 earned = 0, clawbacks = 0;
    std::optional<Datum> due_ids;
    {
        Args args;
        args.uuid(partner);
        args.run(lock_due, app, false, 1);
        bool none_due = false;
        const Datum ids = pg::spi_value(0, 1, &none_due);
        if (!none_due) due_ids = ids;  // lives in SPI memory until the session ends
        earned = spi_int(0, 2);
        clawbacks = spi_int(0, 3);
        balance = spi_decimal(0, 4, "amount").value_or(Decimal());
    }
    if (balance.is_negative() || balance.is_zero()) {
        throw DomainError(ErrorKind::Conflict,
                          fmt::format("nothing to pay out: partner {} has a balance of {}",
                                      uuid_text(partner), balance.to_string()));
    }
    if (balance < minimum) {
        throw DomainError(ErrorKind::Conflict,
                          fmt::format("balance {} is below the payout minimum {}", balance.to_string(),
                                      minimum.to_string()));
    }
    const int32 count = static_cast<int32>(earned + clawbacks);
    Args ins;
    ins.uuid(partner).numeric(balance).add(Int32GetDatum(count)).text(method).text(reference).uuid(caller.user());
    ins.run(insert, app);
    const Uuid payout = *spi_uuid(0, SPI_fnumber(SPI_tuptable->tupdesc, "id"));
    const Datum result = spi_row_as_result(fcinfo, result_context);

    Args upd;
    upd.uuid(partner).uuid(payout).text(method).text(reference).add(due_ids);
    const uint64 settled = upd.run(settle, app);
    if (settled != static_cast<uint64>(count)) {
        throw DomainError(ErrorKind::Conflict,
                          fmt::format("payout settled {} earnings, expected {}", settled, count),
                          {}, "Retry the payout.");
    }
    return result;
}
