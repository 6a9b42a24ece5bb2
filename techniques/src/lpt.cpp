// lpt: longest processing time first, offline. Each task, costliest first, goes to the
// least-loaded worker; makespan <= (4/3 - 1/(3P)) x optimum (Graham). The "if you knew the
// future" baseline: one chunk per worker, holding any tasks, not a contiguous range.
#include <numeric>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

Plan lpt_plan(const LoopSetup& loop, const Params&) {
  const auto p = static_cast<std::size_t>(loop.workers);
  const std::size_t n = loop.tasks;
  const std::vector<double> cost = loop.task_costs.size() == n ? loop.task_costs : std::vector<double>(n, 1.0);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  std::vector<double> load(p, 0.0);
  std::vector<std::vector<std::size_t>> tasks_of(p);
  for (std::size_t t : order) {
    const auto w = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[w] += cost[t];
    tasks_of[w].push_back(t);
  }
  Plan plan;
  for (std::size_t w = 0; w < p; ++w) {
    if (!tasks_of[w].empty()) plan.chunks.push_back({static_cast<int>(w), std::move(tasks_of[w])});
  }
  index_by_worker(plan, loop.workers);
  return plan;
}

}  // namespace

TechniqueInfo lpt_info() {
  return {.name = "lpt",
          .aliases = {},
          .params = {},
          .when_it_wins = "the baseline: what knowing every task's cost in advance buys",
          .reference = "Graham, SIAM J. Appl. Math. 1969",
          .adaptive = false,
          .monotone = false,
          .dispatch = Dispatch::kPlan,
          .make = {},
          .make_plan = lpt_plan};
}

}  // namespace schedlab::techniques::detail
