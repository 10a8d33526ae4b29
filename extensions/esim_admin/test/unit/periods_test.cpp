#include "esim_admin/domain/periods.hpp"

#include <gtest/gtest.h>

using namespace esim_admin::domain;

namespace {
Day day(int y, int m, int d) { return day_from_civil({y, m, d}); }
std::string text(Day d) {
    const CivilDate c = civil_from_day(d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
    return buf;
}
}  // namespace

TEST(Calendar, RoundTripsAndKnownDays) {
    EXPECT_EQ(day(2000, 1, 1), 0);
    EXPECT_EQ(day(1999, 12, 31), -1);
    EXPECT_EQ(day(2026, 12, 2), 9832);  // SELECT '2026-12-02'::date - '2000-01-01'
    for (Day d = -800000; d < 800000; d += 997) EXPECT_EQ(day_from_civil(civil_from_day(d)), d);
    EXPECT_EQ(iso_weekday(day(2000, 1, 1)), 6);
    EXPECT_EQ(iso_weekday(day(2026, 12, 2)), 3);  // a Wednesday
    EXPECT_THROW(day_from_civil({2025, 2, 29}), pgcpp::core::DomainError);
    EXPECT_NO_THROW(day_from_civil({2024, 2, 29}));
}

TEST(Calendar, AddMonthsClampsLikePostgres) {
    EXPECT_EQ(text(add_months(day(2026, 1, 31), 1)), "2026-02-28");
    EXPECT_EQ(text(add_months(day(2024, 1, 31), 1)), "2024-02-29");
    EXPECT_EQ(text(add_months(day(2024, 2, 29), -24)), "2022-02-28");
    EXPECT_EQ(text(add_months(day(2026, 3, 15), -15)), "2024-12-15");
    EXPECT_EQ(text(add_months(day(2026, 12, 2), -84)), "2019-12-02");
}

TEST(Periods, ContainingDay) {
    const Day wed = day(2026, 12, 2);
    Period p = period_containing(PeriodType::Weekly, wed);
    EXPECT_EQ(text(p.first), "2026-11-30");
    EXPECT_EQ(text(p.last), "2026-12-06");
    p = period_containing(PeriodType::Monthly, day(2024, 2, 10));
    EXPECT_EQ(text(p.first), "2024-02-01");
    EXPECT_EQ(text(p.last), "2024-02-29");
    p = period_containing(PeriodType::Yearly, wed);
    EXPECT_EQ(text(p.first), "2026-01-01");
    EXPECT_EQ(text(p.last), "2026-12-31");
    p = period_containing(PeriodType::Daily, wed);
    EXPECT_EQ(p.first, wed);
    EXPECT_EQ(p.last, wed);
    EXPECT_NO_THROW(check_is_period(PeriodType::Monthly, day(2026, 2, 1), day(2026, 2, 28)));
    EXPECT_THROW(check_is_period(PeriodType::Monthly, day(2026, 2, 1), day(2026, 2, 27)),
                 pgcpp::core::DomainError);
    EXPECT_THROW(check_is_period(PeriodType::Weekly, day(2026, 12, 1), day(2026, 12, 7)),
                 pgcpp::core::DomainError);
    EXPECT_EQ(parse_period_type("weekly"), PeriodType::Weekly);
    EXPECT_THROW(parse_period_type("hourly"), pgcpp::core::DomainError);
}

TEST(Retention, Cutoffs) {
    const Micros noon = start_of(day(2026, 2, 28)) + 12LL * 3600 * 1000000;
    const RetentionCutoffs c = retention_cutoffs(noon);
    EXPECT_EQ(c.transactions_cold, start_of(day(2024, 2, 28)) + 12LL * 3600 * 1000000);
    EXPECT_EQ(c.transactions_delete, start_of(day(2019, 2, 28)) + 12LL * 3600 * 1000000);
    EXPECT_EQ(c.analytics_delete, start_of(day(2025, 2, 28)) + 12LL * 3600 * 1000000);
    EXPECT_EQ(c.notifications_delete, noon - 90 * kMicrosPerDay);
    EXPECT_EQ(c.tickets_archive, c.analytics_delete);
    EXPECT_EQ(day_of(-1), -1);
    EXPECT_EQ(day_of(0), 0);
    EXPECT_EQ(day_of(kMicrosPerDay - 1), 0);
}

TEST(TimeRange, Overlaps) {
    const TimeRange jan{0, 31}, feb{31, 59}, open_from_feb{31, std::nullopt}, forever{-1000, std::nullopt};
    EXPECT_FALSE(overlaps(jan, feb));  // [0,31) and [31,59) touch, do not overlap
    EXPECT_FALSE(overlaps(feb, jan));
    EXPECT_TRUE(overlaps(feb, open_from_feb));
    EXPECT_FALSE(overlaps(jan, open_from_feb));
    EXPECT_TRUE(overlaps(forever, jan));
    EXPECT_TRUE(overlaps(open_from_feb, forever));
    EXPECT_TRUE(overlaps(TimeRange{10, 20}, TimeRange{0, 31}));
    EXPECT_TRUE(overlaps(TimeRange{0, 31}, TimeRange{30, 31}));
    EXPECT_NO_THROW(check_range(TimeRange{0, 1}));
    EXPECT_THROW(check_range(TimeRange{1, 1}), pgcpp::core::DomainError);
}
