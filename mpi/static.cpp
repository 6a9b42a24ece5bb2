// Static strategies: the split is decided before the run, each rank runs its share, and
// the results come back to rank 0 in one gather (the notebook's ex.map()).
#include <cstddef>
#include <functional>

#include "schedlab/interrupt.hpp"
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

// How many outcome slots each rank brings, and where they land in rank 0's receive buffer:
// known before the run, because a static split fixes every rank's share in advance.
struct GatherLayout {
  std::vector<int> counts;   // per rank (rank 0 only)
  std::vector<int> offsets;  // per rank (rank 0 only)
  std::size_t slots = 0;     // in all (rank 0 only)
};

GatherLayout plan_gather(std::size_t my_slots, const RankContext& ctx) {
  // The task limit (10 M) keeps every count, and every count x 48 bytes, below INT_MAX.
  const int mine = static_cast<int>(my_slots);
  GatherLayout layout;
  if (ctx.rank == 0) layout.counts.resize(static_cast<std::size_t>(ctx.ranks));
  MPI_Gather(&mine, 1, MPI_INT, layout.counts.data(), 1, MPI_INT, 0, ctx.comm);
  layout.offsets.assign(layout.counts.size(), 0);
  for (std::size_t r = 1; r < layout.counts.size(); ++r) {
    layout.offsets[r] = layout.offsets[r - 1] + layout.counts[r - 1];
  }
  if (!layout.counts.empty()) {
    layout.slots = static_cast<std::size_t>(layout.offsets.back() + layout.counts.back());
  }
  return layout;
}

// Rank 0 receives every rank's whole outcome records (task, worker, CPU, start, end: 48
// bytes a task) into `all`, rank after rank. Needed with --trace tasks (the times), with
// OpenMP threads inside the ranks (which thread ran a task) and after a failure or a signal
// (which tasks ran at all). Every rank is here already (the caller's barrier), so this moves
// the bytes at the transport's speed.
void gather_outcomes(const RankRun& mine, const GatherLayout& layout, std::vector<TaskOutcome>& all,
                     const RankContext& ctx) {
  constexpr int kBytes = static_cast<int>(sizeof(TaskOutcome));
  std::vector<int> bytes(layout.counts.size());
  std::vector<int> offsets(layout.offsets.size());
  for (std::size_t r = 0; r < bytes.size(); ++r) {
    bytes[r] = layout.counts[r] * kBytes;
    offsets[r] = layout.offsets[r] * kBytes;
  }
  all.resize(layout.slots);  // allocated before the run, except after a failure or a signal
  MPI_Gatherv(mine.outcomes.data(), static_cast<int>(mine.outcomes.size()) * kBytes, MPI_BYTE,
              all.data(), bytes.data(), offsets.data(), MPI_BYTE, 0, ctx.comm);
}

// With --trace off, one thread per rank and every task run, a record holds nothing rank 0
// cannot work out from the split (the worker is the rank, the chunk is the plan's, no CPU or
// times): only the results travel, 8 bytes a task instead of 48. The send type picks the
// `result` field out of each record in place, a stride of sizeof(TaskOutcome), so nothing is
// copied first. At 10^6 tiny tasks on 2 ranks the gather was the biggest part of static's
// Tp (docs/performance.md, "MPI static at tiny tasks").
void gather_results(const RankRun& mine, const GatherLayout& layout,
                    std::vector<std::uint64_t>& values, const RankContext& ctx) {
  // One uint64 whose extent is a whole record: element k is outcomes[k].result.
  MPI_Datatype result_field;
  MPI_Type_create_resized(MPI_UINT64_T, 0, static_cast<MPI_Aint>(sizeof(TaskOutcome)),
                          &result_field);
  MPI_Type_commit(&result_field);
  const void* first = mine.outcomes.empty() ? nullptr : &mine.outcomes.front().result;
  MPI_Gatherv(first, static_cast<int>(mine.outcomes.size()), result_field, values.data(),
              layout.counts.data(), layout.offsets.data(), MPI_UINT64_T, 0, ctx.comm);
  MPI_Type_free(&result_field);
}

// Rank 0, after the run: every rank's records into `run` (results, trace) by task id.
void assemble_outcomes(const std::vector<TaskOutcome>& all, const RankContext& ctx, RunResult& run,
                       Progress& progress) {
  for (const TaskOutcome& o : all) {
    if (o.worker < 0) continue;  // a slot whose task never ran (failure or signal)
    run.results[o.task] = o.result;
    run.trace[o.task] = TaskRecord{o.task, o.worker, o.cpu, o.start, o.end, o.chunk};
    // Rank 0 counted its own tasks as they finished; the others arrive now.
    if (o.worker / ctx.threads != 0) progress.task_done();
  }
}

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
      run.results[t] = values[first + k];
      run.trace[t] = TaskRecord{t, r, -1, 0.0, 0.0, share.chunk_of[k]};
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
  const GatherLayout layout = plan_gather(mine.tasks.size(), ctx);
  const bool values_suffice = trace_level() == TraceLevel::kOff && ctx.threads == 1;
  std::vector<std::uint64_t> values(values_suffice ? layout.slots : 0);
  std::vector<TaskOutcome> all(values_suffice ? 0 : layout.slots);

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
    gather_results(ran, layout, values, ctx);
  } else {
    gather_outcomes(ran, layout, all, ctx);
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
      assemble_outcomes(all, ctx, run, progress);
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
