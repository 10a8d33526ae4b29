#include "tripos/domain/messaging.hpp"

#include <string>

#include "core/errors.hpp"

namespace core = pgcpp::core;

namespace tripos::domain {

std::optional<MessageStatus> parse_message_status(std::string_view text) {
    if (text == "pending") return MessageStatus::Pending;
    if (text == "sent") return MessageStatus::Sent;
    if (text == "delivered") return MessageStatus::Delivered;
    if (text == "read") return MessageStatus::Read;
    if (text == "failed") return MessageStatus::Failed;
    return std::nullopt;
}

std::string_view to_text(MessageStatus status) {
    switch (status) {
        case MessageStatus::Pending: return "pending";
        case MessageStatus::Sent: return "sent";
        case MessageStatus::Delivered: return "delivered";
        case MessageStatus::Read: return "read";
        case MessageStatus::Failed: return "failed";
    }
    return "pending";
}

MessageStatus next_message_status(MessageStatus current, MessageStatus incoming) {
    if (current == MessageStatus::Failed) return current;
    if (incoming == MessageStatus::Failed) {
        return current == MessageStatus::Pending || current == MessageStatus::Sent ? incoming : current;
    }
    return static_cast<int>(incoming) > static_cast<int>(current) ? incoming : current;
}

QuietCheck check_quiet_hours(int now, QuietHours window) {
    constexpr int kDay = 24 * 3600;
    if (now < 0 || now >= kDay || window.start < 0 || window.start >= kDay || window.end < 0 ||
        window.end >= kDay) {
        throw core::DomainError(core::ErrorKind::OutOfRange, "a time of day lies between 00:00 and 24:00");
    }
    if (window.start == window.end) return {};
    if (window.start < window.end) {
        return {now >= window.start && now < window.end, false};
    }
    // Over midnight: quiet from start to midnight (ends tomorrow) and from
    // midnight to end (ends today).
    if (now >= window.start) return {true, true};
    if (now < window.end) return {true, false};
    return {};
}

std::int64_t retry_delay_seconds(int retry_count, std::int64_t base_seconds, std::int64_t cap_seconds) {
    if (retry_count < 0 || base_seconds <= 0 || cap_seconds < base_seconds) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "backoff needs retry_count >= 0 and 0 < base <= cap");
    }
    std::int64_t delay = base_seconds;
    for (int i = 0; i < retry_count; ++i) {
        if (delay >= cap_seconds / 2) return cap_seconds;
        delay *= 2;
    }
    return delay < cap_seconds ? delay : cap_seconds;
}

std::optional<TripAnchor> parse_trip_anchor(std::string_view trigger_type) {
    if (trigger_type == "trip_start") return TripAnchor::Start;
    if (trigger_type == "trip_end") return TripAnchor::End;
    return std::nullopt;
}

int anchor_offset_days(int days_before, int days_after) {
    if (days_before < 0 || days_after < 0 || days_before > 365 || days_after > 365) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "days_before and days_after lie between 0 and 365");
    }
    return days_after - days_before;
}

}  // namespace tripos::domain
