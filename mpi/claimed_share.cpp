// The parts rma and hierarchical share: the chunk table, running a claimed range, and
// gathering shares of any size to rank 0 at the end.
#include "claimed_share.hpp"

#include <stdexcept>
#include <string>

#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/protocol.hpp"
#include "schedlab/mpi/strategies.hpp"

namespace schedlab {

techniques::ChunkTable claimed_chunk_table(const techniques::TechniqueSpec& technique,
                                           std::size_t tasks, const RankContext& ctx) {
  // N and the workers that claim (ranks x threads); no task costs.
  techniques::LoopSetup loop;
  loop.tasks = tasks;
  loop.workers = ctx.workers();
  return techniques::chunk_table(technique, loop);
}

TaskRange tasks_of_chunks(const techniques::ChunkTable& table, std::size_t k, std::size_t n) {
  const std::size_t count = table.count();
  if (k >= count) return TaskRange{table.first.empty() ? 0 : table.first.back(), 0};
  const std::size_t end = k + n < count ? k + n : count;
  return TaskRange{table.first[k], table.first[end] - table.first[k]};
}

ClaimedShare::ClaimedShare(std::size_t tasks, std::size_t chunks, const RankContext& ctx)
    : ran_(prepare_rank_run(tasks)) {
  claims_.assign(chunks, TaskRange{});  // no allocation or first touch per claim
  if (ctx.rank != 0) return;
  if (results_suffice(ctx)) {
    gathered_results_.assign(tasks, 0);
    gathered_claims_.assign(chunks, TaskRange{});
  } else {
    gathered_.assign(tasks, TaskOutcome{});
  }
}

bool ClaimedShare::run(const std::vector<Task>& tasks, TaskRange range, const RankContext& ctx,
                       Clock::time_point t0, Progress* progress, const ServeWhileRunning* serve) {
  if (used_ + range.count > ran_.outcomes.size()) {
    throw std::logic_error("claimed run: more tasks claimed than the list has");
  }
  if (range.count == 0) return !ran_.error && !ran_.interrupted;
  run_tasks_in_rank(tasks, range, ctx, t0, ran_, progress, serve, used_);
  used_ += range.count;
  // Recorded after the run: the slots [used_ - count, used_) hold exactly these tasks (a
  // task skipped after a stop keeps worker -1, and then the whole records travel).
  if (claimed_ > 0 && claims_[claimed_ - 1].first + claims_[claimed_ - 1].count == range.first) {
    claims_[claimed_ - 1].count += range.count;  // continues the previous claim
  } else if (claimed_ < claims_.size()) {
    claims_[claimed_++] = range;
  } else {
    throw std::logic_error("claimed run: more claims than the table has chunks");
  }
  return !ran_.error && !ran_.interrupted;
}

void assemble_claimed_results(std::span<const TaskRange> claims, const GatherLayout& claim_layout,
                              std::span<const std::uint64_t> values,
                              const GatherLayout& value_layout,
                              std::span<const std::size_t> chunk_of_task, RunResult& run,
                              Progress& progress) {
  const auto ranges_of = [&](std::size_t r) {
    return claims.subspan(static_cast<std::size_t>(claim_layout.offsets[r]),
                          static_cast<std::size_t>(claim_layout.counts[r]));
  };
  // First check that every rank's ranges hold exactly its results: a mismatch is a bug, and
  // nothing is written then.
  for (std::size_t r = 0; r < claim_layout.counts.size(); ++r) {
    std::size_t tasks = 0;
    bool in_list = true;
    for (const TaskRange& range : ranges_of(r)) {
      in_list = in_list && range.first + range.count <= run.results.size();
      tasks += range.count;
    }
    if (!in_list || tasks != static_cast<std::size_t>(value_layout.counts[r])) {
      throw std::logic_error("claimed run: rank " + std::to_string(r) +
                             "'s claimed ranges do not match its results");
    }
  }
  for (std::size_t r = 0; r < claim_layout.counts.size(); ++r) {
    const auto rank = static_cast<int>(r);
    auto value = static_cast<std::size_t>(value_layout.offsets[r]);
    for (const TaskRange& range : ranges_of(r)) {
      for (std::size_t t = range.first; t < range.first + range.count; ++t) {
        put_result(run, t, values[value++], rank, static_cast<int>(chunk_of_task[t]));
        // Rank 0 counted its own tasks as they finished; the others arrive now.
        if (rank != 0) progress.task_done();
      }
    }
  }
}

namespace {

// The claimed ranges, then the results, of every rank to rank 0 (every rank is present:
// finish_claimed_run's barrier). A range travels as two uint64 (first, count).
void gather_claims_and_results(ClaimedShare& mine, const RankContext& ctx,
                               GatherLayout& claim_layout, GatherLayout& value_layout) {
  static_assert(sizeof(TaskRange) == 2 * sizeof(std::uint64_t));
  claim_layout = plan_gather(2 * mine.claims().size(), ctx);  // in uint64s
  std::vector<TaskRange>& claims = mine.gathered_claims();
  if (claims.size() * 2 < claim_layout.total) {
    throw std::logic_error("claimed run: more claimed ranges than chunks");
  }
  MPI_Gatherv(mine.claims().data(), static_cast<int>(2 * mine.claims().size()), MPI_UINT64_T,
              claims.data(), claim_layout.counts.data(), claim_layout.offsets.data(), MPI_UINT64_T,
              0, ctx.comm);
  for (int& count : claim_layout.counts) count /= 2;  // in ranges from here on
  for (int& offset : claim_layout.offsets) offset /= 2;
  value_layout = plan_gather(mine.outcomes().size(), ctx);
  gather_results(mine.outcomes(), value_layout, mine.gathered_results(), ctx);
}

}  // namespace

RunResult finish_claimed_run(const std::vector<Task>& tasks, ClaimedShare& mine,
                             const techniques::ChunkTable& table, const RankContext& ctx,
                             Clock::time_point t0, Progress& progress) {
  // A rank that ran out of chunks early sleeps here instead of spinning, so that ranks
  // sharing a core with it (more ranks than cores) get the core.
  barrier_without_spinning(ctx.comm);
  const std::optional<TaskError> failure = agree_on_first_failure(mine.error(), ctx.rank, ctx.comm);
  const bool interrupted =
      agree_on_interrupt(mine.interrupted() ? interrupt_signal() : 0, ctx.comm) != 0;
  // The same choice on every rank: the trace level and the threads are agreed options, the
  // failure and the signal were agreed just above.
  const bool results_only = results_suffice(ctx) && !failure && !interrupted;
  GatherLayout claim_layout;
  GatherLayout value_layout;
  if (results_only) {
    gather_claims_and_results(mine, ctx, claim_layout, value_layout);
  } else {
    gather_outcomes(mine.outcomes(), plan_gather(mine.outcomes().size(), ctx), mine.gathered(),
                    ctx);
  }
  // Every result is at rank 0 now; what follows is bookkeeping, outside Tp.
  const double wall_seconds = seconds_between(t0, Clock::now());
  RunResult run = ctx.rank == 0 ? empty_result(tasks.size(), ctx.workers()) : RunResult{};
  run.wall_seconds = wall_seconds;
  run.workers = ctx.workers();
  run.error = failure;
  run.interrupted = interrupted;
  if (ctx.rank == 0) {
    const std::vector<std::size_t> chunk_of = techniques::chunk_of_task(table);
    if (results_only) {
      assemble_claimed_results(mine.gathered_claims(), claim_layout, mine.gathered_results(),
                               value_layout, chunk_of, run, progress);
    } else {
      assemble_outcomes(mine.gathered(), chunk_of, ctx.threads, run, progress);
    }
    run.completion_order = completion_order_by_end(run.trace);
  }
  progress.finish();
  return run;
}

}  // namespace schedlab
