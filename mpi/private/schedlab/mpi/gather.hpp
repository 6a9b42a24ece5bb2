// The end-of-run gather every strategy without a master shares (static, cyclic, plans,
// rma, hierarchical): each rank ran some tasks into TaskOutcome records, and rank 0 needs
// them all. Two ways to move them:
//   - whole records (48 bytes a task): with --trace tasks (the times), OpenMP threads inside
//     the ranks (which thread ran a task), a failure or a signal (which tasks ran at all);
//   - results only (8 bytes a task): otherwise a record holds nothing rank 0 cannot work out
//     from what the rank ran (the worker is the rank, no CPU, no times), so only `result`
//     travels, picked out of the records in place by a strided datatype.
// At 10^6 tiny tasks on 2 ranks the whole-record gather was most of the Tp
// (docs/performance.md, "MPI static at tiny tasks").
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "schedlab/mpi/protocol.hpp"
#include "schedlab/mpi/rank_context.hpp"
#include "schedlab/progress.hpp"
#include "schedlab/run.hpp"

namespace schedlab {

// How many items each rank brings, and where they land in rank 0's receive buffer.
struct GatherLayout {
  std::vector<int> counts;   // per rank (rank 0 only)
  std::vector<int> offsets;  // per rank (rank 0 only)
  std::size_t total = 0;     // in all (rank 0 only)
};

// Rank 0 learns every rank's count (MPI_Gather). Collective. The task limit (10 M) keeps
// every count, and every count x 48 bytes, below INT_MAX.
GatherLayout plan_gather(std::size_t mine, const RankContext& ctx);

// Whether the results alone can travel, as far as the options tell before the run: --trace
// off and one thread per rank (the caller adds: no failure, no signal). The same on every
// rank: both are agreed options.
bool results_suffice(const RankContext& ctx);

// Rank 0 receives every rank's whole records into `all` (resized to layout.total), rank
// after rank (MPI_Gatherv of bytes). Call with every rank present (after a barrier): the
// bytes then move at the transport's speed.
void gather_outcomes(std::span<const TaskOutcome> mine, const GatherLayout& layout,
                     std::vector<TaskOutcome>& all, const RankContext& ctx);

// Rank 0 receives only the `result` field of each rank's records into `values` (at least
// layout.total long), rank after rank: element k of rank r lands at values[offsets[r] + k].
void gather_results(std::span<const TaskOutcome> mine, const GatherLayout& layout,
                    std::vector<std::uint64_t>& values, const RankContext& ctx);

// Rank 0, after gather_outcomes: every record that ran into `run` (results, trace) by task
// id. `chunk_of_task` empty: each record's own chunk; else the chunk of each task (the
// claimed strategies' table). Counts the other ranks' tasks in `progress`.
void assemble_outcomes(std::span<const TaskOutcome> all, std::span<const std::size_t> chunk_of_task,
                       int threads, RunResult& run, Progress& progress);

// Rank 0, after gather_results: the record of task `task` as the whole records would have
// brought it - run by worker `rank` (one thread per rank), no CPU, no times (--trace off).
inline void put_result(RunResult& run, std::size_t task, std::uint64_t result, int rank,
                       int chunk) {
  run.results[task] = result;
  run.trace[task] = TaskRecord{task, rank, -1, 0.0, 0.0, chunk};
}

}  // namespace schedlab
