// rnd: random chunks. Each chunk is drawn uniformly from [start, max] (max 0: N - 1, never
// below start) as start + x mod (max - start + 1), x the next std::mt19937_64 output for the
// given seed: the C++ standard fixes that generator, so one seed gives one sequence anywhere.
#include <random>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Rnd final : public Technique {
 public:
  Rnd(std::uint64_t seed, std::size_t low, std::size_t high)
      : generator_(seed), low_(low), span_(high - low + 1) {}
  std::size_t next_chunk(std::size_t remaining, int) override {
    const auto draw = static_cast<std::size_t>(generator_() % span_);
    return std::min(remaining, low_ + draw);
  }

 private:
  std::mt19937_64 generator_;
  std::size_t low_;
  std::uint64_t span_;
};

}  // namespace

TechniqueInfo rnd_info() {
  return {.name = "rnd",
          .aliases = {"random"},
          .params = {{"seed", 1, "seed of the generator (same seed, same chunks)"},
                     {"start", 1, "smallest chunk drawn, tasks"},
                     {"max", 0, "largest chunk drawn, tasks (0 = N - 1)"}},
          .when_it_wins = "a baseline: what a schedule with no rule at all achieves",
          .reference = "Ciorba, Iwainsky & Buder, IWOMP 2018 (LB4OMP, IEEE TPDS 2022)",
          .adaptive = false,
          .monotone = false,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            const std::size_t low = count_param(params, 1, 1);
            const std::size_t given_max = count_param(params, 2, 0);
            const std::size_t high =
                std::max(low, given_max > 0 ? given_max : (loop.tasks > 0 ? loop.tasks - 1 : 0));
            return std::make_unique<Rnd>(static_cast<std::uint64_t>(count_param(params, 0, 0)), low,
                                         high);
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
