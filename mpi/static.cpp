// Static strategies: the split is decided before the run, each rank runs its share, and
// the results come back to rank 0 in one gather (the notebook's ex.map()).
#include <cstddef>
#include <functional>

#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/gather.hpp"
#include "schedlab/mpi/partition.hpp"
#include "schedlab/mpi/protocol.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/steps.hpp"
#include "schedlab/techniques/plan.hpp"
#include "schedlab/techniques/technique.hpp"

namespace schedlab {
namespace {

// A rank's share of a static split: its tasks in the order it runs them, and the chunk
// (dispatch order) of each, for the records' chunk column. Every rank can work out every
// other rank's share (block, cyclic and plans are pure arithmetic), and rank 0 does, to put
// the results of --trace off back in place (below).
struct Share {
  std::vector<std::size_t> tasks;
  std::vector<std::int32_t> chunk_of;
};
using ShareOf = std::function<Share(int rank)>;

// Rank 0, after a results-only gather: rank r's k-th value is the result of the k-th task of
// r's share, run by worker r (one thread per rank) with no CPU or times (--trace off).
void assemble_results(const std::vector<std::uint64_t>& values, const GatherLayout& layout,
                      const Share& mine, const ShareOf& share_of, const RankContext& ctx,
                      RunResult& run, Progress& progress) {
  for (int r = 0; r < ctx.ranks; ++r) {
    const Share share = r == 0 ? mine : share_of(r);
    const auto first = static_cast<std::size_t>(layout.offsets[static_cast<std::size_t>(r)]);
    for (std::size_t k = 0; k < share.tasks.size(); ++k) {
      const std::size_t t = share.tasks[k];
      put_result(run, t, values[first + k], r, share.chunk_of[k]);
      if (r != 0) progress.task_done();
    }
  }
}

// The common body of block, cyclic and plans: run my share, wait for every rank, agree,
// gather, assemble at rank 0.
RunResult run_static_share(const std::vector<Task>& tasks, const ShareOf& share_of,
                           const RankContext& ctx, Progress& progress) {
  const bool root = ctx.rank == 0;
  const Share mine = share_of(ctx.rank);
  // Everything the run writes into is allocated and touched before the start barrier:
  // bookkeeping and first-touch page faults are not the schedule's cost.
  RunResult run = root ? empty_result(tasks.size(), ctx.workers()) : RunResult{};
  RankRun ran = prepare_rank_run(mine.tasks.size());
  for (std::size_t k = 0; k < mine.tasks.size(); ++k) ran.outcomes[k].chunk = mine.chunk_of[k];
  // Known before the run: a static split fixes every rank's share in advance.
  const GatherLayout layout = plan_gather(mine.tasks.size(), ctx);
  const bool values_suffice = results_suffice(ctx);
  std::vector<std::uint64_t> values(values_suffice ? layout.total : 0);
  std::vector<TaskOutcome> all(values_suffice ? 0 : layout.total);

  MPI_Barrier(ctx.comm);
  const auto t0 = Clock::now();
  run_tasks_in_rank(tasks, mine.tasks, ctx, t0, ran, &progress);
  // A rank that finished its share early sleeps here instead of spinning, so that ranks
  // sharing a core with it (more ranks than cores) get the core.
  barrier_without_spinning(ctx.comm);
  const std::optional<TaskError> failure = agree_on_first_failure(ran.error, ctx.rank, ctx.comm);
  const bool interrupted =
      agree_on_interrupt(ran.interrupted ? interrupt_signal() : 0, ctx.comm) != 0;
  // The same choice on every rank: the trace level and the threads are agreed options, the
  // failure and the signal were agreed just above.
  const bool results_only = values_suffice && !failure && !interrupted;
  if (results_only) {
    gather_results(ran.outcomes, layout, values, ctx);
  } else {
    gather_outcomes(ran.outcomes, layout, all, ctx);
  }
  // Every result is at rank 0 now (as map() has returned). Filling the record below is
  // bookkeeping and stays outside Tp.
  run.wall_seconds = seconds_between(t0, Clock::now());

  run.workers = ctx.workers();
  run.error = failure;
  run.interrupted = interrupted;
  if (root) {
    if (results_only) {
      assemble_results(values, layout, mine, share_of, ctx, run, progress);
    } else {
      assemble_outcomes(all, {}, ctx.threads, run, progress);
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
  const auto share_of = [&](int rank) {
    const TaskRange block = block_range(tasks.size(), ctx.ranks, rank);
    // One chunk per rank: chunk index = rank.
    return Share{task_ids(block), std::vector<std::int32_t>(block.count, rank)};
  };
  return run_static_share(tasks, share_of, ctx, progress);
}

// Wins when cost trends along the list: dealing chunks round robin gives every rank a
// slice of each region. Still blind to random imbalance, which only on-demand dispatch fixes.
RunResult run_static_cyclic(const std::vector<Task>& tasks, const RankContext& ctx,
                            std::size_t chunk, Progress& progress) {
  const auto share_of = [&](int rank) {
    Share share{cyclic_tasks(tasks.size(), ctx.ranks, rank, chunk), {}};
    share.chunk_of.reserve(share.tasks.size());  // chunks are dealt in list order: index = task / C
    for (const std::size_t t : share.tasks) {
      share.chunk_of.push_back(static_cast<std::int32_t>(t / chunk));
    }
    return share;
  };
  return run_static_share(tasks, share_of, ctx, progress);
}

// Wins when task costs are known before the run (binlpt, lpt): the plan balances them with
// no message at all. Every rank builds the same plan from the same sizes (pure arithmetic,
// no broadcast needed) and runs its own chunks in plan order.
RunResult run_static_plan(const std::vector<Task>& tasks, const RankContext& ctx,
                          const techniques::TechniqueSpec& technique, Progress& progress) {
  // --steps: every rank plans the same step (binlpt,keep=1 keeps step 0's plan on each rank).
  const techniques::Plan plan =
      techniques::make_plan(technique, techniques::loop_of_tasks(tasks, ctx.ranks, current_step()));
  const auto share_of = [&plan](int rank) {
    Share share;
    for (const std::size_t c : plan.by_worker[static_cast<std::size_t>(rank)]) {
      for (const std::size_t t : plan.chunks[c].tasks) {
        share.tasks.push_back(t);
        share.chunk_of.push_back(static_cast<std::int32_t>(c));
      }
    }
    return share;
  };
  return run_static_share(tasks, share_of, ctx, progress);
}

}  // namespace schedlab
