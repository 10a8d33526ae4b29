#include "esimgo/domain/money.hpp"

namespace esimgo::domain {

namespace core = pgcpp::core;

std::string format_cents(Cents cents) {
    bool negative = cents < 0;
    unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(cents)
                                            : static_cast<unsigned long long>(cents);
    std::string out = negative ? "-" : "";
    out += std::to_string(magnitude / 100);
    out.push_back('.');
    unsigned frac = unsigned(magnitude % 100);
    out.push_back(char('0' + frac / 10));
    out.push_back(char('0' + frac % 10));
    return out;
}

namespace {
bool to_scaled(const core::Decimal& value, int scale, std::int64_t limit, std::int64_t& out) {
    int have = value.scale();
    __int128 units = value.units();
    if (have > scale) {
        __int128 step = 1;
        for (int i = scale; i < have; ++i) step *= 10;
        if (units % step != 0) return false;
        units /= step;
    } else {
        for (int i = have; i < scale; ++i) {
            units *= 10;
            if (units > limit || units < -limit) return false;
        }
    }
    if (units > limit || units < -limit) return false;
    out = static_cast<std::int64_t>(units);
    return true;
}
}  // namespace

bool to_cents(const core::Decimal& value, Cents& out) { return to_scaled(value, 2, kMaxCents, out); }

bool to_percent_e4(const core::Decimal& value, PercentE4& out) {
    return to_scaled(value, 4, 1'000'000'000'000'000LL, out);
}

}  // namespace esimgo::domain
