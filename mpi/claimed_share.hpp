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

// Everything one rank ran, chunk after chunk, in slots prepared before the run: a rank may
// claim any number of tasks, so it has one slot per task of the list, every byte written
// before the start barrier (first-touch page faults are not the schedule's cost), and each
// claimed range runs straight into the next free slots - no allocation or copy per claim.
class ClaimedShare {
 public:
  // Call before the start barrier. Rank 0 also gets the buffer every rank's outcomes are
  // gathered into, written through as well: 48 MB of fresh pages for a million tasks would
  // cost ~25 ms of page faults inside Tp (measured here: the gather took 27 ms, 1.3 without).
  ClaimedShare(std::size_t tasks, const RankContext& ctx)
      : ran_(prepare_rank_run(tasks)), gathered_(ctx.rank == 0 ? tasks : 0, TaskOutcome{}) {}

  // Runs one claimed range over the rank's threads. `serve` as in run_tasks_in_rank.
  // Returns false when the rank must stop (a failure or a signal).
  bool run(const std::vector<Task>& tasks, TaskRange range, const RankContext& ctx,
           Clock::time_point t0, Progress* progress, const ServeWhileRunning* serve = nullptr);

  // The slots used, in the order the rank ran its chunks (worker -1: a task that did not run
  // because the rank stopped).
  const TaskOutcome* outcomes() const { return ran_.outcomes.data(); }
  std::size_t used() const { return used_; }
  const std::optional<TaskError>& error() const { return ran_.error; }
  bool interrupted() const { return ran_.interrupted; }
  void set_interrupted() { ran_.interrupted = true; }
  // Rank 0: where the gather puts every rank's outcomes (one slot per task of the list).
  std::vector<TaskOutcome>& gathered() { return gathered_; }

 private:
  RankRun ran_;
  std::size_t used_ = 0;
  std::vector<TaskOutcome> gathered_;
};

// The end of the run, at every rank: the outcome counts, then the outcomes, go to rank 0
// (MPI_Igather, MPI_Igatherv, waited for without spinning); every rank agrees on the first
// failing task (MPI_Allreduce MINLOC) and on a signal (agree_on_interrupt). Rank 0 gets the
// RunResult (results by task index, trace with each task's table chunk, completion order by
// end time); the others only the agreed verdict. Tp ends when these collectives do.
RunResult finish_claimed_run(const std::vector<Task>& tasks, ClaimedShare& mine,
                             const techniques::ChunkTable& table, const RankContext& ctx,
                             Clock::time_point t0, Progress& progress);

}  // namespace schedlab
