// METG interpolation (Task Bench's rule) and the reading of sweep rows from runner CSV files.
#include "schedlab/bench/metg.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "schedlab/errors.hpp"
#include "schedlab/output/csv.hpp"

using namespace schedlab;

namespace {
// A sweep whose efficiency falls as tasks shrink: sizes 1024..64 units, g in microseconds.
std::vector<GranularityPoint> falling_sweep() {
  return {{1024, 8.0e-6, 0.95},
          {512, 4.2e-6, 0.90},
          {256, 2.4e-6, 0.70},
          {128, 1.6e-6, 0.40},
          {64, 1.2e-6, 0.20}};
}
}  // namespace

TEST(MeanTaskGranularity, IsWallTimesWorkersOverTasks) {
  EXPECT_DOUBLE_EQ(mean_task_granularity(0.5, 2, 1000), 1e-3);
  EXPECT_DOUBLE_EQ(mean_task_granularity(1.0, 4, 0), 0.0);
}

TEST(Metg, InterpolatesLinearlyBetweenThePointsAroundTheThreshold) {
  // 0.70 at 2.4 us and 0.40 at 1.6 us: E = 0.5 lies 1/3 of the way up from 1.6 us.
  const Metg m = minimum_effective_granularity(falling_sweep(), 0.5);
  ASSERT_EQ(m.status, MetgStatus::kReached);
  EXPECT_NEAR(m.seconds, 1.6e-6 + (0.1 / 0.3) * 0.8e-6, 1e-15);
}

TEST(Metg, DoesNotDependOnTheOrderOfThePoints) {
  auto points = falling_sweep();
  std::swap(points[0], points[4]);
  std::swap(points[1], points[3]);
  EXPECT_DOUBLE_EQ(minimum_effective_granularity(points, 0.5).seconds,
                   minimum_effective_granularity(falling_sweep(), 0.5).seconds);
}

TEST(Metg, APointExactlyAtTheThresholdCounts) {
  const Metg m =
      minimum_effective_granularity({{256, 2.0e-6, 0.9}, {128, 1.0e-6, 0.5}, {64, 0.8e-6, 0.3}});
  ASSERT_EQ(m.status, MetgStatus::kReached);
  EXPECT_DOUBLE_EQ(m.seconds, 1.0e-6);
}

TEST(Metg, OtherThresholdsUseTheSameRule) {
  // E = 0.9 is reached at 512 units (4.2 us); 256 units (0.70, 2.4 us) is below it.
  const Metg m = minimum_effective_granularity(falling_sweep(), 0.9);
  ASSERT_EQ(m.status, MetgStatus::kReached);
  EXPECT_DOUBLE_EQ(m.seconds, 4.2e-6);
}

TEST(Metg, NeverReachedWhenEveryPointIsBelowTheThreshold) {
  const Metg m = minimum_effective_granularity({{1024, 8e-6, 0.45}, {512, 5e-6, 0.3}});
  EXPECT_EQ(m.status, MetgStatus::kNeverReached);
  EXPECT_EQ(describe_metg_us(m), "not reached");
  EXPECT_EQ(minimum_effective_granularity({}).status, MetgStatus::kNeverReached);
}

TEST(Metg, BelowRangeRatherThanExtrapolatedWhenTheSweepStopsAboveThreshold) {
  // Efficiency still 0.6 at the smallest size: METG is smaller than 1.2 us, but by how much
  // is not measured, so it is reported as a bound.
  const Metg m = minimum_effective_granularity({{256, 2.4e-6, 0.9}, {128, 1.2e-6, 0.6}});
  ASSERT_EQ(m.status, MetgStatus::kBelowRange);
  EXPECT_DOUBLE_EQ(m.seconds, 1.2e-6);
  EXPECT_EQ(describe_metg_us(m), "< 1.200");
}

TEST(Metg, NoInterpolationWhenTheNextSmallerTaskTakesLongerPerTask) {
  // Overhead so high that 64-unit tasks take longer per task than 128-unit ones.
  const Metg m = minimum_effective_granularity({{128, 1.0e-6, 0.6}, {64, 1.5e-6, 0.2}});
  ASSERT_EQ(m.status, MetgStatus::kReached);
  EXPECT_DOUBLE_EQ(m.seconds, 1.0e-6);
}

TEST(Metg, TakesTheSmallestGranularityAboveThresholdDespiteANoisyDip) {
  // A dip to 0.45 at 512 units, then 0.6 at 256: the smallest g with E >= 0.5 is 256's.
  const Metg m = minimum_effective_granularity(
      {{1024, 8e-6, 0.9}, {512, 4.5e-6, 0.45}, {256, 2.2e-6, 0.6}, {128, 1.4e-6, 0.3}});
  ASSERT_EQ(m.status, MetgStatus::kReached);
  EXPECT_NEAR(m.seconds, 1.4e-6 + (0.2 / 0.3) * 0.8e-6, 1e-15);
}

TEST(SplitCsvLine, HandlesQuotedCommasAndQuotes) {
  const auto f = split_csv_line(R"(1,"cyclic,4","a ""b""",,x)");
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[1], "cyclic,4");
  EXPECT_EQ(f[2], "a \"b\"");
  EXPECT_EQ(f[3], "");
  EXPECT_EQ(f[4], "x");
}

TEST(ReadSweeps, GroupsRowsByStrategyAndSkipsTheBaseline) {
  const auto sweeps = read_sweeps({SCHEDLAB_BENCH_TEST_DATA "/sweep.csv"});
  ASSERT_EQ(sweeps.size(), 3u);
  EXPECT_EQ(sweeps[0].runner, "schedlab-omp");
  EXPECT_EQ(sweeps[0].strategy, "static");
  EXPECT_EQ(sweeps[0].workers, 2);
  ASSERT_EQ(sweeps[0].points.size(), 3u);
  // 1000 tasks x 256 units = 256000 total; Tp = 0.0002 s on 2 workers -> g = 0.4 us.
  EXPECT_EQ(sweeps[0].points[0].task_units, 256u);
  EXPECT_NEAR(sweeps[0].points[0].granularity_seconds, 0.4e-6, 1e-15);
  EXPECT_EQ(sweeps[2].strategy, "cyclic,4");
}

TEST(ReadSweeps, KeepsTheFasterRunOfASizeMeasuredTwice) {
  const auto sweeps = read_sweeps({SCHEDLAB_BENCH_TEST_DATA "/sweep.csv"});
  // dynamic,1 at 64 units appears twice (0.000120 s and 0.000100 s): the faster is kept.
  ASSERT_EQ(sweeps[1].points.size(), 2u);
  EXPECT_EQ(sweeps[1].points[1].task_units, 64u);
  EXPECT_NEAR(sweeps[1].points[1].granularity_seconds, 0.2e-6, 1e-15);
}

TEST(ReadSweeps, RejectsARowWithTooFewFieldsNamingTheLine) {
  const std::string path = testing::TempDir() + "/short_row.csv";
  {
    std::ofstream out(path);
    // A complete header (the one reader requires every schema column), then a short row.
    out << csv_header() << "\n1,schedlab-omp,static,uniform,10\n";
  }
  try {
    read_sweeps({path});
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("short_row.csv:2"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

TEST(ReadSweeps, RejectsAFileThatIsNotARunnerCsv) {
  EXPECT_THROW(read_sweeps({SCHEDLAB_BENCH_TEST_DATA "/not-a-sweep.csv"}), UsageError);
  EXPECT_THROW(read_sweeps({"/does/not/exist.csv"}), UsageError);
}
