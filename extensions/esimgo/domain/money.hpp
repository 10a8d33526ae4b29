// Money in the pricing engine: whole cents in a 64-bit integer.
//
// The one rounding rule: a step whose exact result has fractions of a cent
// (a percentage, the unused-days share, a processing fee, a per-day or rate
// figure) is computed exactly and rounded once, half away from zero, to the
// cent (rates: to 0.01 %). Every other step is exact. Amounts in rules must
// be whole cents and percentages at most 4 decimal places, so nothing is
// rounded silently when a rule is written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/decimal.hpp"

namespace esimgo::domain {

using Cents = std::int64_t;
// A percentage in units of 0.0001 % (1.4 % = 14000).
using PercentE4 = std::int64_t;

// The largest amount a price may reach: numeric(10,2)'s limit, 99,999,999.99.
constexpr Cents kMaxCents = 9'999'999'999;

// n / d rounded half away from zero; d != 0.
inline __int128 div_round(__int128 n, __int128 d) {
    if (d < 0) { n = -n; d = -d; }
    __int128 q = n / d, r = n % d;
    if (r < 0) r = -r;
    if (2 * r >= d) q += (n < 0 ? -1 : 1);
    return q;
}

// "-12.30" style text of an amount in cents.
std::string format_cents(Cents cents);
// Hundredths (of a percent, of a cent) as "12.34".
inline std::string format_hundredths(std::int64_t v) { return format_cents(v); }

// The exact number of cents of `value`, or false when it has more than two
// decimal places or exceeds kMaxCents in magnitude.
bool to_cents(const pgcpp::core::Decimal& value, Cents& out);
// The exact percentage in 0.0001 % units, or false past 4 decimals / 1e12.
bool to_percent_e4(const pgcpp::core::Decimal& value, PercentE4& out);

inline pgcpp::core::Decimal cents_decimal(Cents cents) { return pgcpp::core::Decimal::from_units(cents, 2); }

}  // namespace esimgo::domain
