// The one reader of what the runners wrote: CSV rows (write_csv) and JSON records
// (write_json), for the report tool and the benchmarks alike (schedlab-metg), validated so that a
// bad file stops with one line naming it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "schedlab/perturb.hpp"
#include "schedlab/row_name.hpp"
#include "schedlab/run.hpp"
#include "schedlab/selection.hpp"

namespace schedlab::report {

// One strategy of one run: a CSV row, or the same fields taken from a JSON record.
struct ResultRow {
  std::string file;  // where it was read, for messages
  int line = 0;      // CSV line number; 0 for a JSON record
  int schema = 0;
  std::string timestamp;
  std::string host;
  std::string runner;    // "schedlab-omp"
  std::string strategy;  // "dynamic,1"
  std::string workload;  // "nonuniform" or "file:PATH"
  std::size_t tasks = 0;
  std::uint64_t total_units = 0;
  double scale = 1;
  std::uint64_t seed = 0;
  int ranks = 1;
  int threads = 1;
  int workers = 1;
  int repeat = 1;
  double time_min = 0;     // seconds
  double time_median = 0;  // seconds
  double t1 = 0;           // serial seconds of the same task list in the same run
  double efficiency = 0;   // as the runner printed it (T1 / (Tp * P))
  double load_balance = 0;
  double lower_bound = 0;  // seconds
  std::string checksum;
  bool verified = false;  // the record's verification: PASSED (true) or FAILED
  std::size_t completed = 0;
  std::string status;
  std::string omp_proc_bind;
  std::string omp_places;
  // Chunks (dispatches) the fastest repeat handed out; -1: not recorded (an empty cell,
  // or a file from before the column).
  int chunks = -1;
  // Noise as the runner recorded it (files from before these columns: not recorded, and
  // the report judges the row itself, docs/report.md "Noise").
  std::optional<double> load_average;  // 1-minute load average at the run's start
  std::optional<double> other_load;    // CPUs other processes used during the run (measured)
  int cpus = 0;                        // logical CPUs the runner saw; 0: not recorded
  bool noise_recorded = false;
  std::string noise;  // the runner's reasons, "E 1.04 > 1; T1 varies 12%"; "" when quiet
  // What each task recorded (--trace); files from before the column: kTasks.
  // With kOff load_balance and lower_bound are NaN (not measured).
  TraceLevel trace = TraceLevel::kTasks;
  // The means of the repeats (Task Bench's statistic); absent in files from before the columns.
  std::optional<double> time_mean;  // seconds
  std::optional<double> t1_mean;    // seconds, the serial baseline's
  // An auto row (issue 22): the technique of each step in order, the seconds its decisions
  // took (absent: not an auto row, or a file from before the columns), and the selection
  // summary as the runner wrote it (absent where it compared nothing).
  std::vector<std::string> choices;
  std::optional<double> decision_seconds;
  std::optional<SelectionSummary> selection;

  bool is_serial() const { return strategy == grammar_of(RowForm::kSerial).name; }
};

// One strategy inside a JSON record, with its trace (as a RunResult for the timeline).
struct StrategyRecord {
  std::string strategy;
  int ranks = 1;
  int threads = 1;
  std::vector<double> times;
  std::string checksum;
  bool verified = false;  // verification: PASSED (true) or FAILED
  std::string status;
  double load_balance = 0;
  double lower_bound = 0;
  bool noise_recorded = false;  // the record has "noisy"/"noise" (newer runners)
  std::string noise;            // reasons joined with "; ", "" when quiet
  // trace, completion order, workers, wall_seconds = fastest repeat; step_seconds (each
  // step's tp, for a record of more than one step) and, on an auto row, its decisions
  RunResult run;
  // An auto row's "selection" as the runner wrote it; the report recomputes it from the rows
  // (schedlab/selection.hpp) and says where the two disagree.
  std::optional<SelectionSummary> selection;
  std::vector<std::vector<int>> worker_cpus;  // per worker, CPUs seen in the trace
  std::vector<std::string> worker_hosts;      // per worker, its host; "" where not recorded

  bool is_serial() const { return strategy == grammar_of(RowForm::kSerial).name; }
};

// A whole JSON record: one invocation of a runner.
struct RunRecord {
  std::string file;
  int schema = 0;
  std::string runner;
  std::string host;
  std::string timestamp;
  std::string command;
  int ranks = 1;
  int threads = 1;
  int repeat = 1;
  std::map<std::string, std::string> binding;  // OMP_PROC_BIND, OMP_PLACES, MPI binding...
  std::optional<double> load_average;          // at the run's start; absent: not recorded
  std::optional<double> other_load;            // noise_measure.other_load; absent: not measured
  int cpus = 0;                                // logical CPUs the runner saw; 0: not recorded
  std::string workload;                        // "nonuniform" or "file:PATH"
  std::uint64_t total_units = 0;
  double scale = 1;
  std::uint64_t seed = 0;
  std::vector<std::uint64_t> sizes;  // task sizes in kernel units, input order
  // --trace: kTasks, or kOff: then serial_task_seconds and every trace are empty (nothing to
  // draw or simulate; report --timeline and --predict refuse such a record).
  TraceLevel trace = TraceLevel::kTasks;
  std::vector<double> serial_task_seconds;  // per task, from the serial baseline
  std::vector<StrategyRecord> strategies;   // strategies[0] is the serial baseline
  int steps = 1;                            // --steps T: each run is T executions of the loop
  // --perturb: the record's "perturb" canonical text, parsed and checked against the run's
  // workers and steps (untrusted: a bad one is a UsageError naming the field); empty: none.
  std::vector<Perturbation> perturbations;
};

// Bounds on what a record may claim (records are untrusted input; docs/results-schema.md,
// "Limits"); the file itself is at most kMaxInputFileBytes, a CSV line kMaxInputLineBytes.
inline constexpr int kMaxJsonDepth = 64;                      // nesting of arrays and objects
inline constexpr std::uint64_t kMaxRecordWorkers = 1u << 20;  // workers of a record, together
// A row's chunks over all its steps: one a task at most, 10^7 tasks (kMaxTasks) times steps;
// within an int (ResultRow::chunks). dynamic,1 at 2^20 tasks has 1,048,576.
inline constexpr std::uint64_t kMaxRecordChunks = 1'000'000'000;
// Predicted times one decision of an auto row may list (the selector writes its top three).
inline constexpr std::size_t kMaxPredictedTimes = 32;
// Memory read_json needs per byte of the record (measured 6; a margin for hostile shapes).
inline constexpr std::uint64_t kJsonBytesPerByte = 8;

// CSV: a header naming at least the schema-1 columns, then rows. Throws UsageError
// "FILE:LINE: what is wrong" for a missing file, a newer schema, a short (truncated) row,
// a bad number.
std::vector<ResultRow> read_csv(const std::string& path);
// The same from text already read; `path` names it in messages (the fuzz target's way in).
std::vector<ResultRow> parse_csv_text(const std::string& text, const std::string& path);

// JSON record. Throws UsageError "FILE:LINE: ..." (syntax, truncation) or
// "FILE: field 'strategies[1].trace' ..." (missing or wrong type), or for a newer schema.
RunRecord read_json(const std::string& path);
RunRecord parse_json_text(const std::string& text, const std::string& path);

// The rows of a record, as if its runner had written them to a CSV.
std::vector<ResultRow> rows_of(const RunRecord& record);

// The auto rows of a record against its fixed rows, recomputed from the record's rows (the
// record's own "selection" is not trusted). Empty when the record has no auto row.
std::vector<SelectionSummary> selection_of(const RunRecord& record);

// Reads every file (".json" as a record, anything else as CSV), in order.
std::vector<ResultRow> read_results(const std::vector<std::string>& paths);

bool is_json_path(const std::string& path);

// Splits one CSV line (RFC 4180 quoting, as the runners write it; no newline needed).
std::vector<std::string> split_csv_line(const std::string& line);

}  // namespace schedlab::report
