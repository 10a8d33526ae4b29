// State machines the database enforces: checkout sessions, catalog sync jobs,
// orders, eSIMs and installed bundles (spec section 3).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace esimgo::domain {

enum class CheckoutState {
    Initialized, Authenticated, DeliverySet, PaymentReady, PaymentProcessing,
    PaymentCompleted, PaymentFailed, Expired,
};
std::optional<CheckoutState> checkout_state_from_name(std::string_view name);
const char* checkout_state_name(CheckoutState state);
// INITIALIZED -> AUTHENTICATED -> DELIVERY_SET -> PAYMENT_READY ->
// PAYMENT_PROCESSING -> PAYMENT_COMPLETED | PAYMENT_FAILED; PAYMENT_FAILED ->
// PAYMENT_READY | EXPIRED; INITIALIZED..PAYMENT_READY -> EXPIRED; a step may
// also be skipped forward before payment (an authenticated user starts at
// AUTHENTICATED). COMPLETED and EXPIRED are terminal.
bool checkout_transition_allowed(CheckoutState from, CheckoutState to);
bool checkout_state_terminal(CheckoutState state);

enum class JobStatus { Pending, Running, Completed, Failed, Cancelled };
std::optional<JobStatus> job_status_from_name(std::string_view name);
const char* job_status_name(JobStatus status);
// pending -> running | cancelled; running -> completed | failed | cancelled.
bool job_transition_allowed(JobStatus from, JobStatus to);

// Orders: PROCESSING -> COMPLETED | FAILED | CANCELLED; COMPLETED -> REFUNDED.
bool order_transition_allowed(std::string_view from, std::string_view to);
// eSIMs: PROCESSING -> ASSIGNED -> ACTIVE <-> SUSPENDED; any live state ->
// EXPIRED | CANCELLED; EXPIRED and CANCELLED are terminal.
bool esim_transition_allowed(std::string_view from, std::string_view to);
// Installed bundles: PROCESSING -> ACTIVE; ACTIVE <-> INACTIVE | SUSPENDED;
// any live state -> EXPIRED | CANCELLED (terminal).
bool bundle_transition_allowed(std::string_view from, std::string_view to);

}  // namespace esimgo::domain
