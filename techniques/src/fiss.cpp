// fiss: fixed increase self-scheduling. Chunks grow by a fixed step per batch of P requests:
// with B stages (default P - 1) and X = 2 + B, C0 = max(k, floor(N/(X P))),
// delta = max(0, floor(2N(1 - B/X) / (P B (B - 1)))) (B < 2: 0); batch b: C0 + b delta.
#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Fiss final : public Technique {
 public:
  Fiss(const LoopSetup& loop, std::size_t stages, std::size_t k)
      : workers_(static_cast<std::size_t>(loop.workers)) {
    const double n = static_cast<double>(loop.tasks);
    const double b = static_cast<double>(stages);
    const double x = 2.0 + b;
    first_ = std::max(k, to_count(n / (x * static_cast<double>(workers_))));
    // LB4OMP divides by B (B - 1) unguarded; fewer than 2 stages: no increase at all.
    if (stages >= 2) {
      delta_ = to_count(2.0 * n * (1.0 - b / x) / (static_cast<double>(workers_) * b * (b - 1)));
    }
  }
  std::size_t next_chunk(std::size_t remaining, int) override {
    const std::size_t batch = requests_++ / workers_;
    return std::min(remaining, first_ + batch * delta_);
  }

 private:
  std::size_t workers_;
  std::size_t first_ = 1;
  std::size_t delta_ = 0;
  std::size_t requests_ = 0;
};

}  // namespace

TechniqueInfo fiss_info() {
  return {.name = "fiss",
          .aliases = {"fixed-increase"},
          .params = {{"stages", 0, "stages B (0 = P - 1): more stages, smaller first chunks"},
                     {"k", 1, "smallest first chunk, tasks"}},
          .when_it_wins = "cost per task falling along the loop: small chunks first, then larger",
          .reference = "Philip & Das, 1997 (as in LB4OMP, Korndorfer et al., IEEE TPDS 2022)",
          .adaptive = false,
          .monotone = false,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            const std::size_t stages = params.given[0] && params[0] >= 1
                                           ? count_param(params, 0, 1)
                                           : static_cast<std::size_t>(loop.workers - 1);
            return std::make_unique<Fiss>(loop, stages, count_param(params, 1, 1));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
