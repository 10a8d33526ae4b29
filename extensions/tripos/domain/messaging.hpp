// WhatsApp delivery rules: monotonic status, quiet hours, retry backoff,
// automation dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tripos::domain {

// pending < sent < delivered < read; failed is terminal.
enum class MessageStatus { Pending = 0, Sent = 1, Delivered = 2, Read = 3, Failed = 4 };

std::optional<MessageStatus> parse_message_status(std::string_view text);
std::string_view to_text(MessageStatus status);

// The status after a provider reports `incoming` for a message in `current`.
// Webhooks arrive in any order and more than once, so the status only moves
// forward: a late 'delivered' never overwrites 'read'. 'failed' is taken only
// before delivery (a message that reached the phone did not fail) and, once
// taken, stays until the message is explicitly retried.
MessageStatus next_message_status(MessageStatus current, MessageStatus incoming);

// Quiet hours as seconds since local midnight. start == end is no window; a
// window with start > end runs over midnight (22:00-07:00).
struct QuietHours {
    int start;
    int end;
};

struct QuietCheck {
    bool quiet = false;
    bool ends_next_day = false;  // the window's end is on the next local date
};

QuietCheck check_quiet_hours(int local_seconds_of_day, QuietHours window);

// Delay before retry number `retry_count` (0 for the first retry): base x 2^n
// seconds, capped.
std::int64_t retry_delay_seconds(int retry_count, std::int64_t base_seconds, std::int64_t cap_seconds);

// Whether a job that has already been retried `retry_count` times may retry.
inline bool may_retry(int retry_count, int max_retries) { return retry_count < max_retries; }

// Day offset from the trip's start (trip_start) or end (trip_end) at which an
// automation fires: days_before counts backwards, days_after forwards.
enum class TripAnchor { Start, End };
std::optional<TripAnchor> parse_trip_anchor(std::string_view trigger_type);
int anchor_offset_days(int days_before, int days_after);

}  // namespace tripos::domain
