#include <gtest/gtest.h>

#include "callai/domain/analytics.hpp"
#include "callai/domain/calls.hpp"
#include "core/errors.hpp"

using namespace callai::domain;
using pgcpp::core::DomainError;

namespace {
Decimal D(const char* text) { return Decimal::parse(text); }
constexpr std::int64_t S = kMicrosPerSecond;
constexpr std::int64_t H = 3600 * S;
constexpr std::int64_t Day = 24 * H;
Uuid store(unsigned char n) {
    Uuid u{};
    u[0] = n;
    return u;
}
CallFacts call(unsigned char s, std::int64_t start, CallStatus status) {
    CallFacts c;
    c.store = store(s);
    c.start_time = start;
    c.inbound = true;
    c.status = status;
    c.dropped = false;
    c.escalated = false;
    return c;
}
}  // namespace

TEST(Calls, Duration) {
    EXPECT_EQ(call_duration_seconds(0, 0), 0);
    EXPECT_EQ(call_duration_seconds(10 * S, 75 * S + 999999), 65);
    EXPECT_THROW(call_duration_seconds(10, 9), DomainError);
}

TEST(Calls, BillablePerStartedMinute) {
    EXPECT_EQ(billable_seconds(CallStatus::Completed, 1), 60);
    EXPECT_EQ(billable_seconds(CallStatus::Completed, 60), 60);
    EXPECT_EQ(billable_seconds(CallStatus::Completed, 61), 120);
    EXPECT_EQ(billable_seconds(CallStatus::Answered, 119), 120);
    EXPECT_EQ(billable_seconds(CallStatus::Completed, 0), 0);
    EXPECT_EQ(billable_seconds(CallStatus::Completed, std::nullopt), 0);
    EXPECT_EQ(billable_seconds(CallStatus::NoAnswer, 30), 0);
    EXPECT_EQ(billable_seconds(CallStatus::Failed, 300), 0);
}

TEST(Calls, CostFromBreakdown) {
    CostBreakdown b;
    b.parts = {{"transport", D("0.01")}, {"stt", D("0.0125")}, {"llm", D("0.00005")}};
    EXPECT_EQ(cost_from_breakdown(b).to_string(), "0.0226");  // 0.02255 -> half up
    b.total = D("0.0226");
    EXPECT_EQ(cost_from_breakdown(b).to_string(), "0.0226");
    b.total = D("0.03");
    EXPECT_THROW(cost_from_breakdown(b), DomainError);
    b.total.reset();
    b.parts.push_back({"tts", D("-0.01")});
    EXPECT_THROW(cost_from_breakdown(b), DomainError);
    EXPECT_EQ(cost_from_breakdown(CostBreakdown{}).to_string(), "0.0000");
    EXPECT_TRUE(is_cost_part("vapi"));
    EXPECT_FALSE(is_cost_part("total"));
    EXPECT_FALSE(is_cost_part("llmPromptTokens"));
}

TEST(Analytics, Buckets) {
    const auto k = bucket_of(store(1), 3 * Day + 5 * H + 59 * 60 * S);
    EXPECT_EQ(k.day, 3);
    EXPECT_EQ(k.hour, 5);
    const auto before_2000 = bucket_of(store(1), -1);  // 1999-12-31 23:59:59.999999
    EXPECT_EQ(before_2000.day, -1);
    EXPECT_EQ(before_2000.hour, 23);
}

TEST(Analytics, MonthStart) {
    EXPECT_EQ(month_start(0), 0);     // 2000-01-01
    EXPECT_EQ(month_start(30), 0);    // 2000-01-31
    EXPECT_EQ(month_start(31), 31);   // 2000-02-01
    EXPECT_EQ(month_start(59), 31);   // 2000-02-29 (leap year)
    EXPECT_EQ(month_start(60), 60);   // 2000-03-01
    EXPECT_EQ(month_start(-1), -31);  // 1999-12-31 -> 1999-12-01
}

TEST(Analytics, CountsAndNetting) {
    CallAnalyticsDeltas d;
    CallFacts a = call(1, 10 * H, CallStatus::Completed);
    a.duration = 70;
    a.billable = 120;
    a.quality = D("0.80");
    a.satisfaction = 4;
    a.intent = "order_status";
    a.cost = D("0.1000");
    CallFacts b = call(1, 10 * H + 5, CallStatus::NoAnswer);
    b.inbound = false;
    b.intent = "order_status";
    CallFacts c = call(1, 11 * H, CallStatus::Completed);
    c.escalated = true;
    d.added(a);
    d.added(b);
    d.added(c);
    auto out = d.buckets();
    ASSERT_EQ(out.size(), 2u);
    const BucketDelta& ten = out[0].second;
    EXPECT_EQ(out[0].first.hour, 10);
    EXPECT_EQ(ten.total, 2);
    EXPECT_EQ(ten.inbound, 1);
    EXPECT_EQ(ten.outbound, 1);
    EXPECT_EQ(ten.answered, 1);
    EXPECT_EQ(ten.missed, 1);
    EXPECT_EQ(ten.duration_sum, 70);
    EXPECT_EQ(ten.duration_samples, 1);
    EXPECT_EQ(ten.quality_sum, D("0.80"));
    EXPECT_EQ(ten.satisfaction_sum, 4);
    EXPECT_EQ(ten.ai_resolved, 1);
    EXPECT_EQ(ten.intents.at("order_status"), 2);
    EXPECT_EQ(out[1].second.escalated, 1);
    EXPECT_EQ(out[1].second.ai_resolved, 0);
    const auto usage = d.usage();
    ASSERT_EQ(usage.size(), 1u);
    EXPECT_EQ(usage[0].second.calls, 3);
    EXPECT_EQ(usage[0].second.billable_seconds, 120);
    EXPECT_EQ(usage[0].second.cost, D("0.1"));

    // An update that changes nothing nets to nothing; one that moves the
    // intent moves one count.
    CallAnalyticsDeltas e;
    e.removed(a);
    e.added(a);
    EXPECT_TRUE(e.buckets().empty());
    EXPECT_TRUE(e.usage().empty());
    CallFacts a2 = a;
    a2.intent = "returns";
    e.removed(a);
    e.added(a2);
    out = e.buckets();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].second.total, 0);
    EXPECT_EQ(out[0].second.intents.size(), 2u);
    EXPECT_EQ(out[0].second.intents.at("order_status"), -1);
    EXPECT_EQ(out[0].second.intents.at("returns"), 1);
}

#include "callai/domain/phone.hpp"

TEST(Phone, NormalizeE164) {
    EXPECT_EQ(normalize_e164("+14155550100"), "+14155550100");
    EXPECT_EQ(normalize_e164("+1 (415) 555-0100"), "+14155550100");
    EXPECT_EQ(normalize_e164("0044 20 7946 0958"), "+442079460958");
    EXPECT_EQ(normalize_e164("+44.20.7946.0958"), "+442079460958");
    EXPECT_EQ(normalize_e164("4155550100"), std::nullopt);
    EXPECT_EQ(normalize_e164("+0123"), std::nullopt);
    EXPECT_EQ(normalize_e164("+1"), std::nullopt);
    EXPECT_EQ(normalize_e164("+1234567890123456"), std::nullopt);
    EXPECT_EQ(normalize_e164("+1415555010x"), std::nullopt);
    EXPECT_EQ(normalize_e164("++14155550100"), std::nullopt);
    EXPECT_EQ(normalize_e164(""), std::nullopt);
}
