#include "core/counter_deltas.hpp"

#include <gtest/gtest.h>

using namespace pgcpp::core;

namespace {
Key key(unsigned char first, unsigned char last = 0) {
    Key k{};
    k[0] = first;
    k[15] = last;
    return k;
}
}  // namespace

TEST(CountDeltas, InsertsAddUpPerParent) {
    CountDeltas d;
    for (int i = 0; i < 20000; ++i) d.added(key(7));
    d.added(key(3));
    const auto out = d.nonzero_sorted();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].first, key(3));
    EXPECT_EQ(out[0].second, 1);
    EXPECT_EQ(out[1].first, key(7));
    EXPECT_EQ(out[1].second, 20000);
    EXPECT_EQ(d.rows_seen(), 20001);
}

TEST(CountDeltas, UpdateNotMovingWritesNothing) {
    CountDeltas d;
    // old row and new row in the same parent
    d.removed(key(1));
    d.added(key(1));
    EXPECT_TRUE(d.nonzero_sorted().empty());
}

TEST(CountDeltas, MoveIsMinusOnePlusOne) {
    CountDeltas d;
    d.removed(key(9));
    d.added(key(2));
    const auto out = d.nonzero_sorted();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0], std::make_pair(key(2), std::int64_t{1}));
    EXPECT_EQ(out[1], std::make_pair(key(9), std::int64_t{-1}));
}

TEST(CountDeltas, SortedByteWiseLikeUuidOrder) {
    CountDeltas d;
    d.added(key(0xff));
    d.added(key(0x00, 0xff));
    d.added(key(0x00, 0x01));
    d.added(key(0x80));
    const auto out = d.nonzero_sorted();
    ASSERT_EQ(out.size(), 4u);
    for (std::size_t i = 1; i < out.size(); ++i) EXPECT_LT(out[i - 1].first, out[i].first);
}

TEST(CountDeltas, EmptyStatement) {
    CountDeltas d;
    EXPECT_TRUE(d.nonzero_sorted().empty());
    EXPECT_EQ(d.rows_seen(), 0);
}
