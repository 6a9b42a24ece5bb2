// METG (Task Bench, SC'20): the minimum effective task granularity of a strategy, from a
// sweep of uniform task lists of shrinking size. Two scorings side by side: schedlab's own
// (E = T1/(P*Tp), T1 the serial loop of the same list in the same run) and Task Bench's
// (E = units/(P*Tp*peak), peak the bare kernel's rate per worker with P workers busy). Each
// from the mean of the repeats and from the fastest repeat. A sweep may have several rounds:
// one METG per round, reported as the median with the spread. Pure functions, and the sweeps
// read from runner CSV files through the one reader of results (report/reader.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "schedlab/report/reader.hpp"

namespace schedlab {

// One run of a uniform task list in a sweep, under one scoring.
struct GranularityPoint {
  std::uint64_t task_units = 0;    // nominal task size: the sweep's order
  double granularity_seconds = 0;  // g = Tp * P / N, measured (it includes the overhead)
  double efficiency = 0;           // under the scoring the point was made for
};

// g = Tp * P / N: wall time of one task as one worker experiences it, overhead included.
double mean_task_granularity(double tp_seconds, int workers, std::size_t tasks);

// Task Bench's efficiency: the achieved rate over the peak, units / (P * Tp * peak), where
// peak is units per second per worker of the bare kernel. 0 when peak or Tp is not positive.
double peak_efficiency(std::uint64_t total_units, int workers, double tp_seconds,
                       double peak_units_per_second);

enum class MetgStatus {
  kReached,       // seconds: the METG, interpolated between the two points around it
  kBelowRange,    // efficiency >= threshold down to the smallest task measured; seconds:
                  // that point's g (the METG is smaller; the sweep did not go far enough)
  kNeverReached,  // efficiency < threshold at every size measured (or no points)
};

// "measured", "bound", "not-reached": the status column of metg.csv.
std::string to_string(MetgStatus status);

struct Metg {
  MetgStatus status = MetgStatus::kNeverReached;
  double seconds = 0;
};

// Task Bench's rule: among the points with E >= threshold take the one with the smallest g;
// if the next smaller task size has a smaller g (its E is then below threshold), interpolate
// g linearly in E between the two at E = threshold. Never extrapolates. Measured (kReached)
// only when some smaller task fell below the threshold: a sweep whose efficiency stays at or
// above it down to its smallest task gives a bound (kBelowRange), whatever its g's order.
Metg minimum_effective_granularity(std::vector<GranularityPoint> points, double threshold = 0.5);

// "0.213", "< 0.050" or "not reached" (microseconds).
std::string describe_metg_us(const Metg& metg);

// One runner CSV row of a sweep: what every scoring is computed from.
struct SweepRun {
  std::uint64_t task_units = 0;   // total_units / tasks, rounded
  std::size_t tasks = 0;          // N
  std::uint64_t total_units = 0;  // useful work of the list
  double tp_mean = 0;             // mean of the strategy's repeats (time_mean_s; else time_min_s)
  double tp_min = 0;              // fastest repeat (time_min_s)
  double t1_mean = 0;             // mean of the serial baseline's repeats (t1_mean_s; else t1_s)
  double t1_min = 0;              // t1_s
};

// schedlab's scoring (T1 / (P * Tp)) or Task Bench's (units / (P * Tp * peak)).
enum class Scoring { kSchedlab, kPeak };
// Which of the repeats: their mean (Task Bench averages its repeats) or the fastest.
enum class Repeats { kMean, kMin };

// One strategy's sweep as read from the runners' --csv rows.
struct Sweep {
  std::string runner;                     // schedlab-omp, schedlab-mpi
  std::string strategy;                   // static, dynamic,1, master-worker,16, ...
  int workers = 0;                        // P
  TraceLevel trace = TraceLevel::kTasks;  // the runner's --trace (files before the column: kTasks)
  std::vector<SweepRun> runs;
};

// "OpenMP static", "MPI master-worker,16": a sweep's name in tables and metg.csv.
std::string sweep_name(const Sweep& sweep);

// The sweep's points under one scoring. `peak_units_per_second` is used by Scoring::kPeak only
// (and must then be positive).
std::vector<GranularityPoint> sweep_points(const Sweep& sweep, Scoring scoring, Repeats repeats,
                                           double peak_units_per_second = 0);

// Reads runner CSV files (the schema of csv_header(); header lines may repeat when files are
// concatenated) into one sweep per (runner, strategy, workers, trace), in first-seen order.
// Serial rows (the baseline) and rows of other than uniform workloads or not verified are
// skipped; a task size measured twice keeps its faster run (smaller mean time).
// Throws UsageError naming the file and line of a malformed row.
std::vector<Sweep> read_sweeps(const std::vector<std::string>& csv_paths);

// One round of a sweep: its runs and the peak measured at its start (0: not measured).
struct Round {
  std::vector<Sweep> sweeps;
  double peak_units_per_second = 0;
};

// One scoring's METG over the rounds of a strategy.
struct RoundsMetg {
  // kReached when the median over the rounds is exactly known: every round measured a
  // crossing, or the bound (resp. not-reached) rounds lie below (above) the middle whatever
  // their true values, so the median is a measured round's value. Else kNeverReached when
  // any round never reached the threshold, else kBelowRange (a bound: never counted as met).
  MetgStatus status = MetgStatus::kNeverReached;
  double median_seconds = 0;  // that median; otherwise the median of the rounds' numbers
  double low_seconds = 0;     // the spread: smallest and largest of those values
  double high_seconds = 0;
  std::vector<Metg> rounds;  // per round, in round order
};

// Median, spread and status of one scoring's per-round METGs (rules above).
RoundsMetg combine_rounds(const std::vector<Metg>& per_round);

// A strategy's METG under every scoring, over the rounds that measured it.
struct StrategyMetg {
  Sweep first;                   // the strategy's sweep of the first round that has it
  std::vector<int> round_index;  // which rounds (0-based) measured it
  std::vector<double> peaks;     // the peak of each of those rounds (units/s per worker)
  bool has_peak = false;  // every one of those rounds has a peak: Task Bench's scoring exists
  // by[scoring][repeats]: Scoring::kSchedlab = 0, kPeak = 1; Repeats::kMean = 0, kMin = 1.
  std::array<std::array<RoundsMetg, 2>, 2> by;
  const RoundsMetg& at(Scoring s, Repeats r) const {
    return by[static_cast<std::size_t>(s)][static_cast<std::size_t>(r)];
  }
};

// Every strategy of any round, in first-seen order.
std::vector<StrategyMetg> metg_over_rounds(const std::vector<Round>& rounds,
                                           double threshold = 0.5);

// metg.csv: one row per strategy; columns metg_csv_header() (docs: bench/metg_main.cpp --help).
std::string metg_csv_header();
std::string metg_csv(const std::vector<StrategyMetg>& strategies, const std::string& cpu_model);
// metg-rounds.csv: one row per strategy per round (the per-round values the medians come from).
std::string metg_rounds_csv_header();
std::string metg_rounds_csv(const std::vector<StrategyMetg>& strategies,
                            const std::string& cpu_model);

// The "model name" of /proc/cpuinfo (first CPU), or "unknown".
std::string cpu_model_name(const std::string& cpuinfo_path = "/proc/cpuinfo");

// One CSV field, quoted when it holds a comma, a quote or a newline (RFC 4180).
std::string csv_field(const std::string& text);

// One CSV splitter for the whole tree: the report tool's.
using report::split_csv_line;

// The bare kernel's rate with `workers` threads busy at once: each thread runs
// spin(units) after a common start; a repeat's rate is the mean over the threads of
// units / own seconds; the best (highest) repeat is returned, in units per second per worker.
struct PeakMeasurement {
  double units_per_second = 0;  // per worker
  int workers = 0;
  std::uint64_t units = 0;
  int repeats = 0;
};
PeakMeasurement measure_peak(int workers, std::uint64_t units, int repeats);

}  // namespace schedlab
