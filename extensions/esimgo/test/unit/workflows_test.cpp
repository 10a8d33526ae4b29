// The state machines, transition by transition.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "esimgo/domain/catalog_sync.hpp"
#include "esimgo/domain/json.hpp"
#include "esimgo/domain/workflows.hpp"

using namespace esimgo::domain;

TEST(Checkout, Transitions) {
    using S = CheckoutState;
    EXPECT_TRUE(checkout_transition_allowed(S::Initialized, S::Authenticated));
    EXPECT_TRUE(checkout_transition_allowed(S::Initialized, S::PaymentReady));
    EXPECT_FALSE(checkout_transition_allowed(S::Initialized, S::PaymentProcessing));
    EXPECT_FALSE(checkout_transition_allowed(S::DeliverySet, S::Authenticated));
    EXPECT_TRUE(checkout_transition_allowed(S::PaymentReady, S::PaymentProcessing));
    EXPECT_TRUE(checkout_transition_allowed(S::PaymentProcessing, S::PaymentCompleted));
    EXPECT_TRUE(checkout_transition_allowed(S::PaymentProcessing, S::PaymentFailed));
    EXPECT_FALSE(checkout_transition_allowed(S::PaymentProcessing, S::Expired));
    EXPECT_TRUE(checkout_transition_allowed(S::PaymentFailed, S::PaymentReady));
    EXPECT_TRUE(checkout_transition_allowed(S::PaymentFailed, S::Expired));
    for (int t = 0; t <= int(S::Expired); ++t) {
        EXPECT_FALSE(checkout_transition_allowed(S::PaymentCompleted, S(t)));
        EXPECT_FALSE(checkout_transition_allowed(S::Expired, S(t)));
        EXPECT_FALSE(checkout_transition_allowed(S(t), S(t)));
    }
    EXPECT_EQ(checkout_state_from_name("PAYMENT_READY"), S::PaymentReady);
    EXPECT_FALSE(checkout_state_from_name("VALIDATED"));
}

TEST(SyncJobs, Transitions) {
    using J = JobStatus;
    EXPECT_TRUE(job_transition_allowed(J::Pending, J::Running));
    EXPECT_TRUE(job_transition_allowed(J::Pending, J::Cancelled));
    EXPECT_FALSE(job_transition_allowed(J::Pending, J::Completed));
    EXPECT_TRUE(job_transition_allowed(J::Running, J::Failed));
    EXPECT_FALSE(job_transition_allowed(J::Completed, J::Running));
    EXPECT_FALSE(job_transition_allowed(J::Cancelled, J::Pending));
}

TEST(Orders, Transitions) {
    EXPECT_TRUE(order_transition_allowed("PROCESSING", "COMPLETED"));
    EXPECT_TRUE(order_transition_allowed("COMPLETED", "REFUNDED"));
    EXPECT_FALSE(order_transition_allowed("REFUNDED", "PROCESSING"));
    EXPECT_FALSE(order_transition_allowed("FAILED", "COMPLETED"));
    EXPECT_TRUE(esim_transition_allowed("PROCESSING", "ASSIGNED"));
    EXPECT_TRUE(esim_transition_allowed("SUSPENDED", "ACTIVE"));
    EXPECT_FALSE(esim_transition_allowed("CANCELLED", "ACTIVE"));
    EXPECT_FALSE(esim_transition_allowed("PROCESSING", "ACTIVE"));
    EXPECT_TRUE(bundle_transition_allowed("ACTIVE", "EXPIRED"));
    EXPECT_FALSE(bundle_transition_allowed("EXPIRED", "ACTIVE"));
}

TEST(CatalogSync, Transforms) {
    SyncPayload p = parse_sync_payload(json::parse(R"([
      {"name":"esim_ULE_7D_FR","groups":["Standard - Unlimited  Essential"],"countries":[{"iso":"FR","region":"Europe"},{"iso":"DE","region":"Europe"},{"iso":"TR","region":"Asia"}],
       "dataAmount":-1,"duration":7,"price":5.5,"speed":["4G"]},
      {"name":"esim_1GB_7D_FR","countries":["FR"],"dataAmount":1000.2,"duration":7,"price":1},
      {"name":"maya_fr_8","provider":"MAYA","countries":["FR"],"validity_days":8,"price":9.99},
      {"name":"free","countries":["FR"],"duration":7,"price":0},
      {"name":"nowhere","countries":[],"duration":7,"price":3}
    ])"));
    ASSERT_EQ(p.rows.size(), 3u);
    EXPECT_EQ(p.skipped, 2);
    EXPECT_EQ(p.rows[0].groups, std::vector<std::string>{"Standard Unlimited Essential"});
    EXPECT_TRUE(p.rows[0].is_unlimited);
    EXPECT_FALSE(p.rows[0].data_amount_mb);
    EXPECT_EQ(*p.rows[0].region, "Europe");
    EXPECT_EQ(p.rows[0].price, 550);
    EXPECT_EQ(*p.rows[1].data_amount_mb, 1001);
    EXPECT_FALSE(p.rows[1].is_unlimited);
    EXPECT_EQ(p.rows[2].validity_days, 7);
    EXPECT_TRUE(p.rows[2].is_unlimited);
    EXPECT_TRUE(p.rows[2].groups.empty());
    EXPECT_EQ(p.rows[2].speed, (std::vector<std::string>{"4G", "5G"}));
    EXPECT_THROW(parse_sync_payload(json::parse(R"([{"name":"x","countries":["FRA"],"duration":1,"price":1}])")),
                 pgcpp::core::DomainError);
    EXPECT_THROW(parse_sync_payload(json::parse(R"([{"name":"x"},{"name":"x"}])")), pgcpp::core::DomainError);
}
