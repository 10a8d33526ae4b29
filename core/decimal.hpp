// Exact fixed-point decimal: an integer count of 10^-scale units.
//
// Money never goes through binary floating point. Values cross the Postgres
// boundary as numeric's canonical text, so a Decimal is exactly the numeric
// the database holds. 38 significant digits (a signed 128-bit integer) cover
// every money column of the schema with room for the intermediate product of
// price x rate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pgcpp::core {

class Decimal {
public:
    using Units = __int128;
    static constexpr int kMaxDigits = 38;
    static constexpr int kMaxScale = 30;

    constexpr Decimal() = default;

    // Parses numeric's text form: [+-]digits[.digits]. Rejects NaN, infinities,
    // exponents, blanks and more than kMaxDigits significant digits.
    static Decimal parse(std::string_view text);
    static Decimal from_units(Units units, int scale);
    static Decimal from_int(std::int64_t value) { return from_units(value, 0); }

    Units units() const noexcept { return units_; }
    int scale() const noexcept { return scale_; }
    bool is_negative() const noexcept { return units_ < 0; }
    bool is_zero() const noexcept { return units_ == 0; }

    // Digits after the point once trailing zeros are dropped (19.50 -> 1).
    int significant_scale() const noexcept;

    // The same value with `scale` digits after the point. Rounds half away
    // from zero when digits are dropped (PostgreSQL's round(numeric, n) rule).
    Decimal rescale(int scale) const;

    friend Decimal operator+(const Decimal& a, const Decimal& b);
    friend Decimal operator-(const Decimal& a, const Decimal& b);
    friend Decimal operator*(const Decimal& a, const Decimal& b);
    Decimal operator-() const;

    // Exact comparison across scales.
    friend int compare(const Decimal& a, const Decimal& b);
    friend bool operator==(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }
    friend bool operator!=(const Decimal& a, const Decimal& b) { return compare(a, b) != 0; }
    friend bool operator<(const Decimal& a, const Decimal& b) { return compare(a, b) < 0; }
    friend bool operator>(const Decimal& a, const Decimal& b) { return compare(a, b) > 0; }
    friend bool operator<=(const Decimal& a, const Decimal& b) { return compare(a, b) <= 0; }
    friend bool operator>=(const Decimal& a, const Decimal& b) { return compare(a, b) >= 0; }

    // Canonical text with exactly scale() digits after the point, as numeric_out
    // prints it; numeric_in reads it back exactly.
    std::string to_string() const;

private:
    constexpr Decimal(Units units, int scale) : units_(units), scale_(scale) {}

    Units units_ = 0;
    int scale_ = 0;
};

}  // namespace pgcpp::core
