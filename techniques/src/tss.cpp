// tss: trapezoid self-scheduling. Chunks shrink linearly from f to l:
// f = ceil(N/(2P)), C = ceil(2N/(f+l)) chunks, delta = floor((f-l)/(C-1)) (an integer, as in
// DLS4LB and LLVM's libomp), chunk i = max(l, f - i*delta), never above what is left.
#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Tss final : public Technique {
 public:
  Tss(const LoopSetup& loop, const Params& params) {
    const auto p = static_cast<std::size_t>(loop.workers);
    const std::size_t asked_first = count_param(params, 0, 0);
    first_ = asked_first > 0 ? asked_first : std::max<std::size_t>(1, ceil_div(loop.tasks, 2 * p));
    last_ = std::min(count_param(params, 1, 1), first_);
    const std::size_t count = std::max<std::size_t>(2, ceil_div(2 * loop.tasks, first_ + last_));
    delta_ = (first_ - last_) / (count - 1);
    next_ = first_;
  }
  std::size_t next_chunk(std::size_t remaining, int) override {
    const std::size_t chunk = std::min(remaining, next_);
    next_ = next_ > last_ + delta_ ? next_ - delta_ : last_;
    return chunk;
  }

 private:
  std::size_t first_ = 1;
  std::size_t last_ = 1;
  std::size_t delta_ = 0;
  std::size_t next_ = 1;
};

}  // namespace

TechniqueInfo tss_info() {
  return {.name = "tss",
          .aliases = {"trapezoid"},
          .params = {{"first", 0, "first chunk, tasks (0: ceil(N/(2P)))"},
                     {"last", 1, "last chunk, tasks"}},
          .when_it_wins = "like gss with fewer tiny chunks: a linear, predictable decrease",
          .reference = "Tzen & Ni, IEEE TPDS 1993",
          .adaptive = false,
          .monotone = true,
          .portfolio = true,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            return std::make_unique<Tss>(loop, params);
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
