#include "callai/domain/calls.hpp"

#include <array>

#include "core/errors.hpp"

namespace callai::domain {

using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

namespace {
constexpr std::array<const char*, 8> kCallStatusLabels = {
    "initiated", "ringing", "answered", "completed", "failed", "busy", "no_answer", "cancelled"};
constexpr std::array<std::string_view, 7> kCostParts = {
    "transport", "stt", "llm", "tts", "vapi", "chat", "analysis"};
}  // namespace

CallStatus parse_call_status(std::string_view label) {
    for (std::size_t i = 0; i < kCallStatusLabels.size(); ++i) {
        if (label == kCallStatusLabels[i]) return static_cast<CallStatus>(i);
    }
    throw DomainError(ErrorKind::InvalidText,
                      "invalid call_status \"" + std::string(label) + "\"");
}

std::int64_t call_duration_seconds(std::int64_t start, std::int64_t end) {
    if (end < start) {
        throw DomainError(ErrorKind::CheckViolation, "a call's end_time lies before its start_time");
    }
    return (end - start) / kMicrosPerSecond;
}

std::int64_t billable_seconds(CallStatus status, std::optional<std::int64_t> duration) {
    const bool connected = status == CallStatus::Answered || status == CallStatus::Completed;
    if (!connected || !duration || *duration <= 0) return 0;
    return (*duration + 59) / 60 * 60;
}

bool is_cost_part(std::string_view key) {
    for (std::string_view part : kCostParts) {
        if (key == part) return true;
    }
    return false;
}

Decimal cost_from_breakdown(const CostBreakdown& breakdown) {
    Decimal sum = Decimal::from_int(0);
    for (const auto& [key, amount] : breakdown.parts) {
        if (amount.is_negative()) {
            throw DomainError(ErrorKind::InvalidParameter,
                              "cost_breakdown." + key + " must not be negative, got " +
                                  amount.to_string());
        }
        sum = sum + amount;
    }
    // Providers state totals to 4 dp while parts may carry more digits.
    if (breakdown.total && breakdown.total->rescale(kCostScale) != sum.rescale(kCostScale)) {
        throw DomainError(ErrorKind::InvalidParameter,
                          "cost_breakdown.total " + breakdown.total->to_string() +
                              " differs from the sum of its parts " + sum.to_string());
    }
    return sum.rescale(kCostScale);
}

}  // namespace callai::domain
