// Unit tests of Trip OS's pure domain code.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <numeric>
#include <random>

#include "core/errors.hpp"
#include "tripos/domain/ai_cost.hpp"
#include "tripos/domain/billing.hpp"
#include "tripos/domain/budget.hpp"
#include "tripos/domain/collaboration.hpp"
#include "tripos/domain/cron_schedule.hpp"
#include "tripos/domain/messaging.hpp"
#include "tripos/domain/ordering.hpp"
#include "tripos/domain/settlement.hpp"
#include "tripos/domain/splits.hpp"

namespace core = pgcpp::core;
using namespace tripos::domain;

namespace {

// Applies a plan to a model of groups (each a vector of row ids in order) and
// returns the ids with their positions, to check density against the plan.
struct Model {
    std::vector<std::vector<int>> groups;

    void apply_insert(int group, std::optional<int> requested, int id) {
        auto& g = groups[static_cast<std::size_t>(group)];
        OrderPlan plan = plan_insert(group, requested, static_cast<int>(g.size()));
        std::vector<std::pair<int, int>> positioned = positions(group);
        shift(positioned, plan.shifts, group);
        positioned.emplace_back(id, plan.target.position);
        rebuild(group, positioned);
    }
    void apply_move(int id, int to_group, std::optional<int> requested) {
        int from_group = -1, from_pos = -1;
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            auto it = std::find(groups[gi].begin(), groups[gi].end(), id);
            if (it != groups[gi].end()) {
                from_group = static_cast<int>(gi);
                from_pos = static_cast<int>(it - groups[gi].begin());
            }
        }
        int target_count = static_cast<int>(groups[static_cast<std::size_t>(to_group)].size()) -
                           (from_group == to_group ? 1 : 0);
        OrderPlan plan = plan_move({from_group, from_pos}, to_group, requested, target_count);
        auto src = positions(from_group);
        src.erase(std::remove_if(src.begin(), src.end(), [&](auto& p) { return p.first == id; }), src.end());
        if (from_group == to_group) {
            shift(src, plan.shifts, to_group);
            src.emplace_back(id, plan.target.position);
            rebuild(to_group, src);
        } else {
            auto dst = positions(to_group);
            shift(src, plan.shifts, from_group);
            shift(dst, plan.shifts, to_group);
            dst.emplace_back(id, plan.target.position);
            rebuild(from_group, src);
            rebuild(to_group, dst);
        }
    }
    void apply_delete(int id) {
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            auto it = std::find(groups[gi].begin(), groups[gi].end(), id);
            if (it == groups[gi].end()) continue;
            Shift s = plan_delete({static_cast<int>(gi), static_cast<int>(it - groups[gi].begin())});
            auto p = positions(static_cast<int>(gi));
            p.erase(std::remove_if(p.begin(), p.end(), [&](auto& x) { return x.first == id; }), p.end());
            shift(p, {s}, static_cast<int>(gi));
            rebuild(static_cast<int>(gi), p);
        }
    }

private:
    std::vector<std::pair<int, int>> positions(int group) {
        std::vector<std::pair<int, int>> out;
        auto& g = groups[static_cast<std::size_t>(group)];
        for (std::size_t i = 0; i < g.size(); ++i) out.emplace_back(g[i], static_cast<int>(i));
        return out;
    }
    static void shift(std::vector<std::pair<int, int>>& rows, const std::vector<Shift>& shifts, int group) {
        for (auto& row : rows) {
            int original = row.second;
            for (auto& s : shifts) {
                if (s.group == group && original >= s.from && original <= s.to) row.second = original + s.delta;
            }
        }
    }
    void rebuild(int group, std::vector<std::pair<int, int>> rows) {
        std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.second < b.second; });
        for (std::size_t i = 0; i < rows.size(); ++i) {
            ASSERT_EQ(rows[i].second, static_cast<int>(i)) << "positions must stay dense";
        }
        auto& g = groups[static_cast<std::size_t>(group)];
        g.clear();
        for (auto& r : rows) g.push_back(r.first);
    }
};

}  // namespace

TEST(Ordering, InsertPositionClampsAndAppends) {
    EXPECT_EQ(insert_position(std::nullopt, 3), 3);
    EXPECT_EQ(insert_position(0, 3), 0);
    EXPECT_EQ(insert_position(3, 3), 3);
    EXPECT_EQ(insert_position(99, 3), 3);
    EXPECT_THROW(insert_position(-1, 3), core::DomainError);
}

TEST(Ordering, InsertShiftsTheRest) {
    OrderPlan p = plan_insert(2, 1, 4);
    EXPECT_EQ(p.target.group, 2);
    EXPECT_EQ(p.target.position, 1);
    ASSERT_EQ(p.shifts.size(), 1u);
    EXPECT_EQ(p.shifts[0].from, 1);
    EXPECT_EQ(p.shifts[0].delta, 1);
    EXPECT_TRUE(plan_insert(2, std::nullopt, 4).shifts.empty());
}

TEST(Ordering, MoveWithinDayShiftsTheSpanBetween) {
    // a b c d e: move b (1) to 3 -> a c d b e
    OrderPlan down = plan_move({1, 1}, 1, 3, 4);
    EXPECT_EQ(down.target.position, 3);
    ASSERT_EQ(down.shifts.size(), 1u);
    EXPECT_EQ(down.shifts[0].from, 2);
    EXPECT_EQ(down.shifts[0].to, 3);
    EXPECT_EQ(down.shifts[0].delta, -1);
    OrderPlan up = plan_move({1, 3}, 1, 0, 4);
    ASSERT_EQ(up.shifts.size(), 1u);
    EXPECT_EQ(up.shifts[0].from, 0);
    EXPECT_EQ(up.shifts[0].to, 2);
    EXPECT_EQ(up.shifts[0].delta, 1);
    EXPECT_TRUE(plan_move({1, 2}, 1, 2, 4).shifts.empty());
    EXPECT_EQ(plan_move({1, 2}, 1, 50, 4).target.position, 4);  // past the end: last
}

TEST(Ordering, MoveAcrossDaysClosesAndOpensAGap) {
    OrderPlan p = plan_move({1, 0}, 2, 1, 3);
    EXPECT_EQ(p.target.group, 2);
    EXPECT_EQ(p.target.position, 1);
    ASSERT_EQ(p.shifts.size(), 2u);
    EXPECT_EQ(p.shifts[0].group, 1);
    EXPECT_EQ(p.shifts[0].delta, -1);
    EXPECT_EQ(p.shifts[1].group, 2);
    EXPECT_EQ(p.shifts[1].from, 1);
    EXPECT_EQ(p.shifts[1].delta, 1);
}

TEST(Ordering, RandomSequencesStayDense) {
    std::mt19937 rng(42);
    Model m;
    m.groups.resize(4);
    int next_id = 0;
    std::vector<int> live;
    for (int step = 0; step < 5000; ++step) {
        int op = static_cast<int>(rng() % 3);
        if (op == 0 || live.empty()) {
            int g = static_cast<int>(rng() % 4);
            std::optional<int> pos;
            if (rng() % 4) pos = static_cast<int>(rng() % 8);
            m.apply_insert(g, pos, next_id);
            live.push_back(next_id++);
        } else if (op == 1) {
            int id = live[rng() % live.size()];
            std::optional<int> pos;
            if (rng() % 4) pos = static_cast<int>(rng() % 8);
            m.apply_move(id, static_cast<int>(rng() % 4), pos);
        } else {
            std::size_t k = rng() % live.size();
            m.apply_delete(live[k]);
            live.erase(live.begin() + static_cast<long>(k));
        }
        if (HasFatalFailure()) return;
    }
    std::size_t total = 0;
    for (auto& g : m.groups) total += g.size();
    EXPECT_EQ(total, live.size());
}

TEST(Ordering, CompactRenumbersOnlyWhatMoved) {
    auto changes = compact({0, 2, 5, 5});
    ASSERT_EQ(changes.size(), 3u);
    EXPECT_EQ(changes[0], (std::pair<std::size_t, int>{1, 1}));
    EXPECT_EQ(changes[2], (std::pair<std::size_t, int>{3, 3}));
    EXPECT_TRUE(compact({0, 1, 2}).empty());
}

TEST(Splits, EqualGivesTheRemainderToTheFirst) {
    EXPECT_EQ(split_amount(100, SplitMethod::Equal, {0, 0, 0}), (std::vector<std::int64_t>{34, 33, 33}));
    EXPECT_EQ(split_amount(2, SplitMethod::Equal, {0, 0, 0}), (std::vector<std::int64_t>{1, 1, 0}));
    EXPECT_EQ(split_amount(99, SplitMethod::Equal, {0, 0, 0}), (std::vector<std::int64_t>{33, 33, 33}));
}

TEST(Splits, ExactMustSumToTheAmount) {
    EXPECT_EQ(split_amount(100, SplitMethod::Exact, {60, 40}), (std::vector<std::int64_t>{60, 40}));
    EXPECT_THROW(split_amount(100, SplitMethod::Exact, {60, 39}), core::DomainError);
    EXPECT_THROW(split_amount(100, SplitMethod::Exact, {101, -1}), core::DomainError);
}

TEST(Splits, PercentUsesLargestRemainders) {
    // 1000 x 33.33 % = 333.3, x 33.33 % = 333.3, x 33.34 % = 333.4 -> the
    // remaining unit goes to the largest fraction (the third).
    EXPECT_EQ(split_amount(1000, SplitMethod::Percent, {3333, 3333, 3334}),
              (std::vector<std::int64_t>{333, 333, 334}));
    EXPECT_EQ(split_amount(1, SplitMethod::Percent, {5000, 5000}), (std::vector<std::int64_t>{1, 0}));
    EXPECT_THROW(split_amount(100, SplitMethod::Percent, {5000, 4999}), core::DomainError);
    EXPECT_THROW(split_amount(100, SplitMethod::Percent, {10001, -1}), core::DomainError);
}

TEST(Splits, SharesAreWeights) {
    EXPECT_EQ(split_amount(1000, SplitMethod::Shares, {2, 1}), (std::vector<std::int64_t>{667, 333}));
    EXPECT_EQ(split_amount(10, SplitMethod::Shares, {1, 0, 1}), (std::vector<std::int64_t>{5, 0, 5}));
    EXPECT_THROW(split_amount(10, SplitMethod::Shares, {0, 0}), core::DomainError);
}

TEST(Splits, BadInputIsRefused) {
    EXPECT_THROW(split_amount(0, SplitMethod::Equal, {0}), core::DomainError);
    EXPECT_THROW(split_amount(-5, SplitMethod::Equal, {0}), core::DomainError);
    EXPECT_THROW(split_amount(5, SplitMethod::Equal, {}), core::DomainError);
    EXPECT_FALSE(parse_split_method("thirds").has_value());
}

TEST(Splits, RandomSplitsAlwaysSumExactly) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 20000; ++i) {
        std::int64_t amount = 1 + static_cast<std::int64_t>(rng() % 100000000000ULL);
        std::size_t n = 1 + rng() % 12;
        std::vector<std::int64_t> weights(n);
        for (auto& w : weights) w = static_cast<std::int64_t>(rng() % 1000);
        weights[0] += 1;
        auto shares = split_amount(amount, SplitMethod::Shares, weights);
        ASSERT_EQ(std::accumulate(shares.begin(), shares.end(), std::int64_t{0}), amount);
        auto equal = split_amount(amount, SplitMethod::Equal, weights);
        ASSERT_EQ(std::accumulate(equal.begin(), equal.end(), std::int64_t{0}), amount);
        auto [lo, hi] = std::minmax_element(equal.begin(), equal.end());
        ASSERT_LE(*hi - *lo, 1);
    }
    EXPECT_EQ(split_amount(INT64_MAX, SplitMethod::Equal, {0, 0}).at(0), INT64_MAX / 2 + 1);
}

namespace {
void expect_settles(const std::vector<std::int64_t>& balances, std::size_t expected_transfers) {
    auto transfers = settle_balances(balances);
    EXPECT_EQ(transfers.size(), expected_transfers);
    std::vector<std::int64_t> left = balances;
    for (auto& t : transfers) {
        EXPECT_GT(t.amount, 0);
        left[t.from] += t.amount;
        left[t.to] -= t.amount;
    }
    for (auto v : left) EXPECT_EQ(v, 0);
}
}  // namespace

TEST(Settlement, FewestTransfers) {
    expect_settles({}, 0);
    expect_settles({0, 0}, 0);
    expect_settles({-50, 50}, 1);
    expect_settles({-30, -20, 50}, 2);
    // Two independent pairs: greedy by size would pair -6 with +7 and need 3;
    // the optimum is 2.
    expect_settles({-6, 6, -7, 7}, 2);
    expect_settles({-5, -2, 3, 4}, 3);
    expect_settles({10, -3, -7, 4, -4}, 3);
}

TEST(Settlement, UnbalancedIsRefused) { EXPECT_THROW(settle_balances({10, -9}), core::DomainError); }

TEST(Settlement, ManyMembersFallBackToGreedy) {
    std::vector<std::int64_t> balances;
    for (int i = 0; i < 20; ++i) balances.push_back(i % 2 ? 100 + i : -(100 + i - 1));
    std::int64_t sum = std::accumulate(balances.begin(), balances.end(), std::int64_t{0});
    balances.push_back(-sum);
    auto transfers = settle_balances(balances);
    EXPECT_LE(transfers.size(), balances.size() - 1);
    std::vector<std::int64_t> left = balances;
    for (auto& t : transfers) {
        left[t.from] += t.amount;
        left[t.to] -= t.amount;
    }
    for (auto v : left) EXPECT_EQ(v, 0);
}

TEST(Settlement, RandomGroupsMatchTheSubsetBound) {
    std::mt19937 rng(3);
    for (int round = 0; round < 300; ++round) {
        // Build g zero-sum groups of random sizes: at most k - g transfers.
        std::vector<std::int64_t> balances;
        int groups = 1 + static_cast<int>(rng() % 4);
        for (int g = 0; g < groups; ++g) {
            int size = 2 + static_cast<int>(rng() % 3);
            std::int64_t sum = 0;
            for (int i = 0; i + 1 < size; ++i) {
                std::int64_t v = static_cast<std::int64_t>(rng() % 1000) + 1;
                if (rng() % 2) v = -v;
                balances.push_back(v);
                sum += v;
            }
            if (sum == 0) { balances.back() += 1; sum += 1; }
            balances.push_back(-sum);
        }
        std::shuffle(balances.begin(), balances.end(), rng);
        auto transfers = settle_balances(balances);
        ASSERT_LE(transfers.size(), balances.size() - static_cast<std::size_t>(groups));
    }
}

TEST(AiCost, FromModelPrices) {
    auto in = core::Decimal::parse("0.03");
    auto out = core::Decimal::parse("0.06");
    EXPECT_EQ(run_cost({1000, 500}, in, out).to_string(), "0.060000");
    EXPECT_EQ(run_cost({0, 0}, in, out).to_string(), "0.000000");
    // 1 token at 0.0015 / 1k = 0.0000015 -> rounds half up to 0.000002
    EXPECT_EQ(run_cost({1, 0}, core::Decimal::parse("0.0015"), out).to_string(), "0.000002");
    // 1 token at 0.0014 / 1k = 0.0000014 -> 0.000001
    EXPECT_EQ(run_cost({1, 0}, core::Decimal::parse("0.0014"), out).to_string(), "0.000001");
    EXPECT_EQ(run_cost({3, 0}, core::Decimal::parse("0.00000001"), out).to_string(), "0.000000");
    EXPECT_THROW(run_cost({-1, 0}, in, out), core::DomainError);
    EXPECT_THROW(run_cost({1, 0}, core::Decimal::parse("-0.01"), out), core::DomainError);
    EXPECT_EQ((TokenCounts{7, 8}.total()), 15);
}

TEST(Billing, NewestEventWins) {
    EXPECT_TRUE(is_newer({10, "evt_a"}, std::nullopt));
    EXPECT_TRUE(is_newer({11, "evt_a"}, EventStamp{10, "evt_z"}));
    EXPECT_FALSE(is_newer({9, "evt_z"}, EventStamp{10, "evt_a"}));
    EXPECT_TRUE(is_newer({10, "evt_b"}, EventStamp{10, "evt_a"}));
    EXPECT_FALSE(is_newer({10, "evt_a"}, EventStamp{10, "evt_a"}));  // a replay changes nothing
}

TEST(Billing, StatusesAndLimits) {
    EXPECT_TRUE(is_subscription_status("paused"));
    EXPECT_FALSE(is_subscription_status("cancelled"));
    EXPECT_TRUE(grants_plan("past_due"));
    EXPECT_FALSE(grants_plan("canceled"));
    EXPECT_TRUE(within_limit(1000000, kUnlimited));
    EXPECT_TRUE(within_limit(2, 3));
    EXPECT_FALSE(within_limit(3, 3));
    EXPECT_FALSE(within_limit(0, 0));
    EXPECT_THROW(within_limit(0, -2), core::DomainError);
}

TEST(Billing, MinorUnits) {
    EXPECT_EQ(minor_to_major_text(999, 2), "9.99");
    EXPECT_EQ(minor_to_major_text(5, 2), "0.05");
    EXPECT_EQ(minor_to_major_text(0, 2), "0.00");
    EXPECT_EQ(minor_to_major_text(-150, 2), "-1.50");
    EXPECT_EQ(minor_to_major_text(500, 0), "500");
    EXPECT_EQ(minor_to_major_text(INT64_MIN, 2), "-92233720368547758.08");
    EXPECT_EQ(currency_exponent("jpy"), 0);
    EXPECT_EQ(currency_exponent("usd"), 2);
    EXPECT_THROW(currency_exponent("dollars"), core::DomainError);
}

TEST(Messaging, StatusOnlyMovesForward) {
    using S = MessageStatus;
    EXPECT_EQ(next_message_status(S::Pending, S::Sent), S::Sent);
    EXPECT_EQ(next_message_status(S::Read, S::Delivered), S::Read);
    EXPECT_EQ(next_message_status(S::Delivered, S::Sent), S::Delivered);
    EXPECT_EQ(next_message_status(S::Sent, S::Failed), S::Failed);
    EXPECT_EQ(next_message_status(S::Delivered, S::Failed), S::Delivered);
    EXPECT_EQ(next_message_status(S::Failed, S::Read), S::Failed);
    // Every order of the same events ends in the same state.
    std::vector<S> events = {S::Sent, S::Delivered, S::Read};
    std::sort(events.begin(), events.end());
    do {
        S s = S::Pending;
        for (S e : events) s = next_message_status(s, e);
        EXPECT_EQ(s, S::Read);
    } while (std::next_permutation(events.begin(), events.end()));
    EXPECT_EQ(parse_message_status("read"), S::Read);
    EXPECT_FALSE(parse_message_status("seen").has_value());
    EXPECT_EQ(to_text(S::Delivered), "delivered");
}

TEST(Messaging, QuietHours) {
    const int h = 3600;
    QuietHours night{22 * h, 7 * h};
    EXPECT_TRUE(check_quiet_hours(23 * h, night).quiet);
    EXPECT_TRUE(check_quiet_hours(23 * h, night).ends_next_day);
    EXPECT_TRUE(check_quiet_hours(2 * h, night).quiet);
    EXPECT_FALSE(check_quiet_hours(2 * h, night).ends_next_day);
    EXPECT_FALSE(check_quiet_hours(7 * h, night).quiet);  // the end is not quiet
    EXPECT_TRUE(check_quiet_hours(22 * h, night).quiet);  // the start is
    QuietHours lunch{12 * h, 13 * h};
    EXPECT_TRUE(check_quiet_hours(12 * h + 5, lunch).quiet);
    EXPECT_FALSE(check_quiet_hours(13 * h, lunch).quiet);
    EXPECT_FALSE(check_quiet_hours(5, {h, h}).quiet);
    EXPECT_THROW(check_quiet_hours(24 * h, lunch), core::DomainError);
}

TEST(Messaging, Backoff) {
    EXPECT_EQ(retry_delay_seconds(0, 60, 3600), 60);
    EXPECT_EQ(retry_delay_seconds(1, 60, 3600), 120);
    EXPECT_EQ(retry_delay_seconds(5, 60, 3600), 1920);
    EXPECT_EQ(retry_delay_seconds(6, 60, 3600), 3600);
    EXPECT_EQ(retry_delay_seconds(1000, 60, 3600), 3600);
    EXPECT_THROW(retry_delay_seconds(-1, 60, 3600), core::DomainError);
    EXPECT_TRUE(may_retry(2, 3));
    EXPECT_FALSE(may_retry(3, 3));
    EXPECT_EQ(anchor_offset_days(1, 0), -1);
    EXPECT_THROW(anchor_offset_days(-1, 0), core::DomainError);
    EXPECT_EQ(parse_trip_anchor("trip_end"), TripAnchor::End);
}

TEST(Collaboration, Invitations) {
    Membership owner{TripRole::Owner, true, true};
    Membership inviter{TripRole::Viewer, false, true};
    Membership editor_inviter{TripRole::Editor, true, true};
    Membership viewer{TripRole::Viewer, false, false};
    auto r = check_invitation(owner, {TripRole::Editor, false, true});
    EXPECT_TRUE(r.can_edit);
    EXPECT_TRUE(r.can_invite);
    EXPECT_FALSE(check_invitation(inviter, {TripRole::Viewer, true, false}).can_edit);
    EXPECT_THROW(check_invitation(inviter, {TripRole::Editor, true, false}), core::DomainError);
    EXPECT_NO_THROW(check_invitation(editor_inviter, {TripRole::Editor, true, false}));
    EXPECT_THROW(check_invitation(editor_inviter, {TripRole::Viewer, false, true}), core::DomainError);
    EXPECT_THROW(check_invitation(viewer, {TripRole::Viewer, false, false}), core::DomainError);
    EXPECT_THROW(check_invitation(owner, {TripRole::Owner, true, true}), core::DomainError);
    EXPECT_EQ(effective_role({TripRole::Editor, false, false}), TripRole::Viewer);
    EXPECT_EQ(invitation_state(10, 20, false, false), InvitationState::Open);
    EXPECT_EQ(invitation_state(20, 20, false, false), InvitationState::Expired);
    EXPECT_EQ(invitation_state(10, 20, true, false), InvitationState::Accepted);
    EXPECT_EQ(invitation_state(10, 20, false, true), InvitationState::Revoked);
}

TEST(Budget, ThresholdCrossings) {
    auto d = [](const char* s) { return core::Decimal::parse(s); };
    EXPECT_TRUE(crosses_budget_threshold(d("0"), d("90"), d("100"), 90));
    EXPECT_FALSE(crosses_budget_threshold(d("90"), d("95"), d("100"), 90));   // already over
    EXPECT_FALSE(crosses_budget_threshold(d("0"), d("89.99"), d("100"), 90));
    EXPECT_TRUE(crosses_budget_threshold(d("89.99"), d("90.00"), d("100.00"), 90));
    EXPECT_FALSE(crosses_budget_threshold(d("0"), d("1000"), d("0"), 90));
    EXPECT_THROW(crosses_budget_threshold(d("0"), d("1"), d("1"), 0), core::DomainError);
}

TEST(Budget, RuleThresholds) {
    EXPECT_EQ(budget_rule_threshold(std::nullopt), 100);
    EXPECT_EQ(budget_rule_threshold(80), 80);
    EXPECT_EQ(budget_rule_threshold(100), 100);
    EXPECT_THROW(budget_rule_threshold(90), core::DomainError);  // no event is raised at 90 %
    EXPECT_THROW(budget_rule_threshold(0), core::DomainError);
}

// ---- cron schedules of `schedule` rules

namespace {

// Minutes since 2000-01-01 of a civil time, through the C library (timegm).
std::int64_t local_minute(int year, int month, int day, int hour, int minute) {
    std::tm t{};
    t.tm_year = year - 1900;
    t.tm_mon = month - 1;
    t.tm_mday = day;
    t.tm_hour = hour;
    t.tm_min = minute;
    return (static_cast<std::int64_t>(timegm(&t)) - 946684800) / 60;
}

std::tm civil_of(std::int64_t minute) {
    const std::time_t seconds = static_cast<std::time_t>(minute * 60 + 946684800);
    std::tm t{};
    gmtime_r(&seconds, &t);
    return t;
}

// The oracle: crontab(5)'s rule checked minute by minute through the C library.
bool fires_at_day(const CronSchedule& s, const std::tm& t) {
    const bool day = s.days[static_cast<std::size_t>(t.tm_mday)];
    const bool weekday = s.weekdays[static_cast<std::size_t>(t.tm_wday)];
    const bool date = s.days_restricted && s.weekdays_restricted ? day || weekday : day && weekday;
    return date && s.months[static_cast<std::size_t>(t.tm_mon + 1)];
}

bool fires_at(const CronSchedule& s, std::int64_t minute) {
    const std::tm t = civil_of(minute);
    return fires_at_day(s, t) && s.hours[static_cast<std::size_t>(t.tm_hour)] &&
           s.minutes[static_cast<std::size_t>(t.tm_min)];
}

std::optional<std::int64_t> next_of(const char* schedule, std::int64_t after) {
    return next_cron_minute(parse_cron(schedule), after);
}

}  // namespace

TEST(CronSchedule, NextRunOfCommonSchedules) {
    const std::int64_t friday_10_00 = local_minute(2026, 12, 4, 10, 0);
    EXPECT_EQ(next_of("0 9 * * MON-FRI", friday_10_00), local_minute(2026, 12, 7, 9, 0));
    EXPECT_EQ(next_of("0 9 * * 1-5", local_minute(2026, 12, 4, 8, 59)), local_minute(2026, 12, 4, 9, 0));
    EXPECT_EQ(next_of("*/15 * * * *", local_minute(2026, 12, 4, 10, 7)), local_minute(2026, 12, 4, 10, 15));
    EXPECT_EQ(next_of("@hourly", friday_10_00), local_minute(2026, 12, 4, 11, 0));  // strictly after
    EXPECT_EQ(next_of("@daily", friday_10_00), local_minute(2026, 12, 5, 0, 0));
    EXPECT_EQ(next_of("@weekly", friday_10_00), local_minute(2026, 12, 6, 0, 0));   // Sunday
    EXPECT_EQ(next_of("0 0 * * 7", friday_10_00), local_minute(2026, 12, 6, 0, 0)); // 7 is Sunday too
    EXPECT_EQ(next_of("@monthly", friday_10_00), local_minute(2027, 1, 1, 0, 0));
    EXPECT_EQ(next_of("@yearly", friday_10_00), local_minute(2027, 1, 1, 0, 0));
    EXPECT_EQ(next_of("30 8 1 jan,jul *", friday_10_00), local_minute(2027, 1, 1, 8, 30));
    EXPECT_EQ(next_of("10/20 * * * *", friday_10_00), local_minute(2026, 12, 4, 10, 10));
    EXPECT_EQ(next_of("0 22-23/1,6 * * *", friday_10_00), local_minute(2026, 12, 4, 22, 0));
    // Leap day: the next February 29th; a date that never comes: none.
    EXPECT_EQ(next_of("0 0 29 2 *", local_minute(2026, 3, 1, 0, 0)), local_minute(2028, 2, 29, 0, 0));
    EXPECT_EQ(next_of("0 0 30 2 *", friday_10_00), std::nullopt);
    // Both day fields restricted: either fires (Friday the 11th before Sunday the 13th).
    EXPECT_EQ(next_of("0 12 13 * FRI", local_minute(2026, 12, 4, 13, 0)), local_minute(2026, 12, 11, 12, 0));
    // One restricted (`*/1` counts as `*`): only the day of month decides.
    EXPECT_EQ(next_of("0 12 13 * */1", local_minute(2026, 12, 4, 13, 0)), local_minute(2026, 12, 13, 12, 0));
    EXPECT_EQ(next_of("0 0 31 * *", local_minute(2027, 1, 31, 0, 0)), local_minute(2027, 3, 31, 0, 0));
    // Before 2000 and across year ends.
    EXPECT_EQ(next_of("59 23 31 12 *", local_minute(1999, 12, 31, 23, 58)), local_minute(1999, 12, 31, 23, 59));
    EXPECT_EQ(next_of("0 0 1 1 *", local_minute(1999, 12, 31, 23, 59)), local_minute(2000, 1, 1, 0, 0));
}

TEST(CronSchedule, RefusesWhatItCannotRead) {
    for (const char* bad : {"", "   ", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *",
                            "* * 32 * *", "* * * 13 *", "* * * * 8", "5-1 * * * *", "*/0 * * * *", "@reboot",
                            "a * * * *", "1,,2 * * * *", "1, * * * *", "-5 * * * *", "5- * * * *", "* * * FOO *",
                            "* * * * MONDAY", "1/ * * * *", "99999999999999999999 * * * *", "*/61 * * * *"}) {
        EXPECT_THROW(parse_cron(bad), core::DomainError) << bad;
    }
    EXPECT_THROW(parse_cron(std::string(300, '*')), core::DomainError);
    try {
        parse_cron("0 25 * * *");
        FAIL();
    } catch (const core::DomainError& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::InvalidParameter);
        EXPECT_NE(std::string(e.what()).find("hour"), std::string::npos) << e.what();
    }
}

TEST(CronSchedule, AgreesWithAMinuteByMinuteOracle) {
    std::mt19937 rng(11);
    const char* const minutes[] = {"*", "0", "*/7", "5,35", "50-59/3", "15"};
    const char* const hours[] = {"*", "9", "22-23", "*/5", "0,12"};
    const char* const days[] = {"*", "1", "13", "29-31", "*/10", "28"};
    const char* const months[] = {"*", "2", "JAN-MAR", "*/4", "12"};
    const char* const weekdays[] = {"*", "0", "MON-FRI", "5", "SAT,SUN", "*/3"};
    auto pick = [&](const auto& options) { return options[rng() % std::size(options)]; };
    for (int round = 0; round < 150; ++round) {
        const std::string text = std::string(pick(minutes)) + " " + pick(hours) + " " + pick(days) + " " +
                                 pick(months) + " " + pick(weekdays);
        const CronSchedule s = parse_cron(text);
        const std::int64_t after = local_minute(1999 + static_cast<int>(rng() % 30), 1 + static_cast<int>(rng() % 12),
                                                1 + static_cast<int>(rng() % 28), static_cast<int>(rng() % 24),
                                                static_cast<int>(rng() % 60));
        const auto next = next_cron_minute(s, after);
        ASSERT_TRUE(next.has_value()) << text;
        ASSERT_GT(*next, after) << text;
        EXPECT_TRUE(fires_at(s, *next)) << text;
        // No minute in between fires (whole days and hours skipped where
        // their first minute shows none of them can).
        for (std::int64_t m = after + 1; m < *next; ++m) {
            const std::tm t = civil_of(m);
            if (t.tm_hour == 0 && t.tm_min == 0 && !fires_at_day(s, t)) {
                m += 24 * 60 - 1;
                continue;
            }
            if (t.tm_min == 0 && !s.hours[static_cast<std::size_t>(t.tm_hour)]) {
                m += 59;
                continue;
            }
            ASSERT_FALSE(fires_at(s, m)) << text << " fires earlier, at minute " << m;
        }
    }
}

TEST(CronSchedule, FuzzedTextNeverCrashes) {
    std::mt19937 rng(5);
    const std::string alphabet = "0123456789*/-, @abcJANMONFRIdaily";
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        const std::size_t length = rng() % 24;
        for (std::size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
        try {
            const CronSchedule s = parse_cron(text);
            (void)next_cron_minute(s, local_minute(2026, 1, 1, 0, 0));
        } catch (const core::DomainError&) {
        }
    }
}
