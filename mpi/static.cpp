// Static strategies: the split is decided before the run, each rank runs its share, and
// the results come back to rank 0 in one gather (the notebook's ex.map()).
#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/partition.hpp"
#include "schedlab/mpi/protocol.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/steps.hpp"
#include "schedlab/techniques/plan.hpp"
#include "schedlab/techniques/technique.hpp"

namespace schedlab {
namespace {

// Where each rank's outcome slots land in rank 0's receive buffer: known before the run,
// because a static split fixes every rank's share in advance.
struct GatherLayout {
  std::vector<int> bytes;    // per rank (rank 0 only)
  std::vector<int> offsets;  // per rank (rank 0 only)
  std::size_t records = 0;   // outcome slots in all (rank 0 only)
};

GatherLayout plan_gather(std::size_t my_slots, const RankContext& ctx) {
  // Records travel as bytes; the task limit (10 M x 40 B) keeps every count below INT_MAX.
  const int my_bytes = static_cast<int>(my_slots * sizeof(TaskOutcome));
  GatherLayout layout;
  if (ctx.rank == 0) layout.bytes.resize(static_cast<std::size_t>(ctx.ranks));
  MPI_Gather(&my_bytes, 1, MPI_INT, layout.bytes.data(), 1, MPI_INT, 0, ctx.comm);
  layout.offsets.assign(layout.bytes.size(), 0);
  for (std::size_t r = 1; r < layout.bytes.size(); ++r) {
    layout.offsets[r] = layout.offsets[r - 1] + layout.bytes[r - 1];
  }
  if (!layout.bytes.empty()) {
    layout.records =
        static_cast<std::size_t>(layout.offsets.back() + layout.bytes.back()) / sizeof(TaskOutcome);
  }
  return layout;
}

// Rank 0 receives every rank's outcome slots (rank order, each by position in its share)
// into `all`. A rank that finished its share early waits here, sleeping instead of spinning.
void gather_outcomes(const RankRun& mine, const GatherLayout& layout, std::vector<TaskOutcome>& all,
                     const RankContext& ctx) {
  MPI_Request request;
  MPI_Igatherv(mine.outcomes.data(), static_cast<int>(mine.outcomes.size() * sizeof(TaskOutcome)),
               MPI_BYTE, all.data(), layout.bytes.data(), layout.offsets.data(), MPI_BYTE, 0,
               ctx.comm, &request);
  wait_without_spinning(request);
}

// The common body of block, cyclic and plans: run my share, gather, agree, assemble at rank
// 0. `chunk_of[k]` is the chunk index of my k-th task (the records' chunk column).
RunResult run_static_share(const std::vector<Task>& tasks, const std::vector<std::size_t>& mine,
                           const std::vector<std::int32_t>& chunk_of, const RankContext& ctx,
                           Progress& progress) {
  const bool root = ctx.rank == 0;
  // Everything the run writes into is allocated and touched before the start barrier:
  // bookkeeping and first-touch page faults are not the schedule's cost.
  RunResult run = root ? empty_result(tasks.size(), ctx.workers()) : RunResult{};
  RankRun ran = prepare_rank_run(mine.size());
  for (std::size_t k = 0; k < mine.size(); ++k) ran.outcomes[k].chunk = chunk_of[k];
  const GatherLayout layout = plan_gather(mine.size(), ctx);
  std::vector<TaskOutcome> all(layout.records);

  MPI_Barrier(ctx.comm);
  const auto t0 = Clock::now();
  run_tasks_in_rank(tasks, mine, ctx, t0, ran, &progress);
  gather_outcomes(ran, layout, all, ctx);
  const std::optional<TaskError> failure = agree_on_first_failure(ran.error, ctx.rank, ctx.comm);
  const bool interrupted =
      agree_on_interrupt(ran.interrupted ? interrupt_signal() : 0, ctx.comm) != 0;
  // The collectives above are the end barrier: every result is at rank 0 (as map() has
  // returned). Filling the record below is bookkeeping and stays outside Tp.
  run.wall_seconds = seconds_between(t0, Clock::now());

  run.workers = ctx.workers();
  run.error = failure;
  run.interrupted = interrupted;
  if (root) {
    for (const TaskOutcome& o : all) {
      if (o.worker < 0) continue;  // a slot whose task never ran (failure or signal)
      run.results[o.task] = o.result;
      run.trace[o.task] = TaskRecord{o.task, o.worker, o.cpu, o.start, o.end, o.chunk};
      // Rank 0 counted its own tasks as they finished; the others arrive now.
      if (o.worker / ctx.threads != 0) progress.task_done();
    }
    // Completion order from the trace: every rank timed its tasks from the same barrier.
    run.completion_order = completion_order_by_end(run.trace);
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
  // One chunk per rank: chunk index = rank.
  return run_static_share(tasks, task_ids(block), std::vector<std::int32_t>(block.count, ctx.rank),
                          ctx, progress);
}

// Wins when cost trends along the list: dealing chunks round robin gives every rank a
// slice of each region. Still blind to random imbalance, which only on-demand dispatch fixes.
RunResult run_static_cyclic(const std::vector<Task>& tasks, const RankContext& ctx,
                            std::size_t chunk, Progress& progress) {
  const std::vector<std::size_t> mine = cyclic_tasks(tasks.size(), ctx.ranks, ctx.rank, chunk);
  std::vector<std::int32_t> chunk_of;  // chunks are dealt in list order: index = task / C
  chunk_of.reserve(mine.size());
  for (const std::size_t t : mine) chunk_of.push_back(static_cast<std::int32_t>(t / chunk));
  return run_static_share(tasks, mine, chunk_of, ctx, progress);
}

// Wins when task costs are known before the run (binlpt, lpt): the plan balances them with
// no message at all. Every rank builds the same plan from the same sizes (pure arithmetic,
// no broadcast needed) and runs its own chunks in plan order.
RunResult run_static_plan(const std::vector<Task>& tasks, const RankContext& ctx,
                          const techniques::TechniqueSpec& technique, Progress& progress) {
  // --steps: every rank plans the same step (binlpt,keep=1 keeps step 0's plan on each rank).
  const techniques::Plan plan =
      techniques::make_plan(technique, techniques::loop_of_tasks(tasks, ctx.ranks, current_step()));
  std::vector<std::size_t> mine;
  std::vector<std::int32_t> chunk_of;
  for (const std::size_t c : plan.by_worker[static_cast<std::size_t>(ctx.rank)]) {
    for (const std::size_t t : plan.chunks[c].tasks) {
      mine.push_back(t);
      chunk_of.push_back(static_cast<std::int32_t>(c));
    }
  }
  return run_static_share(tasks, mine, chunk_of, ctx, progress);
}

}  // namespace schedlab
