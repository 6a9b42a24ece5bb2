// tap: tapering. gss corrected for the spread of task times: with v = alpha sigma / mu and
// T = R/P, chunk = max(k, ceil(T + v^2/2 - v sqrt(2T + v^2/4))), never above what is left.
#include <cmath>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Tap final : public Technique {
 public:
  Tap(const LoopSetup& loop, const Params& params)
      : workers_(static_cast<double>(loop.workers)), k_(count_param(params, 1, 1)) {
    const double alpha = params[0];
    const double mu = given_or_measured(params, 2, loop, /*want_sigma=*/false);
    const double sigma = given_or_measured(params, 3, loop, /*want_sigma=*/true);
    v_ = mu > 0 ? alpha * sigma / mu : 0.0;  // no mean known: v = 0, i.e. gss
  }
  std::size_t next_chunk(std::size_t remaining, int) override {
    const double t = static_cast<double>(remaining) / workers_;
    const double x = std::ceil(t + v_ * v_ / 2 - v_ * std::sqrt(2 * t + v_ * v_ / 4));
    const std::size_t chunk = std::max<std::size_t>(1, to_count(x));
    return std::min(remaining, std::max(k_, chunk));
  }

 private:
  double workers_;
  std::size_t k_;
  double v_ = 0;
};

}  // namespace

TechniqueInfo tap_info() {
  return {
      .name = "tap",
      .aliases = {"taper"},
      .params = {{"alpha", 1.3, "scaling of sigma/mu (Lucco: 1.3)"},
                 {"k", 1, "smallest chunk, tasks"},
                 {"mu", 1e-3, "mean task time, seconds (default: measured, else 1e-3)"},
                 {"sigma", 1e-4, "std dev of task time, seconds (default: measured, else 1e-4)"}},
      .when_it_wins = "task times with a known spread: smaller chunks the wider it is",
      .reference = "Lucco, PLDI 1992",
      .adaptive = false,
      .monotone = true,
      .dispatch = Dispatch::kTable,
      .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
        return std::make_unique<Tap>(loop, params);
      },
      .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
