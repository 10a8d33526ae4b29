// Dense ordering of positioned rows (itinerary items per trip and day,
// collection items per collection): positions are 0..n-1 in every group.
//
// Every change is planned as the target position of the moved row plus range
// shifts of its neighbours, so the database applies it with a few ranged
// UPDATEs under one lock per trip (or collection) instead of rewriting a day.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace tripos::domain {

// All positions from `from` to `to` inclusive in group `group` move by `delta`.
struct Shift {
    int group;
    int from;
    int to;
    int delta;
};

inline constexpr int kEndOfGroup = std::numeric_limits<int>::max();

struct Placement {
    int group;
    int position;
};

struct OrderPlan {
    Placement target;            // where the row itself goes
    std::vector<Shift> shifts;   // applied to the other rows of the groups
};

// Position a new row takes in a group of `count` rows when `requested` is
// asked for: nothing, or anything past the end, appends; below 0 is refused.
int insert_position(std::optional<int> requested, int count);

// A new row at `requested` in `group` (which holds `count` rows).
OrderPlan plan_insert(int group, std::optional<int> requested, int count);

// A row at `from` moves to `to_group` at `requested`. `target_count` is the
// number of rows in `to_group` not counting the moving row.
OrderPlan plan_move(Placement from, int to_group, std::optional<int> requested, int target_count);

// A row at `at` leaves its group.
Shift plan_delete(Placement at);

// New positions for a group whose rows, in their current order, hold
// `positions` (possibly with gaps or duplicates after deletes): returns, for
// every row whose position changes, its index in the input and its new
// position 0..n-1.
std::vector<std::pair<std::size_t, int>> compact(const std::vector<int>& positions);

}  // namespace tripos::domain
