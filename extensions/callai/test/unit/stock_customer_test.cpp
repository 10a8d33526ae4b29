#include <gtest/gtest.h>

#include "callai/domain/customer_stats.hpp"
#include "callai/domain/stock.hpp"
#include "callai/domain/store_defaults.hpp"
#include "core/errors.hpp"

using namespace callai::domain;
using pgcpp::core::DomainError;

namespace {
Uuid id(unsigned char n) {
    Uuid u{};
    u[15] = n;
    return u;
}
Decimal D(const char* text) { return Decimal::parse(text); }
}  // namespace

TEST(Stock, NeverNegative) {
    EXPECT_EQ(apply_stock_delta(5, -5, "p"), 0);
    EXPECT_EQ(apply_stock_delta(0, 3, "p"), 3);
    EXPECT_THROW(apply_stock_delta(1, -2, "p"), DomainError);
    try {
        apply_stock_delta(1, -2, "product X");
    } catch (const DomainError& e) {
        EXPECT_EQ(e.kind(), pgcpp::core::ErrorKind::CheckViolation);
        EXPECT_NE(std::string(e.what()).find("product X"), std::string::npos);
    }
}

TEST(Stock, DeltasNetAndSort) {
    StockDeltas d;
    d.reserve({false, id(2)}, 3);
    d.reserve({false, id(1)}, 1);
    d.restore({false, id(2)}, 3);
    d.reserve({true, id(0)}, 2);
    const auto out = d.nonzero_sorted();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_FALSE(out[0].first.variant);
    EXPECT_EQ(out[0].first.id, id(1));
    EXPECT_EQ(out[0].second, -1);
    EXPECT_TRUE(out[1].first.variant);
    EXPECT_EQ(out[1].second, -2);
}

TEST(Stock, Availability) {
    using A = Availability;
    EXPECT_EQ(derive_availability(true, 0, 5, A::InStock), A::OutOfStock);
    EXPECT_EQ(derive_availability(true, 5, 5, A::InStock), A::LowStock);
    EXPECT_EQ(derive_availability(true, 6, 5, A::OutOfStock), A::InStock);
    EXPECT_EQ(derive_availability(true, 1, 0, A::InStock), A::InStock);
    EXPECT_EQ(derive_availability(true, 0, 5, A::Backorder), A::Backorder);
    EXPECT_EQ(derive_availability(true, 9, 5, A::Backorder), A::InStock);
    EXPECT_EQ(derive_availability(true, 9, 5, A::Discontinued), A::Discontinued);
    EXPECT_EQ(derive_availability(false, 0, 5, A::InStock), A::InStock);
    EXPECT_STREQ(availability_label(parse_availability("low_stock")), "low_stock");
    EXPECT_THROW(parse_availability("gone"), DomainError);
}

TEST(CustomerStats, AddedRemovedExcludesCancelledAndRefunded) {
    CustomerStatsDeltas d;
    d.added({id(1), OrderStatus::Pending, D("10.00"), 100});
    d.added({id(1), OrderStatus::Delivered, D("5.50"), 300});
    d.added({id(1), OrderStatus::Cancelled, D("99.00"), 900});
    d.added({id(2), OrderStatus::Refunded, D("99.00"), 900});
    d.added({std::nullopt, OrderStatus::Pending, D("1.00"), 900});
    const auto out = d.sorted();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].first, id(1));
    EXPECT_EQ(out[0].second.spent, D("15.50"));
    EXPECT_EQ(out[0].second.orders, 2);
    EXPECT_EQ(*out[0].second.newest_added, 300);
    EXPECT_FALSE(out[0].second.recompute_last_date);
}

TEST(CustomerStats, MoveBetweenCustomers) {
    CustomerStatsDeltas d;
    d.changed({id(1), OrderStatus::Pending, D("10.00"), 100},
              {id(2), OrderStatus::Pending, D("10.00"), 100});
    const auto out = d.sorted();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].second.spent, D("-10.00"));
    EXPECT_EQ(out[0].second.orders, -1);
    EXPECT_TRUE(out[0].second.recompute_last_date);
    EXPECT_EQ(out[1].second.spent, D("10.00"));
    EXPECT_EQ(out[1].second.orders, 1);
    EXPECT_EQ(*out[1].second.newest_added, 100);
}

TEST(CustomerStats, CancelAndAmountChanges) {
    CustomerStatsDeltas d;
    d.changed({id(1), OrderStatus::Confirmed, D("10.00"), 100},
              {id(1), OrderStatus::Cancelled, D("10.00"), 100});
    d.changed({id(2), OrderStatus::Confirmed, D("10.00"), 100},
              {id(2), OrderStatus::Shipped, D("12.50"), 100});
    d.changed({id(3), OrderStatus::Confirmed, D("10.00"), 100},
              {id(3), OrderStatus::Shipped, D("10.00"), 100});  // nothing that counts moved
    const auto out = d.sorted();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].second.orders, -1);
    EXPECT_EQ(out[0].second.spent, D("-10.00"));
    EXPECT_TRUE(out[0].second.recompute_last_date);
    EXPECT_EQ(out[1].second.orders, 0);
    EXPECT_EQ(out[1].second.spent, D("2.50"));
    EXPECT_FALSE(out[1].second.recompute_last_date);
    EXPECT_FALSE(out[1].second.newest_added);
}

TEST(StoreDefaults, TwelveUpstreamSettings) {
    const auto& s = default_store_settings();
    ASSERT_EQ(s.size(), 12u);
    EXPECT_STREQ(s[0].key, "greeting_message");
    EXPECT_STREQ(s[1].value_json, "600");
    EXPECT_STREQ(s[6].key, "temperature");
    EXPECT_STREQ(s[6].value_json, "0.7");
    EXPECT_STREQ(s[11].category, "general");
}

TEST(StoreRoles, Hierarchy) {
    EXPECT_TRUE(role_at_least(StoreRole::Owner, StoreRole::Viewer));
    EXPECT_TRUE(role_at_least(StoreRole::Admin, StoreRole::Admin));
    EXPECT_FALSE(role_at_least(StoreRole::Agent, StoreRole::Admin));
    EXPECT_TRUE(may_grant(StoreRole::Owner, StoreRole::Owner));
    EXPECT_FALSE(may_grant(StoreRole::Admin, StoreRole::Admin));
    EXPECT_TRUE(may_grant(StoreRole::Admin, StoreRole::Agent));
    EXPECT_FALSE(may_grant(StoreRole::Agent, StoreRole::Viewer));
    EXPECT_EQ(parse_store_role("viewer"), StoreRole::Viewer);
    EXPECT_THROW(parse_store_role("root"), DomainError);
}
