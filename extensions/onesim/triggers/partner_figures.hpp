// The partner figures that orders and earnings move (total_orders,
// last_order_at, pending_earnings, total_earnings, balance, and the
// dashboard's per-status figures allocated_orders, pending_orders,
// allocated_spent_usd, allocated_spent_uzs) and the partner
// customers' (total_orders, total_spent, last_order_at), written either at
// once or at commit.
//
// A partner's row is the hottest row of the schema: every order and earning
// of the partner updates it, and an UPDATE holds its lock until commit, so
// concurrent transactions of one partner queue behind each other. With
//
//   onesim.partner_figures = at_commit    (the default)
//
// the triggers only collect their per-partner (and per-customer) deltas in
// this backend and write them, netted and in id order (partners first, then
// customers), just before the transaction
// commits: the row lock is then held for microseconds instead of the whole
// transaction. Readers in other sessions always see exact committed figures;
// the writing transaction itself sees its own orders in the figures once they
// are flushed (at commit, or by onesim_internal.flush_partner_figures(),
// which reconcile(), payouts and the dashboard call first). Deltas of a
// rolled-back subtransaction are discarded with it.
//
//   onesim.partner_figures = immediate
//
// writes each statement's deltas at the end of the statement (the row is then
// locked until commit).
#pragma once

#include "onesim/layers.hpp"
#include <map>
#include <vector>
#include <optional>

#include "onesim/domain/earnings.hpp"
#include "pg/datum.hpp"

namespace onesim::figures {

struct PartnerDelta {
    int64 orders = 0;
    std::optional<TimestampTz> newest_order;  // created_at of the newest order added
    bool lost_an_order = false;               // last_order_at must be recounted
    domain::EarningTotals money;
    // Orders by status (the dashboard): ALLOCATED and PENDING counts, and the
    // prices of the ALLOCATED ones.
    int64 allocated_orders = 0;
    int64 pending_orders = 0;
    core::Decimal allocated_usd;
    core::Decimal allocated_uzs;

    bool is_empty() const;
    void merge(const PartnerDelta& other);
};

using PartnerDeltas = std::map<pg::Uuid, PartnerDelta>;

// A partner customer's figures (total_orders, total_spent, last_order_at):
// the customers of a busy partner are hot rows too, and follow the same mode.
struct CustomerDelta {
    int64 orders = 0;
    core::Decimal spent;
    std::optional<TimestampTz> newest_order;
    bool lost_an_order = false;

    bool is_empty() const;
    void merge(const CustomerDelta& other);
};

using CustomerDeltas = std::map<pg::Uuid, CustomerDelta>;

// Applies the deltas now or at commit, per onesim.partner_figures.
void record(Oid app_schema, const PartnerDeltas& deltas);
void record(Oid app_schema, const CustomerDeltas& deltas);

// Writes every delta collected so far in this transaction.
void flush();

// Lock order. In immediate mode a partner's row is written in the middle of a
// transaction, so every path must lock it before the rows it locks next
// (customers, earnings), or two paths could wait on each other; with
// at_commit it is only ever locked last, at commit. Callers that are about to
// touch partners' orders or earnings call this first (a no-op at_commit).
// Either way a partner's row comes before its customers' rows: edits and
// deletes of a customer lock the partner right after the customer
// (onesim_internal.lock_partner_before_customer(), a trigger).
bool immediate();
void lock_partners_if_immediate(Oid app_schema, const std::vector<pg::Uuid>& partners);
// Locks the partners' rows (FOR NO KEY UPDATE, the lock a figures UPDATE
// takes), in id order, whatever the mode.
void lock_partners(Oid app_schema, const std::vector<pg::Uuid>& partners);

// Whether the schema's partners table has the dashboard's per-status figures
// (version 1.1). A database still on 1.0 (the library is installed before
// ALTER EXTENSION onesim UPDATE runs) has not: its figures are written
// without them, and its view still counts the orders.
bool has_dashboard_figures(Oid app_schema);

// Registers the GUC and the transaction callbacks (from _PG_init).
void initialize();

}  // namespace onesim::figures
