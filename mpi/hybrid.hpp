// Inside one rank: its tasks run on --threads OpenMP threads, first come first served.
// This is the hybrid level of MPI + OpenMP; with --threads 1 it is a plain loop.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "protocol.hpp"
#include "schedlab/run.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

// Where this rank stands, and what every task it runs needs to know.
struct RankContext {
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0;
  int ranks = 1;
  int threads = 1;                       // OpenMP threads per rank
  std::optional<std::size_t> fail_task;  // --fail-task
  int workers() const { return ranks * threads; }
};

// What one rank did with the tasks it was given.
struct RankRun {
  std::vector<TaskOutcome> outcomes;  // in completion order
  std::optional<TaskError> error;     // the first failing task (rank filled in)
  bool interrupted = false;           // SIGINT/SIGTERM seen between tasks
};

// Runs `ids` (indices into `tasks`) with schedule(dynamic) over ctx.threads threads; times
// are seconds since t0. A failure or a signal stops further tasks from starting.
// on_done(outcome) runs for every finished task; between_tasks() runs on thread 0 (the
// thread that may call MPI) after each of its tasks and may return false to stop the rest.
// Both run under one lock, so they may share state.
RankRun run_tasks_in_rank(const std::vector<Task>& tasks, const std::vector<std::size_t>& ids,
                          const RankContext& ctx, Clock::time_point t0,
                          const std::function<void(const TaskOutcome&)>& on_done = {},
                          const std::function<bool()>& between_tasks = {});

}  // namespace schedlab
