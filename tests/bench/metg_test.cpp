// METG interpolation (Task Bench's rule) and the reading of sweep rows from runner CSV files.
#include "schedlab/bench/metg.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
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
  EXPECT_EQ(sweeps[0].trace, TraceLevel::kTasks);  // a file from before the trace column
  ASSERT_EQ(sweeps[0].runs.size(), 3u);
  // 1000 tasks x 256 units = 256000 total; Tp = 0.0002 s on 2 workers -> g = 0.4 us.
  const auto points = sweep_points(sweeps[0], Scoring::kSchedlab, Repeats::kMean);
  EXPECT_EQ(points[0].task_units, 256u);
  EXPECT_NEAR(points[0].granularity_seconds, 0.4e-6, 1e-15);
  EXPECT_NEAR(points[0].efficiency, 0.9, 1e-12);
  EXPECT_EQ(sweeps[2].strategy, "cyclic,4");
  EXPECT_EQ(sweep_name(sweeps[2]), "MPI cyclic,4");
}

TEST(ReadSweeps, WithoutTheMeanColumnsTheFastestRepeatStandsIn) {
  const auto sweeps = read_sweeps({SCHEDLAB_BENCH_TEST_DATA "/sweep.csv"});
  const SweepRun& run = sweeps[0].runs[0];
  EXPECT_DOUBLE_EQ(run.tp_mean, run.tp_min);
  EXPECT_DOUBLE_EQ(run.t1_mean, run.t1_min);
}

TEST(ReadSweeps, KeepsTheFasterRunOfASizeMeasuredTwice) {
  const auto sweeps = read_sweeps({SCHEDLAB_BENCH_TEST_DATA "/sweep.csv"});
  // dynamic,1 at 64 units appears twice (0.000120 s and 0.000100 s): the faster is kept.
  ASSERT_EQ(sweeps[1].runs.size(), 2u);
  EXPECT_EQ(sweeps[1].runs[1].task_units, 64u);
  EXPECT_NEAR(sweep_points(sweeps[1], Scoring::kSchedlab, Repeats::kMin)[1].granularity_seconds,
              0.2e-6, 1e-15);
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

// ---- Task Bench's scoring, the status rules, rounds, metg.csv --------------------------

TEST(PeakEfficiency, IsUnitsOverWorkersTimesWallTimesPeak) {
  // 2e8 units in 1 s on 2 workers of 1e8 units/s each: exactly the peak.
  EXPECT_DOUBLE_EQ(peak_efficiency(200'000'000, 2, 1.0, 1e8), 1.0);
  EXPECT_DOUBLE_EQ(peak_efficiency(100'000'000, 2, 1.0, 1e8), 0.5);
  EXPECT_DOUBLE_EQ(peak_efficiency(100, 2, 1.0, 0.0), 0.0);  // no peak: no efficiency
  EXPECT_DOUBLE_EQ(peak_efficiency(100, 2, 0.0, 1e8), 0.0);
}

TEST(SweepPoints, ScoresEachPointFromTheMeanOrTheFastestRepeat) {
  Sweep s{"schedlab-omp", "static", 2, TraceLevel::kOff, {}};
  // 1000 tasks of 16 units; mean Tp 0.2 ms, fastest 0.18 ms; T1 0.192 ms mean, 0.1824 fastest.
  s.runs.push_back({16, 1000, 16000, 0.2e-3, 0.18e-3, 0.192e-3, 0.1824e-3});
  const auto own = sweep_points(s, Scoring::kSchedlab, Repeats::kMean);
  const auto own_min = sweep_points(s, Scoring::kSchedlab, Repeats::kMin);
  const auto tb = sweep_points(s, Scoring::kPeak, Repeats::kMean, 1e8);
  const auto tb_min = sweep_points(s, Scoring::kPeak, Repeats::kMin, 1e8);
  EXPECT_NEAR(own[0].granularity_seconds, 0.4e-6, 1e-15);  // 0.2 ms * 2 / 1000
  EXPECT_NEAR(own_min[0].granularity_seconds, 0.36e-6, 1e-15);
  EXPECT_NEAR(own[0].efficiency, 0.192 / 0.4, 1e-12);  // T1 / (P Tp)
  EXPECT_NEAR(own_min[0].efficiency, 0.1824 / 0.36, 1e-12);
  EXPECT_NEAR(tb[0].efficiency, 16000 / (2 * 0.2e-3 * 1e8), 1e-12);  // units / (P Tp peak)
  EXPECT_NEAR(tb_min[0].efficiency, 16000 / (2 * 0.18e-3 * 1e8), 1e-12);
  EXPECT_DOUBLE_EQ(tb[0].granularity_seconds, own[0].granularity_seconds);  // same g
}

TEST(MetgStatusText, IsWhatMetgCsvSays) {
  EXPECT_EQ(to_string(MetgStatus::kReached), "measured");
  EXPECT_EQ(to_string(MetgStatus::kBelowRange), "bound");
  EXPECT_EQ(to_string(MetgStatus::kNeverReached), "not-reached");
}

TEST(CombineRounds, MedianAndSpreadOfMeasuredRounds) {
  const RoundsMetg m = combine_rounds({{MetgStatus::kReached, 0.30e-6},
                                       {MetgStatus::kReached, 0.10e-6},
                                       {MetgStatus::kReached, 0.20e-6}});
  EXPECT_EQ(m.status, MetgStatus::kReached);
  EXPECT_DOUBLE_EQ(m.median_seconds, 0.20e-6);
  EXPECT_DOUBLE_EQ(m.low_seconds, 0.10e-6);
  EXPECT_DOUBLE_EQ(m.high_seconds, 0.30e-6);
  ASSERT_EQ(m.rounds.size(), 3u);
  EXPECT_DOUBLE_EQ(m.rounds[0].seconds, 0.30e-6);  // per round, in round order
}

TEST(CombineRounds, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  const RoundsMetg m = combine_rounds({{MetgStatus::kReached, 4e-6},
                                       {MetgStatus::kReached, 1e-6},
                                       {MetgStatus::kReached, 2e-6},
                                       {MetgStatus::kReached, 3e-6}});
  EXPECT_DOUBLE_EQ(m.median_seconds, 2.5e-6);
}

TEST(Metg, NoSmallerTaskBelowTheThresholdIsABoundEvenWhenItsGIsLarger) {
  // The 4-unit tasks took longer per task than the 16-unit ones but still ran at E 0.6: the
  // efficiency never fell below 50% in the sweep, so nothing crossed - a bound, not a METG.
  const Metg m =
      minimum_effective_granularity({{64, 0.5e-6, 0.9}, {16, 0.1e-6, 0.8}, {4, 0.2e-6, 0.6}}, 0.5);
  EXPECT_EQ(m.status, MetgStatus::kBelowRange);
  EXPECT_DOUBLE_EQ(m.seconds, 0.1e-6);
  // With a 1-unit point below 50% the sweep crossed: the smallest g above 50% is the METG.
  const Metg crossed = minimum_effective_granularity(
      {{64, 0.5e-6, 0.9}, {16, 0.1e-6, 0.8}, {4, 0.2e-6, 0.6}, {1, 0.3e-6, 0.1}}, 0.5);
  EXPECT_EQ(crossed.status, MetgStatus::kReached);
  EXPECT_DOUBLE_EQ(crossed.seconds, 0.1e-6);
}

TEST(CombineRounds, ABoundAtTheMiddleLeavesABoundNeverAMeasuredValue) {
  // Rounds 0.3 (measured), < 0.1 and < 0.25: the median lies anywhere from 0 to 0.25.
  const RoundsMetg m = combine_rounds({{MetgStatus::kReached, 0.3e-6},
                                       {MetgStatus::kBelowRange, 0.1e-6},
                                       {MetgStatus::kBelowRange, 0.25e-6}});
  EXPECT_EQ(m.status, MetgStatus::kBelowRange);
  EXPECT_DOUBLE_EQ(m.median_seconds, 0.25e-6);  // the median of the numbers, a bound
  EXPECT_EQ(combine_rounds({{MetgStatus::kBelowRange, 0.1e-6}}).status, MetgStatus::kBelowRange);
}

TEST(CombineRounds, ABoundBelowTheMiddleLeavesTheMedianMeasured) {
  // Rounds 0.3, < 0.1, 0.2: wherever the bound's true value lies (0 .. 0.1), the sorted
  // rounds read (x, 0.2, 0.3): the median is exactly 0.2, a measured round's value.
  const RoundsMetg m = combine_rounds({{MetgStatus::kReached, 0.3e-6},
                                       {MetgStatus::kBelowRange, 0.1e-6},
                                       {MetgStatus::kReached, 0.2e-6}});
  EXPECT_EQ(m.status, MetgStatus::kReached);
  EXPECT_DOUBLE_EQ(m.median_seconds, 0.2e-6);
  EXPECT_DOUBLE_EQ(m.low_seconds, 0.1e-6);
  EXPECT_DOUBLE_EQ(m.high_seconds, 0.3e-6);
  // A bound above a measured middle still leaves it unknown: 0.2, < 0.3, 0.1 -> 0..0.2.
  EXPECT_EQ(combine_rounds({{MetgStatus::kReached, 0.2e-6},
                            {MetgStatus::kBelowRange, 0.3e-6},
                            {MetgStatus::kReached, 0.1e-6}})
                .status,
            MetgStatus::kBelowRange);
}

TEST(CombineRounds, ANotReachedRoundCountsAsAnywhereAboveZero) {
  // A not-reached round carries no number: its METG may be anything, so 0.3, 0.2 and a
  // not-reached round leave the median between 0.2 and 0.3 - not measured.
  const RoundsMetg m = combine_rounds({{MetgStatus::kReached, 0.3e-6},
                                       {MetgStatus::kReached, 0.2e-6},
                                       {MetgStatus::kNeverReached, 0.0}});
  EXPECT_EQ(m.status, MetgStatus::kNeverReached);
}

TEST(CombineRounds, NotReachedInAnyRoundIsNotReached) {
  const RoundsMetg m = combine_rounds({{MetgStatus::kReached, 0.3e-6},
                                       {MetgStatus::kBelowRange, 0.1e-6},
                                       {MetgStatus::kNeverReached, 0.0}});
  EXPECT_EQ(m.status, MetgStatus::kNeverReached);
  EXPECT_EQ(combine_rounds({}).status, MetgStatus::kNeverReached);
}

namespace {
std::vector<Round> fixture_rounds(double peak = 1e8) {
  std::vector<Round> rounds;
  for (const char* name : {"/rounds/round1.csv", "/rounds/round2.csv", "/rounds/round3.csv"}) {
    rounds.push_back({read_sweeps({std::string(SCHEDLAB_BENCH_TEST_DATA) + name}), peak});
  }
  return rounds;
}
}  // namespace

TEST(MetgOverRounds, FixtureSweepMeasuredBoundAndNotReached) {
  // tests/bench/data/rounds/make_rounds.py: the values below, in microseconds.
  const auto strategies = metg_over_rounds(fixture_rounds());
  ASSERT_EQ(strategies.size(), 3u);
  const StrategyMetg& omp_static = strategies[0];
  EXPECT_EQ(sweep_name(omp_static.first), "OpenMP static");
  EXPECT_EQ(omp_static.first.trace, TraceLevel::kOff);
  EXPECT_EQ(omp_static.round_index.size(), 3u);
  const RoundsMetg& tb = omp_static.at(Scoring::kPeak, Repeats::kMean);
  EXPECT_EQ(tb.status, MetgStatus::kReached);
  ASSERT_EQ(tb.rounds.size(), 3u);
  EXPECT_NEAR(tb.rounds[0].seconds * 1e6, 0.183333, 1e-5);
  EXPECT_NEAR(tb.rounds[1].seconds * 1e6, 0.180952, 1e-5);
  EXPECT_NEAR(tb.rounds[2].seconds * 1e6, 0.189899, 1e-5);
  EXPECT_NEAR(tb.median_seconds * 1e6, 0.183333, 1e-5);
  EXPECT_NEAR(tb.low_seconds * 1e6, 0.180952, 1e-5);
  EXPECT_NEAR(tb.high_seconds * 1e6, 0.189899, 1e-5);

  const RoundsMetg& dyn = strategies[1].at(Scoring::kPeak, Repeats::kMean);
  // Rounds 2 and 3 are bounds, so the median lies anywhere from 0 to 0.077: never "measured".
  EXPECT_EQ(dyn.status, MetgStatus::kBelowRange);
  EXPECT_EQ(dyn.rounds[1].status, MetgStatus::kBelowRange);
  EXPECT_EQ(dyn.rounds[2].status, MetgStatus::kBelowRange);
  EXPECT_NEAR(dyn.median_seconds * 1e6, 0.076923, 1e-5);
  EXPECT_NEAR(dyn.rounds[0].seconds * 1e6, 0.222222, 1e-5);

  const RoundsMetg& mpi = strategies[2].at(Scoring::kPeak, Repeats::kMean);
  EXPECT_EQ(mpi.status, MetgStatus::kNeverReached);
  EXPECT_NEAR(mpi.rounds[0].seconds * 1e6, 0.462222, 1e-5);
  // schedlab's own scoring of the same runs reads 1.2x better here (12 ns serial units).
  EXPECT_EQ(strategies[2].at(Scoring::kSchedlab, Repeats::kMean).status, MetgStatus::kReached);
}

TEST(MetgOverRounds, ThePeakOfEachRoundScoresThatRound) {
  auto rounds = fixture_rounds();
  rounds[1].peak_units_per_second = 2e8;  // twice the peak: every E of round 2 halves
  const auto strategies = metg_over_rounds(rounds);
  const RoundsMetg& tb = strategies[0].at(Scoring::kPeak, Repeats::kMean);
  EXPECT_NEAR(tb.rounds[0].seconds * 1e6, 0.183333, 1e-5);  // round 1 unchanged
  // Round 2: E 0.4, 0.35, 0.15 at 64, 16, 4 units: below 50% everywhere.
  EXPECT_EQ(tb.rounds[1].status, MetgStatus::kNeverReached);
  EXPECT_EQ(tb.status, MetgStatus::kNeverReached);
  EXPECT_EQ(strategies[0].peaks[1], 2e8);
  // schedlab's own scoring does not use the peak.
  EXPECT_EQ(strategies[0].at(Scoring::kSchedlab, Repeats::kMean).rounds[1].status,
            metg_over_rounds(fixture_rounds())[0]
                .at(Scoring::kSchedlab, Repeats::kMean)
                .rounds[1]
                .status);
}

TEST(MetgOverRounds, WithoutAPeakTaskBenchsScoringIsAbsent) {
  const auto strategies = metg_over_rounds(fixture_rounds(0.0));
  EXPECT_FALSE(strategies[0].has_peak);
  EXPECT_EQ(strategies[0].at(Scoring::kSchedlab, Repeats::kMean).rounds.size(), 3u);
}

TEST(MetgCsv, ColumnsInOrderAndOneRowPerStrategy) {
  const std::string csv = metg_csv(metg_over_rounds(fixture_rounds()), "Test CPU, 2 GHz");
  std::istringstream in(csv);
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("strategy,metg_us,metg_peak_us,status,rounds,cpu_model,", 0), 0u)
      << header;
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) rows.push_back(split_csv_line(line));
  ASSERT_EQ(rows.size(), 3u);
  const auto columns = split_csv_line(header);
  const auto col = [&](std::size_t row, const std::string& name) {
    const auto it = std::find(columns.begin(), columns.end(), name);
    EXPECT_NE(it, columns.end()) << name;
    return rows[row][static_cast<std::size_t>(it - columns.begin())];
  };
  EXPECT_EQ(col(0, "strategy"), "OpenMP static");
  EXPECT_EQ(col(0, "metg_peak_us"), "0.1833");
  EXPECT_EQ(col(0, "status"), "measured");
  EXPECT_EQ(col(0, "rounds"), "3");
  EXPECT_EQ(col(0, "cpu_model"), "Test CPU, 2 GHz");  // quoted in the file, whole here
  EXPECT_EQ(col(0, "workers"), "2");
  EXPECT_EQ(col(0, "trace"), "off");
  EXPECT_EQ(col(0, "metg_peak_low_us"), "0.1810");
  EXPECT_EQ(col(0, "metg_peak_high_us"), "0.1899");
  EXPECT_EQ(col(1, "strategy"), "OpenMP dynamic,1");
  EXPECT_EQ(col(1, "status"), "bound");
  EXPECT_EQ(col(1, "metg_peak_us"), "0.0769");  // a bound's number stays, the status says so
  EXPECT_EQ(col(2, "status"), "not-reached");
  EXPECT_EQ(col(2, "metg_peak_us"), "");  // no number for not-reached
  EXPECT_EQ(col(2, "metg_status"), "measured");
  for (const auto& name : {"metg_us", "metg_us_minrep", "peak_units_per_s"}) {
    EXPECT_NO_THROW((void)std::stod(col(0, name))) << name;  // numeric columns stay numeric
  }
}

TEST(MetgRoundsCsv, OneRowPerStrategyPerRoundInRoundOrder) {
  const std::string csv = metg_rounds_csv(metg_over_rounds(fixture_rounds()), "cpu");
  std::istringstream in(csv);
  std::string line;
  std::vector<std::vector<std::string>> rows;
  std::getline(in, line);
  EXPECT_EQ(line.rfind("round,strategy,metg_us,metg_peak_us,status,", 0), 0u) << line;
  while (std::getline(in, line)) rows.push_back(split_csv_line(line));
  ASSERT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows[0][0], "1");
  EXPECT_EQ(rows[4][0], "2");
  EXPECT_EQ(rows[4][1], "OpenMP dynamic,1");
  EXPECT_EQ(rows[4][4], "bound");
  EXPECT_EQ(rows[8][1], "MPI static");
  EXPECT_EQ(rows[8][4], "not-reached");
}

TEST(CpuModelName, ReadsTheFirstModelNameLine) {
  const std::string path = testing::TempDir() + "/cpuinfo";
  {
    std::ofstream out(path);
    out << "processor\t: 0\nmodel name\t: AMD EPYC 7B13  \nprocessor\t: 1\n"
        << "model name\t: other\n";
  }
  EXPECT_EQ(cpu_model_name(path), "AMD EPYC 7B13");
  EXPECT_EQ(cpu_model_name("/does/not/exist"), "unknown");
  std::remove(path.c_str());
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("static"), "static");
  EXPECT_EQ(csv_field("dynamic,1"), "\"dynamic,1\"");
  EXPECT_EQ(csv_field("a \"b\""), "\"a \"\"b\"\"\"");
}

TEST(MeasurePeak, GivesAPositiveRatePerWorker) {
  const PeakMeasurement peak = measure_peak(2, 1 << 14, 2);
  EXPECT_GT(peak.units_per_second, 0.0);
  EXPECT_EQ(peak.workers, 2);
  EXPECT_EQ(peak.repeats, 2);
}
