// tfss: trapezoid factoring self-scheduling. tss's chunks, handed out a batch of P at a
// time, each chunk of the batch the mean of the P tss chunks it replaces: f = ceil(N/(2P)),
// C = ceil(2N/(f+1)), delta = floor((f-1)/(C-1)) (an integer, as LB4OMP stores it); batch b:
// t = f - b P delta (below 0: f - (C-1) delta), chunk = max(k, trunc(t - delta (P-1)/2)).
#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Tfss final : public Technique {
 public:
  Tfss(const LoopSetup& loop, std::size_t k) : workers_(loop.workers), k_(k) {
    const std::size_t p = static_cast<std::size_t>(loop.workers);
    first_ = static_cast<long long>(std::max<std::size_t>(1, ceil_div(loop.tasks, 2 * p)));
    steps_ = static_cast<long long>(ceil_div(2 * loop.tasks, static_cast<std::size_t>(first_) + 1));
    delta_ = steps_ > 1 ? (first_ - 1) / (steps_ - 1) : 0;
  }
  std::size_t next_chunk(std::size_t remaining, int) override {
    const long long p = workers_;
    const long long batch = static_cast<long long>(requests_++ / static_cast<std::size_t>(p));
    long long t = first_ - batch * p * delta_;
    if (t < 0) t = first_ - (steps_ - 1) * delta_;
    // Sum of t, t - delta, ..., t - (P-1) delta, divided by P with C++'s truncation.
    const long long mean = (p * t - delta_ * p * (p - 1) / 2) / p;
    const std::size_t chunk = mean > 0 ? static_cast<std::size_t>(mean) : 0;
    return std::min(remaining, std::max(k_, chunk));
  }

 private:
  long long workers_;
  std::size_t k_;
  long long first_ = 1;
  long long steps_ = 1;
  long long delta_ = 0;
  std::size_t requests_ = 0;
};

}  // namespace

TechniqueInfo tfss_info() {
  return {.name = "tfss",
          .aliases = {"trapezoid-factoring"},
          .params = {{"k", 1, "smallest chunk, tasks"}},
          .when_it_wins = "tss's linear decrease with fac2's batches: fewer distinct sizes",
          .reference = "Chronopoulos, Andonie, Benche & Grosu, IEEE Cluster 2001",
          .adaptive = false,
          .monotone = true,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            return std::make_unique<Tfss>(loop, count_param(params, 0, 1));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
