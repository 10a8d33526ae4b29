#include "callai/domain/orders.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using namespace callai::domain;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

namespace {
Decimal D(const char* text) { return Decimal::parse(text); }

ErrorKind kind_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const DomainError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "no DomainError";
    return ErrorKind::NotFound;
}
}  // namespace

TEST(LineTotal, PriceTimesQuantityLessDiscount) {
    EXPECT_EQ(line_total(D("19.99"), 3, D("0")).to_string(), "59.97");
    EXPECT_EQ(line_total(D("19.99"), 3, D("5.00")).to_string(), "54.97");
    EXPECT_EQ(line_total(D("0"), 1, D("0")).to_string(), "0.00");
}

TEST(LineTotal, GrossRoundsHalfAwayFromZeroToCents) {
    // 0.125 x 1 = 0.125 -> 0.13; 0.124 -> 0.12; 0.3333 x 3 = 0.9999 -> 1.00
    EXPECT_EQ(line_total(D("0.125"), 1, D("0")).to_string(), "0.13");
    EXPECT_EQ(line_total(D("0.124"), 1, D("0")).to_string(), "0.12");
    EXPECT_EQ(line_total(D("0.3333"), 3, D("0")).to_string(), "1.00");
    EXPECT_EQ(line_total(D("0.005"), 1, D("0")).to_string(), "0.01");
    EXPECT_EQ(line_total(D("0.004"), 1, D("0")).to_string(), "0.00");
}

TEST(LineTotal, LargestColumnValue) {
    // numeric(10,2) holds 99,999,999.99
    EXPECT_EQ(line_total(D("99999999.99"), 1, D("0")).to_string(), "99999999.99");
    EXPECT_EQ(line_total(D("33333333.33"), 3, D("0.99")).to_string(), "99999999.00");
}

TEST(LineTotal, BadInput) {
    EXPECT_EQ(kind_of([] { line_total(D("-1"), 1, D("0")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { line_total(D("1"), 0, D("0")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { line_total(D("1"), -2, D("0")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { line_total(D("1"), 1, D("-0.01")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { line_total(D("1.00"), 2, D("2.01")); }), ErrorKind::CheckViolation);
    EXPECT_EQ(line_total(D("1.00"), 2, D("2.00")).to_string(), "0.00");
}

TEST(OrderTotal, SubtotalTaxShippingLessDiscounts) {
    EXPECT_EQ(order_total(D("100.00"), D("8.25"), D("4.99"), D("10.00")).to_string(), "103.24");
    EXPECT_EQ(order_total(D("0"), D("0"), D("0"), D("0")), D("0"));
    EXPECT_EQ(order_total(D("10.00"), D("0"), D("0"), D("10.00")), D("0"));
}

TEST(OrderTotal, BadInput) {
    EXPECT_EQ(kind_of([] { order_total(D("10"), D("0"), D("0"), D("10.01")); }),
              ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { order_total(D("10"), D("-1"), D("0"), D("0")); }),
              ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { order_total(D("-10"), D("0"), D("0"), D("0")); }),
              ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { order_total(D("10"), D("0"), D("-0.01"), D("0")); }),
              ErrorKind::CheckViolation);
}

TEST(OrderStatus, StockAndCustomerRules) {
    EXPECT_FALSE(holds_stock(parse_order_status("pending")));
    EXPECT_TRUE(holds_stock(parse_order_status("confirmed")));
    EXPECT_TRUE(holds_stock(parse_order_status("processing")));
    EXPECT_TRUE(holds_stock(parse_order_status("shipped")));
    EXPECT_TRUE(holds_stock(parse_order_status("delivered")));
    EXPECT_FALSE(holds_stock(parse_order_status("cancelled")));
    EXPECT_FALSE(holds_stock(parse_order_status("refunded")));
    EXPECT_FALSE(holds_stock(parse_order_status("returned")));
    EXPECT_TRUE(counts_toward_customer(OrderStatus::Pending));
    EXPECT_TRUE(counts_toward_customer(OrderStatus::Returned));
    EXPECT_FALSE(counts_toward_customer(OrderStatus::Cancelled));
    EXPECT_FALSE(counts_toward_customer(OrderStatus::Refunded));
    EXPECT_EQ(kind_of([] { parse_order_status("Pending"); }), ErrorKind::InvalidText);
}

TEST(Fulfilment, Lines) {
    EXPECT_EQ(line_fulfilment(3, 0), Fulfilment::Unfulfilled);
    EXPECT_EQ(line_fulfilment(3, 1), Fulfilment::Partial);
    EXPECT_EQ(line_fulfilment(3, 3), Fulfilment::Fulfilled);
    EXPECT_EQ(kind_of([] { line_fulfilment(3, 4); }), ErrorKind::CheckViolation);
    EXPECT_EQ(kind_of([] { line_fulfilment(3, -1); }), ErrorKind::CheckViolation);
}

TEST(Fulfilment, RollUp) {
    const auto U = Fulfilment::Unfulfilled;
    EXPECT_EQ(roll_up(U, {}), U);
    EXPECT_EQ(roll_up(Fulfilment::Fulfilled, {}), U);
    EXPECT_EQ(roll_up(U, {{2, 0}, {1, 0}}), U);
    EXPECT_EQ(roll_up(U, {{2, 1}, {1, 0}}), Fulfilment::Partial);
    EXPECT_EQ(roll_up(U, {{2, 2}, {1, 0}}), Fulfilment::Partial);
    EXPECT_EQ(roll_up(U, {{2, 2}, {1, 1}}), Fulfilment::Fulfilled);
    EXPECT_EQ(roll_up(Fulfilment::Fulfilled, {{2, 2}, {1, 0}}), Fulfilment::Partial);
    EXPECT_EQ(roll_up(Fulfilment::Restocked, {{2, 2}}), Fulfilment::Restocked);
    EXPECT_EQ(roll_up(Fulfilment::Cancelled, {{2, 0}}), Fulfilment::Cancelled);
    EXPECT_STREQ(fulfilment_label(parse_fulfilment("partial")), "partial");
}

// roll_up_added() against roll_up() over every existing and added set of
// lines (up to two each, quantities 1 and 2, every fulfilled quantity): it
// agrees wherever it answers, and answers unless an unfulfilled order gains
// a line with fulfilled quantity.
TEST(Fulfilment, RollUpAdded) {
    std::vector<std::vector<LineProgress>> sets = {{}};
    for (std::int64_t q = 1; q <= 2; ++q) {
        for (std::int64_t f = 0; f <= q; ++f) sets.push_back({{q, f}});
    }
    const std::size_t singles = sets.size();
    for (std::size_t a = 1; a < singles; ++a) {
        for (std::size_t b = 1; b < singles; ++b) sets.push_back({sets[a][0], sets[b][0]});
    }
    for (const auto& existing : sets) {
        for (const auto& added : sets) {
            std::vector<LineProgress> all = existing;
            all.insert(all.end(), added.begin(), added.end());
            for (const Fulfilment manual : {Fulfilment::Restocked, Fulfilment::Cancelled}) {
                EXPECT_EQ(roll_up_added(manual, added), manual);
            }
            const Fulfilment current = roll_up(Fulfilment::Unfulfilled, existing);
            const std::optional<Fulfilment> got = roll_up_added(current, added);
            bool some_added = false;
            for (const LineProgress& l : added) some_added = some_added || l.fulfilled > 0;
            if (current == Fulfilment::Unfulfilled && some_added) {
                EXPECT_FALSE(got.has_value());
            } else {
                ASSERT_TRUE(got.has_value());
                EXPECT_EQ(*got, roll_up(Fulfilment::Unfulfilled, all));
            }
        }
    }
    EXPECT_EQ(kind_of([] { roll_up_added(Fulfilment::Partial, {{1, 2}}); }), ErrorKind::CheckViolation);
}
