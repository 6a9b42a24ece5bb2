// The kernel: deterministic, dependent on n, and cost linear in n.
#include "schedlab/kernel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

TEST(Kernel, GoldenValues) {
  // Pinned values: a change here changes every checksum ever recorded.
  EXPECT_EQ(schedlab::spin(0), 0x9E3779B97F4A7C15ULL);
  EXPECT_EQ(schedlab::spin(12'000'000), 0x491133c5bc3475b0ULL);
}

TEST(Kernel, SameInputSameResult) { EXPECT_EQ(schedlab::spin(100'000), schedlab::spin(100'000)); }

TEST(Kernel, ResultDependsOnN) {
  std::set<std::uint64_t> seen;
  for (std::uint64_t n = 0; n < 1000; ++n) seen.insert(schedlab::spin(n));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Kernel, AChainAdvancedInPiecesEqualsOneCall) {
  for (const std::uint64_t n : {0ULL, 1ULL, 7ULL, 4096ULL, 100'003ULL}) {
    for (const std::uint64_t first : {std::uint64_t{0}, std::min<std::uint64_t>(1, n), n / 3, n}) {
      schedlab::SpinChain chain;
      chain.advance(first).advance(n - first);
      EXPECT_EQ(chain.value(), schedlab::spin(n)) << "n " << n << ", split at " << first;
      EXPECT_EQ(chain.units_done(), n);
    }
  }
  schedlab::SpinChain many;  // 1000 pieces of 1 unit
  for (int i = 0; i < 1000; ++i) many.advance(1);
  EXPECT_EQ(many.value(), schedlab::spin(1000));
}
