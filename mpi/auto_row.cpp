// schedlab-mpi's auto row (--strategy auto:METHOD): the selector lives on rank 0, which has
// the gathered trace of every step; one MPI_Bcast per step tells every rank the technique,
// because a plan (static, binlpt) runs per rank and each rank must know which plan.
#include <mpi.h>

#include "schedlab/mpi/strategies.hpp"
#include "schedlab/steps.hpp"

namespace schedlab {

namespace tech = schedlab::techniques;

RunResult run_auto_step(const std::vector<Task>& tasks, const RankContext& ctx,
                        tech::SelectMethod method, std::uint64_t seed, MpiAutoState& state,
                        MasterWorkerConfig config, Progress& progress) {
  const int workers = ctx.ranks * ctx.threads;
  // Rank 0 decides, timed: observing the last step, choosing, and telling every rank.
  const Clock::time_point decision_start = Clock::now();
  tech::Choice choice;
  int chosen = 0;  // the index in the portfolio, the same list on every rank (the registry's)
  if (ctx.rank == 0) {
    choice = state.choose(method, workers, seed, current_step(), tasks);
    chosen = static_cast<int>(choice.index);
  }
  MPI_Bcast(&chosen, 1, MPI_INT, 0, ctx.comm);
  const double decision_seconds = seconds_between(decision_start, Clock::now());
  const tech::TechniqueSpec spec = tech::portfolio().at(static_cast<std::size_t>(chosen));

  // The step runs as the technique's own row would (strategy_table.cpp, run_technique_row).
  RunResult result;
  if (spec.info->dispatch == tech::Dispatch::kPlan) {
    result = run_static_plan(tasks, ctx, spec, progress);
  } else {
    config.technique = spec;
    result = run_master_worker(tasks, ctx, config, progress);
  }
  if (ctx.rank == 0) state.finish(result, tasks, workers, choice, decision_seconds);
  return result;
}

}  // namespace schedlab
