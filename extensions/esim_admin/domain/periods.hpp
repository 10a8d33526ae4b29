// Calendar arithmetic for reports and retention. All in UTC: a report's
// day, week, month and year are UTC calendar periods, and retention ages
// are counted in UTC calendar months and days.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/errors.hpp"

namespace esim_admin::domain {

// Days since 2000-01-01 (PostgreSQL's DateADT).
using Day = std::int32_t;
// Microseconds since 2000-01-01 00:00 UTC (PostgreSQL's TimestampTz).
using Micros = std::int64_t;
constexpr Micros kMicrosPerDay = 86400LL * 1000000LL;

struct CivilDate {
    int year;
    int month;  // 1..12
    int day;    // 1..31
};

Day day_from_civil(const CivilDate& date);
CivilDate civil_from_day(Day day);
// ISO weekday: Monday 1 .. Sunday 7.
int iso_weekday(Day day);
// `months` calendar months later (or earlier when negative); the day is
// clamped to the end of a shorter month (Jan 31 + 1 month = Feb 28/29),
// as PostgreSQL's date + interval does.
Day add_months(Day day, int months);

enum class PeriodType { Daily, Weekly, Monthly, Yearly };
PeriodType parse_period_type(const std::string& name);

// The period of `type` that holds `day`: first and last day, both inclusive.
// Weeks are ISO weeks (Monday to Sunday).
struct Period {
    Day first;
    Day last;
};
Period period_containing(PeriodType type, Day day);
// Checks that [first, last] is exactly one period of `type`.
void check_is_period(PeriodType type, Day first, Day last);

// The instant a period's first day starts and the instant after its last
// day ends: [start, end) in microseconds.
Micros start_of(Day day);

// Retention cut-offs, as instants: rows older than the cut-off go.
struct RetentionCutoffs {
    Micros transactions_cold;      // moved to cold storage: 2 years
    Micros transactions_delete;    // removed: 7 years
    Micros usage_archive;          // esim_data_usage detail archived: 2 years
    Micros analytics_delete;       // analytics_events aggregated and deleted: 1 year
    Micros notifications_delete;   // read notifications: 90 days after read_at
    Micros tickets_archive;        // closed tickets: 1 year after their last update
};
// From `now`; the year and month cut-offs are calendar ones taken on the UTC
// day of now, at the same time of day.
RetentionCutoffs retention_cutoffs(Micros now);

// A price's time of force, [from, to); no `to` runs forever.
struct TimeRange {
    Micros from;
    std::optional<Micros> to;
};
// Checks from < to; InvalidParameter otherwise.
void check_range(const TimeRange& r);
// True when some instant lies in both.
bool overlaps(const TimeRange& a, const TimeRange& b);

// The UTC day an instant falls on.
Day day_of(Micros instant);

}  // namespace esim_admin::domain
