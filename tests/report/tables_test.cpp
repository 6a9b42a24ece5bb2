// Comparison tables from the fixture, against speedups and bounds worked out by hand.
#include "schedlab/report/tables.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "report_test_helpers.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/report/predict.hpp"

using namespace schedlab::report;
using schedlab_test::data;

TEST(Tables, GroupsByTaskListAndWorkersFastestFirst) {
  const Tables t = build_tables(read_csv(data("results.csv")), 2);
  ASSERT_EQ(t.groups.size(), 2u);
  const TableGroup& g = t.groups[0];
  EXPECT_EQ(g.key.workload, "file:tasks-8111.txt");
  EXPECT_EQ(g.workers, 2);
  ASSERT_EQ(g.rows.size(), 4u);
  EXPECT_EQ(g.rows[0].label, "omp dynamic,1");
  EXPECT_EQ(g.rows[1].label, "mpi master-worker,1");
  EXPECT_EQ(g.rows[2].label, "omp static");
  EXPECT_EQ(g.rows[3].label, "mpi static");
  // omp static: T1 11 s, Tp 9 s, L = max(11/2, 8) = 8.
  const TableRow& s = g.rows[2];
  EXPECT_DOUBLE_EQ(s.speedup, 11.0 / 9.0);
  EXPECT_DOUBLE_EQ(s.efficiency, 11.0 / 18.0);
  EXPECT_DOUBLE_EQ(s.tp_over_lower_bound, 9.0 / 8.0);
  EXPECT_NEAR(s.karp_flatt, (9.0 / 11.0 - 0.5) / 0.5, 1e-12);
  // mpi static uses its own run's T1 (12 s), not omp's.
  EXPECT_DOUBLE_EQ(g.rows[3].speedup, 12.0 / 10.0);
  EXPECT_TRUE(
      std::all_of(g.rows.begin(), g.rows.end(), [](const TableRow& r) { return r.verified; }));
  EXPECT_EQ(t.failed_rows, 0u);
}

TEST(Tables, SummaryNamesTheBestStrategyAndTheSerialRange) {
  const Tables t = build_tables(read_csv(data("results.csv")), 2);
  ASSERT_EQ(t.summaries.size(), 2u);
  const auto& s = t.summaries[0];
  EXPECT_EQ(s.serial_runs, 2u);
  EXPECT_DOUBLE_EQ(s.t1_min, 11.0);
  EXPECT_DOUBLE_EQ(s.t1_max, 12.0);
  ASSERT_TRUE(s.best);
  EXPECT_EQ(s.best->label, "omp dynamic,1");
  const std::string text = render_tables(t);
  EXPECT_NE(text.find("best: omp dynamic,1 on P = 2"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("verification: PASSED\n")) << text;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 80u) << line;
}

TEST(Tables, WrongChecksumAcrossRunsFailsVerification) {
  const Tables t = build_tables(read_csv(data("failed.csv")), 2);
  EXPECT_EQ(t.failed_rows, 2u);  // static: checksum differs from serial; dynamic: FAILED
  EXPECT_FALSE(t.summaries[0].best);
  EXPECT_NE(render_tables(t).find("verification: FAILED (2 rows)"), std::string::npos);
}

TEST(Predict, MeasuredRunsMeetTheirModels) {
  // The fixture's runs are exactly what the simulator predicts for 8,1,1,1 on 2 workers.
  const auto rows = predicted_vs_measured(read_json(data("omp-8111.json")), 0.0);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].model, "static");
  EXPECT_DOUBLE_EQ(rows[0].predicted, 9.0);
  EXPECT_DOUBLE_EQ(rows[0].error(), 0.0);
  EXPECT_EQ(rows[1].model, "ss");  // dynamic,1 is the registry's ss
  EXPECT_DOUBLE_EQ(rows[1].predicted, 8.0);
}

TEST(Predict, WorkerListsAcceptRangesAndRefuseNonsense) {
  EXPECT_EQ(parse_worker_list("1-4,8,2"), (std::vector<int>{1, 2, 3, 4, 8}));
  EXPECT_EQ(parse_worker_list("1024").size(), 1u);
  EXPECT_THROW(parse_worker_list("0"), schedlab::UsageError);
  EXPECT_THROW(parse_worker_list("1025"), schedlab::UsageError);
  EXPECT_THROW(parse_worker_list("4-2"), schedlab::UsageError);
  EXPECT_THROW(parse_worker_list("1,,2"), schedlab::UsageError);
  EXPECT_THROW(parse_worker_list(""), schedlab::UsageError);
}

TEST(Predict, TableHasOneRowPerWorkerCount) {
  const auto rows = predict({8, 1, 1, 1}, {1, 2, 4}, compared_schedules(1), 0.0);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_DOUBLE_EQ(rows[1].lower_bound, 8.0);
  EXPECT_DOUBLE_EQ(rows[1].makespans[0], 9.0);   // static
  EXPECT_DOUBLE_EQ(rows[1].makespans[2], 8.0);   // dynamic,1
  EXPECT_DOUBLE_EQ(rows[0].makespans[3], 11.0);  // guided on one worker: the serial time
}

TEST(Tables, OversubscribedGroupIsMarkedAndNeverBest) {
  // On one core, every P = 2 group is oversubscribed: no row may be called best.
  const Tables t = build_tables(read_csv(data("results.csv")), 1);
  ASSERT_FALSE(t.groups.empty());
  for (const auto& g : t.groups) EXPECT_TRUE(g.oversubscribed);
  for (const auto& s : t.summaries) EXPECT_FALSE(s.best);
  EXPECT_NE(render_tables(t).find("OVERSUBSCRIBED"), std::string::npos);
}

TEST(Tables, BestAlsoAgainstTheCommonT1) {
  // Two serial runs, 11 s and 12 s: the common T1 is their median, 11.5 s; best is 8 s.
  const Tables t = build_tables(read_csv(data("results.csv")), 2);
  ASSERT_FALSE(t.summaries.empty());
  EXPECT_DOUBLE_EQ(t.summaries[0].t1_median, 11.5);
  EXPECT_NE(
      render_tables(t).find("against the common T1 11.5 s (median of 2 serial runs): speedup 1.44"),
      std::string::npos)
      << render_tables(t);
}

// A file from a runner that records noise: its verdicts are shown as written (the report
// could not see "T1 varies" here: each run's serial row is read as one row), and the load.
TEST(Tables, RecordedNoiseAndLoadAreShownAsWritten) {
  const std::vector<ResultRow> rows = read_csv(data("noise-recorded.csv"));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_TRUE(rows[0].noise_recorded);
  EXPECT_DOUBLE_EQ(*rows[0].load_average, 3.5);
  EXPECT_EQ(rows[0].cpus, 2);
  const Tables t = build_tables(rows, 2);
  ASSERT_EQ(t.groups.size(), 1u);
  for (const TableRow& r : t.groups[0].rows) {
    EXPECT_EQ(r.noise, r.label == "omp guided" ? "" : "T1 varies 18%") << r.label;
  }
  EXPECT_EQ(t.noisy_rows, 2u);
  const std::string text = render_tables(t);
  EXPECT_NE(text.find("load average at start 0.40 .. 3.50 on 2 CPUs (busy: other work shared "
                      "the CPUs)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("noisy: T1 varies 18%"), std::string::npos) << text;
}

// Files from before the noise columns: the report judges the rows itself, no load line.
TEST(Tables, OlderFilesFallBackToTheReportsOwnNoiseRules) {
  const std::vector<ResultRow> rows = read_csv(data("results.csv"));
  EXPECT_FALSE(rows[0].noise_recorded);
  EXPECT_FALSE(rows[0].load_average.has_value());
  const std::string text = render_tables(build_tables(rows, 2));
  EXPECT_EQ(text.find("load average"), std::string::npos) << text;
}

TEST(Tables, ChunksColumnShowsWhatTheRunnerRecorded) {
  // Exercise 9 reads a technique's chunk count here: the CSV's chunks column, "-" when empty.
  const std::string path = ::testing::TempDir() + "schedlab-chunks.csv";
  {
    std::ofstream out(path);
    out << "schema,timestamp,host,runner,strategy,workload,tasks,total_units,scale,seed,ranks,"
           "threads,workers,repeat,time_min_s,time_median_s,t1_s,speedup,efficiency,load_balance,"
           "lower_bound_s,tp_over_lower_bound,karp_flatt,checksum,verification,completed,status,"
           "omp_proc_bind,omp_places,chunks,other_load\n";
    const std::string tail = ",PASSED,4,ok,close,cores,";
    out << "1,t,h,schedlab-omp,serial,uniform,4,4,1,0,1,1,1,1,4,4,4,1,1,1,4,1,,a1" << tail
        << "1,0.02\n";
    out << "1,t,h,schedlab-omp,student,uniform,4,4,1,0,1,2,2,1,2,2,4,2,1,1,2,1,0,a1" << tail
        << "3,0.5\n";
    out << "1,t,h,schedlab-omp,static,uniform,4,4,1,0,1,2,2,1,2.5,2.5,4,1.6,0.8,1,2,1.25,0.25,a1"
        << tail << ",0.1\n";
  }
  const Tables t = build_tables(read_csv(path), 2);
  ASSERT_EQ(t.groups.size(), 1u);  // P = 2 (the serial row is the baseline, not a group)
  const TableGroup& g = t.groups[0];
  ASSERT_EQ(g.rows.size(), 2u);
  EXPECT_EQ(g.rows[0].chunks, 3);
  EXPECT_EQ(g.rows[1].chunks, -1);
  const std::string text = render_tables(t);
  EXPECT_NE(text.find(" chunks check\n"), std::string::npos) << text;
  // The other load the runners measured, not a judgement from the load average.
  EXPECT_NE(text.find("other load during the runs 0.02 .. 0.50 CPUs"), std::string::npos) << text;
  std::istringstream lines(text);
  bool student = false, stat = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("  omp student ")) student = line.ends_with("      3 PASSED");
    if (line.starts_with("  omp static ")) stat = line.ends_with("      - PASSED");
  }
  EXPECT_TRUE(student && stat) << text;
  std::remove(path.c_str());
}
