// rma: self-scheduling with no master. Rank 0 exposes one 64-bit counter, the index of the
// next chunk of the technique's chunk table, in an MPI window; every rank claims its next
// chunks with one atomic MPI_Fetch_and_op on it (passive target: rank 0 does nothing to
// serve it). It is the MPI form of OpenMP's `next.fetch_add(1)` over a chunk table.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "claimed_share.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/perturb.hpp"

namespace schedlab {
namespace {

constexpr int kCounterRank = 0;     // the rank whose window holds the counter
constexpr MPI_Aint kCounterAt = 0;  // its displacement in that window

// The shared chunk counter: one window per run, created and freed by every rank together.
class ChunkCounter {
 public:
  explicit ChunkCounter(const RankContext& ctx) {
    // MPI_Win_allocate rather than MPI_Win_create on our own memory: MPI may then place the
    // counter where the other ranks reach it directly (shared memory on one node).
    const MPI_Aint bytes = ctx.rank == kCounterRank ? MPI_Aint{sizeof(std::int64_t)} : 0;
    // An MPI may have no one-sided transport between these ranks (Open MPI 4.1 over TCP
    // picks osc/rdma, which then fails): say so and how to fix it, instead of MPI's abort.
    MPI_Comm_set_errhandler(ctx.comm, MPI_ERRORS_RETURN);
    const int rc =
        MPI_Win_allocate(bytes, sizeof(std::int64_t), MPI_INFO_NULL, ctx.comm, &counter_, &window_);
    MPI_Comm_set_errhandler(ctx.comm, MPI_ERRORS_ARE_FATAL);
    if (rc != MPI_SUCCESS) {
      char text[MPI_MAX_ERROR_STRING];
      int length = 0;
      MPI_Error_string(rc, text, &length);
      throw std::runtime_error(
          "rma: MPI_Win_allocate failed (" + std::string(text, static_cast<std::size_t>(length)) +
          "): this MPI has no one-sided transport between these ranks; with Open MPI 4.1 over "
          "TCP run mpirun --mca osc pt2pt (docs/mpi.md, \"rma across nodes\")");
    }
    if (ctx.rank == kCounterRank) *counter_ = 0;
    // One passive-target epoch to every rank for the whole run: no lock per claim, and no
    // rank ever has to act for another's access to complete.
    MPI_Win_lock_all(MPI_MODE_NOCHECK, window_);
    // Our store of 0 becomes visible to the atomics (separate memory model) before anyone
    // claims: the start barrier that follows orders it before every claim.
    MPI_Win_sync(window_);
  }
  ChunkCounter(const ChunkCounter&) = delete;
  ChunkCounter& operator=(const ChunkCounter&) = delete;
  ~ChunkCounter() {
    MPI_Win_unlock_all(window_);
    MPI_Win_free(&window_);  // collective: every rank has finished claiming
  }

  // Claims n consecutive chunks; returns the first one's index (>= the table's count: none
  // left, or a rank has stopped everyone).
  std::int64_t claim(std::int64_t n) {
    std::int64_t first = 0;
    // Atomic read-and-add on rank 0's counter: the whole cost of a dispatch. MPI_SUM on
    // MPI_INT64_T; concurrent claims from many ranks are serialised by MPI, none is lost.
    MPI_Fetch_and_op(&n, &first, MPI_INT64_T, kCounterRank, kCounterAt, MPI_SUM, window_);
    // The fetched value may be read only once the operation has completed at the target.
    MPI_Win_flush(kCounterRank, window_);
    return first;
  }

  // A failure or a signal here: move the counter past the end, so that every other rank's
  // next claim finds nothing left and it stops after its current chunk.
  void stop_everyone(std::int64_t past_end) {
    std::int64_t previous = 0;
    MPI_Fetch_and_op(&past_end, &previous, MPI_INT64_T, kCounterRank, kCounterAt, MPI_REPLACE,
                     window_);
    MPI_Win_flush(kCounterRank, window_);
  }

 private:
  std::int64_t* counter_ = nullptr;
  MPI_Win window_ = MPI_WIN_NULL;
};

}  // namespace

// Wins when one master would be the bottleneck: many ranks and short chunks. A claim is
// one atomic on rank 0's memory (a shared-memory atomic on one node, a network round trip
// across nodes) and no rank stops computing to answer it.
RunResult run_rma(const std::vector<Task>& tasks, const RankContext& ctx,
                  const techniques::TechniqueSpec& technique, Progress& progress) {
  // Built on every rank before the start barrier: the table is the same everywhere (N, P
  // and the parameters fix it), so a claimed index is all a rank needs to know its tasks.
  const techniques::ChunkTable table = claimed_chunk_table(technique, tasks.size(), ctx);
  const auto chunks = static_cast<std::int64_t>(table.count());
  ClaimedShare mine(tasks.size(), table.count(), ctx);
  ChunkCounter counter(ctx);
  // Rank 0 holds the counter. On one node MPI applies other ranks' atomics straight to its
  // memory; over TCP (no network atomics) Open MPI's one-sided layer completes them only
  // when rank 0's MPI library runs. So rank 0 enters MPI between slices of its own tasks
  // (MPI_Iprobe: ~35 ns) - it never answers anyone, but a claim need not wait for a task.
  const ServeWhileRunning progress_rma{nullptr,
                                       [&ctx] {
                                         int flag = 0;
                                         MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, ctx.comm, &flag,
                                                    MPI_STATUS_IGNORE);
                                       },
                                       kServeSliceUnits};
  const ServeWhileRunning* serve = ctx.rank == kCounterRank ? &progress_rma : nullptr;

  MPI_Barrier(ctx.comm);
  const auto t0 = Clock::now();
  // A rank claims one chunk per thread at a time (thread 0 claims for the rank: the MPI
  // library may offer only MPI_THREAD_FUNNELED), and its threads share the claimed tasks.
  const std::int64_t per_claim = ctx.threads;
  const bool perturbed = perturbations_set();  // --perturb latency=S: per claim
  while (true) {
    if (interrupt_requested()) {
      mine.set_interrupted();
      counter.stop_everyone(chunks);
      break;
    }
    const std::int64_t k = counter.claim(per_claim);
    if (k >= chunks) break;  // nothing left (or someone stopped us all)
    // The claim is this strategy's dispatch: --perturb latency delays it.
    if (perturbed) delay_dispatch(ctx.rank, ctx.threads);
    const TaskRange range =
        tasks_of_chunks(table, static_cast<std::size_t>(k), static_cast<std::size_t>(per_claim));
    if (!mine.run(tasks, range, ctx, t0, &progress, serve)) {
      counter.stop_everyone(chunks);
      break;
    }
  }
  return finish_claimed_run(tasks, mine, table, ctx, t0, progress);
}

}  // namespace schedlab
