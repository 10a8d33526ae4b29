// Fuzzing of the pure C++ entry points with a fixed seed: random and
// adversarial inputs (random bytes, huge digit strings, boundary values,
// signs, dots). Nothing may crash; every failure must be a DomainError of a
// kind the entry point documents; every result must satisfy the rule's
// invariants, checked against independent integer arithmetic where the
// values are small enough. Each test prints how many inputs it tried.
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "onesim/domain/commission.hpp"
#include "core/decimal.hpp"
#include "onesim/domain/earnings.hpp"
#include "core/errors.hpp"
#include "onesim/domain/pricing.hpp"

using namespace onesim::domain;
using namespace pgcpp::core;

namespace {

constexpr std::uint64_t kSeed = 20261123;
constexpr int kIterations = 200000;
using i128 = __int128;

std::string show(std::string_view s) {
    std::string out;
    for (unsigned char c : s.substr(0, 80)) {
        if (c >= 0x20 && c < 0x7f) out.push_back(static_cast<char>(c));
        else out += "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15];
    }
    return out;
}

class Gen {
public:
    explicit Gen(std::uint64_t seed) : rng_(seed) {}
    std::uint64_t u(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_); }
    bool coin(int one_in) { return u(static_cast<std::uint64_t>(one_in)) == 0; }
    std::string digits(std::size_t n) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + u(10)));
        return s;
    }
    std::string bytes(std::size_t n) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(u(256)));
        return s;
    }
    // Text that looks more or less like a numeric: the interesting cases.
    std::string numeric_text() {
        static const std::vector<std::string> fixed = {
            "", "-", "+", ".", "-.", "+.", "..", "0", "-0", "+0", "0.", ".0", "00000", "1e5", "1E-3",
            "NaN", "nan", "Infinity", "-Infinity", "inf", " 1", "1 ", "1,5", "0x10", "--1", "+-1",
            "1..2", "1.2.3", "\xef\xbc\x91", std::string("1\0" "2", 3),
            "99999999999999999999999999999999999999",   // 38 nines: the largest
            "-99999999999999999999999999999999999999",
            "100000000000000000000000000000000000000",  // 39 digits
            "170141183460469231731687303715884105727",  // int128 max
            "170141183460469231731687303715884105728",
            "0.000000000000000000000000000001",         // 30 decimals
            "0.0000000000000000000000000000001",        // 31 decimals
            "9999999.9999999999999999999999999999999",  // 38 digits with a point
        };
        switch (u(8)) {
            case 0: return fixed[u(fixed.size())];
            case 1: return bytes(u(40));
            case 2: {  // huge digit strings, maybe with leading zeros and a point
                std::string s = std::string(u(50), '0') + digits(1 + u(120));
                if (coin(2)) s.insert(u(s.size() + 1), ".");
                return (coin(3) ? "-" : "") + s;
            }
            default: {  // well-formed-ish, with the odd defect
                std::string s;
                if (coin(3)) s.push_back(coin(2) ? '-' : '+');
                s += digits(u(25));
                if (coin(2)) s += "." + digits(u(20));
                if (coin(10) && !s.empty()) s[u(s.size())] = "e.+- x"[u(6)];
                return s;
            }
        }
    }
    Decimal small_decimal(int max_scale, int max_int_digits) {
        const int scale = static_cast<int>(u(static_cast<std::uint64_t>(max_scale) + 1));
        std::string s = digits(1 + u(static_cast<std::uint64_t>(max_int_digits)));
        if (scale > 0) s += "." + digits(static_cast<std::size_t>(scale));
        return Decimal::parse(s);
    }
    std::mt19937_64& rng() { return rng_; }

private:
    std::mt19937_64 rng_;
};

// The kinds each entry point may raise; anything else is a bug.
void expect_kind(const DomainError& e, std::initializer_list<ErrorKind> allowed, const std::string& input) {
    for (ErrorKind k : allowed) {
        if (e.kind() == k) return;
    }
    ADD_FAILURE() << "unexpected error kind " << static_cast<int>(e.kind()) << " (" << e.what()
                  << ") for " << show(input);
}

void report(const char* what, long tried, long failed) {
    std::cout << "[ fuzz     ] " << what << ": " << tried << " inputs tried, " << failed
              << " refused with an expected DomainError" << std::endl;
}

// Reference: non-negative integer a * b / 10^k rounded half up.
i128 div_round(i128 num, i128 den) { return (num * 2 + den) / (den * 2); }
i128 p10(int n) {
    i128 p = 1;
    while (n-- > 0) p *= 10;
    return p;
}

}  // namespace

TEST(Fuzz, DecimalParse) {
    Gen g(kSeed);
    long tried = 0, refused = 0;
    for (int i = 0; i < kIterations; ++i, ++tried) {
        const std::string text = g.numeric_text();
        try {
            const Decimal d = Decimal::parse(text);
            // The canonical text reads back to the same value and scale.
            const std::string canon = d.to_string();
            const Decimal back = Decimal::parse(canon);
            ASSERT_EQ(back.units(), d.units()) << show(text);
            ASSERT_EQ(back.scale(), d.scale()) << show(text);
            ASSERT_EQ(back.to_string(), canon) << show(text);
            ASSERT_LE(d.scale(), Decimal::kMaxScale) << show(text);
            // Only [+-]digits[.digits] with at least one digit is accepted.
            std::size_t k = (text[0] == '+' || text[0] == '-') ? 1 : 0;
            int points = 0, digits = 0;
            for (; k < text.size(); ++k) {
                if (text[k] == '.') ++points;
                else if (text[k] >= '0' && text[k] <= '9') ++digits;
                else ADD_FAILURE() << "accepted a non-digit in " << show(text);
            }
            ASSERT_LE(points, 1) << show(text);
            ASSERT_GE(digits, 1) << show(text);
            // Negation and rescaling round trip.
            ASSERT_EQ(-(-d), d) << show(text);
            ASSERT_EQ(d - d, Decimal()) << show(text);
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::InvalidText, ErrorKind::OutOfRange}, text);
        }
    }
    report("Decimal::parse", tried, refused);
}

TEST(Fuzz, DecimalArithmeticStaysInRange) {
    Gen g(kSeed + 1);
    long tried = 0, refused = 0;
    for (int i = 0; i < kIterations; ++i, ++tried) {
        const std::string ta = g.numeric_text(), tb = g.numeric_text();
        Decimal a, b;
        try {
            a = Decimal::parse(ta);
            b = Decimal::parse(tb);
        } catch (const DomainError&) {
            continue;
        }
        const std::string input = ta + " , " + tb;
        try {
            const Decimal s = a + b;
            ASSERT_EQ(s - b, a) << input;
            ASSERT_EQ(Decimal::parse(s.to_string()), s) << input;
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::OutOfRange}, input);
        }
        try {
            const Decimal p = a * b;
            ASSERT_EQ(Decimal::parse(p.to_string()), p) << input;
            if (!a.is_zero() && !b.is_zero()) {
                ASSERT_EQ(p.is_negative(), a.is_negative() != b.is_negative()) << input;
            }
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::OutOfRange}, input);
        }
        try {
            const int c = compare(a, b);
            ASSERT_EQ(compare(b, a), -c) << input;
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::OutOfRange}, input);
        }
        try {
            const Decimal r = a.rescale(static_cast<int>(g.u(35)) - 2);
            ASSERT_LE(r.scale(), Decimal::kMaxScale);
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::OutOfRange}, input);
        }
    }
    report("Decimal + - * compare rescale", tried, refused);
}

// Found by this fuzzer under -fsanitize=undefined: operator+ adds the two
// scaled 128-bit values before checking the range, so two values near the
// 38-digit limit overflow __int128 (undefined behaviour; src/core/decimal.cpp,
// operator+). With wrap-around arithmetic the range check still catches it;
// this pins the required outcome: an OutOfRange error, never a wrong sum.
TEST(Fuzz, AdditionAtTheLimitIsOutOfRange) {
    const Decimal max = Decimal::parse("99999999999999999999999999999999999999");
    for (const Decimal& b : {max, Decimal::parse("70141183460469231731687303715884105728"), Decimal::from_int(1)}) {
        try {
            const Decimal s = max + b;
            ADD_FAILURE() << "max + " << b.to_string() << " = " << s.to_string();
        } catch (const DomainError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::OutOfRange);
        }
        try {
            const Decimal s = -max - b;
            ADD_FAILURE() << "-max - " << b.to_string() << " = " << s.to_string();
        } catch (const DomainError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::OutOfRange);
        }
    }
}

TEST(Fuzz, CommissionRule) {
    Gen g(kSeed + 2);
    long tried = 0, refused = 0, checked = 0;
    for (int i = 0; i < kIterations; ++i, ++tried) {
        Decimal price, rate;
        std::string input;
        if (g.coin(2)) {  // plausible: a price in the currency's scale, a 2-dp rate in 0..100
            price = g.small_decimal(4, 9);
            rate = g.coin(20) ? Decimal::from_int(static_cast<std::int64_t>(g.u(2)) * 100)
                              : Decimal::from_units(static_cast<i128>(g.u(10001)), 2);
        } else {  // anything parse accepts
            try {
                price = Decimal::parse(g.numeric_text());
                rate = Decimal::parse(g.numeric_text());
            } catch (const DomainError&) {
                continue;
            }
        }
        const Currency cur = g.coin(2) ? Currency::USD : Currency::UZS;
        input = price.to_string() + " at " + rate.to_string() + " " + currency_code(cur);
        try {
            const CommissionBreakdown b = compute_commission(price, rate, cur);
            const int scale = currency_scale(cur);
            ASSERT_EQ(b.commission + b.partner_pays, b.retail_price) << input;
            ASSERT_EQ(b.retail_price, price) << input;
            ASSERT_GE(b.commission, Decimal()) << input;
            ASSERT_LE(b.commission, b.retail_price) << input;
            ASSERT_GE(b.partner_pays, Decimal()) << input;
            ASSERT_EQ(b.commission.scale(), scale) << input;
            ASSERT_EQ(b.partner_pays.scale(), scale) << input;
            ASSERT_EQ(b.rate.scale(), 2) << input;
            // Independent check: round_half_up(price_units x rate_units / 10^4).
            const Decimal p = price.rescale(scale), r = rate.rescale(2);
            if (p.units() < p10(20)) {
                ASSERT_EQ(b.commission.units(), div_round(p.units() * r.units(), 10000)) << input;
                ++checked;
            }
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::InvalidParameter, ErrorKind::OutOfRange}, input);
            // A refusal must be deserved: out of range rate, negative price, too many decimals.
            const bool bad_rate = rate.is_negative() || rate > Decimal::from_int(100) || rate.significant_scale() > 2;
            const bool bad_price = price.is_negative() || price.significant_scale() > currency_scale(cur);
            if (!bad_rate && !bad_price && e.kind() == ErrorKind::InvalidParameter) {
                ADD_FAILURE() << "valid input refused: " << input << ": " << e.what();
            }
        }
    }
    std::cout << "[ fuzz     ] compute_commission: " << checked << " results checked against integer arithmetic" << std::endl;
    report("compute_commission", tried, refused);
}

TEST(Fuzz, CurrencyAndStatusParsers) {
    Gen g(kSeed + 3);
    long tried = 0, refused = 0;
    const std::vector<std::string> words = {"USD", "UZS", "usd", "US", "USDD", "", "PENDING", "PROCESSING",
                                            "ALLOCATED", "FAILED", "CANCELLED", "REFUNDED", "pending",
                                            "earned", "paid", "cancelled", "Pending", "ALLOCATED ",
                                            std::string("USD\0", 4), std::string("PENDING\0X", 9)};
    for (int i = 0; i < kIterations; ++i, ++tried) {
        std::string s = g.coin(2) ? words[g.u(words.size())] : g.bytes(g.u(12));
        if (g.coin(8) && !s.empty()) s[g.u(s.size())] = static_cast<char>(g.u(256));
        try {
            const Currency c = parse_currency(s);
            ASSERT_TRUE(s == "USD" || s == "UZS") << show(s);
            ASSERT_EQ(currency_code(c), s);
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::InvalidParameter}, s);
            ASSERT_FALSE(s == "USD" || s == "UZS");
        }
        try {
            const OrderPhase ph = order_phase(s);
            const std::set<std::string> live = {"PENDING", "PROCESSING"}, dead = {"FAILED", "CANCELLED", "REFUNDED"};
            ASSERT_TRUE(live.count(s) || dead.count(s) || s == "ALLOCATED") << show(s);
            ASSERT_EQ(ph, live.count(s) ? OrderPhase::Live : dead.count(s) ? OrderPhase::Dead : OrderPhase::Allocated);
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::InvalidParameter}, s);
        }
        try {
            const EarningStatus st = parse_earning_status(s);
            ASSERT_EQ(std::string(earning_status_name(st)), s) << show(s);
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::InvalidParameter}, s);
        }
    }
    report("parse_currency / order_phase / parse_earning_status", tried * 3, refused);
}

TEST(Fuzz, EarningLifecycleIsExhaustivelyConsistent) {
    // The state space is small: walk all of it, then random event sequences.
    const EarningStatus statuses[] = {EarningStatus::None, EarningStatus::Pending, EarningStatus::Earned,
                                      EarningStatus::Paid, EarningStatus::Cancelled};
    const OrderPhase phases[] = {OrderPhase::Live, OrderPhase::Allocated, OrderPhase::Dead};
    long tried = 0;
    for (bool commissionable : {false, true})
        for (OrderPhase ph : phases)
            for (EarningStatus cur : statuses)
                for (bool paid_out : {false, true}) {
                    ++tried;
                    const EarningStatus d = desired_earning_status(commissionable, ph, cur, paid_out);
                    // Idempotent: applying it again changes nothing.
                    const bool next_paid_out = paid_out || d == EarningStatus::Paid;
                    ASSERT_EQ(desired_earning_status(commissionable, ph, d, next_paid_out), d);
                    // An existing earning is never dropped; none appears for a dead or
                    // non-commissionable order.
                    if (cur != EarningStatus::None) {
                        ASSERT_NE(d, EarningStatus::None);
                    }
                    if (!commissionable || ph == OrderPhase::Dead) {
                        ASSERT_TRUE(d == EarningStatus::None || d == EarningStatus::Cancelled);
                    } else {
                        ASSERT_NE(d, EarningStatus::None);
                        ASSERT_NE(d, EarningStatus::Cancelled);
                    }
                    if (ph == OrderPhase::Allocated && commissionable) {
                        ASSERT_TRUE(d == EarningStatus::Earned || d == EarningStatus::Paid);
                    }
                }
    // Random lifecycles: the partner totals of one earning never go below what
    // the rules allow (pending, total >= 0; balance negative only by a clawback).
    Gen g(kSeed + 4);
    for (int i = 0; i < kIterations / 10; ++i) {
        EarningStatus cur = EarningStatus::None;
        bool paid_out = false;
        const Decimal amount = g.small_decimal(4, 5);
        for (int step = 0; step < 10; ++step, ++tried) {
            OrderPhase ph = phases[g.u(3)];
            if (g.coin(4) && cur == EarningStatus::Earned) {  // a payout run
                cur = EarningStatus::Paid;
                paid_out = true;
                continue;
            }
            const EarningStatus d = desired_earning_status(true, ph, cur, paid_out);
            if (d == EarningStatus::Paid) paid_out = true;
            cur = d;
            const EarningTotals t = earning_contribution(cur, paid_out, amount);
            ASSERT_GE(t.pending, Decimal());
            ASSERT_GE(t.total, Decimal());
            if (t.balance.is_negative()) {
                ASSERT_EQ(cur, EarningStatus::Cancelled);
                ASSERT_TRUE(paid_out);
                ASSERT_EQ(-t.balance, amount);
            }
            EarningTotals sum = t;
            sum -= t;
            ASSERT_TRUE(sum.is_zero());
        }
    }
    report("desired_earning_status / earning_contribution", tried, 0);
}

TEST(Fuzz, PricingRule) {
    Gen g(kSeed + 5);
    long tried = 0, refused = 0, checked = 0;
    const std::vector<std::string> codes = {"TR-5GB", "AE-1GB", "EU-10GB", ""}, countries = {"TR", "tr", "AE", "", "ae"},
                                   regions = {"Europe", "europe", "Asia", ""};
    for (int i = 0; i < kIterations; ++i, ++tried) {
        // choose_margin against a naive oracle.
        PackageKey pkg{codes[g.u(codes.size())], {}, std::nullopt};
        for (std::uint64_t n = g.u(3); n > 0; --n) pkg.country_codes.push_back(countries[g.u(countries.size())]);
        if (g.coin(2)) pkg.region = regions[g.u(regions.size())];
        std::vector<MarginOverride> cands;
        for (std::uint64_t n = g.u(6); n > 0; --n) {
            const MarginScope sc = static_cast<MarginScope>(g.u(4));
            const std::string target = sc == MarginScope::Package   ? codes[g.u(codes.size())]
                                       : sc == MarginScope::Country ? countries[g.u(countries.size())]
                                       : sc == MarginScope::Region  ? regions[g.u(regions.size())]
                                                                    : "";
            cands.push_back({sc, target, Decimal::from_units(static_cast<i128>(g.u(100000)), 2)});
        }
        const MarginChoice m = choose_margin(pkg, cands);
        auto upper = [](std::string s) {
            for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            return s;
        };
        MarginScope want = MarginScope::None;
        Decimal want_margin = Decimal::from_units(0, 2);
        for (int sc = 0; sc < 4 && want == MarginScope::None; ++sc)
            for (const auto& o : cands) {
                if (static_cast<int>(o.scope) != sc) continue;
                const bool hit = (o.scope == MarginScope::Package && o.target == pkg.package_code) ||
                                 (o.scope == MarginScope::Country && pkg.country_codes.size() == 1 &&
                                  upper(o.target) == upper(pkg.country_codes[0])) ||
                                 (o.scope == MarginScope::Region && pkg.region && *pkg.region == o.target) ||
                                 o.scope == MarginScope::Global;
                if (hit) {
                    want = o.scope;
                    want_margin = o.margin_percent;
                    break;
                }
            }
        ASSERT_EQ(m.scope, want);
        ASSERT_EQ(m.margin_percent, want_margin);

        // retail_price_usd and price_in_uzs on plausible and arbitrary values.
        Decimal provider, margin, rate;
        const bool plausible = g.coin(2);
        try {
            if (plausible) {
                provider = g.small_decimal(6, 6);
                margin = g.small_decimal(4, 3);
                rate = g.small_decimal(4, 6);
            } else {
                provider = Decimal::parse(g.numeric_text());
                margin = Decimal::parse(g.numeric_text());
                rate = Decimal::parse(g.numeric_text());
            }
        } catch (const DomainError&) {
            continue;
        }
        const std::string input = provider.to_string() + " +" + margin.to_string() + "% x" + rate.to_string();
        try {
            const Decimal usd = retail_price_usd(provider, margin);
            ASSERT_EQ(usd.scale(), 4) << input;
            ASSERT_GE(usd, provider.rescale(4) - Decimal::from_units(1, 4)) << input;  // margin >= 0
            if (plausible) {
                // provider x (100 x 10^sm + M) / (100 x 10^(sp+sm)) in 10^-4 units, half up.
                const int sp = provider.scale(), sm = margin.scale();
                const i128 num = provider.units() * (100 * p10(sm) + margin.units()) * 10000;
                ASSERT_EQ(usd.units(), div_round(num, 100 * p10(sp + sm))) << input;
                ++checked;
            }
            const Decimal uzs = price_in_uzs(usd, rate);
            ASSERT_EQ(uzs.scale(), 2) << input;
            ASSERT_GE(uzs, Decimal()) << input;
        } catch (const DomainError& e) {
            ++refused;
            expect_kind(e, {ErrorKind::InvalidParameter, ErrorKind::OutOfRange}, input);
            if (plausible && !rate.is_zero()) ADD_FAILURE() << "plausible prices refused: " << input << ": " << e.what();
        }
        try {
            parse_margin_scope(g.coin(2) ? std::string("package") : g.bytes(g.u(9)));
        } catch (const DomainError& e) {
            expect_kind(e, {ErrorKind::InvalidParameter}, "scope");
        }
    }
    std::cout << "[ fuzz     ] retail_price_usd: " << checked << " results checked against integer arithmetic" << std::endl;
    report("choose_margin / retail_price_usd / price_in_uzs", tried, refused);
}
