// The results of one program run: the serial baseline plus every strategy measured and
// verified against it. Pure bookkeeping: it reduces repeats to rows, never prints.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedlab/metrics.hpp"
#include "schedlab/noise.hpp"
#include "schedlab/options.hpp"
#include "schedlab/run.hpp"
#include "schedlab/steps.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

// What a record says about the run as a whole.
struct RunInfo {
  std::string runner;        // "schedlab-omp"
  std::string command_line;  // argv joined
  RunSettings settings;
  int ranks = 1;
  int threads = 1;
  std::map<std::string, std::string> binding;  // OMP_PROC_BIND, OMP_PLACES, MPI binding...
  std::vector<std::string> hosts{};  // by rank: the host of each process ({}: older callers)
  // The 1-minute load average when the run started (schedlab/noise.hpp); nullopt: unknown.
  std::optional<double> load_average;
  // Measured over the run itself (other processes' CPU time, the timer's jitter): the
  // driver sets it after the last strategy (Comparison::set_noise).
  RunNoise noise{};
};

// The host of each of a row's workers (worker w is thread w % threads of rank w / threads),
// "" where the run recorded no host for that rank.
std::vector<std::string> worker_hosts(const RunInfo& info, int ranks, int threads);

// How many different names `hosts` holds (the CSV's hosts column).
std::size_t distinct_hosts(const std::vector<std::string>& hosts);

// A row's outcome, as the table, CSV and JSON spell it (to_string).
enum class RowStatus { kOk, kFailed, kInterrupted, kMismatch };
std::string_view to_string(RowStatus status);

// One strategy's repeats, reduced to a row of the table.
struct StrategyRow {
  std::string strategy;
  int ranks = 1;
  int threads = 1;
  std::vector<double> times;       // wall seconds of each repeat
  RunResult best;                  // the fastest repeat (its trace feeds LB and the timeline)
  Metrics metrics;                 // of the fastest repeat
  std::uint64_t checksum = 0;      // of every step's results, step after step
  std::vector<StepSummary> steps;  // the fastest repeat's steps (one without --steps)
  bool verified = false;
  RowStatus status = RowStatus::kOk;

  int workers() const { return ranks * threads; }
  double time_min() const;
  double time_median() const;
  double time_mean() const;  // Task Bench's statistic: the mean of the repeats
};

// The serial baseline plus every strategy measured against it.
class Comparison {
 public:
  Comparison(RunInfo info, std::vector<Task> tasks);

  // The serial reference: T1, its checksum, and per-task times for the lower bound.
  void set_baseline(std::vector<RunResult> runs);
  // Adds a strategy's runs; returns its row (verified against the baseline).
  const StrategyRow& add(const std::string& strategy, int ranks, int threads,
                         std::vector<RunResult> runs);

  const std::vector<StrategyRow>& rows() const { return rows_; }
  const StrategyRow& baseline() const { return rows_.front(); }
  const std::vector<Task>& tasks() const { return tasks_; }
  const RunInfo& info() const { return info_; }
  // What else ran during the run: known only once it is over (the driver sets it).
  void set_noise(const RunNoise& noise) { info_.noise = noise; }
  // Per-task seconds of the serial baseline (the lower bound's input).
  const std::vector<double>& serial_task_seconds() const { return serial_task_seconds_; }
  bool all_verified() const;
  // 0 when every row verified; 1 on a failure/mismatch; 128+signal when interrupted.
  int exit_code() const;

 private:
  void finish_row(StrategyRow& row) const;

  RunInfo info_;
  std::vector<Task> tasks_;
  std::vector<double> serial_task_seconds_;
  std::vector<StrategyRow> rows_;
};

}  // namespace schedlab
