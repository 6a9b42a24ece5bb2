// Inside one rank: its tasks run on --threads OpenMP threads, first come first served.
// This is the hybrid level of MPI + OpenMP; with --threads 1 it is a plain loop.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "schedlab/mpi/protocol.hpp"
#include "schedlab/mpi/rank_context.hpp"
#include "schedlab/progress.hpp"
#include "schedlab/run.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

// What one rank did with the tasks it was given: one slot per task, by position, so that a
// thread writes only its own task's slot (no lock, no shared counter on the hot path).
struct RankRun {
  std::vector<TaskOutcome> outcomes;  // outcomes[k] is task ids[k]; worker -1: it did not run
  std::optional<TaskError> error;     // the first failing task (rank filled in)
  bool interrupted = false;           // SIGINT/SIGTERM seen between tasks

  // The outcomes of the tasks that ran, in the order they finished (by end time).
  std::vector<TaskOutcome> finished_in_order() const;
  // The same into `done` (its capacity kept); with one thread (or --trace off) the tasks
  // are already in order and nothing is sorted.
  void finished_in_order(std::vector<TaskOutcome>& done) const;
};

// A RankRun with n empty slots, every byte written: call it before the clock starts, so
// that the run writes into memory that is already mapped (a first-touch page fault costs
// ~0.2 us per 4 KiB in a VM: 100 task records).
RankRun prepare_rank_run(std::size_t n);

// How thread 0 of a computing master keeps serving the other ranks while it runs its own
// tasks. Thread 0 is the thread that called MPI_Init_thread: under MPI_THREAD_FUNNELED it
// is the only one allowed to talk to other ranks.
struct ServeWhileRunning {
  // After each of thread 0's tasks, with its outcome; returning false stops the rest.
  std::function<bool(const TaskOutcome&)> between_tasks;
  // Inside thread 0's tasks, every slice_units units: a long task is no reason to keep a
  // worker waiting for its next chunk.
  std::function<void()> between_slices;
  std::uint64_t slice_units = 0;
};

// Runs `ids` (indices into `tasks`) with schedule(dynamic) over ctx.threads threads,
// filling run.outcomes[first_slot + k] for ids[k]; `run` must come from prepare_rank_run
// with at least first_slot + ids.size() slots; times are seconds since t0. A failure or a signal
// stops further tasks from starting. `progress` (may be null) is told of every finished task.
// `serve` (may be null) is the only code in the loop that touches the caller's state, and it runs
// on thread 0 alone.
void run_tasks_in_rank(const std::vector<Task>& tasks, const std::vector<std::size_t>& ids,
                       const RankContext& ctx, Clock::time_point t0, RankRun& run,
                       Progress* progress = nullptr, const ServeWhileRunning* serve = nullptr,
                       std::size_t first_slot = 0);
// The same for the contiguous tasks of `range` (a chunk): ids[k] = range.first + k.
void run_tasks_in_rank(const std::vector<Task>& tasks, TaskRange range, const RankContext& ctx,
                       Clock::time_point t0, RankRun& run, Progress* progress = nullptr,
                       const ServeWhileRunning* serve = nullptr, std::size_t first_slot = 0);

}  // namespace schedlab
