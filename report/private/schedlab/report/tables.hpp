// The comparison tables: rows from any number of files, grouped by task list and worker
// count, each group sorted fastest first, and the best strategy per task list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schedlab/report/reader.hpp"

namespace schedlab::report {

// What identifies "the same task list" across files and machines.
struct TaskListKey {
  std::string workload;
  std::size_t tasks = 0;
  std::uint64_t total_units = 0;
  double scale = 1;
  std::uint64_t seed = 0;
  auto operator<=>(const TaskListKey&) const =
      default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>
  std::string describe() const;  // "nonuniform, 12 tasks, 1.52e+08 units, seed 0, scale 0.01"
};
TaskListKey task_list_of(const ResultRow& row);

// "omp dynamic,1", "mpi master-worker 2x2" (ranks x threads when both exceed 1).
std::string strategy_label(const ResultRow& row);

struct TableRow {
  std::string label;
  int workers = 1;
  double time_min = 0;
  double time_median = 0;
  double speedup = 0;       // T1 / Tp, T1 from the same run
  double efficiency = 0;    // speedup / P
  double load_balance = 0;  // from the run's trace
  double tp_over_lower_bound = 0;
  double karp_flatt = 0;  // NaN when P == 1
  int chunks = -1;        // dispatches the fastest repeat handed out; -1: not recorded
  bool verified = false;  // PASSED in its run, and its checksum matches the serial one
  // Why this row's timing cannot be trusted, "" when nothing was seen: E > 1 or Tp/L < 1
  // (the serial baseline was slowed by something else), or the serial T1 of the row's own
  // run spread more than 10% over its repeats (median against fastest).
  std::string noise;
};

struct TableGroup {
  TaskListKey key;
  int workers = 1;
  bool oversubscribed = false;  // P > cores: workers took turns on the cores
  std::vector<TableRow> rows;   // fastest first
};

struct Tables {
  std::vector<TableGroup> groups;  // by task list, then worker count
  // Per task list: the serial runs (T1 range) and the fastest verified row.
  struct Summary {
    TaskListKey key;
    std::size_t serial_runs = 0;
    double t1_min = 0;
    double t1_max = 0;
    double t1_median = 0;            // the common T1 that compares rows of different runs
    std::string reference_checksum;  // of the serial runs; empty when none
    bool serial_checksums_agree = true;
    std::optional<TableRow> best;  // the fastest verified row with P <= cores
    // The load averages the runners recorded at the start of this list's runs (unset in
    // files from before the load_average column) and the most CPUs they saw.
    std::optional<double> load_min, load_max;
    std::optional<double> other_min, other_max;  // measured during the runs (other_load)
    int cpus = 0;
    // The trace levels of the rows (--trace), in order, each once.
    std::vector<TraceLevel> traces;
  };
  std::vector<Summary> summaries;
  std::size_t failed_rows = 0;
  std::size_t noisy_rows = 0;
  int cores = 1;  // CPUs the runs had; groups with more workers are oversubscribed
};

// `cores`: the CPUs of the machine the runs were made on. An oversubscribed group is
// printed and marked, but never "best": its speedup comes from the OS taking turns, and
// on an idle-looking machine it can look like a win that no schedule earned.
// The same run given twice (its CSV and its JSON) counts once.
Tables build_tables(const std::vector<ResultRow>& rows, int cores);

// Text for the terminal: one block per task list, one table per worker count.
std::string render_tables(const Tables& tables);

// Cells shared by the text tables and the HTML page: a figure with `digits` decimals, "-"
// when the run could not measure it (NaN: KF at P = 1, LB and Tp/L with --trace off); and
// seconds with four significant digits, so 0.001234 and 1234 both fit eight columns.
std::string fixed_or_dash(double v, int digits);
std::string seconds(double v);

}  // namespace schedlab::report
