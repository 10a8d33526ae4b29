#include "core/decimal.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace pgcpp::core {
namespace {

using Units = Decimal::Units;

// 10^38 - 1: the largest magnitude a Decimal holds.
constexpr Units max_magnitude() {
    Units v = 0;
    for (int i = 0; i < Decimal::kMaxDigits; ++i) v = v * 10 + 9;
    return v;
}
constexpr Units kMaxMagnitude = max_magnitude();

[[noreturn]] void overflow(const char* what) {
    throw DomainError(ErrorKind::OutOfRange, std::string("numeric value out of range in ") + what,
                      "Money values are limited to 38 significant digits.");
}

Units checked(Units v, const char* what) {
    if (v > kMaxMagnitude || v < -kMaxMagnitude) overflow(what);
    return v;
}

Units pow10(int n) {
    Units p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
}

// a * 10^n, or an overflow error.
Units scale_up(Units a, int n, const char* what) {
    for (int i = 0; i < n; ++i) {
        Units r;
        if (__builtin_mul_overflow(a, Units(10), &r)) overflow(what);
        a = checked(r, what);
    }
    return a;
}

}  // namespace

Decimal Decimal::from_units(Units units, int scale) {
    if (scale < 0 || scale > kMaxScale) {
        throw DomainError(ErrorKind::OutOfRange, "decimal scale out of range");
    }
    return Decimal(checked(units, "decimal construction"), scale);
}

Decimal Decimal::parse(std::string_view text) {
    auto invalid = [&]() -> DomainError {
        return DomainError(ErrorKind::InvalidText,
                           "invalid decimal value: \"" + std::string(text.substr(0, 64)) + "\"",
                           "Expected digits with an optional sign and decimal point.");
    };
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        negative = text[i] == '-';
        ++i;
    }
    Units units = 0;
    int digits = 0;
    int scale = 0;
    bool seen_point = false;
    bool seen_digit = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !seen_point) {
            seen_point = true;
            continue;
        }
        if (c < '0' || c > '9') throw invalid();
        seen_digit = true;
        if (units != 0 || c != '0') ++digits;
        if (digits > kMaxDigits) {
            throw DomainError(ErrorKind::OutOfRange,
                              "numeric value out of range: more than 38 significant digits");
        }
        units = units * 10 + (c - '0');
        if (seen_point) {
            if (++scale > kMaxScale) {
                throw DomainError(ErrorKind::OutOfRange,
                                  "numeric value out of range: more than 30 decimal places");
            }
        }
    }
    if (!seen_digit) throw invalid();
    return Decimal(negative ? -units : units, scale);
}

int Decimal::significant_scale() const noexcept {
    int s = scale_;
    Units u = units_;
    while (s > 0 && u % 10 == 0) {
        u /= 10;
        --s;
    }
    return s;
}

Decimal Decimal::rescale(int scale) const {
    if (scale < 0 || scale > kMaxScale) {
        throw DomainError(ErrorKind::OutOfRange, "decimal scale out of range");
    }
    if (scale >= scale_) return Decimal(scale_up(units_, scale - scale_, "rescale"), scale);
    const Units divisor = pow10(scale_ - scale);
    Units quotient = units_ / divisor;
    const Units remainder = units_ % divisor;
    // Half away from zero: |remainder| * 2 >= divisor rounds the magnitude up.
    const Units twice = (remainder < 0 ? -remainder : remainder) * 2;
    if (twice >= divisor) quotient += units_ < 0 ? -1 : 1;
    return Decimal(quotient, scale);
}

Decimal operator+(const Decimal& a, const Decimal& b) {
    const int s = std::max(a.scale_, b.scale_);
    const Units x = scale_up(a.units_, s - a.scale_, "addition");
    const Units y = scale_up(b.units_, s - b.scale_, "addition");
    Units sum;
    if (__builtin_add_overflow(x, y, &sum)) overflow("addition");  // no reliance on -fwrapv
    return Decimal(checked(sum, "addition"), s);
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }

Decimal Decimal::operator-() const { return Decimal(-units_, scale_); }

Decimal operator*(const Decimal& a, const Decimal& b) {
    const int s = a.scale_ + b.scale_;
    if (s > Decimal::kMaxScale) overflow("multiplication");
    Units r;
    if (__builtin_mul_overflow(a.units_, b.units_, &r)) overflow("multiplication");
    return Decimal(checked(r, "multiplication"), s);
}

int compare(const Decimal& a, const Decimal& b) {
    const int s = std::max(a.scale_, b.scale_);
    const Units x = scale_up(a.units_, s - a.scale_, "comparison");
    const Units y = scale_up(b.units_, s - b.scale_, "comparison");
    return x < y ? -1 : (x > y ? 1 : 0);
}

std::string Decimal::to_string() const {
    Units magnitude = units_ < 0 ? -units_ : units_;
    std::string digits;
    do {
        digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude != 0);
    while (static_cast<int>(digits.size()) <= scale_) digits.push_back('0');
    std::string out;
    if (units_ < 0) out.push_back('-');
    for (int i = static_cast<int>(digits.size()) - 1; i >= 0; --i) {
        out.push_back(digits[i]);
        if (i == scale_ && scale_ > 0) out.push_back('.');
    }
    return out;
}

}  // namespace pgcpp::core
