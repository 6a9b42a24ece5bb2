// awf-b, awf-c, awf-d, awf-e: adaptive weighted factoring. Each worker's weight is its
// measured speed (tasks per second, later chunks counting more), normalised to sum P.
//   b: fac2 batches, weights taken at the start of each batch, from work time;
//   c: weights after every chunk, chunk = w_i * ceil(R/(2P)), from work time;
//   d, e: as b, c but timed from the request to the end of the chunk (dispatch included).
// Time-stepping (--steps): step s > 0 starts from the sums step s-1 ended with (DLS4LB), so
// its first chunks are already weighted; step 0 starts from nothing (chunks of k).
#include <cmath>

#include "portfolio.hpp"
#include "step_store.hpp"

namespace schedlab::techniques::detail {

namespace {

// What the weights are computed from: per worker, time and tasks summed with chunk j
// weighing j; kept from one step to the next.
struct AwfLearned {
  std::vector<double> sum_time;
  std::vector<double> sum_tasks;
  std::vector<std::size_t> chunks_done;
  std::size_t measured = 0;  // workers with at least one finished chunk
  double sum_per_task = 0;   // over measured workers
  double sum_inverse = 0;    // sum of 1 / per_task over measured workers
};

StepStore<AwfLearned>& awf_steps() {
  static StepStore<AwfLearned> store;
  return store;
}

class Awf final : public Technique {
 public:
  Awf(const LoopSetup& loop, std::size_t k, bool per_batch, bool elapsed, std::string key)
      : workers_(static_cast<std::size_t>(loop.workers)),
        k_(k),
        per_batch_(per_batch),
        elapsed_(elapsed),
        key_(std::move(key)),
        step_(loop.time_step),
        batch_weights_(workers_, 1.0) {
    std::optional<AwfLearned> previous;
    if (loop.time_step > 0) previous = awf_steps().from_step(key_, loop.time_step - 1);
    if (previous && previous->sum_time.size() == workers_) {
      l_ = std::move(*previous);
    } else {
      l_.sum_time.assign(workers_, 0.0);
      l_.sum_tasks.assign(workers_, 0.0);
      l_.chunks_done.assign(workers_, 0);
    }
  }
  Awf(const Awf&) = delete;
  Awf& operator=(const Awf&) = delete;
  // The loop is over: what it learned is the next step's start.
  ~Awf() override {
    if (l_.measured > 0) awf_steps().keep(key_, std::move(l_), step_);
  }

  std::size_t next_chunk(std::size_t remaining, int worker) override {
    // Nothing measured yet: a chunk of k, so every worker reports quickly (DLS4LB).
    if (l_.measured == 0) return std::min(k_, remaining);
    const auto w = static_cast<std::size_t>(worker);
    if (!per_batch_) {
      const double share = weight(w) * static_cast<double>(ceil_div(remaining, 2 * workers_));
      return std::min(remaining, std::max(k_, to_count(share + 0.55)));
    }
    if (batch_left_ == 0) {
      // A batch's weights stay fixed until it is handed out.
      for (std::size_t i = 0; i < workers_; ++i) batch_weights_[i] = weight(i);
      chunk_ = std::max(k_, ceil_div(remaining, 2 * workers_));
      batch_left_ = std::min(chunk_ * workers_, remaining);
    }
    const double share = batch_weights_[w] * static_cast<double>(chunk_);
    const std::size_t chunk =
        std::min({std::max(k_, to_count(share + 0.55)), batch_left_, remaining});
    batch_left_ -= chunk;
    return chunk;
  }

  void chunk_finished(const ChunkTiming& timing) override {
    const auto w = static_cast<std::size_t>(timing.worker);
    if (w >= workers_ || timing.size == 0) return;
    if (l_.chunks_done[w] == 0) {
      ++l_.measured;
    } else {
      l_.sum_per_task -= per_task(w);  // replace this worker's share: O(1) per chunk
      l_.sum_inverse -= 1.0 / per_task(w);
    }
    // Chunk j (1-based) of this worker weighs j: recent chunks say more about its speed.
    const double weight_of_chunk = static_cast<double>(++l_.chunks_done[w]);
    l_.sum_time[w] += weight_of_chunk * (elapsed_ ? timing.elapsed_seconds : timing.work_seconds);
    l_.sum_tasks[w] += weight_of_chunk * static_cast<double>(timing.size);
    l_.sum_per_task += per_task(w);
    l_.sum_inverse += 1.0 / per_task(w);
  }

 private:
  // Measured time per task of worker i (0 s tasks: no division by 0 later).
  double per_task(std::size_t i) const { return std::max(l_.sum_time[i] / l_.sum_tasks[i], 1e-12); }

  // w_i proportional to 1 / (time per task of i), normalised to sum P; unmeasured workers
  // count as the average of the measured ones.
  double weight(std::size_t i) const {
    const double average = l_.sum_per_task / static_cast<double>(l_.measured);
    const double total = l_.sum_inverse + static_cast<double>(workers_ - l_.measured) / average;
    const double mine = l_.chunks_done[i] > 0 ? per_task(i) : average;
    return (1.0 / mine) * static_cast<double>(workers_) / total;
  }

  std::size_t workers_;
  std::size_t k_;
  bool per_batch_;
  bool elapsed_;
  std::string key_;
  int step_ = 0;  // the time step this loop runs: what keep() stamps
  AwfLearned l_;
  std::vector<double> batch_weights_;
  std::size_t chunk_ = 0;
  std::size_t batch_left_ = 0;
};

TechniqueInfo awf_row(std::string name, bool per_batch, bool elapsed, std::string when) {
  return {.name = name,
          .aliases = {[&] {
            std::string compact = name;
            compact.erase(compact.find('-'), 1);
            return compact;
          }()},
          .params = {{"k", 1, "smallest chunk, tasks (also the first chunk of each worker)"}},
          .when_it_wins = std::move(when),
          .reference = elapsed ? "Carino & Banicescu, J. Supercomputing 2008"
                               : "Banicescu, Velusamy & Devaprasad, Cluster Computing 2003",
          .adaptive = true,
          .monotone = false,
          .dispatch = Dispatch::kAsk,
          .make = [name, per_batch, elapsed](const LoopSetup& loop,
                                             const Params& params) -> std::unique_ptr<Technique> {
            const std::size_t k = count_param(params, 0, 1);
            return std::make_unique<Awf>(
                loop, k, per_batch, elapsed,
                name + "," + std::to_string(k) + "@P=" + std::to_string(loop.workers));
          },
          .make_plan = {}};
}

}  // namespace

TechniqueInfo awf_b_info() {
  TechniqueInfo row =
      awf_row("awf-b", true, false, "workers whose speed drifts during the loop; per batch");
  row.portfolio = true;  // the adaptive weighted one auto may choose (a slow worker)
  return row;
}
TechniqueInfo awf_c_info() {
  return awf_row("awf-c", false, false, "speed drifting fast: weights after every chunk");
}
TechniqueInfo awf_d_info() {
  return awf_row("awf-d", true, true, "as awf-b where dispatch costs differ per worker");
}
TechniqueInfo awf_e_info() {
  return awf_row("awf-e", false, true, "as awf-c where dispatch costs differ per worker");
}

}  // namespace schedlab::techniques::detail
