// bold: Hagerup's BOLD strategy as LB4OMP computes it. With mu, sigma, h: a = 2 (sigma/mu)^2,
// b = 8a ln(8a), c1 = h/(mu ln 2), c2 = sqrt(2 pi) c1. For R left, q = R/P (q <= 1: chunk 1),
// m = tasks handed out or left but not reported finished, t = max(R, m)/P, v = q/(b+q),
// d = R/(1 + 1/ln q - v): d <= c2 gives t, else with s = a ln(d/c2) (1 + m/(max(R,m) P)) and
// w = ln(v ln q) + ln b (b <= 0: ln ln q): min(t, t + s/2 - sqrt(s (t + s/4)) + max(0, c1 w)),
// truncated, at least k. Learns: m from finished chunks; mu, sigma from measured task times
// when neither given nor known (LB4OMP: from a profile). LB4OMP also counts running chunks'
// progress by the clock into its m; schedlab has no clock here and counts them unfinished.
#include <cmath>
#include <numbers>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Bold final : public Technique {
 public:
  Bold(const LoopSetup& loop, const Params& params)
      : workers_(static_cast<double>(loop.workers)),
        k_(count_param(params, 3, 1)),
        unfinished_(static_cast<double>(loop.tasks)),
        learn_(!params.given[0] && !params.given[1] && loop.task_costs.empty()),
        mu_(given_or_measured(params, 0, loop, /*want_sigma=*/false)),
        sigma_(given_or_measured(params, 1, loop, /*want_sigma=*/true)),
        h_(params.given[2] || loop.dispatch_overhead < 0 ? params[2] : loop.dispatch_overhead) {}

  std::size_t next_chunk(std::size_t remaining, int) override {
    const double r_left = static_cast<double>(remaining);
    const double q = r_left / workers_;
    if (q <= 1 || !(mu_ > 0)) return std::min(remaining, k_);
    const double a = 2 * (sigma_ / mu_) * (sigma_ / mu_);
    const double b = 8 * a * (a > 0 ? std::log(8 * a) : 0.0);
    const double c1 = h_ / (mu_ * std::numbers::ln2);
    const double c2 = std::sqrt(2 * std::numbers::pi) * c1;
    const double r = std::max(r_left, unfinished_);
    const double t = r / workers_;
    const double ln_q = std::log(q);
    const double v = q / (b + q);
    const double d = r_left / (1 + 1 / ln_q - v);
    double chunk = t;
    if (d > c2 && c2 > 0) {
      const double s = a * std::log(d / c2) * (1 + unfinished_ / (r * workers_));
      const double w = b > 0 ? std::log(v * ln_q) + std::log(b) : std::log(ln_q);
      const double r1 = t + s / 2 - std::sqrt(s * (t + s / 4)) + std::max(0.0, c1 * w);
      chunk = std::min(r1, t);
    }
    return std::min(remaining, std::max(k_, to_count(chunk)));
  }

  void chunk_finished(const ChunkTiming& timing) override {
    if (timing.size == 0) return;
    const double n = static_cast<double>(timing.size);
    unfinished_ = std::max(0.0, unfinished_ - n);
    if (!learn_) return;
    tasks_ += n;
    sum_ += timing.work_seconds;
    sum_squares_ += timing.sum_squares >= 0 ? timing.sum_squares
                                            : timing.work_seconds * timing.work_seconds / n;
    mu_ = sum_ / tasks_;
    sigma_ = tasks_ > 1
                 ? std::sqrt(std::max(0.0, (sum_squares_ - sum_ * sum_ / tasks_) / (tasks_ - 1)))
                 : 0.0;
  }

 private:
  double workers_;
  std::size_t k_;
  double unfinished_;  // m: tasks not reported finished (LB4OMP's bold_m)
  bool learn_;
  double mu_;
  double sigma_;
  double h_;
  double tasks_ = 0;
  double sum_ = 0;
  double sum_squares_ = 0;
};

}  // namespace

TechniqueInfo bold_info() {
  return {.name = "bold",
          .aliases = {},
          .params = {{"mu", 1e-3, "mean task time, s (default: known task costs, else measured)"},
                     {"sigma", 1e-4, "std dev of task time, s (likewise)"},
                     {"h", 1e-6, "dispatch cost per chunk, s (default: measured when known)"},
                     {"k", 1, "smallest chunk, tasks"}},
          .when_it_wins = "spread and dispatch cost both known: large chunks early, bold tail",
          .reference = "Hagerup, J. Parallel Distrib. Comput. 1997",
          .adaptive = true,
          .monotone = false,
          .dispatch = Dispatch::kAsk,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            return std::make_unique<Bold>(loop, params);
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
