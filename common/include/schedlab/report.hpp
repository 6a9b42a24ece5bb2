// Turning RunResults into what a person or a script reads: the comparison table, the
// verification line, CSV rows, the JSON record and a text timeline. Output never runs work.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "schedlab/metrics.hpp"
#include "schedlab/options.hpp"
#include "schedlab/run.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

inline constexpr int kSchemaVersion = 1;

// What a record says about the run as a whole.
struct RunInfo {
  std::string runner;                         // "schedlab-omp"
  std::string command_line;                   // argv joined
  RunSettings settings;
  int ranks = 1;
  int threads = 1;
  std::map<std::string, std::string> binding;  // OMP_PROC_BIND, OMP_PLACES, MPI binding...
};

// One strategy's repeats, reduced to a row of the table.
struct StrategyRow {
  std::string strategy;
  int ranks = 1;
  int threads = 1;
  std::vector<double> times;  // wall seconds of each repeat
  RunResult best;             // the fastest repeat (its trace feeds LB and the timeline)
  Metrics metrics;            // of the fastest repeat
  std::uint64_t checksum = 0;
  bool verified = false;
  std::string status;  // ok | failed | interrupted | mismatch

  int workers() const { return ranks * threads; }
  double time_min() const;
  double time_median() const;
};

// Runs each strategy `repeat` times through `run_once`, stopping at the first failure or
// interruption. Returns the runs made.
template <class RunOnce>
std::vector<RunResult> repeat_runs(int repeat, RunOnce&& run_once) {
  std::vector<RunResult> runs;
  for (int r = 0; r < repeat; ++r) {
    runs.push_back(run_once());
    if (!runs.back().complete()) break;
  }
  return runs;
}

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
  bool all_verified() const;
  // 0 when every row verified; 1 on a failure/mismatch; 128+signal when interrupted.
  int exit_code() const;

  // Workload line, table, failures, verification line.
  void print(std::FILE* out) const;
  void write_csv(const std::string& path) const;
  void write_json(const std::string& path) const;

 private:
  RunInfo info_;
  std::vector<Task> tasks_;
  std::vector<double> serial_task_seconds_;
  std::vector<StrategyRow> rows_;
};

std::string workload_line(const RunInfo& info, const std::vector<Task>& tasks);
void print_table(std::FILE* out, const std::vector<StrategyRow>& rows);
// "task 3 failed: ..." / "task 3 failed on rank 1: ..." / "interrupted after k/N tasks".
std::string failure_line(const StrategyRow& row, std::size_t task_count);

// A Gantt chart in text, one row per worker, `width` columns in all.
// Tasks are letters (A-Z, a-z by task id, cycling), idle time is '.'. `axis_seconds` > the
// run's own span stretches the time axis (blank after the run's end), so that charts of
// several runs printed one above the other share one scale.
std::string render_timeline(const RunResult& run, const std::string& title, int width = 80,
                            double axis_seconds = 0);
// Completion order, e.g. "completion order: 5 1 0 ..."
std::string completion_order_line(const RunResult& run);

// The CSV header (documented in docs/results-schema.md).
std::string csv_header();
// Appends lines to a file under an exclusive lock, writing the header first when the file
// is empty, so concurrent jobs never interleave rows.
void append_csv_rows(const std::string& path, const std::vector<std::string>& rows);

// Writes text to path atomically (temporary file + rename).
void write_file_atomically(const std::string& path, const std::string& text);

// Environment value or "unset".
std::string env_or_unset(const char* name);
std::string hostname();
std::string join_command_line(int argc, char** argv);

}  // namespace schedlab

namespace schedlab {

// The common end of every runner's main: print the comparison (and timelines / completion
// orders when asked), write --csv and --json, and return the exit code.
int finish_run(const Comparison& comparison, std::FILE* out);

// --print-tasks: one size per line.
void print_tasks(std::FILE* out, const std::vector<Task>& tasks);

}  // namespace schedlab
