// The five-field cron schedules of `schedule` automation rules (minute, hour,
// day of month, month, day of week: the syntax pg_cron and crontab(5) take),
// and the next local minute one fires at.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tripos::domain {

struct CronSchedule {
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<32> days;      // 1..31
    std::bitset<13> months;    // 1..12
    std::bitset<7> weekdays;   // 0 = Sunday (7 is read as Sunday too)
    // crontab(5): when both the day of month and the day of week are
    // restricted (neither field starts with '*'), a day matching either fires.
    bool days_restricted = false;
    bool weekdays_restricted = false;
};

// Fields are `*`, a value, a range `a-b`, each optionally stepped (`*/15`,
// `1-5/2`, `10/20`: from 10 to the field's end), in comma lists; months and
// days of week also by name (JAN..DEC, SUN..SAT); or one of @yearly,
// @annually, @monthly, @weekly, @daily, @midnight, @hourly. Anything else
// throws DomainError(InvalidParameter) saying which field is wrong.
CronSchedule parse_cron(std::string_view text);

// The first minute strictly after `after_minute` that `schedule` fires at,
// both as minutes of local time since 2000-01-01 00:00 (PostgreSQL's epoch);
// nullopt when it fires on no day of the next eight years (February 30th).
std::optional<std::int64_t> next_cron_minute(const CronSchedule& schedule, std::int64_t after_minute);

}  // namespace tripos::domain
