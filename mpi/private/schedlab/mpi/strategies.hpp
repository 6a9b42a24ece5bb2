// The MPI strategies: each takes the same task list and returns a RunResult at rank 0
// (results in input order, trace, completion order). Every rank calls the same function;
// on ranks other than 0 the result carries only the agreed outcome (failure, interrupt).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "schedlab/mpi/hybrid.hpp"
#include "schedlab/progress.hpp"
#include "schedlab/run.hpp"
#include "schedlab/techniques/registry.hpp"
#include "schedlab/techniques/select.hpp"
#include "schedlab/techniques/step_measure.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

// --prefetch default: a worker holds its next chunk while it runs the current one, which
// hides the round trip and a computing master's task (docs/mpi.md, "Prefetch").
inline constexpr std::size_t kDefaultPrefetch = 2;

// A computing master answers workers every this many units of its own tasks (~25 us at
// 6 ns a unit): a probe costs ~35 ns, so serving costs it ~0.2% of its compute.
inline constexpr std::uint64_t kServeSliceUnits = 4096;

// What the master measures of itself when asked (schedlab-bench-mpi; --predict's
// --master-service): how long it is busy per reply it serves.
struct MasterWorkerStats {
  std::size_t chunks = 0;        // chunks handed out
  std::size_t replies = 0;       // workers' replies served
  double serve_seconds = 0;      // inside those replies: receive, record, size, send
  double technique_seconds = 0;  // inside the technique: next_chunk and chunk_finished
  double service_per_chunk() const {
    return replies > 0 ? serve_seconds / static_cast<double>(replies) : 0.0;
  }
};

struct MasterWorkerConfig {
  std::size_t chunk = 1;                    // tasks per request (--chunk) when no technique
  std::size_t prefetch = kDefaultPrefetch;  // chunks a worker may hold (--prefetch)
  bool master_computes = true;              // --master computes | dedicated
  // The registry technique that sizes each chunk (kTable or kAsk dispatch). Empty: fixed
  // chunks of `chunk`, which is the registry's tss,C,C (first = last = C).
  std::optional<techniques::TechniqueSpec> technique;
  MasterWorkerStats* stats = nullptr;  // set: rank 0 fills it (two clock reads per reply)
};

// The technique master-worker runs: config.technique, or tss,C,C for plain --chunk C.
techniques::TechniqueSpec master_worker_technique(const MasterWorkerConfig& config);

// Static block: one contiguous block per rank, no messages until the gather.
RunResult run_static_block(const std::vector<Task>& tasks, const RankContext& ctx,
                           Progress& progress);
// Static cyclic: chunks of `chunk` tasks dealt round robin.
RunResult run_static_cyclic(const std::vector<Task>& tasks, const RankContext& ctx,
                            std::size_t chunk, Progress& progress);
// An offline plan of the registry (static, binlpt, lpt): make_plan() over the ranks, each
// rank runs its plan's chunks with no messages until the gather, like the static splits.
RunResult run_static_plan(const std::vector<Task>& tasks, const RankContext& ctx,
                          const techniques::TechniqueSpec& technique, Progress& progress);
// Master-worker: rank 0 hands out chunks on request (protocol.hpp).
RunResult run_master_worker(const std::vector<Task>& tasks, const RankContext& ctx,
                            const MasterWorkerConfig& config, Progress& progress);

// auto:METHOD (issue 22): rank 0's selector and what the last step measured, across the
// steps of a run (only rank 0's is used).
struct MpiAutoState : AutoSelection {};  // schedlab/techniques/step_measure.hpp
// One step of auto:METHOD: rank 0 chooses a portfolio technique (timed, added to the step's
// Tp and to its StepDecision), MPI_Bcast tells every rank which, and the step runs it as a
// technique row does: plans per rank, the rest master-worker with `config`.
RunResult run_auto_step(const std::vector<Task>& tasks, const RankContext& ctx,
                        techniques::SelectMethod method, std::uint64_t seed, MpiAutoState& state,
                        MasterWorkerConfig config, Progress& progress);

// Waits for a nonblocking MPI operation while sleeping between checks. Open MPI's blocking
// calls busy-poll: a rank that has nothing to do would keep a core at 100%, which steals
// time from ranks still computing whenever ranks outnumber cores.
void wait_without_spinning(MPI_Request& request);
void barrier_without_spinning(MPI_Comm comm);

// Without a single master (docs/mpi.md, "Without a single master"). Both take a kTable
// technique of the registry (ss, gss, fac2, ...: every kTable row): its chunk table, built for
// P = ranks x threads, fixes every chunk before the run; a rank claims --threads chunks at
// a time and its threads share them.
// rma: every rank claims chunks itself with MPI_Fetch_and_op on a counter in rank 0's
// window (passive target); no rank serves requests.
RunResult run_rma(const std::vector<Task>& tasks, const RankContext& ctx,
                  const techniques::TechniqueSpec& technique, Progress& progress);
// hierarchical: rank 0 hands batches of chunks to one master per node
// (MPI_Comm_split_type shared); each node master hands them to the ranks of its node.
RunResult run_hierarchical(const std::vector<Task>& tasks, const RankContext& ctx,
                           const techniques::TechniqueSpec& technique, Progress& progress);

}  // namespace schedlab
