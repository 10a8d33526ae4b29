#include "callai/domain/analytics.hpp"

namespace callai::domain {

namespace {
constexpr std::int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr std::int64_t kMicrosPerDay = 24 * kMicrosPerHour;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

// Days since 1970-01-01 -> civil date, and back (Howard Hinnant's algorithms).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) ++y;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    if (m <= 2) --y;
    const std::int64_t era = floor_div(y, 400);
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr std::int64_t kUnixToPgDays = 10957;  // 1970-01-01 .. 2000-01-01
}  // namespace

bool call_answered(CallStatus s) { return s == CallStatus::Answered || s == CallStatus::Completed; }

bool call_missed(CallStatus s) {
    return s == CallStatus::Busy || s == CallStatus::NoAnswer || s == CallStatus::Cancelled ||
           s == CallStatus::Failed;
}

bool call_resolved_by_ai(const CallFacts& call) {
    return call.status == CallStatus::Completed && !call.dropped && !call.escalated;
}

BucketKey bucket_of(const Uuid& store, std::int64_t start_time) {
    const std::int64_t day = floor_div(start_time, kMicrosPerDay);
    const std::int64_t hour = floor_div(start_time - day * kMicrosPerDay, kMicrosPerHour);
    return {store, static_cast<std::int32_t>(day), static_cast<std::int32_t>(hour)};
}

std::int32_t month_start(std::int32_t day) {
    std::int64_t y;
    unsigned m, d;
    civil_from_days(day + kUnixToPgDays, y, m, d);
    return static_cast<std::int32_t>(days_from_civil(y, m, 1) - kUnixToPgDays);
}

bool BucketDelta::is_zero() const {
    if (total || inbound || outbound || answered || missed || dropped || duration_sum ||
        duration_samples || !quality_sum.is_zero() || quality_samples || satisfaction_sum ||
        satisfaction_samples || ai_resolved || escalated) {
        return false;
    }
    for (const auto& [intent, n] : intents) {
        if (n != 0) return false;
    }
    return true;
}

void CallAnalyticsDeltas::add(const CallFacts& call, int sign) {
    const BucketKey key = bucket_of(call.store, call.start_time);
    BucketDelta& b = buckets_[key];
    b.total += sign;
    (call.inbound ? b.inbound : b.outbound) += sign;
    if (call_answered(call.status)) b.answered += sign;
    if (call_missed(call.status)) b.missed += sign;
    if (call.dropped) b.dropped += sign;
    if (call.duration) {
        b.duration_sum += sign * *call.duration;
        b.duration_samples += sign;
    }
    if (call.quality) {
        b.quality_sum = sign > 0 ? b.quality_sum + *call.quality : b.quality_sum - *call.quality;
        b.quality_samples += sign;
    }
    if (call.satisfaction) {
        b.satisfaction_sum += sign * *call.satisfaction;
        b.satisfaction_samples += sign;
    }
    if (call_resolved_by_ai(call)) b.ai_resolved += sign;
    if (call.escalated) b.escalated += sign;
    if (call.intent && !call.intent->empty()) b.intents[*call.intent] += sign;

    UsageDelta& u = usage_[UsageKey{call.store, month_start(key.day)}];
    u.calls += sign;
    u.billable_seconds += sign * call.billable;
    u.tokens += sign * call.tokens;
    u.cost = sign > 0 ? u.cost + call.cost : u.cost - call.cost;
}

std::vector<std::pair<BucketKey, BucketDelta>> CallAnalyticsDeltas::buckets() const {
    std::vector<std::pair<BucketKey, BucketDelta>> out;
    for (const auto& [key, delta] : buckets_) {
        if (delta.is_zero()) continue;
        BucketDelta kept = delta;
        for (auto it = kept.intents.begin(); it != kept.intents.end();) {
            it = it->second == 0 ? kept.intents.erase(it) : std::next(it);
        }
        out.emplace_back(key, std::move(kept));
    }
    return out;
}

std::vector<std::pair<UsageKey, UsageDelta>> CallAnalyticsDeltas::usage() const {
    std::vector<std::pair<UsageKey, UsageDelta>> out;
    for (const auto& [key, delta] : usage_) {
        if (!delta.is_zero()) out.emplace_back(key, delta);
    }
    return out;
}

}  // namespace callai::domain
