// The kernel: deterministic, dependent on n, and cost linear in n.
#include "schedlab/kernel.hpp"

#include <gtest/gtest.h>

#include <set>

TEST(Kernel, GoldenValues) {
  // Pinned values: a change here changes every checksum ever recorded.
  EXPECT_EQ(schedlab::spin(0), 0x9E3779B97F4A7C15ULL);
  EXPECT_EQ(schedlab::spin(12'000'000), 0x491133c5bc3475b0ULL);
}

TEST(Kernel, SameInputSameResult) {
  EXPECT_EQ(schedlab::spin(100'000), schedlab::spin(100'000));
}

TEST(Kernel, ResultDependsOnN) {
  std::set<std::uint64_t> seen;
  for (std::uint64_t n = 0; n < 1000; ++n) seen.insert(schedlab::spin(n));
  EXPECT_EQ(seen.size(), 1000u);
}
