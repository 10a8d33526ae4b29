#include "esim_admin/domain/periods.hpp"

#include <algorithm>

namespace esim_admin::domain {
namespace {

using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

// Days from 1970-01-01 to 2000-01-01.
constexpr std::int64_t kUnixToPgDays = 10957;

// Howard Hinnant's civil-date algorithms (proleptic Gregorian), in days since
// 1970-01-01.
std::int64_t unix_days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_unix_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

}  // namespace

Day day_from_civil(const CivilDate& date) {
    if (date.month < 1 || date.month > 12 || date.day < 1 ||
        date.day > days_in_month(date.year, date.month)) {
        throw DomainError(ErrorKind::InvalidParameter, "invalid calendar date");
    }
    return static_cast<Day>(unix_days_from_civil(date.year, date.month, date.day) - kUnixToPgDays);
}

CivilDate civil_from_day(Day day) { return civil_from_unix_days(std::int64_t(day) + kUnixToPgDays); }

int iso_weekday(Day day) {
    // 2000-01-01 was a Saturday (6).
    const std::int64_t r = ((std::int64_t(day) + 5) % 7 + 7) % 7;  // Monday 0
    return static_cast<int>(r) + 1;
}

Day add_months(Day day, int months) {
    const CivilDate c = civil_from_day(day);
    const std::int64_t index = std::int64_t(c.year) * 12 + (c.month - 1) + months;
    const int year = static_cast<int>(floor_div(index, 12));
    const int month = static_cast<int>(index - std::int64_t(year) * 12) + 1;
    const int d = std::min(c.day, days_in_month(year, month));
    return day_from_civil({year, month, d});
}

PeriodType parse_period_type(const std::string& name) {
    if (name == "daily") return PeriodType::Daily;
    if (name == "weekly") return PeriodType::Weekly;
    if (name == "monthly") return PeriodType::Monthly;
    if (name == "yearly") return PeriodType::Yearly;
    throw DomainError(ErrorKind::InvalidParameter, "unknown period_type \"" + name + "\"",
                      "Expected daily, weekly, monthly or yearly.");
}

Period period_containing(PeriodType type, Day day) {
    const CivilDate c = civil_from_day(day);
    switch (type) {
        case PeriodType::Daily: return {day, day};
        case PeriodType::Weekly: {
            const Day monday = day - (iso_weekday(day) - 1);
            return {monday, monday + 6};
        }
        case PeriodType::Monthly: {
            const Day first = day_from_civil({c.year, c.month, 1});
            return {first, add_months(first, 1) - 1};
        }
        case PeriodType::Yearly: {
            const Day first = day_from_civil({c.year, 1, 1});
            return {first, day_from_civil({c.year + 1, 1, 1}) - 1};
        }
    }
    return {day, day};
}

void check_is_period(PeriodType type, Day first, Day last) {
    const Period p = period_containing(type, first);
    if (p.first != first || p.last != last) {
        throw DomainError(ErrorKind::InvalidParameter,
                          "period_start and period_end are not one whole period of that type",
                          "Daily: one day; weekly: Monday to Sunday; monthly: the 1st to the "
                          "month's last day; yearly: January 1 to December 31.");
    }
}

void check_range(const TimeRange& r) {
    if (r.to && *r.to <= r.from) {
        throw DomainError(ErrorKind::CheckViolation, "effective_to must be after effective_from");
    }
}

bool overlaps(const TimeRange& a, const TimeRange& b) {
    const bool a_starts_before_b_ends = !b.to || a.from < *b.to;
    const bool b_starts_before_a_ends = !a.to || b.from < *a.to;
    return a_starts_before_b_ends && b_starts_before_a_ends;
}

Micros start_of(Day day) { return std::int64_t(day) * kMicrosPerDay; }

Day day_of(Micros instant) { return static_cast<Day>(floor_div(instant, kMicrosPerDay)); }

RetentionCutoffs retention_cutoffs(Micros now) {
    const Day today = day_of(now);
    const Micros time_of_day = now - start_of(today);
    auto months_ago = [&](int months) { return start_of(add_months(today, -months)) + time_of_day; };
    RetentionCutoffs c{};
    c.transactions_cold = months_ago(24);
    c.transactions_delete = months_ago(84);
    c.usage_archive = months_ago(24);
    c.analytics_delete = months_ago(12);
    c.notifications_delete = now - 90 * kMicrosPerDay;
    c.tickets_archive = months_ago(12);
    return c;
}

}  // namespace esim_admin::domain
