// Cost of an AI run from its tokens and the model's prices.
//
// Prices are USD per 1,000 tokens (ai_model_prices.input_per_1k and
// output_per_1k, numeric with up to 6 decimals). The cost is exact until the
// single rounding step: half away from zero to 6 decimals, the scale of
// ai_runs.cost_usd.
#pragma once

#include <cstdint>

#include "core/decimal.hpp"

namespace tripos::domain {

inline constexpr int kCostScale = 6;

struct TokenCounts {
    std::int64_t prompt = 0;
    std::int64_t completion = 0;
    std::int64_t total() const { return prompt + completion; }
};

// Refuses negative token counts or prices (22023).
pgcpp::core::Decimal run_cost(TokenCounts tokens, const pgcpp::core::Decimal& input_per_1k,
                              const pgcpp::core::Decimal& output_per_1k);

}  // namespace tripos::domain
