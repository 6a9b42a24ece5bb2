// mfsc: modified fixed size chunking. A fixed chunk giving about as many chunks as
// factoring, with no h or sigma to measure: chunk = floor(0.55 + T ln 2 / ln T), T = ceil(N/P)
// (DLS4LB's rule).
#include <cmath>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

std::size_t mfsc_chunk(const LoopSetup& loop) {
  const std::size_t t = ceil_div(loop.tasks, static_cast<std::size_t>(loop.workers));
  if (t <= 1) return 1;  // ln 1 = 0: the formula is undefined, one task per chunk
  const double td = static_cast<double>(t);
  return std::max<std::size_t>(1, to_count(0.55 + td * std::log(2.0) / std::log(td)));
}

}  // namespace

TechniqueInfo mfsc_info() {
  return {.name = "mfsc",
          .aliases = {},
          .params = {},
          .when_it_wins = "like fsc without measuring h and sigma; factoring's chunk count",
          .reference = "Banicescu, Velusamy & Devaprasad, Cluster Computing 2003; DLS4LB",
          .adaptive = false,
          .monotone = true,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup& loop, const Params&) -> std::unique_ptr<Technique> {
            return std::make_unique<FixedChunk>(mfsc_chunk(loop));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
