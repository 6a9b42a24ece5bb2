// binlpt: workload-aware (LaPeSD's BinLPT). Cut the loop into at most K contiguous chunks of
// about equal estimated load (a chunk closes once its load reaches total/K), then give the
// chunks, heaviest first, each to the least-loaded worker.
// Time-stepping (--steps): each step is planned from that step's costs, unless keep=1: then
// step 0's plan is kept for every later step, as a plan tuned once on a first profile is.
#include <numeric>
#include <string>

#include "portfolio.hpp"
#include "step_store.hpp"

namespace schedlab::techniques::detail {

namespace {

Plan plan_from_costs(const LoopSetup& loop, const Params& params) {
  const auto p = static_cast<std::size_t>(loop.workers);
  const std::size_t n = loop.tasks;
  std::size_t most = count_param(params, 0, 0);
  if (most == 0) most = 4 * p;
  // No known costs, or all zero: every task counts as 1 (binlpt then cuts equal chunks). The
  // known costs are read where they are, not copied (the simulator plans every decision).
  std::vector<double> ones;
  const std::vector<double>* costs = &loop.task_costs;
  double total = costs->size() == n ? std::accumulate(costs->begin(), costs->end(), 0.0) : 0.0;
  if (!(total > 0)) {
    ones.assign(n, 1.0);
    costs = &ones;
    total = static_cast<double>(n);
  }
  const std::vector<double>& cost = *costs;
  const double target = total / static_cast<double>(most);

  struct Bin {
    std::size_t first;
    std::size_t size;
    double load;
  };
  std::vector<Bin> bins;
  Bin open{0, 0, 0.0};
  for (std::size_t t = 0; t < n; ++t) {
    ++open.size;
    open.load += cost[t];
    if (open.load >= target && bins.size() + 1 < most) {
      bins.push_back(open);
      open = {t + 1, 0, 0.0};
    }
  }
  if (open.size > 0) bins.push_back(open);

  // Heaviest bin first to the least-loaded worker (ties: the lower bin, the lower worker).
  std::vector<std::size_t> order(bins.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return bins[a].load > bins[b].load; });
  std::vector<double> load(p, 0.0);
  Plan plan;
  for (std::size_t b : order) {
    const auto w =
        static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[w] += bins[b].load;
    PlanChunk chunk{static_cast<int>(w), {}};
    chunk.tasks.reserve(bins[b].size);
    for (std::size_t t = bins[b].first; t < bins[b].first + bins[b].size; ++t)
      chunk.tasks.push_back(t);
    plan.chunks.push_back(std::move(chunk));
  }
  index_by_worker(plan, loop.workers);
  return plan;
}

// The plans step 0 made with keep=1, per process, keyed by K, P and N.
StepStore<Plan>& kept_plans() {
  static StepStore<Plan> plans;
  return plans;
}

Plan binlpt_plan(const LoopSetup& loop, const Params& params) {
  if (count_param(params, 1, 0) == 0) return plan_from_costs(loop, params);
  // keep=1: the estimate stays what step 0 measured, however the costs drift since.
  const std::string key = "binlpt," + std::to_string(count_param(params, 0, 0)) +
                          "@P=" + std::to_string(loop.workers) + ",N=" + std::to_string(loop.tasks);
  if (loop.time_step > 0) {
    if (std::optional<Plan> kept = kept_plans().from_step(key, 0)) return std::move(*kept);
  }
  Plan plan = plan_from_costs(loop, params);
  if (loop.time_step == 0) kept_plans().keep(key, plan, 0);
  return plan;
}

}  // namespace

TechniqueInfo binlpt_info() {
  return {.name = "binlpt",
          .aliases = {"bin-lpt"},
          .params =
              {{"chunks", 0, "most chunks K (0: 4P)"},
               {"keep", 0,
                "1: plan step 0 only and keep that plan for the later steps (0: plan every step)"}},
          .when_it_wins = "task costs known in advance (estimates): balance without dispatch",
          .reference = "Penna, Castro, Plentz et al., Concurrency Computat. 2017 (BinLPT)",
          .adaptive = false,
          .monotone = false,
          .portfolio = true,
          .dispatch = Dispatch::kPlan,
          .make = {},
          .make_plan = binlpt_plan};
}

}  // namespace schedlab::techniques::detail
