#include "esim_admin/domain/money.hpp"

#include <gtest/gtest.h>

using namespace esim_admin::domain;

namespace {

Decimal d(const char* text) { return Decimal::parse(text); }

PromoCode percent(const char* value) {
    PromoCode p;
    p.code = "SAVE";
    p.discount_type = DiscountType::Percentage;
    p.discount_value = d(value);
    p.valid_from = 0;
    p.valid_to = 1000;
    return p;
}

template <typename F>
ErrorKind kind_of(F f) {
    try {
        f();
    } catch (const DomainError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "expected a DomainError";
    return ErrorKind::NotFound;
}

}  // namespace

TEST(Discount, PercentageRoundsHalfAwayFromZeroToCents) {
    EXPECT_EQ(discount_for(percent("10"), d("19.99")).to_string(), "2.00");   // 1.999
    EXPECT_EQ(discount_for(percent("12.5"), d("0.20")).to_string(), "0.03");  // 0.025 -> 0.03
    EXPECT_EQ(discount_for(percent("12.5"), d("0.12")).to_string(), "0.02");  // 0.015 -> 0.02
    EXPECT_EQ(discount_for(percent("33.33"), d("0.01")).to_string(), "0.00");  // 0.003333
    EXPECT_EQ(discount_for(percent("100"), d("42.42")).to_string(), "42.42");
}

TEST(Discount, FixedNeverBelowZeroTotal) {
    PromoCode p = percent("1");
    p.discount_type = DiscountType::FixedAmount;
    p.discount_value = d("5.00");
    EXPECT_EQ(discount_for(p, d("3.50")).to_string(), "3.50");
    EXPECT_EQ(discount_for(p, d("9.99")).to_string(), "5.00");
    EXPECT_EQ(discount_for(p, d("0")).to_string(), "0.00");
    EXPECT_EQ(kind_of([&] { discount_for(p, d("-1")); }), ErrorKind::InvalidParameter);
}

TEST(Promo, RefusalsInOrder) {
    PromoCode p = percent("10");
    EXPECT_FALSE(promo_refusal(p, "plan-a", 0));
    EXPECT_FALSE(promo_refusal(p, "plan-a", 999));
    EXPECT_NE(promo_refusal(p, "plan-a", 1000)->find("expired"), std::string::npos);
    EXPECT_NE(promo_refusal(p, "plan-a", -1)->find("not valid yet"), std::string::npos);
    p.max_uses = 2;
    p.used_count = 1;
    EXPECT_FALSE(promo_refusal(p, "plan-a", 5));
    p.used_count = 2;
    EXPECT_NE(promo_refusal(p, "plan-a", 5)->find("no uses left"), std::string::npos);
    p.used_count = 0;
    p.applicable_plans = std::vector<std::string>{"plan-b"};
    EXPECT_NE(promo_refusal(p, "plan-a", 5)->find("does not apply"), std::string::npos);
    EXPECT_FALSE(promo_refusal(p, "plan-b", 5));
    p.applicable_plans = std::vector<std::string>{};
    EXPECT_TRUE(promo_refusal(p, "plan-b", 5));  // an empty list applies to no plan
    p.is_active = false;
    EXPECT_NE(promo_refusal(p, "plan-b", 5)->find("not active"), std::string::npos);
    EXPECT_EQ(kind_of([&] { check_promo_usable(p, "plan-b", 5); }), ErrorKind::Conflict);
}

TEST(Promo, Definition) {
    EXPECT_NO_THROW(check_promo_definition(percent("100")));
    EXPECT_EQ(kind_of([] { check_promo_definition(percent("100.01")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { check_promo_definition(percent("0")); }), ErrorKind::CheckViolation);
    PromoCode p = percent("5");
    p.valid_to = p.valid_from;
    EXPECT_EQ(kind_of([&] { check_promo_definition(p); }), ErrorKind::CheckViolation);
    p = percent("5");
    p.max_uses = 0;
    EXPECT_EQ(kind_of([&] { check_promo_definition(p); }), ErrorKind::CheckViolation);
}

TEST(Totals, AmountMinusDiscountPlusTax) {
    EXPECT_EQ(transaction_total(d("19.99"), d("2.00"), d("1.60")).to_string(), "19.59");
    EXPECT_EQ(transaction_total(d("0"), d("0"), d("0")).to_string(), "0.00");
    EXPECT_EQ(transaction_total(d("5.00"), d("5.00"), d("0")).to_string(), "0.00");
    EXPECT_EQ(transaction_total(d("99999999.99"), d("0"), d("0")).to_string(), "99999999.99");
    EXPECT_EQ(kind_of([] { transaction_total(d("99999999.99"), d("0"), d("0.01")); }),
              ErrorKind::OutOfRange);
    EXPECT_EQ(kind_of([] { transaction_total(d("5"), d("5.01"), d("0")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { transaction_total(d("-1"), d("0"), d("0")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { transaction_total(d("1"), d("-0.01"), d("0")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { transaction_total(d("1"), d("0"), d("-0.01")); }), ErrorKind::CheckViolation);
}

TEST(Refunds, NeverBeyondTotal) {
    EXPECT_NO_THROW(check_refund_fits(d("10.00"), d("0"), d("10.00")));
    EXPECT_NO_THROW(check_refund_fits(d("10.00"), d("9.99"), d("0.01")));
    EXPECT_EQ(kind_of([] { check_refund_fits(d("10.00"), d("9.99"), d("0.02")); }), ErrorKind::Conflict);
    EXPECT_EQ(kind_of([] { check_refund_fits(d("10.00"), d("0"), d("0")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { check_refund_fits(d("10.00"), d("0"), d("-1")); }), ErrorKind::CheckViolation);
    try {
        check_refund_fits(d("10.00"), d("4.00"), d("7.00"));
    } catch (const DomainError& e) {
        EXPECT_NE(e.detail().find("refundable 6.00"), std::string::npos) << e.detail();
    }
}

TEST(Markup, ExactAndRounded) {
    EXPECT_EQ(markup_percentage(d("10.00"), d("15.00"))->to_string(), "50.00");
    EXPECT_EQ(markup_percentage(d("3.00"), d("4.00"))->to_string(), "33.33");
    EXPECT_EQ(markup_percentage(d("3.00"), d("5.00"))->to_string(), "66.67");
    EXPECT_EQ(markup_percentage(d("8.00"), d("8.001"))->to_string(), "0.01");  // 0.0125 -> 0.01
    EXPECT_EQ(markup_percentage(d("8.00"), d("8.0004"))->to_string(), "0.01");  // 0.005 -> 0.01
    EXPECT_EQ(markup_percentage(d("10.00"), d("5.00"))->to_string(), "-50.00");
    EXPECT_EQ(markup_percentage(d("3.00"), d("1.00"))->to_string(), "-66.67");
    EXPECT_FALSE(markup_percentage(d("0"), d("5.00")));
    EXPECT_EQ(kind_of([] { markup_percentage(d("1.00"), d("11.00")); }), ErrorKind::OutOfRange);
    EXPECT_EQ(markup_percentage(d("1.00"), d("10.9999"))->to_string(), "999.99");
    EXPECT_EQ(kind_of([] { markup_percentage(d("-1.00"), d("1.00")); }), ErrorKind::CheckViolation);
    EXPECT_TRUE(markup_consistent(d("3.00"), d("4.00"), d("33.33")));
    EXPECT_TRUE(markup_consistent(d("3.00"), d("4.00"), d("33.330")));
    EXPECT_FALSE(markup_consistent(d("3.00"), d("4.00"), d("33.34")));
    EXPECT_FALSE(markup_consistent(d("3.00"), d("4.00"), std::nullopt));
    EXPECT_TRUE(markup_consistent(d("0"), d("4.00"), std::nullopt));
}

TEST(Pool, AllocationsWithinAvailableData) {
    EXPECT_NO_THROW(check_pool(d("1.00"), d("1024.00")));
    EXPECT_EQ(kind_of([] { check_pool(d("1.00"), d("1024.01")); }), ErrorKind::Conflict);
    EXPECT_NO_THROW(check_pool(std::nullopt, d("99999999.99")));
    EXPECT_EQ(kind_of([] { check_pool(d("0"), d("0.01")); }), ErrorKind::Conflict);
    EXPECT_NO_THROW(check_pool(d("0.50"), d("512")));
}
