#include "onesim/domain/earnings.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using namespace onesim::domain;
using namespace pgcpp::core;
using S = EarningStatus;
using P = OrderPhase;

TEST(Earnings, OrderPhases) {
    EXPECT_EQ(order_phase("PENDING"), P::Live);
    EXPECT_EQ(order_phase("PROCESSING"), P::Live);
    EXPECT_EQ(order_phase("ALLOCATED"), P::Allocated);
    EXPECT_EQ(order_phase("FAILED"), P::Dead);
    EXPECT_EQ(order_phase("CANCELLED"), P::Dead);
    EXPECT_EQ(order_phase("REFUNDED"), P::Dead);
    EXPECT_THROW(order_phase("allocated"), DomainError);
    EXPECT_THROW(order_phase(""), DomainError);
}

TEST(Earnings, NewOrders) {
    EXPECT_EQ(desired_earning_status(true, P::Live, S::None, false), S::Pending);
    EXPECT_EQ(desired_earning_status(true, P::Allocated, S::None, false), S::Earned);
    EXPECT_EQ(desired_earning_status(true, P::Dead, S::None, false), S::None);
    EXPECT_EQ(desired_earning_status(false, P::Allocated, S::None, false), S::None);
}

TEST(Earnings, Lifecycle) {
    // pending -> earned on allocation; stays earned on a repeated allocation.
    EXPECT_EQ(desired_earning_status(true, P::Allocated, S::Pending, false), S::Earned);
    EXPECT_EQ(desired_earning_status(true, P::Allocated, S::Earned, false), S::Earned);
    // paid stays paid while the order lives.
    EXPECT_EQ(desired_earning_status(true, P::Allocated, S::Paid, true), S::Paid);
    EXPECT_EQ(desired_earning_status(true, P::Live, S::Paid, true), S::Paid);
    // an allocated order going back to processing does not un-earn.
    EXPECT_EQ(desired_earning_status(true, P::Live, S::Earned, false), S::Earned);
    // cancellation and refund take back, also after payout.
    for (S s : {S::Pending, S::Earned, S::Paid, S::Cancelled}) {
        EXPECT_EQ(desired_earning_status(true, P::Dead, s, s == S::Paid), S::Cancelled);
        EXPECT_EQ(desired_earning_status(false, P::Allocated, s, false), S::Cancelled);
    }
    // reopened: back to pending, or earned when allocated; paid if it had been paid out.
    EXPECT_EQ(desired_earning_status(true, P::Live, S::Cancelled, false), S::Pending);
    EXPECT_EQ(desired_earning_status(true, P::Allocated, S::Cancelled, false), S::Earned);
    EXPECT_EQ(desired_earning_status(true, P::Allocated, S::Cancelled, true), S::Paid);
}

TEST(Earnings, DesiredStatusIsIdempotent) {
    for (bool c : {false, true})
        for (P p : {P::Live, P::Allocated, P::Dead})
            for (S s : {S::None, S::Pending, S::Earned, S::Paid, S::Cancelled})
                for (bool paid_out : {false, true}) {
                    const S once = desired_earning_status(c, p, s, paid_out);
                    EXPECT_EQ(desired_earning_status(c, p, once, paid_out), once);
                }
}

TEST(Earnings, Contributions) {
    const Decimal a = Decimal::parse("0.9500");
    const auto pending = earning_contribution(S::Pending, false, a);
    EXPECT_EQ(pending.pending, a);
    EXPECT_TRUE(pending.total.is_zero() && pending.balance.is_zero());
    const auto earned = earning_contribution(S::Earned, false, a);
    EXPECT_EQ(earned.total, a);
    EXPECT_EQ(earned.balance, a);
    const auto paid = earning_contribution(S::Paid, true, a);
    EXPECT_EQ(paid.total, a);
    EXPECT_TRUE(paid.balance.is_zero());
    EXPECT_TRUE(earning_contribution(S::Cancelled, false, a).is_zero());
    EXPECT_EQ(earning_contribution(S::Cancelled, true, a).balance, -a);
    // A move between states is the difference of contributions.
    EarningTotals d = earned;
    d -= pending;
    EXPECT_EQ(d.pending, -a);
    EXPECT_EQ(d.total, a);
}
