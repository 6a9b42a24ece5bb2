// What an adaptive technique learned in one step of a time-stepping run (--steps), kept per
// process for the next step (LoopSetup::time_step > 0), as DLS4LB carries weights between
// loop executions. Keyed by the technique, its parameters and P, and stamped with the step
// that wrote it: step s reads only what step s - 1 left, so a row never starts from what
// another row learned (an auto row that picks af at step 5 after the fixed af row ran all
// its steps starts afresh, as that af did not run its step 4). The executor that asks the
// technique (an OpenMP team's executor, the MPI master) is the process that keeps it. And
// keyed by the row that runs it (schedlab/techniques/learning_row.hpp): the driver runs the
// rows' steps interleaved, and the fixed af row and an auto row running af never meet.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "schedlab/techniques/learning_row.hpp"

namespace schedlab::techniques::detail {

template <class Learned>
class StepStore {
 public:
  // What step `step` left under `key`, if the last write under `key` was that step's.
  std::optional<Learned> from_step(const std::string& key, int step) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = learned_.find(learning_key(key));
    if (it == learned_.end() || it->second.step != step) return std::nullopt;
    return it->second.learned;
  }
  // The end of step `step`: what it learned, for the next.
  void keep(const std::string& key, Learned learned, int step) {
    const std::lock_guard<std::mutex> lock(mutex_);
    learned_.insert_or_assign(learning_key(key), Stamped{std::move(learned), step});
  }

 private:
  // Executors may build techniques from several threads (one per run), never one loop's
  // calls concurrently.
  struct Stamped {
    Learned learned;
    int step = 0;
  };
  std::mutex mutex_;
  std::map<std::string, Stamped> learned_;
};

}  // namespace schedlab::techniques::detail
