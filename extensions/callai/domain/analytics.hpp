// Each call's contribution to call_analytics (per store, UTC day and hour of
// its start) and store_usage_periods (per store and UTC month), so triggers
// apply exact deltas: +contribution for a new row, -contribution for an old.
//
// Averages and rates are not stored as running values: the table keeps sums
// and sample counts, and generated columns divide them, so a figure can never
// drift from the calls it summarises.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "callai/domain/calls.hpp"

namespace callai::domain {

struct CallFacts {
    Uuid store;
    std::int64_t start_time;  // microseconds since 2000-01-01 UTC
    bool inbound;
    CallStatus status;
    bool dropped;
    bool escalated;
    std::optional<std::int64_t> duration;
    std::optional<Decimal> quality;            // quality_score 0..1
    std::optional<std::int64_t> satisfaction;  // 1..5
    std::optional<std::string> intent;
    std::int64_t billable = 0;
    Decimal cost;
    std::int64_t tokens = 0;
};

// answered: answered or completed; missed: busy, no_answer, cancelled or
// failed; still in progress (initiated, ringing): neither.
bool call_answered(CallStatus status);
bool call_missed(CallStatus status);
// Resolved by the AI: completed, not dropped, not handed to a human.
bool call_resolved_by_ai(const CallFacts& call);

struct BucketKey {
    Uuid store;
    std::int32_t day;  // days since 2000-01-01 (PostgreSQL's date units)
    std::int32_t hour;
    friend bool operator<(const BucketKey& a, const BucketKey& b) {
        return std::tie(a.store, a.day, a.hour) < std::tie(b.store, b.day, b.hour);
    }
};
BucketKey bucket_of(const Uuid& store, std::int64_t start_time);

struct BucketDelta {
    std::int64_t total = 0, inbound = 0, outbound = 0, answered = 0, missed = 0, dropped = 0;
    std::int64_t duration_sum = 0, duration_samples = 0;
    Decimal quality_sum;
    std::int64_t quality_samples = 0;
    std::int64_t satisfaction_sum = 0, satisfaction_samples = 0;
    std::int64_t ai_resolved = 0, escalated = 0;
    std::map<std::string, std::int64_t> intents;  // net change per intent
    bool is_zero() const;
};

struct UsageKey {
    Uuid store;
    std::int32_t month_start;  // the 1st of the month, days since 2000-01-01
    friend bool operator<(const UsageKey& a, const UsageKey& b) {
        return std::tie(a.store, a.month_start) < std::tie(b.store, b.month_start);
    }
};

struct UsageDelta {
    std::int64_t calls = 0, billable_seconds = 0, tokens = 0;
    Decimal cost;
    bool is_zero() const { return calls == 0 && billable_seconds == 0 && tokens == 0 && cost.is_zero(); }
};

// The first day of the month holding `day` (both days since 2000-01-01).
std::int32_t month_start(std::int32_t day);

class CallAnalyticsDeltas {
public:
    void added(const CallFacts& call) { add(call, +1); }
    void removed(const CallFacts& call) { add(call, -1); }

    // Non-zero deltas in ascending key order (the order rows are locked in).
    std::vector<std::pair<BucketKey, BucketDelta>> buckets() const;
    std::vector<std::pair<UsageKey, UsageDelta>> usage() const;

private:
    void add(const CallFacts& call, int sign);
    std::map<BucketKey, BucketDelta> buckets_;
    std::map<UsageKey, UsageDelta> usage_;
};

}  // namespace callai::domain
