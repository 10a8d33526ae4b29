#include "esim_admin/domain/lifecycle.hpp"

#include <algorithm>

namespace esim_admin::domain {
namespace {

using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

[[noreturn]] void unknown(const char* what, const std::string& name, const char* expected) {
    throw DomainError(ErrorKind::InvalidParameter,
                      std::string("unknown ") + what + " \"" + name + "\"",
                      std::string("Expected one of: ") + expected + ".");
}

[[noreturn]] void refuse(const char* what, const std::string& from, const std::string& to,
                         const char* hint = "") {
    throw DomainError(ErrorKind::Conflict,
                      std::string(what) + " cannot change from " + from + " to " + to, {}, hint);
}

const char* name_of(RefundStatus s) {
    switch (s) {
        case RefundStatus::Pending: return "pending";
        case RefundStatus::Processed: return "processed";
        case RefundStatus::Failed: return "failed";
    }
    return "?";
}

const char* name_of(EsimStatus s) {
    switch (s) {
        case EsimStatus::Available: return "available";
        case EsimStatus::Active: return "active";
        case EsimStatus::Suspended: return "suspended";
        case EsimStatus::Expired: return "expired";
        case EsimStatus::Cancelled: return "cancelled";
    }
    return "?";
}

const char* name_of(TicketStatus s) {
    switch (s) {
        case TicketStatus::Open: return "open";
        case TicketStatus::InProgress: return "in_progress";
        case TicketStatus::Resolved: return "resolved";
        case TicketStatus::Closed: return "closed";
    }
    return "?";
}

const char* name_of(NotificationStatus s) {
    switch (s) {
        case NotificationStatus::Pending: return "pending";
        case NotificationStatus::Sent: return "sent";
        case NotificationStatus::Failed: return "failed";
        case NotificationStatus::Read: return "read";
    }
    return "?";
}

}  // namespace

TransactionStatus parse_transaction_status(const std::string& name) {
    if (name == "pending") return TransactionStatus::Pending;
    if (name == "completed") return TransactionStatus::Completed;
    if (name == "failed") return TransactionStatus::Failed;
    if (name == "refunded") return TransactionStatus::Refunded;
    if (name == "cancelled") return TransactionStatus::Cancelled;
    unknown("transaction status", name, "pending, completed, failed, refunded, cancelled");
}

const char* name_of(TransactionStatus status) noexcept {
    switch (status) {
        case TransactionStatus::Pending: return "pending";
        case TransactionStatus::Completed: return "completed";
        case TransactionStatus::Failed: return "failed";
        case TransactionStatus::Refunded: return "refunded";
        case TransactionStatus::Cancelled: return "cancelled";
    }
    return "?";
}

void check_transaction_transition(TransactionStatus from, TransactionStatus to, bool by_refunds) {
    if (from == to) return;
    using S = TransactionStatus;
    if (to == S::Refunded) {
        if (from == S::Completed && by_refunds) return;
        refuse("a transaction", name_of(from), name_of(to),
               from == S::Completed ? "Record a refund: a full processed refund marks the "
                                      "transaction refunded."
                                    : "");
    }
    if (from == S::Pending && (to == S::Completed || to == S::Failed || to == S::Cancelled)) return;
    // A refund that fails or is reversed brings a refunded transaction back.
    if (from == S::Refunded && to == S::Completed && by_refunds) return;
    refuse("a transaction", name_of(from), name_of(to));
}

bool holds_promo_use(TransactionStatus status) noexcept {
    return status == TransactionStatus::Pending || status == TransactionStatus::Completed ||
           status == TransactionStatus::Refunded;
}

bool counts_as_sale(TransactionStatus status) noexcept {
    return status == TransactionStatus::Completed || status == TransactionStatus::Refunded;
}

RefundStatus parse_refund_status(const std::string& name) {
    if (name == "pending") return RefundStatus::Pending;
    if (name == "processed") return RefundStatus::Processed;
    if (name == "failed") return RefundStatus::Failed;
    unknown("refund status", name, "pending, processed, failed");
}

void check_refund_transition(RefundStatus from, RefundStatus to) {
    if (from == to) return;
    if (from == RefundStatus::Pending) return;  // to processed or failed
    refuse("a refund", name_of(from), name_of(to));
}

bool counts_against_total(RefundStatus status) noexcept {
    return status != RefundStatus::Failed;
}

EsimStatus parse_esim_status(const std::string& name) {
    if (name == "available") return EsimStatus::Available;
    if (name == "active") return EsimStatus::Active;
    if (name == "suspended") return EsimStatus::Suspended;
    if (name == "expired") return EsimStatus::Expired;
    if (name == "cancelled") return EsimStatus::Cancelled;
    unknown("eSIM status", name, "available, active, suspended, expired, cancelled");
}

void check_esim_transition(EsimStatus from, EsimStatus to) {
    if (from == to) return;
    using S = EsimStatus;
    switch (from) {
        case S::Available:
            if (to == S::Active || to == S::Cancelled) return;
            break;
        case S::Active:
            if (to == S::Suspended || to == S::Expired || to == S::Cancelled) return;
            break;
        case S::Suspended:
            if (to == S::Active || to == S::Expired || to == S::Cancelled) return;
            break;
        case S::Expired:
        case S::Cancelled:
            break;
    }
    refuse("an eSIM", name_of(from), name_of(to));
}

TicketStatus parse_ticket_status(const std::string& name) {
    if (name == "open") return TicketStatus::Open;
    if (name == "in_progress") return TicketStatus::InProgress;
    if (name == "resolved") return TicketStatus::Resolved;
    if (name == "closed") return TicketStatus::Closed;
    unknown("ticket status", name, "open, in_progress, resolved, closed");
}

void check_ticket_transition(TicketStatus from, TicketStatus to, bool by_customer_reply) {
    if (from == to) return;
    using S = TicketStatus;
    if (by_customer_reply) {
        if (to == status_after_customer_reply(from)) return;
        refuse("a customer reply: a ticket", name_of(from), name_of(to));
    }
    if (from == S::Closed) {
        refuse("a ticket", name_of(from), name_of(to),
               "A closed ticket is reopened by the customer's reply.");
    }
    // Forward steps, and reopening a resolved ticket.
    if (static_cast<int>(to) > static_cast<int>(from)) return;
    if (from == S::Resolved) return;
    if (from == S::InProgress && to == S::Open) return;
    refuse("a ticket", name_of(from), name_of(to));
}

bool ticket_is_resolved(TicketStatus status) noexcept {
    return status == TicketStatus::Resolved || status == TicketStatus::Closed;
}

TicketStatus status_after_customer_reply(TicketStatus current) noexcept {
    return ticket_is_resolved(current) ? TicketStatus::Open : current;
}

NotificationStatus parse_notification_status(const std::string& name) {
    if (name == "pending") return NotificationStatus::Pending;
    if (name == "sent") return NotificationStatus::Sent;
    if (name == "failed") return NotificationStatus::Failed;
    if (name == "read") return NotificationStatus::Read;
    unknown("notification status", name, "pending, sent, failed, read");
}

void check_notification_transition(NotificationStatus from, NotificationStatus to) {
    if (from == to) return;
    using S = NotificationStatus;
    if (from == S::Pending && (to == S::Sent || to == S::Failed || to == S::Read)) return;
    if (from == S::Failed && to == S::Sent) return;  // a retry that went through
    if (from == S::Sent && to == S::Read) return;
    refuse("a notification", name_of(from), name_of(to));
}

DocumentStatus parse_document_status(const std::string& name) {
    if (name == "pending") return DocumentStatus::Pending;
    if (name == "approved") return DocumentStatus::Approved;
    if (name == "rejected") return DocumentStatus::Rejected;
    unknown("document status", name, "pending, approved, rejected");
}

const char* name_of(KycStatus status) noexcept {
    switch (status) {
        case KycStatus::Pending: return "pending";
        case KycStatus::Verified: return "verified";
        case KycStatus::Rejected: return "rejected";
    }
    return "?";
}

KycStatus kyc_status_from(const std::vector<DocumentStatus>& documents) noexcept {
    if (documents.empty()) return KycStatus::Pending;
    if (std::find(documents.begin(), documents.end(), DocumentStatus::Approved) != documents.end()) {
        return KycStatus::Verified;
    }
    const bool all_rejected = std::all_of(documents.begin(), documents.end(), [](DocumentStatus s) {
        return s == DocumentStatus::Rejected;
    });
    return all_rejected ? KycStatus::Rejected : KycStatus::Pending;
}

}  // namespace esim_admin::domain
