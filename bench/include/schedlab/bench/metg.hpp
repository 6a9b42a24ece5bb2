// METG (Task Bench, SC'20): the minimum effective task granularity of a strategy, from a
// sweep of uniform task lists of shrinking size. Pure functions, and the sweeps read from
// runner CSV files through the one reader of results (report/reader.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "schedlab/report/reader.hpp"

namespace schedlab {

// One run of a uniform task list in a sweep.
struct GranularityPoint {
  std::uint64_t task_units = 0;    // nominal task size: the sweep's order
  double granularity_seconds = 0;  // g = Tp * P / N, measured (it includes the overhead)
  double efficiency = 0;           // E = T1 / (Tp * P), T1 of the same list in the same run
};

// g = Tp * P / N: wall time of one task as one worker experiences it, overhead included.
double mean_task_granularity(double tp_seconds, int workers, std::size_t tasks);

enum class MetgStatus {
  kReached,       // seconds: the METG, interpolated between the two points around it
  kBelowRange,    // efficiency >= threshold down to the smallest task measured; seconds:
                  // that point's g (the METG is smaller; the sweep did not go far enough)
  kNeverReached,  // efficiency < threshold at every size measured (or no points)
};

struct Metg {
  MetgStatus status = MetgStatus::kNeverReached;
  double seconds = 0;
};

// Task Bench's rule: among the points with E >= threshold take the one with the smallest g;
// if the next smaller task size has a smaller g (its E is then below threshold), interpolate
// g linearly in E between the two at E = threshold. Never extrapolates.
Metg minimum_effective_granularity(std::vector<GranularityPoint> points, double threshold = 0.5);

// "0.213", "< 0.050" or "not reached" (microseconds).
std::string describe_metg_us(const Metg& metg);

// One strategy's sweep as read from the runners' --csv rows.
struct Sweep {
  std::string runner;    // schedlab-omp, schedlab-mpi
  std::string strategy;  // static, dynamic,1, master-worker, ...
  int workers = 0;       // P
  std::vector<GranularityPoint> points;
};

// Reads runner CSV files (the schema of csv_header(); header lines may repeat when files are
// concatenated) into one sweep per (runner, strategy, workers), in first-seen order. Serial
// rows (the baseline) and rows of other than uniform workloads or not verified are skipped;
// a task size measured twice keeps its faster run.
// Throws UsageError naming the file and line of a malformed row.
std::vector<Sweep> read_sweeps(const std::vector<std::string>& csv_paths);

// One CSV splitter for the whole tree: the report tool's.
using report::split_csv_line;

}  // namespace schedlab
