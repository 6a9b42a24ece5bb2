// awf: adaptive weighted factoring for time-stepping loops (the original AWF), weights
// learned between loop executions. Within one execution it is weighted factoring: fac2
// batches, c = max(k, ceil(R/(2P))) at a batch's start, worker i takes max(k, ceil(w_i c)).
// After execution s (1, 2, ...) each worker's tasks n_i and time t_i (from request to
// chunk end) join sums weighted by s: W_i += s n_i, T_i += s t_i; then w_i ∝ W_i / T_i,
// normalised to sum P (LB4OMP's awap/trw formula). First execution: --weights, else all 1.
// State between executions: a per-process store keyed by "awf" + parameters + P, read by
// make and written back when the technique is destroyed at the loop's end, so
// `--repeat 5` is five time steps (the MPI master keeps it on rank 0, which asks it); one
// history per row of the run (schedlab/techniques/learning_row.hpp).
#include <cmath>
#include <map>
#include <mutex>

#include "portfolio.hpp"
#include "schedlab/techniques/learning_row.hpp"

namespace schedlab::techniques::detail {

namespace {

struct History {
  std::size_t steps = 0;
  std::vector<double> sum_tasks;  // W_i
  std::vector<double> sum_time;   // T_i
  std::vector<double> weights;    // for the next execution
};

// Per process: one history per (parameters, P). Guarded: executors may build techniques
// from several threads (one per run), never one loop's calls concurrently.
std::mutex history_mutex;
std::map<std::string, History>& histories() {
  static std::map<std::string, History> store;
  return store;
}

class AwfSteps final : public Technique {
 public:
  AwfSteps(const LoopSetup& loop, std::size_t k, std::string key)
      : workers_(static_cast<std::size_t>(loop.workers)),
        k_(k),
        key_(learning_key(key)),
        tasks_(workers_, 0.0),
        time_(workers_, 0.0) {
    const std::lock_guard<std::mutex> lock(history_mutex);
    History& h = histories()[key_];
    if (h.weights.size() != workers_) h = History{0, {}, {}, normalised_weights(loop)};
    weights_ = h.weights;
  }
  AwfSteps(const AwfSteps&) = delete;
  AwfSteps& operator=(const AwfSteps&) = delete;

  // The loop is over: this execution's measurements become the next one's weights.
  ~AwfSteps() override {
    bool measured = false;
    for (double t : time_) measured = measured || t > 0;
    if (!measured) return;  // nothing timed (--print-chunks, a failed run): learn nothing
    const std::lock_guard<std::mutex> lock(history_mutex);
    History& h = histories()[key_];
    if (h.weights.size() != workers_) return;
    if (h.sum_tasks.size() != workers_) h.sum_tasks.assign(workers_, 0.0);
    if (h.sum_time.size() != workers_) h.sum_time.assign(workers_, 0.0);
    const double step = static_cast<double>(++h.steps);
    for (std::size_t i = 0; i < workers_; ++i) {
      h.sum_tasks[i] += step * tasks_[i];
      h.sum_time[i] += step * time_[i];
    }
    // Speeds W_i/T_i; a worker never timed counts as the average of the timed ones.
    std::vector<double> speed(workers_, 0.0);
    double total = 0;
    std::size_t timed = 0;
    for (std::size_t i = 0; i < workers_; ++i) {
      if (h.sum_time[i] > 0 && h.sum_tasks[i] > 0) {
        speed[i] = h.sum_tasks[i] / h.sum_time[i];
        total += speed[i];
        ++timed;
      }
    }
    if (timed == 0) return;
    const double average = total / static_cast<double>(timed);
    for (double& s : speed) s = s > 0 ? s : average;
    total = average * static_cast<double>(workers_ - timed) + total;
    for (std::size_t i = 0; i < workers_; ++i) {
      h.weights[i] = speed[i] * static_cast<double>(workers_) / total;
    }
  }

  std::size_t next_chunk(std::size_t remaining, int worker) override {
    if (batch_left_ == 0) {
      chunk_ = std::max(k_, ceil_div(remaining, 2 * workers_));
      batch_left_ = std::min(chunk_ * workers_, remaining);
    }
    const double share =
        std::ceil(weights_.at(static_cast<std::size_t>(worker)) * static_cast<double>(chunk_));
    const std::size_t chunk = std::min({std::max(k_, to_count(share)), batch_left_, remaining});
    batch_left_ -= chunk;
    return chunk;
  }

  void chunk_finished(const ChunkTiming& timing) override {
    const auto w = static_cast<std::size_t>(timing.worker);
    if (w >= workers_ || timing.size == 0) return;
    tasks_[w] += static_cast<double>(timing.size);
    time_[w] += timing.elapsed_seconds;
  }

 private:
  std::size_t workers_;
  std::size_t k_;
  std::string key_;
  std::vector<double> weights_;
  std::vector<double> tasks_;  // n_i, this execution
  std::vector<double> time_;   // t_i, this execution
  std::size_t chunk_ = 0;
  std::size_t batch_left_ = 0;
};

}  // namespace

TechniqueInfo awf_info() {
  return {.name = "awf",
          .aliases = {"awf-ts"},
          .params = {{"k", 1, "smallest chunk, tasks"}},
          .when_it_wins = "time-stepping loops (--repeat): speeds learned from earlier steps",
          .reference = "Banicescu, Velusamy & Devaprasad, Cluster Computing 2003",
          .adaptive = true,
          .monotone = false,
          .dispatch = Dispatch::kAsk,
          .make = [](const LoopSetup& loop, const Params& params) -> std::unique_ptr<Technique> {
            const std::size_t k = count_param(params, 0, 1);
            return std::make_unique<AwfSteps>(
                loop, k, "awf," + std::to_string(k) + "@P=" + std::to_string(loop.workers));
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
