// Status machines of the panel's rows, and the figures that follow them.
//
// transactions  pending -> completed | failed | cancelled;
//               completed -> refunded, only by the refunds a transaction has
//               (a full processed refund); every other change is refused.
// refunds       pending -> processed | failed.
// esims         available -> active (assigned to a buyer, or activated);
//               active -> suspended | expired | cancelled;
//               suspended -> active | expired | cancelled.
// tickets       open -> in_progress -> resolved -> closed, any forward step
//               and resolved -> open / in_progress (reopened); closed is final
//               except by a customer reply, which reopens; resolved_at is set
//               when a ticket reaches resolved or closed and cleared when it
//               is reopened.
// notifications pending -> sent | failed; sent -> read; pending -> read for
//               in-app notifications, which are never sent.
// kyc           users.kyc_status: verified when a document is approved,
//               rejected when every document is rejected, pending otherwise.
#pragma once

#include <string>
#include <vector>

#include "core/errors.hpp"

namespace esim_admin::domain {

enum class TransactionStatus { Pending, Completed, Failed, Refunded, Cancelled };
TransactionStatus parse_transaction_status(const std::string& name);
const char* name_of(TransactionStatus status) noexcept;

// Throws Conflict (55000) unless from -> to is allowed. by_refunds: the
// change is made by the refunds of the transaction (the only way to reach
// refunded). from == to is always allowed (no change).
void check_transaction_transition(TransactionStatus from, TransactionStatus to, bool by_refunds);

// A completed purchase counts as revenue (and its promo use) until it is
// refunded; pending counts its promo use too (the use is held); failed and
// cancelled release it.
bool holds_promo_use(TransactionStatus status) noexcept;
// A purchase is a sale of its completion day once completed, and stays one
// when refunded (refunds are reported apart, by their own day).
bool counts_as_sale(TransactionStatus status) noexcept;

enum class RefundStatus { Pending, Processed, Failed };
RefundStatus parse_refund_status(const std::string& name);
void check_refund_transition(RefundStatus from, RefundStatus to);
// Pending and processed refunds count against the transaction's total.
bool counts_against_total(RefundStatus status) noexcept;

enum class EsimStatus { Available, Active, Suspended, Expired, Cancelled };
EsimStatus parse_esim_status(const std::string& name);
void check_esim_transition(EsimStatus from, EsimStatus to);

enum class TicketStatus { Open, InProgress, Resolved, Closed };
TicketStatus parse_ticket_status(const std::string& name);
// by_customer_reply: the change comes from the ticket owner's message.
void check_ticket_transition(TicketStatus from, TicketStatus to, bool by_customer_reply);
// resolved_at must be set exactly when the status is resolved or closed.
bool ticket_is_resolved(TicketStatus status) noexcept;
// The status a customer's reply moves a ticket to (open when it was resolved
// or closed, unchanged otherwise).
TicketStatus status_after_customer_reply(TicketStatus current) noexcept;

enum class NotificationStatus { Pending, Sent, Failed, Read };
NotificationStatus parse_notification_status(const std::string& name);
void check_notification_transition(NotificationStatus from, NotificationStatus to);

enum class DocumentStatus { Pending, Approved, Rejected };
enum class KycStatus { Pending, Verified, Rejected };
DocumentStatus parse_document_status(const std::string& name);
const char* name_of(KycStatus status) noexcept;
// users.kyc_status from the user's (not deleted) documents.
KycStatus kyc_status_from(const std::vector<DocumentStatus>& documents) noexcept;

}  // namespace esim_admin::domain
