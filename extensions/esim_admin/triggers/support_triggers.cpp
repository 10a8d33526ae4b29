// Support tickets, their messages, KYC documents, notifications, settings,
// promotional code definitions.
#include "esim_admin/domain/lifecycle.hpp"
#include "esim_admin/domain/money.hpp"
#include "esim_admin/domain/periods.hpp"
#include "esim_admin/domain/text.hpp"
#include "esim_admin/support.hpp"

namespace esim_admin {

namespace domain = esim_admin::domain;

// BEFORE INSERT OR UPDATE on support_tickets, row. Insert: the number is the
// next of the year (a counter row per year, locked until commit, so numbers
// have no gap and no duplicate however many tickets are opened at once); a
// customer's ticket starts open. Update: the number is fixed; the status
// machine; resolved_at set on reaching resolved / closed, cleared on reopening.
PG_CPP_FUNCTION(esim_admin_tickets_before_write) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"tickets_before_write", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    pg::SpiSession spi;
    const auto status = domain::parse_ticket_status(row.required("status"));
    if (is_insert) {
        const Caller caller = current_caller();
        if (!is_staff(caller) && status != domain::TicketStatus::Open) {
            not_authorized("a customer's ticket starts open");
        }
        const int year = domain::civil_from_day(domain::day_of(micros(transaction_now()))).year;
        static Query next(
            "INSERT INTO {internal}.ticket_counters AS c (year, last_sequence) VALUES ($1::int, 1) "
            "ON CONFLICT (year) DO UPDATE SET last_sequence = c.last_sequence + 1 RETURNING last_sequence::text",
            1);
        std::int64_t seq;
        {
            AsOwner owner;
            next.run({std::to_string(year)});
            seq = std::stoll(*Query::value(0, 1));
        }
        row.set("ticket_number", domain::format_ticket_number(year, seq));
        const bool resolved = domain::ticket_is_resolved(status);
        if (resolved && row.is_null("resolved_at")) {
            row.set_datum("resolved_at", TimestampTzGetDatum(transaction_now()), false);
        } else if (!resolved) {
            row.set("resolved_at", std::nullopt);
        }
    } else {
        Row old(td, td->tg_trigtuple);
        if (old.get("ticket_number") != row.get("ticket_number")) {
            throw core::DomainError(core::ErrorKind::Conflict, "a ticket's number cannot change");
        }
        const auto from = domain::parse_ticket_status(old.required("status"));
        domain::check_ticket_transition(from, status, SystemWrite::active());
        if (from != status) {
            if (domain::ticket_is_resolved(status) && !domain::ticket_is_resolved(from)) {
                row.set_datum("resolved_at", TimestampTzGetDatum(transaction_now()), false);
            } else if (!domain::ticket_is_resolved(status)) {
                row.set("resolved_at", std::nullopt);
            }
        } else {
            bool null = false;
            const Datum at = old.datum("resolved_at", &null);
            row.set_datum("resolved_at", at, null);
        }
    }
    return keep_row(row.result());
}

// BEFORE INSERT on ticket_messages, row: the sender is the caller; internal
// notes are staff's only.
PG_CPP_FUNCTION(esim_admin_ticket_messages_before_insert) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"ticket_messages_before_insert", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    Row row(td, td->tg_trigtuple);
    pg::SpiSession spi;
    const Caller caller = current_caller();
    if (caller != Caller::Service) {
        row.set("sender_id", current_user_id());
        if (!is_staff(caller) && row.required("is_internal") == "true") {
            not_authorized("internal notes are written by support staff");
        }
    }
    return keep_row(row.result());
}

// AFTER INSERT on ticket_messages, row: the ticket owner's reply reopens a
// resolved or closed ticket.
PG_CPP_FUNCTION(esim_admin_ticket_messages_after_insert) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"ticket_messages_after_insert", pg::TriggerLevel::Row, pg::TriggerTiming::After,
                 pg::event::Insert, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    Row row(td, td->tg_trigtuple);
    if (row.required("is_internal") == "true" || !row.get("sender_id")) return PointerGetDatum(nullptr);
    pg::SpiSession spi;
    static Query reopen(
        "UPDATE {app}.support_tickets SET status = 'open' "
        "WHERE id = $1::uuid AND user_id = $2::uuid AND status IN ('resolved', 'closed')",
        2);
    SystemWrite system;
    AsOwner owner;
    reopen.run({row.get("ticket_id"), row.get("sender_id")});
    return PointerGetDatum(nullptr);
}

// BEFORE UPDATE on kyc_documents, row: only staff decide; deciding records
// who and when; a rejection says why.
PG_CPP_FUNCTION(esim_admin_kyc_documents_before_update) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"kyc_documents_before_update", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Update, 0});
    Row row(td, td->tg_newtuple);
    Row old(td, td->tg_trigtuple);
    if (old.get("status") == row.get("status")) return keep_row(row.result());
    pg::SpiSession spi;
    const Caller caller = current_caller();
    if (!is_staff(caller)) not_authorized("only support or an admin verifies KYC documents");
    const auto status = domain::parse_document_status(row.required("status"));
    if (status == domain::DocumentStatus::Pending) {
        row.set("verified_by", std::nullopt);
        row.set("verified_at", std::nullopt);
    } else {
        if (status == domain::DocumentStatus::Rejected && !row.get("rejection_reason")) {
            throw core::DomainError(core::ErrorKind::NotNull, "a rejected document needs a rejection_reason");
        }
        if (caller != Caller::Service || row.is_null("verified_by")) row.set("verified_by", current_user_id());
        row.set_datum("verified_at", TimestampTzGetDatum(transaction_now()), false);
    }
    return keep_row(row.result());
}

// AFTER INSERT / UPDATE / DELETE on kyc_documents, row: users.kyc_status
// follows the user's documents (verified when one is approved, rejected when
// all are). The user row is locked before the documents are read.
PG_CPP_FUNCTION(esim_admin_kyc_documents_after_write) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"kyc_documents_after_write", pg::TriggerLevel::Row, pg::TriggerTiming::After,
                 pg::event::Insert | pg::event::Update | pg::event::Delete, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    Row row(td, pg::trigger_event(td) == pg::event::Update ? td->tg_newtuple : td->tg_trigtuple);
    pg::SpiSession spi;
    static Query lock_user("SELECT 1 FROM {app}.users WHERE id = $1::uuid FOR UPDATE", 1);
    static Query documents(
        "SELECT status::text FROM {app}.kyc_documents WHERE user_id = $1::uuid AND deleted_at IS NULL", 1);
    static Query set_status(
        "UPDATE {app}.users SET kyc_status = $2::text::{app}.kyc_status "
        "WHERE id = $1::uuid AND kyc_status IS DISTINCT FROM $2::text::{app}.kyc_status",
        2);
    const Text user = row.get("user_id");
    SystemWrite system;
    AsOwner owner;
    lock_user.run({user});
    const uint64 n = documents.run({user});
    std::vector<domain::DocumentStatus> statuses;
    for (uint64 i = 0; i < n; ++i) statuses.push_back(domain::parse_document_status(*Query::value(i, 1)));
    set_status.run({user, std::string(domain::name_of(domain::kyc_status_from(statuses)))});
    return PointerGetDatum(nullptr);
}

// BEFORE INSERT OR UPDATE on notifications, row: the status machine; sent_at
// and read_at follow it. A recipient may only mark their notification read.
PG_CPP_FUNCTION(esim_admin_notifications_before_write) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"notifications_before_write", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    const auto status = domain::parse_notification_status(row.required("status"));
    domain::NotificationStatus from = domain::NotificationStatus::Pending;
    if (!is_insert) {
        Row old(td, td->tg_trigtuple);
        from = domain::parse_notification_status(old.required("status"));
        domain::check_notification_transition(from, status);
        if (from == status) {
            bool null = false;
            const Datum at = old.datum("read_at", &null);
            row.set_datum("read_at", at, null);
            return keep_row(row.result());
        }
        pg::SpiSession spi;
        if (!is_staff(current_caller()) && status != domain::NotificationStatus::Read) {
            not_authorized("a recipient only marks a notification read");
        }
    }
    if (status == domain::NotificationStatus::Read) {
        if (row.is_null("read_at")) row.set_datum("read_at", TimestampTzGetDatum(transaction_now()), false);
    } else {
        row.set("read_at", std::nullopt);
    }
    if (status == domain::NotificationStatus::Sent && row.is_null("sent_at")) {
        row.set_datum("sent_at", TimestampTzGetDatum(transaction_now()), false);
    }
    return keep_row(row.result());
}

// BEFORE INSERT OR UPDATE on system_settings, row: value matches data_type.
PG_CPP_FUNCTION(esim_admin_settings_validate) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"settings_validate", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    Row row(td, pg::trigger_event(td) == pg::event::Insert ? td->tg_trigtuple : td->tg_newtuple);
    if (const Text value = row.get("value")) {
        domain::check_setting_value(row.required("key"), domain::parse_setting_type(row.required("data_type")), *value);
    }
    if (pg::trigger_event(td) == pg::event::Insert) {
        row.set_datum("updated_at", TimestampTzGetDatum(transaction_now()), false);
    }
    return keep_row(row.result());
}

// BEFORE INSERT OR UPDATE on promotional_codes, row: the definition is sound;
// used_count is the system's (it counts the transactions).
PG_CPP_FUNCTION(esim_admin_promo_before_write) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"promo_before_write", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    pg::SpiSession spi;
    if (!SystemWrite::active() && !Purge::active()) {
        const Caller caller = current_caller();
        if (is_insert) {
            if (caller != Caller::Service) row.set("used_count", std::string("0"));
        } else {
            Row old(td, td->tg_trigtuple);
            if (old.get("used_count") != row.get("used_count") && caller != Caller::Service) {
                not_authorized("used_count counts the transactions that used the code");
            }
        }
    }
    const Text value = row.get("discount_value");
    const Text type = row.get("discount_type");
    if (value && type) {
        const auto d = core::Decimal::parse(*value);
        if (!d.is_negative() && *type == "percentage" && d > core::Decimal::from_int(100)) {
            throw core::DomainError(core::ErrorKind::CheckViolation, "a percentage discount_value must not exceed 100");
        }
    }
    return keep_row(row.result());
}

}  // namespace esim_admin
