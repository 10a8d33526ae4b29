#include "tripos/domain/ai_cost.hpp"

#include "core/errors.hpp"

namespace core = pgcpp::core;

namespace tripos::domain {

core::Decimal run_cost(TokenCounts tokens, const core::Decimal& input_per_1k,
                       const core::Decimal& output_per_1k) {
    if (tokens.prompt < 0 || tokens.completion < 0) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "token counts cannot be negative");
    }
    if (input_per_1k.is_negative() || output_per_1k.is_negative()) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "model prices cannot be negative");
    }
    // Σ tokens x price, exact at the prices' common scale, then / 1000.
    const int scale = input_per_1k.scale() > output_per_1k.scale() ? input_per_1k.scale() : output_per_1k.scale();
    const core::Decimal in = input_per_1k.rescale(scale);
    const core::Decimal out = output_per_1k.rescale(scale);
    const __int128 scaled = static_cast<__int128>(tokens.prompt) * in.units() +
                            static_cast<__int128>(tokens.completion) * out.units();
    // scaled is in units of 10^-scale USD per 1000 tokens: cost in 10^-6 USD
    // is scaled * 10^6 / (1000 * 10^scale), rounded half up (never negative).
    __int128 numerator = scaled;
    __int128 denominator = 1000;
    for (int s = scale; s > kCostScale; --s) denominator *= 10;
    for (int s = scale; s < kCostScale; ++s) numerator *= 10;
    const __int128 micros = (numerator + denominator / 2) / denominator;
    return core::Decimal::from_units(micros, kCostScale);
}

}  // namespace tripos::domain
