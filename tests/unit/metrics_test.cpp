// Metrics against hand-computed cases.
#include "schedlab/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace schedlab;

TEST(Metrics, MedianOfOddEvenAndEmptyLists) {
  EXPECT_DOUBLE_EQ(median({3.0, 1.0, 2.0}), 2.0);
  EXPECT_DOUBLE_EQ(median({4.0, 1.0, 3.0, 2.0}), 2.5);  // the mean of the middle two
  EXPECT_DOUBLE_EQ(median({7.0}), 7.0);
  EXPECT_DOUBLE_EQ(median({}), 0.0);
}

TEST(Metrics, SpeedupAndEfficiency) {
  EXPECT_DOUBLE_EQ(speedup(12.0, 3.0), 4.0);
  EXPECT_DOUBLE_EQ(efficiency(12.0, 3.0, 8), 0.5);
}

TEST(Metrics, LoadBalanceIsMeanOverMax) {
  EXPECT_DOUBLE_EQ(load_balance({2.0, 2.0}), 1.0);
  EXPECT_DOUBLE_EQ(load_balance({3.0, 1.0}), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(load_balance({4.0, 0.0, 0.0, 0.0}), 0.25);
}

TEST(Metrics, LowerBoundIsWorkOverPOrLongestTask) {
  // 4 tasks 8,1,1,1 on 2 workers: sum/P = 5.5, longest = 8 -> 8.
  EXPECT_DOUBLE_EQ(lower_bound_seconds({8, 1, 1, 1}, 2), 8.0);
  // 4 equal tasks of 2 on 2 workers: sum/P = 4.
  EXPECT_DOUBLE_EQ(lower_bound_seconds({2, 2, 2, 2}, 2), 4.0);
}

TEST(Metrics, KarpFlatt) {
  // S = 3 on P = 4: (1/3 - 1/4) / (1 - 1/4) = 1/9.
  EXPECT_NEAR(karp_flatt(3.0, 4), 1.0 / 9.0, 1e-12);
  // Perfect speedup: no serial fraction.
  EXPECT_NEAR(karp_flatt(4.0, 4), 0.0, 1e-12);
  EXPECT_TRUE(std::isnan(karp_flatt(1.0, 1)));
}

TEST(Metrics, ComputeMetricsCombinesThem) {
  const Metrics m = compute_metrics(10.0, 6.0, 2, {5.0, 4.0}, {8.0, 1.0, 1.0});
  EXPECT_DOUBLE_EQ(m.speedup, 10.0 / 6.0);
  EXPECT_DOUBLE_EQ(m.efficiency, 10.0 / 12.0);
  EXPECT_DOUBLE_EQ(m.load_balance, 4.5 / 5.0);
  EXPECT_DOUBLE_EQ(m.lower_bound, 8.0);
  EXPECT_DOUBLE_EQ(m.tp_over_lower_bound, 6.0 / 8.0);
}
