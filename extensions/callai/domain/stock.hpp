// Inventory arithmetic: stock deltas of order changes, the never-negative
// rule, and the availability a product's quantity implies.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace callai::domain {

using Uuid = std::array<unsigned char, 16>;

// Net stock movement per item (a product or a variant), applied in ascending
// (table, id) order so concurrent orders lock items in one order.
struct StockItem {
    bool variant;  // false: products, true: product_variants
    Uuid id;
    friend bool operator<(const StockItem& a, const StockItem& b) {
        return std::pair(a.variant, a.id) < std::pair(b.variant, b.id);
    }
};

class StockDeltas {
public:
    // quantity units leave stock (reserve) or come back (restore).
    void reserve(const StockItem& item, std::int64_t quantity) { add(item, -quantity); }
    void restore(const StockItem& item, std::int64_t quantity) { add(item, quantity); }
    std::vector<std::pair<StockItem, std::int64_t>> nonzero_sorted() const;

private:
    void add(const StockItem& item, std::int64_t delta);
    std::map<StockItem, std::int64_t> deltas_;
};

// on_hand + delta; refuses (23514, naming the item) to go below zero.
std::int64_t apply_stock_delta(std::int64_t on_hand, std::int64_t delta, const std::string& item);

// The product_availability enum.
enum class Availability { InStock, OutOfStock, LowStock, Backorder, Discontinued };
Availability parse_availability(const std::string& label);
const char* availability_label(Availability value);

// What a tracked item's quantity says: out_of_stock at 0, low_stock at or
// below the store's threshold, in_stock above. Untracked items keep what was
// set; discontinued and backorder are decisions, kept while stock is 0
// (backorder) or always (discontinued).
Availability derive_availability(bool tracked, std::int64_t quantity, std::int64_t threshold,
                                 Availability requested);

}  // namespace callai::domain
