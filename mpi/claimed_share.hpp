// What rma and hierarchical share (private to mpi/): a rank's tasks are the chunks it
// claimed during the run, so each rank ends with a different number of outcomes; they are
// gathered to rank 0 at the end, as static gathers its shares (schedlab/mpi/gather.hpp).
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "schedlab/mpi/gather.hpp"
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
// It also keeps the ranges it claimed (a claim that continues the previous one extends it):
// with --trace off they and the results are all rank 0 needs to rebuild the records.
class ClaimedShare {
 public:
  // Call before the start barrier, with the table's chunk count (no rank claims more ranges).
  // Rank 0 also gets the buffers the gather fills, written through as well: 48 MB of fresh
  // pages for a million tasks cost ~25 ms of page faults inside Tp (measured here: the
  // gather took 27 ms, 1.3 without). With --trace off and one thread per rank those are the
  // results (8 bytes a task) and the ranges; otherwise the whole records.
  ClaimedShare(std::size_t tasks, std::size_t chunks, const RankContext& ctx);

  // Runs one claimed range over the rank's threads. `serve` as in run_tasks_in_rank.
  // Returns false when the rank must stop (a failure or a signal).
  bool run(const std::vector<Task>& tasks, TaskRange range, const RankContext& ctx,
           Clock::time_point t0, Progress* progress, const ServeWhileRunning* serve = nullptr);

  // The slots used, in the order the rank ran its chunks (worker -1: a task that did not run
  // because the rank stopped).
  std::span<const TaskOutcome> outcomes() const { return {ran_.outcomes.data(), used_}; }
  // The claimed ranges in the order they ran: their tasks are outcomes(), one after another.
  std::span<const TaskRange> claims() const { return {claims_.data(), claimed_}; }
  const std::optional<TaskError>& error() const { return ran_.error; }
  bool interrupted() const { return ran_.interrupted; }
  void set_interrupted() { ran_.interrupted = true; }
  // Rank 0: where the gathers put every rank's records, results and ranges.
  std::vector<TaskOutcome>& gathered() { return gathered_; }
  std::vector<std::uint64_t>& gathered_results() { return gathered_results_; }
  std::vector<TaskRange>& gathered_claims() { return gathered_claims_; }

 private:
  RankRun ran_;
  std::size_t used_ = 0;
  std::vector<TaskRange> claims_;  // one slot per chunk of the table, written before the run
  std::size_t claimed_ = 0;        // the slots used
  std::vector<TaskOutcome> gathered_;
  std::vector<std::uint64_t> gathered_results_;
  std::vector<TaskRange> gathered_claims_;
};

// Rank 0, after a results-only gather: rank r's claimed ranges (claims[claim_offsets[r]..],
// claim_counts[r] of them) hold its tasks in the order of its results (values[value_offsets[r]..],
// value_counts[r]). Fills `run` with the records the whole-record gather would have brought
// (put_result: worker r, chunk from the table), counts the other ranks' tasks in `progress`.
// A rank whose ranges do not hold exactly its results is a logic_error.
void assemble_claimed_results(std::span<const TaskRange> claims, const GatherLayout& claim_layout,
                              std::span<const std::uint64_t> values,
                              const GatherLayout& value_layout,
                              std::span<const std::size_t> chunk_of_task, RunResult& run,
                              Progress& progress);

// The end of the run, at every rank: a napping barrier (a rank that finished early sleeps),
// the agreements on the first failing task (MPI_Allreduce MINLOC) and on a signal
// (agree_on_interrupt), then the gather to rank 0: with --trace off, one thread per rank,
// no failure and no signal, each rank's claimed ranges and its results only; otherwise its
// whole records. Rank 0 gets the RunResult (results by task index, trace with each task's
// table chunk, completion order by end time); the others only the agreed verdict. Tp ends
// when the gather does.
RunResult finish_claimed_run(const std::vector<Task>& tasks, ClaimedShare& mine,
                             const techniques::ChunkTable& table, const RankContext& ctx,
                             Clock::time_point t0, Progress& progress);

}  // namespace schedlab
