// awf-b, awf-c, awf-d, awf-e: adaptive weighted factoring. Each worker's weight is its
// measured speed (tasks per second, later chunks counting more), normalised to sum P.
//   b: fac2 batches, weights taken at the start of each batch, from work time;
//   c: weights after every chunk, chunk = w_i * ceil(R/(2P)), from work time;
//   d, e: as b, c but timed from the request to the end of the chunk (dispatch included).
#include <cmath>

#include "portfolio.hpp"

namespace schedlab::techniques::detail {

namespace {

class Awf final : public Technique {
 public:
  Awf(const LoopSetup& loop, std::size_t k, bool per_batch, bool elapsed)
      : workers_(static_cast<std::size_t>(loop.workers)),
        k_(k),
        per_batch_(per_batch),
        elapsed_(elapsed),
        sum_time_(workers_, 0.0),
        sum_tasks_(workers_, 0.0),
        chunks_done_(workers_, 0),
        batch_weights_(workers_, 1.0) {}

  std::size_t next_chunk(std::size_t remaining, int worker) override {
    // Nothing measured yet: a chunk of k, so every worker reports quickly (DLS4LB).
    if (measured_ == 0) return std::min(k_, remaining);
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
    if (chunks_done_[w] == 0) {
      ++measured_;
    } else {
      sum_per_task_ -= per_task(w);  // replace this worker's share: O(1) per chunk
      sum_inverse_ -= 1.0 / per_task(w);
    }
    // Chunk j (1-based) of this worker weighs j: recent chunks say more about its speed.
    const double weight_of_chunk = static_cast<double>(++chunks_done_[w]);
    sum_time_[w] += weight_of_chunk * (elapsed_ ? timing.elapsed_seconds : timing.work_seconds);
    sum_tasks_[w] += weight_of_chunk * static_cast<double>(timing.size);
    sum_per_task_ += per_task(w);
    sum_inverse_ += 1.0 / per_task(w);
  }

 private:
  // Measured time per task of worker i (0 s tasks: no division by 0 later).
  double per_task(std::size_t i) const { return std::max(sum_time_[i] / sum_tasks_[i], 1e-12); }

  // w_i proportional to 1 / (time per task of i), normalised to sum P; unmeasured workers
  // count as the average of the measured ones.
  double weight(std::size_t i) const {
    const double average = sum_per_task_ / static_cast<double>(measured_);
    const double total = sum_inverse_ + static_cast<double>(workers_ - measured_) / average;
    const double mine = chunks_done_[i] > 0 ? per_task(i) : average;
    return (1.0 / mine) * static_cast<double>(workers_) / total;
  }

  std::size_t workers_;
  std::size_t k_;
  bool per_batch_;
  bool elapsed_;
  std::vector<double> sum_time_;
  std::vector<double> sum_tasks_;
  std::vector<std::size_t> chunks_done_;
  std::vector<double> batch_weights_;
  std::size_t measured_ = 0;  // workers with at least one finished chunk
  double sum_per_task_ = 0;   // over measured workers
  double sum_inverse_ = 0;    // sum of 1 / per_task over measured workers
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
          .make = [per_batch, elapsed](const LoopSetup& loop,
                                       const Params& params) -> std::unique_ptr<Technique> {
            return std::make_unique<Awf>(loop, count_param(params, 0, 1), per_batch, elapsed);
          },
          .make_plan = {}};
}

}  // namespace

TechniqueInfo awf_b_info() {
  return awf_row("awf-b", true, false, "workers whose speed drifts during the loop; per batch");
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
