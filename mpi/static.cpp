// Static strategies: the split is decided before the run, each rank runs its share, and
// the results come back to rank 0 in one gather (the notebook's ex.map()).
#include <algorithm>
#include <climits>

#include "partition.hpp"
#include "protocol.hpp"
#include "schedlab/interrupt.hpp"
#include "strategies.hpp"

namespace schedlab {
namespace {

// Rank 0 receives every rank's outcomes (rank order, each in its completion order).
std::vector<TaskOutcome> gather_outcomes(const std::vector<TaskOutcome>& mine,
                                         const RankContext& ctx) {
  const bool root = ctx.rank == 0;
  const int my_bytes = static_cast<int>(mine.size() * sizeof(TaskOutcome));
  std::vector<int> bytes(root ? static_cast<std::size_t>(ctx.ranks) : 0);
  // A rank that finished its share early waits here; it sleeps instead of spinning.
  MPI_Request request;
  MPI_Igather(&my_bytes, 1, MPI_INT, bytes.data(), 1, MPI_INT, 0, ctx.comm, &request);
  wait_without_spinning(request);
  std::vector<int> offsets(bytes.size(), 0);
  for (std::size_t r = 1; r < bytes.size(); ++r) offsets[r] = offsets[r - 1] + bytes[r - 1];
  const int total = bytes.empty() ? 0 : offsets.back() + bytes.back();
  std::vector<TaskOutcome> all(static_cast<std::size_t>(total) / sizeof(TaskOutcome));
  MPI_Gatherv(mine.data(), my_bytes, MPI_BYTE, all.data(), bytes.data(), offsets.data(), MPI_BYTE,
              0, ctx.comm);
  return all;
}

// Every rank learns the same verdict: the lowest failing task id and its rank (MINLOC),
// and the signal if any rank stopped early because of one (MAX). Rank 0 also gets the
// failing rank's message. Returns the failure at every rank (message at rank 0 only).
std::optional<TaskError> agree_on_failure(const RankRun& mine, const RankContext& ctx) {
  struct {
    long task;
    int rank;
  } local{mine.error ? static_cast<long>(mine.error->task) : LONG_MAX, ctx.rank}, first{};
  MPI_Allreduce(&local, &first, 1, MPI_LONG_INT, MPI_MINLOC, ctx.comm);
  if (first.task == LONG_MAX) return std::nullopt;
  TaskError error{static_cast<std::size_t>(first.task), first.rank, {}};
  if (ctx.rank == first.rank) error.message = mine.error->message;
  if (first.rank != 0 && ctx.rank == first.rank) send_failure_text(error.message, ctx.comm);
  if (first.rank != 0 && ctx.rank == 0) error.message = receive_failure_text(first.rank, ctx.comm);
  return error;
}

int agree_on_interrupt(const RankRun& mine, const RankContext& ctx) {
  int signal = mine.interrupted ? interrupt_signal() : 0;
  MPI_Allreduce(MPI_IN_PLACE, &signal, 1, MPI_INT, MPI_MAX, ctx.comm);
  if (signal != 0 && !interrupt_requested()) request_interrupt(signal);
  return signal;
}

// The common body of block and cyclic: run my share, gather, agree, assemble at rank 0.
RunResult run_static_share(const std::vector<Task>& tasks, const std::vector<std::size_t>& mine,
                           const RankContext& ctx, Progress& progress) {
  const bool root = ctx.rank == 0;
  // Allocated before the start barrier: bookkeeping is not the schedule's cost.
  RunResult run = root ? empty_result(tasks.size(), ctx.workers()) : RunResult{};
  MPI_Barrier(ctx.comm);
  const auto t0 = Clock::now();
  const RankRun ran =
      run_tasks_in_rank(tasks, mine, ctx, t0, [&](const TaskOutcome&) { progress.task_done(); });
  std::vector<TaskOutcome> all = gather_outcomes(ran.outcomes, ctx);
  const std::optional<TaskError> failure = agree_on_failure(ran, ctx);
  const bool interrupted = agree_on_interrupt(ran, ctx) != 0;
  // The collectives above are the end barrier: every result is at rank 0 (as map() has
  // returned). Filling the record below is bookkeeping and stays outside Tp.
  run.wall_seconds = seconds_between(t0, Clock::now());

  run.workers = ctx.workers();
  run.error = failure;
  run.interrupted = interrupted;
  if (root) {
    for (const TaskOutcome& o : all) {
      run.results[o.task] = o.result;
      run.trace[o.task] = TaskRecord{o.task, o.worker, o.cpu, o.start, o.end};
      // Rank 0 counted its own tasks as they finished; the others arrive now.
      if (o.worker / ctx.threads != 0) progress.task_done();
    }
    // Completion order from the trace: every rank timed its tasks from the same barrier.
    std::stable_sort(all.begin(), all.end(),
                     [](const TaskOutcome& a, const TaskOutcome& b) { return a.end < b.end; });
    for (const TaskOutcome& o : all) run.completion_order.push_back(o.task);
  }
  progress.finish();
  return run;
}

}  // namespace

// Wins when every task costs the same: no messages until the end and contiguous memory.
// Loses when cost trends along the list (increasing): the last rank gets the heaviest block.
RunResult run_static_block(const std::vector<Task>& tasks, const RankContext& ctx,
                           Progress& progress) {
  const TaskRange block = block_range(tasks.size(), ctx.ranks, ctx.rank);
  return run_static_share(tasks, task_ids(block), ctx, progress);
}

// Wins when cost trends along the list: dealing chunks round robin gives every rank a
// slice of each region. Still blind to random imbalance, which only on-demand dispatch fixes.
RunResult run_static_cyclic(const std::vector<Task>& tasks, const RankContext& ctx,
                            std::size_t chunk, Progress& progress) {
  return run_static_share(tasks, cyclic_tasks(tasks.size(), ctx.ranks, ctx.rank, chunk), ctx,
                          progress);
}

}  // namespace schedlab
