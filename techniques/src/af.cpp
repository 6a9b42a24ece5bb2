// af: adaptive factoring. From each worker's measured mean mu_i and std dev sigma_i of task
// time: D = sum sigma_i^2/mu_i, T = 1/sum(1/mu_i), chunk_i = (D + 2TR - sqrt(D^2 + 4DTR))/(2 mu_i),
// rounded as floor(x + 0.55), between k and ceil(N/(2P)). Before any measurement: k.
// maf (LB4OMP's "af_a"): the same rule, mu_i and sigma_i from each chunk's time from request
// to end (dispatch and waiting included, like awf-d) instead of its tasks' own time.
// Time-stepping (--steps): step s > 0 starts from the mu_i, sigma_i step s-1 ended with.
#include <cmath>

#include "portfolio.hpp"
#include "step_store.hpp"

namespace schedlab::techniques::detail {

namespace {

class Af final : public Technique {
 public:
  Af(const LoopSetup& loop, std::size_t k, bool elapsed, std::string key)
      : workers_(static_cast<std::size_t>(loop.workers)),
        k_(k),
        elapsed_(elapsed),
        largest_(std::max<std::size_t>(1, ceil_div(loop.tasks, 2 * workers_))),
        key_(std::move(key)),
        step_(loop.time_step) {
    std::optional<Learned> previous;
    if (loop.time_step > 0) previous = store().from_step(key_, loop.time_step - 1);
    if (previous && previous->stats.size() == workers_) {
      l_ = std::move(*previous);
    } else {
      l_.stats.assign(workers_, Stats{});
    }
  }
  Af(const Af&) = delete;
  Af& operator=(const Af&) = delete;
  // The loop is over: its mu_i, sigma_i are the next step's start.
  ~Af() override {
    if (l_.measured > 0) store().keep(key_, std::move(l_), step_);
  }

  std::size_t next_chunk(std::size_t remaining, int worker) override {
    if (l_.measured == 0) return std::min(k_, remaining);
    // Unmeasured workers count as the average of the measured ones.
    const double mean_mu = std::max(l_.sums.mu / static_cast<double>(l_.measured), kTiny);
    const double mean_var = l_.sums.var / static_cast<double>(l_.measured);
    const auto unmeasured = static_cast<double>(workers_ - l_.measured);
    // max(0, .): the running sums may round a little below zero.
    const double d = std::max(0.0, l_.sums.var_over_mu + unmeasured * mean_var / mean_mu);
    const double t = 1.0 / (l_.sums.inverse_mu + unmeasured / mean_mu);
    const double r = static_cast<double>(remaining);
    const Stats& mine = l_.stats.at(static_cast<std::size_t>(worker));
    const double mu_i = mine.tasks > 0 ? mine.mu() : mean_mu;
    const double x = (d + 2 * t * r - std::sqrt(d * d + 4 * d * t * r)) / (2 * mu_i) + 0.55;
    const std::size_t chunk = std::max<std::size_t>(1, to_count(x));
    return std::min(remaining, std::max(k_, std::min(chunk, largest_)));
  }

  void chunk_finished(const ChunkTiming& timing) override {
    const auto w = static_cast<std::size_t>(timing.worker);
    if (w >= workers_ || timing.size == 0) return;
    Stats& s = l_.stats[w];
    if (s.tasks > 0) {
      add(s, -1.0);  // replace this worker's share of the sums: O(1) per chunk, not O(P)
    } else {
      ++l_.measured;
    }
    const double n = static_cast<double>(timing.size);
    const double seconds = elapsed_ ? timing.elapsed_seconds : timing.work_seconds;
    s.tasks += n;
    s.sum += seconds;
    // Per-task times unknown (or, for maf, not what is measured): take the chunk's tasks as
    // equal (sigma then comes only from the differences between chunks).
    s.sum_squares +=
        timing.sum_squares >= 0 && !elapsed_ ? timing.sum_squares : seconds * seconds / n;
    add(s, +1.0);
  }

 private:
  static constexpr double kTiny = 1e-12;  // zero-time tasks: no division by 0
  struct Stats {
    double tasks = 0;
    double sum = 0;
    double sum_squares = 0;
    double mu() const { return std::max(sum / tasks, kTiny); }
    double variance() const {
      if (tasks < 2) return 0;
      return std::max(0.0, (sum_squares - sum * sum / tasks) / (tasks - 1));
    }
  };
  // Sums over measured workers of mu_i, sigma_i^2, sigma_i^2/mu_i and 1/mu_i.
  struct Sums {
    double mu = 0;
    double var = 0;
    double var_over_mu = 0;
    double inverse_mu = 0;
  };
  void add(const Stats& s, double sign) {
    l_.sums.mu += sign * s.mu();
    l_.sums.var += sign * s.variance();
    l_.sums.var_over_mu += sign * s.variance() / s.mu();
    l_.sums.inverse_mu += sign / s.mu();
  }

  std::size_t workers_;
  std::size_t k_;
  bool elapsed_;
  std::size_t largest_;
  std::string key_;
  int step_ = 0;  // the time step this loop runs: what keep() stamps
  // What the chunk sizes come from; kept from one step to the next.
  struct Learned {
    std::vector<Stats> stats;
    Sums sums;
    std::size_t measured = 0;
  };
  static StepStore<Learned>& store() {
    static StepStore<Learned> learned;
    return learned;
  }
  Learned l_;
};

std::string af_key(const std::string& name, std::size_t k, const LoopSetup& loop) {
  return name + "," + std::to_string(k) + "@P=" + std::to_string(loop.workers);
}

}  // namespace

TechniqueInfo af_info() {
  return {.name = "af",
          .aliases = {"adaptive-factoring"},
          .params = {{"k", 1, "smallest chunk, tasks (also the first chunk of each worker)"}},
          .when_it_wins = "task-time spread unknown and changing: learns mu, sigma per worker",
          .reference = "Banicescu & Liu, HPC Symposium 2000",
          .adaptive = true,
          .monotone = false,
          .portfolio = true,
          .dispatch = Dispatch::kAsk,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            const std::size_t k = count_param(params, 0, 1);
            return std::make_unique<Af>(loop, k, false, af_key("af", k, loop));
          },
          .make_plan = {}};
}

TechniqueInfo maf_info() {
  return {.name = "maf",
          .aliases = {"af-a"},
          .params = {{"k", 1, "smallest chunk, tasks (also the first chunk of each worker)"}},
          .when_it_wins = "as af where dispatch and waiting costs differ per worker",
          .reference = "Korndorfer et al. (LB4OMP), IEEE TPDS 2022; Banicescu & Liu 2000",
          .adaptive = true,
          .monotone = false,
          .dispatch = Dispatch::kAsk,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            const std::size_t k = count_param(params, 0, 1);
            return std::make_unique<Af>(loop, k, true, af_key("maf", k, loop));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
