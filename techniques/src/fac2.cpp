// fac2: practical factoring. Work goes out in batches: at the start of a batch
// c = max(k, ceil(R/(2P))); the batch is P chunks of c, the last ones cut to what is left.
#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Fac2 final : public Technique {
 public:
  Fac2(std::size_t workers, std::size_t k) : workers_(workers), k_(k) {}
  std::size_t next_chunk(std::size_t remaining, int) override {
    if (batch_left_ == 0) {  // a new batch: half of what is left, split P ways
      chunk_ = std::max(k_, ceil_div(remaining, 2 * workers_));
      batch_left_ = std::min(chunk_ * workers_, remaining);
    }
    const std::size_t chunk = std::min({chunk_, batch_left_, remaining});
    batch_left_ -= chunk;
    return chunk;
  }

 private:
  std::size_t workers_;
  std::size_t k_;
  std::size_t chunk_ = 0;
  std::size_t batch_left_ = 0;
};

}  // namespace

TechniqueInfo fac2_info() {
  return {.name = "fac2",
          .aliases = {"factoring"},
          .params = {{"k", 1, "smallest chunk, tasks"}},
          .when_it_wins = "uneven tasks of unknown spread: robust, few chunks, fine tail",
          .reference = "Hummel, Schonberg & Flynn, CACM 1992",
          .adaptive = false,
          .monotone = true,
          .portfolio = true,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            return std::make_unique<Fac2>(static_cast<std::size_t>(loop.workers),
                                          count_param(params, 0, 1));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
