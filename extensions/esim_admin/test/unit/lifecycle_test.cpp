#include "esim_admin/domain/lifecycle.hpp"

#include <gtest/gtest.h>

using namespace esim_admin::domain;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

namespace {
template <typename F>
bool refused(F f) {
    try {
        f();
    } catch (const DomainError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Conflict);
        return true;
    }
    return false;
}
}  // namespace

TEST(TransactionStatus, Machine) {
    using S = TransactionStatus;
    const S all[] = {S::Pending, S::Completed, S::Failed, S::Refunded, S::Cancelled};
    for (S from : all) {
        for (S to : all) {
            for (bool by_refunds : {false, true}) {
                const bool allowed =
                    from == to || (from == S::Pending && (to == S::Completed || to == S::Failed ||
                                                          to == S::Cancelled)) ||
                    (by_refunds && from == S::Completed && to == S::Refunded) ||
                    (by_refunds && from == S::Refunded && to == S::Completed);
                EXPECT_EQ(refused([&] { check_transaction_transition(from, to, by_refunds); }), !allowed)
                    << name_of(from) << " -> " << name_of(to) << " by_refunds=" << by_refunds;
            }
        }
    }
    EXPECT_EQ(parse_transaction_status("refunded"), S::Refunded);
    EXPECT_THROW(parse_transaction_status("done"), DomainError);
    EXPECT_TRUE(holds_promo_use(S::Pending));
    EXPECT_TRUE(holds_promo_use(S::Refunded));
    EXPECT_FALSE(holds_promo_use(S::Failed));
    EXPECT_FALSE(holds_promo_use(S::Cancelled));
    EXPECT_TRUE(counts_as_sale(S::Completed));
    EXPECT_TRUE(counts_as_sale(S::Refunded));
    EXPECT_FALSE(counts_as_sale(S::Pending));
    EXPECT_FALSE(counts_as_sale(S::Failed));
    EXPECT_FALSE(counts_as_sale(S::Cancelled));
}

TEST(RefundStatus, Machine) {
    EXPECT_FALSE(refused([] { check_refund_transition(RefundStatus::Pending, RefundStatus::Processed); }));
    EXPECT_FALSE(refused([] { check_refund_transition(RefundStatus::Pending, RefundStatus::Failed); }));
    EXPECT_TRUE(refused([] { check_refund_transition(RefundStatus::Processed, RefundStatus::Pending); }));
    EXPECT_TRUE(refused([] { check_refund_transition(RefundStatus::Failed, RefundStatus::Processed); }));
    EXPECT_TRUE(counts_against_total(RefundStatus::Pending));
    EXPECT_FALSE(counts_against_total(RefundStatus::Failed));
}

TEST(EsimStatus, Machine) {
    using S = EsimStatus;
    EXPECT_FALSE(refused([] { check_esim_transition(S::Available, S::Active); }));
    EXPECT_FALSE(refused([] { check_esim_transition(S::Active, S::Suspended); }));
    EXPECT_FALSE(refused([] { check_esim_transition(S::Suspended, S::Active); }));
    EXPECT_FALSE(refused([] { check_esim_transition(S::Active, S::Expired); }));
    EXPECT_TRUE(refused([] { check_esim_transition(S::Expired, S::Active); }));
    EXPECT_TRUE(refused([] { check_esim_transition(S::Cancelled, S::Available); }));
    EXPECT_TRUE(refused([] { check_esim_transition(S::Active, S::Available); }));
    EXPECT_TRUE(refused([] { check_esim_transition(S::Available, S::Suspended); }));
}

TEST(TicketStatus, MachineAndReplies) {
    using S = TicketStatus;
    EXPECT_FALSE(refused([] { check_ticket_transition(S::Open, S::InProgress, false); }));
    EXPECT_FALSE(refused([] { check_ticket_transition(S::Open, S::Closed, false); }));
    EXPECT_FALSE(refused([] { check_ticket_transition(S::Resolved, S::Open, false); }));
    EXPECT_FALSE(refused([] { check_ticket_transition(S::InProgress, S::Open, false); }));
    EXPECT_TRUE(refused([] { check_ticket_transition(S::Closed, S::Open, false); }));
    EXPECT_FALSE(refused([] { check_ticket_transition(S::Closed, S::Open, true); }));
    EXPECT_TRUE(refused([] { check_ticket_transition(S::Open, S::Closed, true); }));
    EXPECT_EQ(status_after_customer_reply(S::Resolved), S::Open);
    EXPECT_EQ(status_after_customer_reply(S::Closed), S::Open);
    EXPECT_EQ(status_after_customer_reply(S::InProgress), S::InProgress);
    EXPECT_TRUE(ticket_is_resolved(S::Closed));
    EXPECT_FALSE(ticket_is_resolved(S::InProgress));
}

TEST(NotificationStatus, Machine) {
    using S = NotificationStatus;
    EXPECT_FALSE(refused([] { check_notification_transition(S::Sent, S::Read); }));
    EXPECT_FALSE(refused([] { check_notification_transition(S::Pending, S::Read); }));
    EXPECT_TRUE(refused([] { check_notification_transition(S::Read, S::Pending); }));
    EXPECT_TRUE(refused([] { check_notification_transition(S::Read, S::Sent); }));
}

TEST(Kyc, FollowsDocuments) {
    using D = DocumentStatus;
    EXPECT_EQ(kyc_status_from({}), KycStatus::Pending);
    EXPECT_EQ(kyc_status_from({D::Pending}), KycStatus::Pending);
    EXPECT_EQ(kyc_status_from({D::Rejected, D::Pending}), KycStatus::Pending);
    EXPECT_EQ(kyc_status_from({D::Rejected, D::Rejected}), KycStatus::Rejected);
    EXPECT_EQ(kyc_status_from({D::Rejected, D::Approved}), KycStatus::Verified);
    EXPECT_STREQ(name_of(KycStatus::Verified), "verified");
}
