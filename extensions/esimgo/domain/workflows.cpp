#include "esimgo/domain/workflows.hpp"

namespace esimgo::domain {

namespace {
struct NamedState {
    const char* name;
    CheckoutState state;
};
constexpr NamedState kStates[] = {
    {"INITIALIZED", CheckoutState::Initialized},
    {"AUTHENTICATED", CheckoutState::Authenticated},
    {"DELIVERY_SET", CheckoutState::DeliverySet},
    {"PAYMENT_READY", CheckoutState::PaymentReady},
    {"PAYMENT_PROCESSING", CheckoutState::PaymentProcessing},
    {"PAYMENT_COMPLETED", CheckoutState::PaymentCompleted},
    {"PAYMENT_FAILED", CheckoutState::PaymentFailed},
    {"EXPIRED", CheckoutState::Expired},
};
struct NamedStatus {
    const char* name;
    JobStatus status;
};
constexpr NamedStatus kStatuses[] = {
    {"pending", JobStatus::Pending},     {"running", JobStatus::Running},
    {"completed", JobStatus::Completed}, {"failed", JobStatus::Failed},
    {"cancelled", JobStatus::Cancelled},
};
}  // namespace

std::optional<CheckoutState> checkout_state_from_name(std::string_view name) {
    for (const auto& s : kStates)
        if (name == s.name) return s.state;
    return std::nullopt;
}

const char* checkout_state_name(CheckoutState state) {
    for (const auto& s : kStates)
        if (s.state == state) return s.name;
    return "?";
}

bool checkout_state_terminal(CheckoutState s) {
    return s == CheckoutState::PaymentCompleted || s == CheckoutState::Expired;
}

bool checkout_transition_allowed(CheckoutState from, CheckoutState to) {
    using S = CheckoutState;
    int f = int(from), t = int(to);
    switch (from) {
        case S::Initialized:
        case S::Authenticated:
        case S::DeliverySet:
            // forward through the steps before payment, or expiry
            return (t > f && t <= int(S::PaymentReady)) || to == S::Expired;
        case S::PaymentReady: return to == S::PaymentProcessing || to == S::Expired;
        case S::PaymentProcessing: return to == S::PaymentCompleted || to == S::PaymentFailed;
        case S::PaymentFailed: return to == S::PaymentReady || to == S::Expired;
        case S::PaymentCompleted:
        case S::Expired: return false;
    }
    return false;
}

std::optional<JobStatus> job_status_from_name(std::string_view name) {
    for (const auto& s : kStatuses)
        if (name == s.name) return s.status;
    return std::nullopt;
}

const char* job_status_name(JobStatus status) {
    for (const auto& s : kStatuses)
        if (s.status == status) return s.name;
    return "?";
}

bool job_transition_allowed(JobStatus from, JobStatus to) {
    using J = JobStatus;
    if (from == J::Pending) return to == J::Running || to == J::Cancelled;
    if (from == J::Running) return to == J::Completed || to == J::Failed || to == J::Cancelled;
    return false;
}

bool order_transition_allowed(std::string_view from, std::string_view to) {
    if (from == "PROCESSING") return to == "COMPLETED" || to == "FAILED" || to == "CANCELLED";
    if (from == "COMPLETED") return to == "REFUNDED";
    return false;
}

bool esim_transition_allowed(std::string_view from, std::string_view to) {
    if (from == "EXPIRED" || from == "CANCELLED") return false;
    if (to == "EXPIRED" || to == "CANCELLED") return true;
    if (from == "PROCESSING") return to == "ASSIGNED";
    if (from == "ASSIGNED") return to == "ACTIVE";
    if (from == "ACTIVE") return to == "SUSPENDED";
    if (from == "SUSPENDED") return to == "ACTIVE";
    return false;
}

bool bundle_transition_allowed(std::string_view from, std::string_view to) {
    if (from == "EXPIRED" || from == "CANCELLED") return false;
    if (to == "EXPIRED" || to == "CANCELLED") return true;
    if (from == "PROCESSING") return to == "ACTIVE";
    if (from == "ACTIVE") return to == "INACTIVE" || to == "SUSPENDED";
    if (from == "INACTIVE" || from == "SUSPENDED") return to == "ACTIVE";
    return false;
}

}  // namespace esimgo::domain
