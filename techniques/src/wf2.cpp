// wf2: weighted factoring. fac2's batches, but worker i takes floor(w_i * c) tasks of a
// batch (weights normalised to sum P; all 1 gives fac2). Weights come from --weights or from
// measured worker speeds, set once before the loop.
#include <cmath>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Wf2 final : public Technique {
 public:
  Wf2(const LoopSetup& loop, std::size_t k)
      : workers_(static_cast<std::size_t>(loop.workers)),
        k_(k),
        weights_(normalised_weights(loop)) {}
  std::size_t next_chunk(std::size_t remaining, int worker) override {
    if (batch_left_ == 0) {
      chunk_ = std::max(k_, ceil_div(remaining, 2 * workers_));
      batch_left_ = std::min(chunk_ * workers_, remaining);
    }
    const double share =
        std::floor(weights_.at(static_cast<std::size_t>(worker)) * static_cast<double>(chunk_));
    const std::size_t chunk = std::min({std::max(k_, to_count(share)), batch_left_, remaining});
    batch_left_ -= chunk;
    return chunk;
  }

 private:
  std::size_t workers_;
  std::size_t k_;
  std::vector<double> weights_;
  std::size_t chunk_ = 0;
  std::size_t batch_left_ = 0;
};

}  // namespace

TechniqueInfo wf2_info() {
  return {.name = "wf2",
          .aliases = {"wf"},
          .params = {{"k", 1, "smallest chunk, tasks"}},
          .when_it_wins = "workers of known, different speeds (heterogeneous nodes)",
          .reference = "Hummel, Schmidt, Uma & Wein, SPAA 1996",
          .adaptive = false,
          .monotone = false,
          .needs_weights = true,
          .dispatch = Dispatch::kAsk,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            return std::make_unique<Wf2>(loop, count_param(params, 0, 1));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
