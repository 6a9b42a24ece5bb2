// viss: variable increase self-scheduling. Chunks grow by halving steps per batch of P
// requests: C0 = floor(N/(V P)) (V default P; LB4OMP's integer division), batch 0: C0,
// batch b >= 1: floor(C0 (1 - 0.5^(b+1)) / 0.5), i.e. C0, 1.5 C0, 1.75 C0 ... -> 2 C0; at least k.
#include <cmath>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Viss final : public Technique {
 public:
  Viss(const LoopSetup& loop, std::size_t v, std::size_t k)
      : workers_(static_cast<std::size_t>(loop.workers)),
        k_(k),
        // v > N: C0 = 0 without forming v P, which a huge v would overflow.
        first_(v > loop.tasks ? 0 : loop.tasks / (v * workers_)) {}
  std::size_t next_chunk(std::size_t remaining, int) override {
    const std::size_t batch = requests_++ / workers_;
    std::size_t chunk = first_;
    if (batch > 0) {
      // 0.5^(b+1) underflows to 0 for large b: the chunk tends to 2 C0.
      const double grown = static_cast<double>(first_) *
                           (1.0 - std::pow(0.5, static_cast<double>(batch) + 1.0)) / 0.5;
      chunk = to_count(grown);
    }
    // LB4OMP has no floor here: C0 = 0 (N < V P) would hand out nothing forever.
    return std::min(remaining, std::max(k_, chunk));
  }

 private:
  std::size_t workers_;
  std::size_t k_;
  std::size_t first_;
  std::size_t requests_ = 0;
};

}  // namespace

TechniqueInfo viss_info() {
  return {.name = "viss",
          .aliases = {"variable-increase"},
          .params = {{"v", 0, "divisor V of the first chunk N/(V P) (0 = P)"},
                     {"k", 1, "smallest chunk, tasks"}},
          .when_it_wins = "like fiss, growing chunks without choosing a number of stages",
          .reference = "Philip & Das, 1997 (as in LB4OMP, Korndorfer et al., IEEE TPDS 2022)",
          .adaptive = false,
          .monotone = false,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            const std::size_t v = params.given[0] && params[0] >= 1
                                      ? count_param(params, 0, 1)
                                      : static_cast<std::size_t>(loop.workers);
            return std::make_unique<Viss>(loop, v, count_param(params, 1, 1));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
