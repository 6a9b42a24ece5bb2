// gss[,k]: guided self-scheduling. Each chunk is 1/P of what is left, at least k:
// chunk = min(R, max(k, ceil(R/P))). libgomp's schedule(guided,k) is the same rule.
#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Gss final : public Technique {
 public:
  Gss(std::size_t workers, std::size_t k) : workers_(workers), k_(k) {}
  std::size_t next_chunk(std::size_t remaining, int) override {
    return std::min(remaining, std::max(k_, ceil_div(remaining, workers_)));
  }

 private:
  std::size_t workers_;
  std::size_t k_;
};

}  // namespace

TechniqueInfo gss_info() {
  return {.name = "gss",
          .aliases = {"guided-ss"},
          .params = {{"k", 1, "smallest chunk, tasks"}},
          .when_it_wins = "tasks of similar cost arriving unevenly: few chunks, a fine tail",
          .reference = "Polychronopoulos & Kuck, IEEE TC 1987",
          .adaptive = false,
          .monotone = true,
          .portfolio = true,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            return std::make_unique<Gss>(static_cast<std::size_t>(loop.workers),
                                         count_param(params, 0, 1));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
