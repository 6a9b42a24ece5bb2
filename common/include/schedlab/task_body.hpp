// The per-task body every executor runs (serial loop, OpenMP schedules, the OpenMP level of
// hybrid MPI): skip after a stop, stamp CPU and start, run, keep the first error, stamp the
// end and the worker. Written once here; each executor only says how its loop hands out tasks.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <utility>

#include "schedlab/interrupt.hpp"
#include "schedlab/perturb.hpp"
#include "schedlab/run.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

// What the workers of one run share: whether to stop, and the first failure. Every task
// reads it; it is written only on a failure or a signal, so the hot path is two relaxed
// loads. No lock: the first failing thread claims the error slot with one atomic flag.
class RunControl {
 public:
  // The trace level is the process's (--trace), read once here: the hot path reads a member.
  // So are the perturbations (--perturb): without any, the hot path tests one more member.
  explicit RunControl(int rank = -1)
      : rank_(rank),
        trace_tasks_(trace_level() == TraceLevel::kTasks),
        perturbed_(perturbations_set()) {}
  RunControl(const RunControl&) = delete;
  RunControl& operator=(const RunControl&) = delete;

  // True when the next task must not start: a task failed or a signal arrived. A
  // worksharing loop cannot be left early, so its remaining iterations come here and return.
  bool should_stop() noexcept {
    if (stop_.load(std::memory_order_relaxed)) return true;
    if (interrupt_requested()) {
      interrupted_.store(true, std::memory_order_relaxed);
      stop_.store(true, std::memory_order_relaxed);
      return true;
    }
    return false;
  }

  // Stops further tasks; keeps the error only if it is the first. Later failures (tasks
  // already running when the first one failed) are dropped.
  void keep_first_error(std::size_t task, const char* message) noexcept {
    if (!error_claimed_.test_and_set(std::memory_order_acq_rel)) {
      try {
        first_error_ = TaskError{task, rank_, message};
      } catch (...) {
        first_error_.task = task;  // out of memory for the message: still name the task
        first_error_.rank = rank_;
      }
    }
    stop_.store(true, std::memory_order_relaxed);
  }

  // Read after the workers joined (the end of the parallel region or the loop).
  std::optional<TaskError> error() const {
    if (!error_claimed_.test(std::memory_order_acquire)) return std::nullopt;
    return first_error_;
  }
  bool interrupted() const { return interrupted_.load(std::memory_order_relaxed); }
  // Asks the remaining tasks to skip (e.g. a master-worker master told to stop).
  void stop() noexcept { stop_.store(true, std::memory_order_relaxed); }
  // Whether each task stamps its CPU, start and end (--trace tasks).
  bool traces_tasks() const noexcept { return trace_tasks_; }
  // Whether --perturb set any perturbation (schedlab/perturb.hpp).
  bool perturbed() const noexcept { return perturbed_; }

 private:
  // On its own cache line, away from the caller's read-mostly data.
  alignas(64) std::atomic<bool> stop_{false};
  std::atomic<bool> interrupted_{false};
  std::atomic_flag error_claimed_;
  int rank_;
  bool trace_tasks_;
  bool perturbed_;
  TaskError first_error_;
};

// Runs one task and fills its record: `record` needs cpu, start, end and worker fields
// (TaskRecord, or the MPI wire record TaskOutcome); `result` is where the task's value
// goes. `execute(task)` does the work (execute_task(task, fail_task) or a sliced variant).
// Returns true when the task ran to the end; false when it was skipped or failed (the
// failure is in `control`). With --trace tasks it costs two clock reads and one
// sched_getcpu() besides the work; with --trace off, none (the record keeps only its worker).
// With --perturb, a perturbed worker waits or busy-waits as its perturbation says.
// A template, so `execute` is inlined (no std::function, no lock, no shared counter).
template <class Record, class Execute>
bool run_one_task(RunControl& control, const Task& task, Record& record, std::uint64_t& result,
                  int worker, Clock::time_point t0, Execute&& execute) noexcept {
  if (control.should_stop()) return false;
  // --perturb: one predictable branch when none is set. A pause comes before the start
  // stamp (the worker is away, not busy); a slowdown after the work, inside the task's time.
  const bool perturbed = control.perturbed();
  if (perturbed) pause_if_due(worker);
  const bool traced = control.traces_tasks();
  if (traced) {
    record.cpu = current_cpu();
    record.start = seconds_between(t0, Clock::now());
  }
  try {
    const Clock::time_point began = perturbed ? Clock::now() : Clock::time_point{};
    result = std::forward<Execute>(execute)(task);
    if (perturbed) slow_down(worker, began);
  } catch (const std::exception& e) {
    control.keep_first_error(task.id, e.what());
    return false;
  } catch (...) {
    control.keep_first_error(task.id, "unknown exception");
    return false;
  }
  if (traced) record.end = seconds_between(t0, Clock::now());
  record.worker = worker;  // set last: a worker >= 0 marks the record as run
  return true;
}

}  // namespace schedlab
