// fsc: fixed size chunking. Kruskal & Weiss's chunk balances the dispatch overhead h against
// the spread sigma of task times: chunk = ceil((sqrt(2) N h / (sigma P sqrt(ln P)))^(2/3)).
#include <cmath>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

std::size_t fsc_chunk(const LoopSetup& loop, const Params& params) {
  const double h =
      params.given[0] || loop.dispatch_overhead < 0 ? params[0] : loop.dispatch_overhead;
  const double sigma = given_or_measured(params, 1, loop, /*want_sigma=*/true);
  const auto p = static_cast<std::size_t>(loop.workers);
  const std::size_t block = ceil_div(std::max<std::size_t>(loop.tasks, 1), p);
  // P = 1: ln P = 0, nobody to balance against: one chunk. sigma = 0: equal tasks, the
  // formula says "infinitely large"; a chunk above ceil(N/P) would idle workers, so cap.
  if (p == 1) return std::max<std::size_t>(loop.tasks, 1);
  if (!(sigma > 0)) return block;
  const double n = static_cast<double>(loop.tasks);
  const double pd = static_cast<double>(p);
  const double k =
      std::pow(std::sqrt(2.0) * n * h / (sigma * pd * std::sqrt(std::log(pd))), 2.0 / 3.0);
  // Past the block the chunk is the block: compared as doubles first, so that a tiny sigma
  // (fsc,sigma=1e-59: k ~ 1e40) never converts out of range (found by fuzz-technique).
  if (!std::isfinite(k) || k >= static_cast<double>(block)) return block;
  return std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(k)), 1, block);
}

}  // namespace

TechniqueInfo fsc_info() {
  return {.name = "fsc",
          .aliases = {},
          .params = {{"h", 1e-6,
                      "dispatch overhead per chunk, seconds (default: the measured one when "
                      "known, else 1e-6)"},
                     {"sigma", 1e-4,
                      "std dev of task time, seconds (default: measured from the task "
                      "costs when known, else 1e-4)"}},
          .when_it_wins = "h and sigma known: the fewest chunks that still balance",
          .reference = "Kruskal & Weiss, IEEE TSE 1985",
          .adaptive = false,
          .monotone = true,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            return std::make_unique<FixedChunk>(fsc_chunk(loop, params));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
