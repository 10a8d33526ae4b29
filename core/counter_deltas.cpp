#include "core/counter_deltas.hpp"

namespace pgcpp::core {

void CountDeltas::add(const Key& key, std::int64_t delta) {
    deltas_[key] += delta;
    ++rows_seen_;
}

std::vector<std::pair<Key, std::int64_t>> CountDeltas::nonzero_sorted() const {
    std::vector<std::pair<Key, std::int64_t>> out;
    out.reserve(deltas_.size());
    for (const auto& [key, delta] : deltas_) {
        if (delta != 0) out.emplace_back(key, delta);
    }
    return out;  // std::map iterates in ascending key order
}

}  // namespace pgcpp::core
