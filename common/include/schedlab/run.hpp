// What every runner produces (RunResult) and the pieces every runner shares: the clock,
// executing one task, the serial reference loop, and the checksum that verifies them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedlab/workload.hpp"

namespace schedlab {

using Clock = std::chrono::steady_clock;

// How much each task records about itself (--trace). kTasks: the CPU and two clock reads per
// task, so the timeline, the load balance and the lower bound can be drawn; about 60-70 ns
// a task here (docs/performance.md). kOff: nothing but the result and who ran it, so that a
// granularity sweep measures the schedule and not the trace (a few ns a task).
enum class TraceLevel { kTasks, kOff };
std::string_view to_string(TraceLevel level);
// "tasks" or "off"; nullopt for anything else.
std::optional<TraceLevel> parse_trace_level(std::string_view text);

// The process's trace level: set once by the driver after the options are read, before any
// run (every executor's RunControl reads it when it is made). Default kTasks.
void set_trace_level(TraceLevel level);
TraceLevel trace_level();

inline double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// One executed task: who ran it, on which CPU, and when (seconds after the run start).
struct TaskRecord {
  std::size_t task = 0;
  int worker = -1;  // global worker id (rank * threads + thread); -1: never ran
  int cpu = -1;     // sched_getcpu() at the task's start
  double start = 0;
  double end = 0;
  int chunk = -1;  // which chunk/dispatch of the executor handed it out; -1: not recorded
  bool ran() const { return worker >= 0; }
};

struct TaskError {
  std::size_t task = 0;
  int rank = -1;  // MPI rank that ran it; -1 outside MPI
  std::string message;
};

// One time step of an `auto` row (--schedule auto:METHOD, --strategy auto:METHOD; issue 22):
// the technique the selector chose for the step, and why. Filled by the executor that runs
// the auto row; empty for every other row. docs/techniques.md, "Choosing automatically".
struct PredictedTime {
  std::string technique;  // the registry's canonical text
  double seconds = 0;     // the simulator's Tp for the step
};
struct StepDecision {
  std::string technique;  // canonical text of the technique that ran the step ("fac2")
  std::string reason;     // the rule that fired, "trial 3 of 12", "predicted best", ...
  std::vector<PredictedTime> predicted;  // simulate: the top three, fastest first; else empty
  // The chosen technique's predicted Tp for this step; NaN where the method predicts none.
  double predicted_seconds = std::numeric_limits<double>::quiet_NaN();
  // Seconds the selector took to decide before the step (counted in the step's wall time).
  double decision_seconds = 0;
};

// The outcome of one run of one strategy. Runners fill it; they never print.
struct RunResult {
  std::vector<std::uint64_t> results;         // by task index (input order, as map())
  std::vector<TaskRecord> trace;              // by task index
  std::vector<std::size_t> completion_order;  // task ids as they finished (as_completed)
  double wall_seconds = 0;                    // start barrier to end barrier
  int workers = 1;                            // P = ranks x threads
  std::optional<TaskError> error;             // the first failure, re-raised after the run
  bool interrupted = false;                   // stopped by SIGINT/SIGTERM
  // --steps T > 1: each step's wall seconds (wall_seconds is their sum); results, trace
  // and completion order then hold step after step (schedlab/steps.hpp). Empty: one step.
  std::vector<double> step_seconds;
  // An auto row: one decision per step run (step_seconds' length, or 1); else empty.
  std::vector<StepDecision> decisions;

  std::size_t completed() const { return completion_order.size(); }
  bool complete() const { return !error && !interrupted && completed() == results.size(); }
};

// A RunResult sized for n tasks, nothing run yet.
RunResult empty_result(std::size_t n, int workers);

// Runs one task: the application's task when one is set (schedlab/application.hpp), else
// spin(task.size); or throws TaskFailure when task.id == fail_task
// (the --fail-task injection, standing in for an exception in a worker).
std::uint64_t execute_task(const Task& task, std::optional<std::size_t> fail_task);

// The same task in slices of `slice_units` units, calling between_slices() after every
// slice but the last: the result is execute_task's. For a rank that must stay responsive
// while it computes (the computing master of master-worker).
std::uint64_t execute_task_in_slices(const Task& task, std::optional<std::size_t> fail_task,
                                     std::uint64_t slice_units,
                                     const std::function<void()>& between_slices);

// The CPU this thread is running on now (sched_getcpu), -1 where unknown.
int current_cpu();

// Order-sensitive digest of results in input order: a result in the wrong slot fails it.
std::uint64_t checksum(const std::vector<std::uint64_t>& results);

// Busy seconds of each of `workers` workers, summed from the trace.
std::vector<double> busy_per_worker(const RunResult& run);

// The CPUs each worker was seen on (sched_getcpu at each task's start), sorted.
std::vector<std::vector<int>> cpus_per_worker(const RunResult& run);

// The tasks that ran, in the order they finished (by end time; ties by task id). Runners
// whose workers write only their own trace slots derive as_completed()'s order from the
// trace after the run, instead of serialising every completion on one shared counter.
std::vector<std::size_t> completion_order_by_end(const std::vector<TaskRecord>& trace);

// Per-task durations from a trace (the serial run's give the lower bound).
std::vector<double> task_seconds(const RunResult& run);

// The number of chunks (dispatches) the run handed out: distinct TaskRecord::chunk values
// among the tasks that ran. -1 when the runner recorded no chunk (shown as "-" / empty).
long chunk_count(const RunResult& run);

// For runners that cannot see their chunk boundaries (OpenMP auto and taskloop): numbers
// each run of consecutive task ids executed by one worker as one chunk. A lower bound on
// the dispatches: two chunks in a row taken by the same worker read as one.
void chunks_from_runs(RunResult& run);

}  // namespace schedlab
