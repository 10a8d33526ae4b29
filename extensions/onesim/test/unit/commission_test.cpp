#include "onesim/domain/commission.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using namespace onesim::domain;
using namespace pgcpp::core;

namespace {

CommissionBreakdown usd(const char* price, const char* rate) {
    return compute_commission(Decimal::parse(price), Decimal::parse(rate), Currency::USD);
}
CommissionBreakdown uzs(const char* price, const char* rate) {
    return compute_commission(Decimal::parse(price), Decimal::parse(rate), Currency::UZS);
}
ErrorKind error_of(const char* price, const char* rate, Currency c = Currency::USD) {
    try {
        compute_commission(Decimal::parse(price), Decimal::parse(rate), c);
    } catch (const DomainError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "expected an error for price " << price << " rate " << rate;
    return ErrorKind::NotFound;
}

}  // namespace

TEST(Commission, SeedExample) {
    // retail $15.00 at 5 %: the partner pays $14.25 and saves $0.75.
    const auto b = usd("15.00", "5");
    EXPECT_EQ(b.commission.to_string(), "0.7500");
    EXPECT_EQ(b.partner_pays.to_string(), "14.2500");
    EXPECT_EQ(b.retail_price.to_string(), "15.0000");
    EXPECT_EQ(b.rate.to_string(), "5.00");
    // The sample order: $19.00 at 5 % -> 0.95; 240000 UZS -> 12000.00.
    EXPECT_EQ(usd("19.00", "5.00").commission.to_string(), "0.9500");
    EXPECT_EQ(uzs("240000", "5.00").commission.to_string(), "12000.00");
}

TEST(Commission, CurrencyScales) {
    EXPECT_EQ(currency_scale(Currency::USD), 4);
    EXPECT_EQ(currency_scale(Currency::UZS), 2);
    EXPECT_EQ(parse_currency("USD"), Currency::USD);
    EXPECT_EQ(parse_currency("UZS"), Currency::UZS);
    EXPECT_THROW(parse_currency("usd"), DomainError);
    EXPECT_THROW(parse_currency("EUR"), DomainError);
    EXPECT_THROW(parse_currency(""), DomainError);
}

TEST(Commission, RoundsHalfAwayFromZeroAtTheCurrencyScale) {
    // 0.0001 x 5 % = 0.000005 -> 0.0000 (below half a unit).
    EXPECT_EQ(usd("0.0001", "5").commission.to_string(), "0.0000");
    // 0.0010 x 5 % = 0.00005: exactly half a unit rounds up.
    EXPECT_EQ(usd("0.0010", "5").commission.to_string(), "0.0001");
    // 0.0009 x 5 % = 0.000045 -> 0.0000.
    EXPECT_EQ(usd("0.0009", "5").commission.to_string(), "0.0000");
    // UZS: 0.10 x 5 % = 0.005 -> 0.01; 0.09 x 5 % = 0.0045 -> 0.00.
    EXPECT_EQ(uzs("0.10", "5").commission.to_string(), "0.01");
    EXPECT_EQ(uzs("0.09", "5").commission.to_string(), "0.00");
    // 12.3456 x 7.25 % = 0.895056 -> 0.8951.
    EXPECT_EQ(usd("12.3456", "7.25").commission.to_string(), "0.8951");
}

TEST(Commission, PartsAlwaysAddUpToTheRetailPrice) {
    for (int cents = 0; cents < 5000; cents += 37) {
        for (const char* rate : {"0", "0.01", "4.99", "5", "12.5", "33.33", "99.99", "100"}) {
            const Decimal price = Decimal::from_units(cents * 100 + 7, 4);
            const auto b = compute_commission(price, Decimal::parse(rate), Currency::USD);
            EXPECT_EQ(b.commission + b.partner_pays, price);
            EXPECT_GE(b.commission, Decimal::from_int(0));
            EXPECT_LE(b.commission, price);
        }
    }
}

TEST(Commission, BoundaryRates) {
    EXPECT_EQ(usd("19.00", "0").commission.to_string(), "0.0000");
    EXPECT_EQ(usd("19.00", "0").partner_pays.to_string(), "19.0000");
    EXPECT_EQ(usd("19.00", "100").commission.to_string(), "19.0000");
    EXPECT_EQ(usd("19.00", "100").partner_pays.to_string(), "0.0000");
    EXPECT_EQ(usd("0", "5").commission.to_string(), "0.0000");
}

TEST(Commission, LargestColumnValues) {
    // orders.price_usd is NUMERIC(10,4); price_uzs NUMERIC(15,2).
    EXPECT_EQ(usd("999999.9999", "100").commission.to_string(), "999999.9999");
    EXPECT_EQ(usd("999999.9999", "5").commission.to_string(), "50000.0000");
    EXPECT_EQ(uzs("9999999999999.99", "99.99").commission.to_string(), "9998999999999.99");
    // Far beyond any column: still exact, no wrap-around.
    EXPECT_EQ(usd("99999999999999999999.9999", "50").commission.to_string(),
              "50000000000000000000.0000");
}

TEST(Commission, RejectsBadInput) {
    EXPECT_EQ(error_of("19.00", "-0.01"), ErrorKind::InvalidParameter);
    EXPECT_EQ(error_of("19.00", "100.01"), ErrorKind::InvalidParameter);
    EXPECT_EQ(error_of("19.00", "5.001"), ErrorKind::InvalidParameter);
    EXPECT_EQ(error_of("-1", "5"), ErrorKind::InvalidParameter);
    EXPECT_EQ(error_of("19.00001", "5"), ErrorKind::InvalidParameter);
    EXPECT_EQ(error_of("19.001", "5", Currency::UZS), ErrorKind::InvalidParameter);
    // Trailing zeros beyond the scale are not extra precision.
    EXPECT_EQ(usd("19.000000", "5.000").commission.to_string(), "0.9500");
}
