// Call arithmetic: duration, billable seconds, cost from the provider's
// breakdown, and each call's contribution to the per store / day / hour
// analytics and the per store / month usage figures.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callai/domain/stock.hpp"  // Uuid
#include "core/decimal.hpp"

namespace callai::domain {

using Decimal = pgcpp::core::Decimal;

constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr int kCostScale = 4;  // calls.cost_usd numeric(10,4)

// The call_status enum.
enum class CallStatus { Initiated, Ringing, Answered, Completed, Failed, Busy, NoAnswer, Cancelled };
CallStatus parse_call_status(std::string_view label);

// Whole seconds from start to end (timestamps in microseconds), truncated;
// 23514 when the end lies before the start.
std::int64_t call_duration_seconds(std::int64_t start, std::int64_t end);

// Calls are billed per started minute of connected time: a call that was
// answered (answered or completed) and lasted d > 0 seconds bills
// ceil(d / 60) x 60 seconds; every other call bills 0.
std::int64_t billable_seconds(CallStatus status, std::optional<std::int64_t> duration);

// The money parts of a provider's cost breakdown (Vapi's CostBreakdown:
// transport, stt, llm, tts, vapi, chat, analysis) and its token counts.
struct CostBreakdown {
    std::vector<std::pair<std::string, Decimal>> parts;  // key, amount in USD
    std::optional<Decimal> total;                         // "total", when given
    std::optional<std::int64_t> prompt_tokens;            // llmPromptTokens
    std::optional<std::int64_t> completion_tokens;        // llmCompletionTokens
    std::optional<std::int64_t> tts_characters;           // ttsCharacters
};

// Is `key` one of the money parts summed into the cost?
bool is_cost_part(std::string_view key);

// The sum of the parts, rounded to 4 dp half away from zero. Refuses
// (22023) a negative part and a stated total that differs from the sum
// (both compared at 4 dp).
Decimal cost_from_breakdown(const CostBreakdown& breakdown);

}  // namespace callai::domain
