// fac and mfac: factoring with the spread of task times (mu, sigma) known in advance.
// Batches of P chunks; with b = P sigma / (2 mu sqrt(R)) at a batch's start, the first batch
// takes c = ceil(R / (x0 P)), x0 = 1 + b^2 + b sqrt(b^2 + 2), later ones x = 2 + b^2 +
// b sqrt(b^2 + 4); each chunk max(k, c). fac reads R, the tasks left, at each batch's start;
// mfac (LB4OMP's "faca") works R out without asking: R_j+1 = R_j - P c_j, R_0 = N.
#include <cmath>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Fac final : public Technique {
 public:
  Fac(const LoopSetup& loop, const Params& params, bool worked_out)
      : workers_(static_cast<std::size_t>(loop.workers)),
        k_(count_param(params, 2, 1)),
        worked_out_(worked_out),
        batch_remaining_(static_cast<double>(loop.tasks)) {
    const double mu = given_or_measured(params, 0, loop, /*want_sigma=*/false);
    const double sigma = given_or_measured(params, 1, loop, /*want_sigma=*/true);
    b_factor_ = mu > 0 ? static_cast<double>(workers_) * sigma / (2 * mu) : 0.0;
  }
  std::size_t next_chunk(std::size_t remaining, int) override {
    if (batch_left_ == 0) {  // a new batch of P chunks
      // mfac's worked-out R never falls below the real one; at 0 it takes the real one.
      const double r =
          worked_out_ && batch_remaining_ > 0 ? batch_remaining_ : static_cast<double>(remaining);
      const double b = b_factor_ / std::sqrt(r);
      const double x = first_batch_ ? 1 + b * b + b * std::sqrt(b * b + 2)
                                    : 2 + b * b + b * std::sqrt(b * b + 4);
      const std::size_t c = to_count(std::ceil(r / (x * static_cast<double>(workers_))));
      batch_remaining_ = r - static_cast<double>(workers_ * c);
      chunk_ = std::max(k_, c);
      batch_left_ = workers_;
      first_batch_ = false;
    }
    --batch_left_;
    return std::min(remaining, chunk_);
  }

 private:
  std::size_t workers_;
  std::size_t k_;
  bool worked_out_;
  double batch_remaining_;
  double b_factor_ = 0;
  bool first_batch_ = true;
  std::size_t chunk_ = 1;
  std::size_t batch_left_ = 0;  // chunks of the current batch not yet handed out
};

TechniqueInfo fac_row(std::string name, std::vector<std::string> aliases, bool worked_out,
                      std::string when) {
  return {
      .name = std::move(name),
      .aliases = std::move(aliases),
      .params = {{"mu", 1e-3, "mean task time, s (default: of the known task costs, else this)"},
                 {"sigma", 1e-4, "std dev of task time, s (likewise)"},
                 {"k", 1, "smallest chunk, tasks"}},
      .when_it_wins = std::move(when),
      .reference = worked_out ? "Korndorfer et al. (LB4OMP), IEEE TPDS 2022"
                              : "Hummel, Schonberg & Flynn, CACM 1992",
      .adaptive = false,
      .monotone = true,
      .dispatch = Dispatch::kTable,
      .make = [worked_out](const LoopSetup& loop, const Params& params)
          -> std::unique_ptr<Technique> { return std::make_unique<Fac>(loop, params, worked_out); },
      .make_plan = {}};
}

}  // namespace

TechniqueInfo fac_info() {
  return fac_row("fac", {"fac-profiled"}, false,
                 "task-time spread known from a profile: batches sized to it, not a guess of 2");
}
TechniqueInfo mfac_info() {
  return fac_row("mfac", {"faca"}, true,
                 "as fac, each worker working the batch size out alone (no shared batch state)");
}

}  // namespace schedlab::techniques::detail
