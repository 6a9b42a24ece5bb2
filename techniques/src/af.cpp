// af: adaptive factoring. From each worker's measured mean mu_i and std dev sigma_i of task
// time: D = sum sigma_i^2/mu_i, T = 1/sum(1/mu_i), chunk_i = (D + 2TR - sqrt(D^2 + 4DTR))/(2 mu_i),
// rounded as floor(x + 0.55), between k and ceil(N/(2P)). Before any measurement: k.
#include <cmath>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Af final : public Technique {
 public:
  Af(const LoopSetup& loop, std::size_t k)
      : workers_(static_cast<std::size_t>(loop.workers)), k_(k),
        largest_(std::max<std::size_t>(1, ceil_div(loop.tasks, 2 * workers_))), stats_(workers_) {}

  std::size_t next_chunk(std::size_t remaining, int worker) override {
    if (measured_ == 0) return std::min(k_, remaining);
    // Unmeasured workers count as the average of the measured ones.
    double mean_mu = 0;
    double mean_var = 0;
    for (const Stats& s : stats_) {
      if (s.tasks == 0) continue;
      mean_mu += s.mu();
      mean_var += s.variance();
    }
    mean_mu /= static_cast<double>(measured_);
    mean_var /= static_cast<double>(measured_);
    double d = 0;
    double inverse = 0;
    for (const Stats& s : stats_) {
      const double mu = std::max(s.tasks ? s.mu() : mean_mu, 1e-12);
      d += (s.tasks ? s.variance() : mean_var) / mu;
      inverse += 1.0 / mu;
    }
    const double t = 1.0 / inverse;
    const double r = static_cast<double>(remaining);
    const Stats& mine = stats_.at(static_cast<std::size_t>(worker));
    const double mu_i = std::max(mine.tasks ? mine.mu() : mean_mu, 1e-12);
    const double x = (d + 2 * t * r - std::sqrt(d * d + 4 * d * t * r)) / (2 * mu_i) + 0.55;
    const std::size_t chunk = x < 1 ? 1 : static_cast<std::size_t>(std::min(x, 1e18));
    return std::min(remaining, std::max(k_, std::min(chunk, largest_)));
  }

  void chunk_finished(const ChunkTiming& timing) override {
    const auto w = static_cast<std::size_t>(timing.worker);
    if (w >= workers_ || timing.size == 0) return;
    Stats& s = stats_[w];
    if (s.tasks == 0) ++measured_;
    const double n = static_cast<double>(timing.size);
    s.tasks += n;
    s.sum += timing.work_seconds;
    if (timing.sum_squares >= 0) {
      s.sum_squares += timing.sum_squares;
    } else {
      // Per-task times unknown: take the chunk's tasks as equal (sigma then comes only from
      // the differences between chunks).
      s.sum_squares += timing.work_seconds * timing.work_seconds / n;
    }
  }

 private:
  struct Stats {
    double tasks = 0;
    double sum = 0;
    double sum_squares = 0;
    double mu() const { return sum / tasks; }
    double variance() const {
      if (tasks < 2) return 0;
      return std::max(0.0, (sum_squares - sum * sum / tasks) / (tasks - 1));
    }
  };
  std::size_t workers_;
  std::size_t k_;
  std::size_t largest_;
  std::vector<Stats> stats_;
  std::size_t measured_ = 0;
};

}  // namespace

TechniqueInfo af_info() {
  return {.name = "af",
          .aliases = {"adaptive-factoring"},
          .params = {{"k", 1, "smallest chunk, tasks (also the first chunk of each worker)"}},
          .when_it_wins = "task-time spread unknown and changing: learns mu, sigma per worker",
          .reference = "Banicescu & Liu, HPC Symposium 2000",
          .adaptive = true,
          .monotone = false,
          .dispatch = Dispatch::kAsk,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            return std::make_unique<Af>(loop, count_param(params, 0, 1));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
