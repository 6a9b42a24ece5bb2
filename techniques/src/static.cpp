// static: one contiguous block per worker, the first N mod P blocks one task longer (what
// libgomp's schedule(static) does). An offline plan: no dispatch at all.
#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

Plan static_plan(const LoopSetup& loop, const Params&) {
  const auto p = static_cast<std::size_t>(loop.workers);
  const std::size_t base = loop.tasks / p;
  const std::size_t extra = loop.tasks % p;
  Plan plan;
  std::size_t first = 0;
  for (std::size_t w = 0; w < p; ++w) {
    const std::size_t count = base + (w < extra ? 1 : 0);
    if (count == 0) continue;  // N < P: the last workers get nothing
    PlanChunk chunk{static_cast<int>(w), {}};
    chunk.tasks.reserve(count);
    for (std::size_t t = first; t < first + count; ++t) chunk.tasks.push_back(t);
    plan.chunks.push_back(std::move(chunk));
    first += count;
  }
  index_by_worker(plan, loop.workers);
  return plan;
}

}  // namespace

TechniqueInfo static_info() {
  return {.name = "static",
          .aliases = {"block"},
          .params = {},
          .when_it_wins = "equal tasks: no coordination at all, each worker one block",
          .reference = "OpenMP schedule(static); block partitioning",
          .adaptive = false,
          .monotone = true,
          .portfolio = true,
          .dispatch = Dispatch::kPlan,
          .make = {},
          .make_plan = static_plan};
}

}  // namespace schedlab::techniques::detail
