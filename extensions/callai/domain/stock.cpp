#include "callai/domain/stock.hpp"

#include "core/errors.hpp"

namespace callai::domain {

using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

namespace {
constexpr std::array<const char*, 5> kAvailabilityLabels = {
    "in_stock", "out_of_stock", "low_stock", "backorder", "discontinued"};
}

void StockDeltas::add(const StockItem& item, std::int64_t delta) {
    if (delta == 0) return;
    deltas_[item] += delta;
}

std::vector<std::pair<StockItem, std::int64_t>> StockDeltas::nonzero_sorted() const {
    std::vector<std::pair<StockItem, std::int64_t>> out;
    for (const auto& [item, delta] : deltas_) {
        if (delta != 0) out.emplace_back(item, delta);
    }
    return out;
}

std::int64_t apply_stock_delta(std::int64_t on_hand, std::int64_t delta, const std::string& item) {
    const std::int64_t after = on_hand + delta;
    if (after < 0) {
        throw DomainError(ErrorKind::CheckViolation,
                          "insufficient stock for " + item + ": " + std::to_string(on_hand) +
                              " on hand, " + std::to_string(-delta) + " requested",
                          {}, "Stock is reserved when an order is confirmed.");
    }
    return after;
}

Availability parse_availability(const std::string& label) {
    for (std::size_t i = 0; i < kAvailabilityLabels.size(); ++i) {
        if (label == kAvailabilityLabels[i]) return static_cast<Availability>(i);
    }
    throw DomainError(ErrorKind::InvalidText, "invalid product_availability \"" + label + "\"");
}

const char* availability_label(Availability value) {
    return kAvailabilityLabels[static_cast<std::size_t>(value)];
}

Availability derive_availability(bool tracked, std::int64_t quantity, std::int64_t threshold,
                                 Availability requested) {
    if (!tracked || requested == Availability::Discontinued) return requested;
    if (quantity <= 0) {
        return requested == Availability::Backorder ? Availability::Backorder
                                                    : Availability::OutOfStock;
    }
    return quantity <= threshold ? Availability::LowStock : Availability::InStock;
}

}  // namespace callai::domain
