// lpt: longest processing time first, offline. Each task, costliest first, goes to the
// least-loaded worker; makespan <= (4/3 - 1/(3P)) x optimum (Graham). The "if you knew the
// future" baseline: one chunk per worker, holding any tasks, not a contiguous range.
#include <functional>
#include <numeric>
#include <queue>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

Plan lpt_plan(const LoopSetup& loop, const Params&) {
  const auto p = static_cast<std::size_t>(loop.workers);
  const std::size_t n = loop.tasks;
  const std::vector<double> cost =
      loop.task_costs.size() == n ? loop.task_costs : std::vector<double>(n, 1.0);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  // Least-loaded worker first, ties to the lower id: a min-heap keeps this O(N log P).
  using Load = std::pair<double, std::size_t>;
  std::priority_queue<Load, std::vector<Load>, std::greater<>> least;
  for (std::size_t w = 0; w < p; ++w) least.emplace(0.0, w);
  std::vector<std::vector<std::size_t>> tasks_of(p);
  for (auto& tasks : tasks_of) tasks.reserve(n / p + 1);
  for (std::size_t t : order) {
    const auto [load, w] = least.top();
    least.pop();
    tasks_of[w].push_back(t);
    least.emplace(load + cost[t], w);
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
