// What rma and hierarchical share (private to mpi/): a rank's tasks are the chunks it
// claimed during the run, so each rank ends with a different number of outcomes; they are
// gathered to rank 0 at the end, as static gathers its shares.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <optional>
#include <vector>

#include "schedlab/mpi/hybrid.hpp"
#include "schedlab/mpi/partition.hpp"
#include "schedlab/techniques/plan.hpp"
#include "schedlab/techniques/registry.hpp"

namespace schedlab {

// The technique's chunks for this loop, P = ranks x threads (the P of every metric).
techniques::ChunkTable claimed_chunk_table(const techniques::TechniqueSpec& technique,
                                           std::size_t tasks, const RankContext& ctx);

// The tasks of table chunks [k, k + n) (cut at the table's end): contiguous.
TaskRange tasks_of_chunks(const techniques::ChunkTable& table, std::size_t k, std::size_t n);

// Everything one rank ran, chunk after chunk.
struct ClaimedShare {
  std::vector<TaskOutcome> outcomes;  // in the order the rank ran its chunks
  std::optional<TaskError> error;     // the rank's first failing task
  bool interrupted = false;           // SIGINT/SIGTERM seen between tasks

  // Runs one claimed range over the rank's threads and keeps what ran. `serve` as in
  // run_tasks_in_rank. Returns false when the rank must stop (a failure or a signal).
  bool run(const std::vector<Task>& tasks, TaskRange range, const RankContext& ctx,
           Clock::time_point t0, Progress* progress, const ServeWhileRunning* serve = nullptr);
};

// The end of the run, at every rank: the outcome counts, then the outcomes, go to rank 0
// (MPI_Igather, MPI_Igatherv, waited for without spinning); every rank agrees on the first
// failing task (MPI_Allreduce MINLOC) and on a signal (agree_on_interrupt). Rank 0 gets the
// RunResult (results by task index, trace with each task's table chunk, completion order by
// end time); the others only the agreed verdict. Tp ends when these collectives do.
RunResult finish_claimed_run(const std::vector<Task>& tasks, const ClaimedShare& mine,
                             const techniques::ChunkTable& table, const RankContext& ctx,
                             Clock::time_point t0, Progress& progress);

}  // namespace schedlab
