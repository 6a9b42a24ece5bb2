// Comparison, verification, CSV/JSON records and the text timeline.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "schedlab/errors.hpp"
#include "schedlab/noise.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output.hpp"
#include "unit_test_helpers.hpp"

using namespace schedlab;
using schedlab_test::temp_path;

namespace {

std::vector<Task> four_tasks() { return {{0, 8}, {1, 1}, {2, 1}, {3, 1}}; }

// A run where each task took `size` seconds on the given worker, back to back.
RunResult fake_run(const std::vector<Task>& tasks, const std::vector<int>& worker_of, int workers,
                   std::vector<std::uint64_t> results) {
  RunResult run = empty_result(tasks.size(), workers);
  std::vector<double> clock(static_cast<std::size_t>(workers), 0.0);
  for (const auto& t : tasks) {
    const int w = worker_of[t.id];
    auto& rec = run.trace[t.id];
    rec.worker = w;
    rec.cpu = w;
    rec.start = clock[static_cast<std::size_t>(w)];
    rec.end = rec.start + static_cast<double>(t.size);
    clock[static_cast<std::size_t>(w)] = rec.end;
    run.completion_order.push_back(t.id);
  }
  run.results = std::move(results);
  run.wall_seconds = *std::max_element(clock.begin(), clock.end());
  return run;
}

Comparison four_task_comparison() {
  const auto tasks = four_tasks();
  RunInfo info{"test", "test", {}, 1, 2, {}, {}, {}, {}};
  Comparison c(info, tasks);
  c.set_baseline({fake_run(tasks, {0, 0, 0, 0}, 1, {10, 11, 12, 13})});
  // Static block: worker 0 gets tasks 0,1 (9 s), worker 1 gets 2,3 (2 s).
  c.add("static", 1, 2, {fake_run(tasks, {0, 0, 1, 1}, 2, {10, 11, 12, 13})});
  // Dynamic: worker 0 takes task 0 (8 s), worker 1 the rest (3 s).
  c.add("dynamic", 1, 2, {fake_run(tasks, {0, 1, 1, 1}, 2, {10, 11, 12, 13})});
  return c;
}

}  // namespace

TEST(Comparison, MetricsFromHandWorkedSchedule) {
  const Comparison c = four_task_comparison();
  ASSERT_EQ(c.rows().size(), 3u);
  const auto& base = c.baseline();
  EXPECT_DOUBLE_EQ(base.time_min(), 11.0);
  const auto& stat = c.rows()[1];
  EXPECT_DOUBLE_EQ(stat.time_min(), 9.0);
  EXPECT_DOUBLE_EQ(stat.metrics.speedup, 11.0 / 9.0);
  EXPECT_DOUBLE_EQ(stat.metrics.lower_bound, 8.0);  // max(11/2, 8)
  EXPECT_DOUBLE_EQ(stat.metrics.tp_over_lower_bound, 9.0 / 8.0);
  EXPECT_DOUBLE_EQ(stat.metrics.load_balance, 5.5 / 9.0);
  const auto& dyn = c.rows()[2];
  EXPECT_DOUBLE_EQ(dyn.time_min(), 8.0);
  EXPECT_DOUBLE_EQ(dyn.metrics.tp_over_lower_bound, 1.0);
  EXPECT_TRUE(c.all_verified());
  EXPECT_EQ(c.exit_code(), kExitOk);
}

TEST(Comparison, ResultInWrongSlotFailsVerification) {
  const auto tasks = four_tasks();
  Comparison c(RunInfo{"test", "test", {}, 1, 2, {}, {}, {}, {}}, tasks);
  c.set_baseline({fake_run(tasks, {0, 0, 0, 0}, 1, {10, 11, 12, 13})});
  const auto& row = c.add("swapped", 1, 2, {fake_run(tasks, {0, 1, 0, 1}, 2, {11, 10, 12, 13})});
  EXPECT_FALSE(row.verified);
  EXPECT_EQ(row.status, RowStatus::kMismatch);
  EXPECT_NE(checksum({10, 11}), checksum({11, 10}));
  EXPECT_EQ(c.exit_code(), kExitFailed);
}

TEST(Comparison, FailedRunIsReportedWithTask) {
  const auto tasks = four_tasks();
  Comparison c(RunInfo{"test", "test", {}, 1, 2, {}, {}, {}, {}}, tasks);
  c.set_baseline({fake_run(tasks, {0, 0, 0, 0}, 1, {10, 11, 12, 13})});
  RunResult failed = fake_run(tasks, {0, 1, 1, 1}, 2, {10, 11, 0, 0});
  failed.error = TaskError{2, 1, "boom"};
  failed.completion_order.resize(2);
  const auto& row = c.add("master-worker", 2, 1, {failed});
  EXPECT_EQ(row.status, RowStatus::kFailed);
  EXPECT_EQ(failure_line(row, 4), "master-worker: task 2 failed on rank 1: boom");
  EXPECT_EQ(c.exit_code(), kExitFailed);
}

// What print_comparison() writes for `c`, as text.
std::string printed(const Comparison& c) {
  std::FILE* out = std::tmpfile();
  print_comparison(out, c);
  std::rewind(out);
  std::string text(1 << 16, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), out));
  std::fclose(out);
  return text;
}

TEST(Comparison, PrintEndsWithVerificationLine) {
  const Comparison c = four_task_comparison();
  const std::string text = printed(c);
  EXPECT_NE(text.find("strategy"), std::string::npos);
  EXPECT_NE(text.find("dynamic"), std::string::npos);
  // The verdict, then the noise measured (none in this hand-made run); no row of this
  // schedule is noisy.
  EXPECT_TRUE(
      text.ends_with("verification: PASSED\nother load during the run: not measured (no "
                     "/proc/stat) on " +
                     std::to_string(logical_cpus()) +
                     " CPUs; timer spread 0.000, resolution 0 ns; load average at start "
                     "unknown\n"))
      << text;
}

TEST(Noise, RowsNoScheduleCanExplainAreFlagged) {
  const auto tasks = four_tasks();
  RunInfo info{"test", "test", {}, 1, 2, {}, {}, 3.5, {}};
  Comparison c(info, tasks);
  // Two serial repeats, 11 s and 14 s: the median (12.5 s) is 14% above the fastest.
  c.set_baseline({fake_run(tasks, {0, 0, 0, 0}, 1, {10, 11, 12, 13}),
                  fake_run({{0, 8}, {1, 4}, {2, 1}, {3, 1}}, {0, 0, 0, 0}, 1, {10, 11, 12, 13})});
  // 4 tasks on 2 workers in 5 s: E = 11 / (2 x 5) = 1.1, and Tp/L = 5 / 8 < 1.
  RunResult fast = fake_run({{0, 2}, {1, 2}, {2, 2}, {3, 3}}, {0, 0, 1, 1}, 2, {10, 11, 12, 13});
  const StrategyRow& row = c.add("fast", 1, 2, {fast});
  const std::vector<std::string> reasons = noise_reasons(row, c.baseline(), {}, 2);
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[0], "E 1.100 > 1 + tolerance 0.000");
  EXPECT_EQ(reasons[1], "Tp/L 0.625 < 1 - tolerance 0.000");
  EXPECT_EQ(reasons[2], "T1 varies 14%");
  EXPECT_EQ(join_reasons(reasons),
            "E 1.100 > 1 + tolerance 0.000; Tp/L 0.625 < 1 - tolerance 0.000; T1 varies 14%");
  // The table says so under the verdict, with the load the run met.
  const std::string text = printed(c);
  EXPECT_NE(text.find("load average at start 3.50\n"), std::string::npos) << text;
  EXPECT_NE(text.find("noisy: fast (E 1.100 > 1 + tolerance 0.000, Tp/L 0.625 < 1 - tolerance "
                      "0.000, T1 varies 14%): run again"),
            std::string::npos)
      << text;
}

TEST(Noise, RowsWithOneReasonShareOneLine) {
  // --schedule all-fixed on a loaded machine: thirteen rows, one reason, one line.
  const auto tasks = four_tasks();
  RunInfo info{"test", "test", {}, 1, 2, {}, {}, 3.5, {}};
  Comparison c(info, tasks);
  c.set_baseline({fake_run(tasks, {0, 0, 0, 0}, 1, {10, 11, 12, 13})});
  RunResult fast = fake_run({{0, 2}, {1, 2}, {2, 2}, {3, 3}}, {0, 0, 1, 1}, 2, {10, 11, 12, 13});
  for (const char* name : {"a", "b", "c", "d", "e", "f", "g", "h"}) c.add(name, 1, 2, {fast});
  const std::string text = printed(c);
  const std::size_t first = text.find("noisy: ");
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_EQ(text.find("noisy: ", first + 1), std::string::npos) << text;
  EXPECT_NE(text.find("noisy: a, b, c, d, e, f and 2 more (E 1.100 > 1 + tolerance 0.000, Tp/L "
                      "0.625 < 1 - tolerance 0.000): run again on a quiet machine before "
                      "explaining them\n"),
            std::string::npos)
      << text;
}

// A row with E and Tp/L set by hand, timed `seconds`, against a quiet serial row.
StrategyRow hand_row(double efficiency, double tp_over_l, double seconds, int threads) {
  StrategyRow row;
  row.threads = threads;
  row.times = {seconds};
  row.metrics.efficiency = efficiency;
  row.metrics.tp_over_lower_bound = tp_over_l;
  return row;
}

TEST(Noise, ToleranceIsTheMeasuredSpreadAndDigitsShowTheExcess) {
  RunNoise noise;
  noise.timer = {0.0, 0.002};  // a clock of no step, the same spin 0.2% apart
  const StrategyRow serial = hand_row(1, 1, 2.0, 1);
  // A perfect run (E 1.001, within the jitter) is quiet; 1.004 is past it, and says by how much.
  EXPECT_TRUE(noise_reasons(hand_row(1.001, 0.999, 1.0, 2), serial, noise, 2).empty());
  const auto reasons = noise_reasons(hand_row(1.004, 0.58, 1.0, 2), serial, noise, 2);
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0], "E 1.004 > 1 + tolerance 0.002");
  EXPECT_EQ(reasons[1], "Tp/L 0.580 < 1 - tolerance 0.002");
  // Two clock steps of 1 ms over a 0.1 s row add 0.02.
  noise.timer.resolution_s = 1e-3;
  EXPECT_DOUBLE_EQ(noise.tolerance(0.1), 0.022);
}

TEST(Noise, OtherLoadDuringTheRunFlagsRowsThatNeededThoseCpus) {
  RunNoise noise;
  noise.wall_s = 10;
  noise.seconds_per_tick = 0.01;
  noise.other_load = 0.5;
  const StrategyRow serial = hand_row(1, 1, 2.0, 1);
  // 2 workers on 2 CPUs: nothing free; allowed 0.1 + 3 ticks / 10 s = 0.103.
  const auto reasons = noise_reasons(hand_row(1, 1, 1.0, 2), serial, noise, 2);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], "other load 0.50 CPUs > 0.10 allowed");
  // The serial row leaves one CPU free: 0.5 fits beside it.
  EXPECT_TRUE(noise_reasons(hand_row(1, 1, 1.0, 1), serial, noise, 2).empty());
  noise.other_load.reset();  // not measured: not judged
  EXPECT_TRUE(noise_reasons(hand_row(1, 1, 1.0, 2), serial, noise, 2).empty());
}

TEST(Noise, CpuTimesFromProcStatMinusOurOwn) {
  const std::string stat = temp_path("schedlab-stat");
  const std::string self = temp_path("schedlab-self-stat");
  // user nice system idle iowait irq softirq steal: busy = 100 + 50 + 5 ticks.
  std::ofstream(stat) << "cpu  100 0 50 1000 10 0 0 5 0 0\ncpu0 1 2 3 4\n";
  // A name with a ')' and spaces; utime 40 and stime 2 are fields 14 and 15.
  std::ofstream(self) << "123 (a) b) R 1 1 1 0 -1 0 0 0 0 0 40 2 0 0 20 0 1 0\n";
  const auto t = read_cpu_times(stat.c_str(), self.c_str());
  ASSERT_TRUE(t.has_value());
  EXPECT_NEAR(t->all_busy_s, 155 * t->seconds_per_tick, 1e-12);
  EXPECT_NEAR(t->own_s, 42 * t->seconds_per_tick, 1e-12);
  std::ofstream(stat) << "intr 1 2 3\n";
  EXPECT_FALSE(read_cpu_times(stat.c_str(), self.c_str()).has_value());
  std::filesystem::remove(stat);
  std::filesystem::remove(self);
  // Others used 6 - 3 = 3 CPU-seconds over 2 s: 1.5 CPUs.
  const RunNoise n = measure_run_noise(CpuTimes{10, 2, 0.01}, CpuTimes{16, 5, 0.01}, 2.0, {});
  ASSERT_TRUE(n.other_load.has_value());
  EXPECT_DOUBLE_EQ(*n.other_load, 1.5);
  EXPECT_FALSE(measure_run_noise(std::nullopt, CpuTimes{}, 2.0, {}).other_load.has_value());
  // Two MPI ranks beside this one on its node used 2 CPU-seconds: the run's, not others'.
  const RunNoise mpi =
      measure_run_noise(CpuTimes{10, 2, 0.01}, CpuTimes{16, 5, 0.01}, 2.0, {}, 2.0);
  ASSERT_TRUE(mpi.other_load.has_value());
  EXPECT_DOUBLE_EQ(*mpi.other_load, 0.5);
  // This process, now: its own time is part of all CPUs' busy time.
  const auto now = read_cpu_times();
  ASSERT_TRUE(now.has_value());
  EXPECT_GE(now->all_busy_s, now->own_s);
}

TEST(Noise, TimerJitterIsMeasured) {
  const TimerJitter j = measure_timer_jitter();
  EXPECT_GT(j.resolution_s, 0.0);
  EXPECT_LT(j.resolution_s, 1e-3);
  EXPECT_GE(j.spin_spread, 0.0);
}

TEST(Noise, QuietScheduleAndFailedRowsAreNotFlagged) {
  const Comparison c = four_task_comparison();
  for (const auto& row : c.rows())
    EXPECT_TRUE(noise_reasons(row, c.baseline(), c.info().noise, 2).empty());
}

TEST(Noise, LoadAverageIsTheFirstFieldOfLoadavg) {
  const std::string path = temp_path("schedlab-loadavg");
  std::ofstream(path) << "1.47 2.20 3.71 3/245 8123\n";
  ASSERT_TRUE(read_load_average(path.c_str()).has_value());
  EXPECT_DOUBLE_EQ(*read_load_average(path.c_str()), 1.47);
  std::ofstream(path) << "garbage\n";
  EXPECT_FALSE(read_load_average(path.c_str()).has_value());
  std::filesystem::remove(path);
  EXPECT_FALSE(read_load_average(path.c_str()).has_value());  // no file: unknown, not 0
}

TEST(Noise, CsvAndJsonRecordTheLoadAndTheFlags) {
  const auto tasks = four_tasks();
  Comparison c(RunInfo{"test", "test", {}, 1, 2, {}, {}, 0.25, {}}, tasks);
  c.set_baseline({fake_run(tasks, {0, 0, 0, 0}, 1, {10, 11, 12, 13})});
  c.add("fast", 1, 2,
        {fake_run({{0, 2}, {1, 2}, {2, 2}, {3, 3}}, {0, 0, 1, 1}, 2, {10, 11, 12, 13})});
  const std::string csv = temp_path("schedlab-noise.csv");
  const std::string json_path = temp_path("schedlab-noise.json");
  std::filesystem::remove(csv);
  write_csv(c, csv);
  write_json(c, json_path);
  std::ifstream in(csv);
  std::string header, serial, fast;
  std::getline(in, header);
  std::getline(in, serial);
  std::getline(in, fast);
  EXPECT_TRUE(header.ends_with(
      ",load_average,cpus,noisy,noise,trace,time_mean_s,t1_mean_s,other_load,noise_tolerance,"
      "steps,step_times_s,step_load_balance,step_chunks,drift,perturb,choices,decision_s,"
      "fixed_rows,regret_pct,best_fixed,best_fixed_s,median_fixed,median_fixed_s,oracle_s"))
      << header;
  const std::string cpus = std::to_string(logical_cpus());
  EXPECT_NE(serial.find(",0.25," + cpus + ",0,,tasks,"), std::string::npos) << serial;
  EXPECT_NE(fast.find(",0.25," + cpus +
                      ",1,E 1.100 > 1 + tolerance 0.000; Tp/L 0.625 < 1 - tolerance 0.000,tasks,"),
            std::string::npos)
      << fast;
  const auto record = nlohmann::json::parse(std::ifstream(json_path));
  EXPECT_DOUBLE_EQ(record["load_average"].get<double>(), 0.25);
  EXPECT_FALSE(record["strategies"][0]["noisy"].get<bool>());
  EXPECT_TRUE(record["strategies"][1]["noisy"].get<bool>());
  EXPECT_EQ(record["strategies"][1]["noise"].size(), 2u);
  EXPECT_TRUE(record["noise_measure"]["other_load"].is_null());  // not measured here
  EXPECT_DOUBLE_EQ(record["strategies"][1]["noise_tolerance"].get<double>(), 0.0);
  std::filesystem::remove(csv);
  std::filesystem::remove(json_path);
}

TEST(Records, CsvHeaderOnceAndOneRowPerStrategy) {
  const std::string path = temp_path("schedlab-test.csv");
  std::filesystem::remove(path);
  const Comparison c = four_task_comparison();
  write_csv(c, path);
  write_csv(c, path);
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::filesystem::remove(path);
  ASSERT_EQ(lines.size(), 1u + 2 * 3);
  EXPECT_EQ(lines[0], csv_header());
  const std::string header = csv_header();
  const auto columns = std::count(header.begin(), header.end(), ',');
  for (const auto& line : lines) EXPECT_EQ(std::count(line.begin(), line.end(), ','), columns);
  EXPECT_NE(lines[2].find(",static,"), std::string::npos);
}

TEST(Records, JsonHoldsTraceAndMetrics) {
  const std::string path = temp_path("schedlab-test.json");
  const Comparison c = four_task_comparison();
  write_json(c, path);
  std::ifstream in(path);
  const auto record = nlohmann::json::parse(in);
  std::filesystem::remove(path);
  EXPECT_EQ(record["schema"], kSchemaVersion);
  EXPECT_EQ(record["verification"], "PASSED");
  ASSERT_EQ(record["strategies"].size(), 3u);
  const auto& stat = record["strategies"][1];
  EXPECT_EQ(stat["strategy"], "static");
  EXPECT_EQ(stat["trace"].size(), 4u);
  EXPECT_DOUBLE_EQ(stat["metrics"]["lower_bound"].get<double>(), 8.0);
  EXPECT_EQ(record["workload"]["sizes"].size(), 4u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp." + std::to_string(::getpid())));
}

TEST(Timeline, FitsEightyColumnsAndShowsIdleTime) {
  const Comparison c = four_task_comparison();
  const std::string text = render_timeline(c.rows()[1].best, "static");
  std::istringstream lines(text);
  int rows = 0;
  for (std::string line; std::getline(lines, line); ++rows) EXPECT_LE(line.size(), 80u) << line;
  EXPECT_EQ(rows, 3);                            // title + 2 workers
  EXPECT_NE(text.find('.'), std::string::npos);  // worker 1 idles after 2 of 9 s
  EXPECT_NE(text.find("AAAA"), std::string::npos);
}

// Hosts (issue 14): worker w of a row with T threads per rank ran on rank w / T's host.
TEST(Hosts, EachWorkerGetsItsRanksHost) {
  RunInfo info{"test", "test", {}, 2, 2, {}, {"nodeA", "nodeB"}, {}, {}};
  EXPECT_EQ(worker_hosts(info, 2, 2),
            (std::vector<std::string>{"nodeA", "nodeA", "nodeB", "nodeB"}));
  EXPECT_EQ(worker_hosts(info, 1, 1), (std::vector<std::string>{"nodeA"}));  // the baseline
  EXPECT_EQ(distinct_hosts(worker_hosts(info, 2, 2)), 2u);
  EXPECT_EQ(distinct_hosts(worker_hosts(info, 1, 2)), 1u);
  info.hosts.clear();  // a record that names no host
  EXPECT_EQ(distinct_hosts(worker_hosts(info, 2, 1)), 0u);
}

TEST(Hosts, TimelineLabelsNameTheHostOnlyWhenTheRunSpansSeveral) {
  const auto tasks = four_tasks();
  const RunResult run = fake_run(tasks, {0, 1, 2, 3}, 4, {10, 11, 12, 13});
  const std::string two =
      render_timeline(run, "static", 80, 0, {"nodeA", "nodeA", "nodeB", "nodeB"});
  EXPECT_NE(two.find("\nw2 nodeB/cpu2 |"), std::string::npos) << two;
  EXPECT_NE(two.find("\nw0 nodeA/cpu0 |"), std::string::npos) << two;
  std::istringstream lines(two);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 80u) << line;
  const std::string one =
      render_timeline(run, "static", 80, 0, {"nodeA", "nodeA", "nodeA", "nodeA"});
  EXPECT_NE(one.find("\nw2 cpu2    |"), std::string::npos) << one;
  EXPECT_EQ(one.find("nodeA"), std::string::npos) << one;
}

TEST(Hosts, JsonAndCsvRecordThem) {
  const auto tasks = four_tasks();
  RunInfo info{"test", "test", {}, 2, 1, {}, {"nodeA", "nodeB"}, {}, {}};
  Comparison c(info, tasks);
  c.set_baseline({fake_run(tasks, {0, 0, 0, 0}, 1, {10, 11, 12, 13})});
  c.add("static", 2, 1, {fake_run(tasks, {0, 0, 1, 1}, 2, {10, 11, 12, 13})});
  const std::string json_path = temp_path("hosts.json");
  const std::string csv_path = temp_path("hosts.csv");
  write_json(c, json_path);
  write_csv(c, csv_path);
  std::ifstream json_file(json_path);
  const auto record = nlohmann::json::parse(json_file);
  EXPECT_EQ(record["hosts"], (std::vector<std::string>{"nodeA", "nodeB"}));
  const auto& stat = record["strategies"][1];
  EXPECT_EQ(stat["worker_hosts"], (std::vector<std::string>{"nodeA", "nodeB"}));
  EXPECT_EQ(stat["trace"][3]["host"], "nodeB");
  EXPECT_EQ(record["strategies"][0]["worker_hosts"], (std::vector<std::string>{"nodeA"}));
  std::ifstream csv_file(csv_path);
  std::string header, serial, parallel;
  std::getline(csv_file, header);
  std::getline(csv_file, serial);
  std::getline(csv_file, parallel);
  // The hosts column is appended after the first schema's columns; find it by name.
  const auto fields = [](const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, ',');) out.push_back(field);
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
  };
  const std::vector<std::string> names = fields(header);
  const auto column = std::find(names.begin(), names.end(), "hosts");
  ASSERT_NE(column, names.end());
  const auto at = static_cast<std::size_t>(column - names.begin());
  EXPECT_EQ(fields(serial).at(at), "1");
  EXPECT_EQ(fields(parallel).at(at), "2");
  std::filesystem::remove(json_path);
  std::filesystem::remove(csv_path);
}

TEST(Records, CommandLineNamesTheProgramNotItsBuildPath) {
  std::string program = "/work/alice/schedlab/build/release/bin/schedlab-omp";
  std::string option = "--csv";
  std::string value = "runs/a.csv";  // paths after the program are the user's: kept
  char* argv[] = {program.data(), option.data(), value.data()};
  EXPECT_EQ(join_command_line(3, argv), "schedlab-omp --csv runs/a.csv");
  std::string bare = "schedlab-omp";
  char* bare_argv[] = {bare.data()};
  EXPECT_EQ(join_command_line(1, bare_argv), "schedlab-omp");
}
