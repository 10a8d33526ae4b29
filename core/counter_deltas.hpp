// Per-parent deltas of a maintained count (group_size, total_customers).
//
// A statement-level trigger reads the rows a statement inserted, deleted or
// updated (its transition tables), adds +1 per new row and -1 per old row to
// the row's parent key, and applies the net result: one UPDATE per parent
// whose net delta is not zero, in ascending key order. Sorting makes every
// transaction lock parents in the same order (no deadlocks between two
// statements touching the same parents); netting makes an UPDATE that does not
// move a row between parents write nothing, and a move write -1/+1.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace pgcpp::core {

// A parent key: a UUID's 16 bytes. Byte-wise order is PostgreSQL's uuid order.
using Key = std::array<unsigned char, 16>;

class CountDeltas {
public:
    void add(const Key& key, std::int64_t delta);
    void added(const Key& key) { add(key, +1); }
    void removed(const Key& key) { add(key, -1); }

    // Non-zero net deltas in ascending key order.
    std::vector<std::pair<Key, std::int64_t>> nonzero_sorted() const;

    // Rows seen (old and new), whatever their net effect.
    std::int64_t rows_seen() const noexcept { return rows_seen_; }

private:
    std::map<Key, std::int64_t> deltas_;
    std::int64_t rows_seen_ = 0;
};

}  // namespace pgcpp::core
