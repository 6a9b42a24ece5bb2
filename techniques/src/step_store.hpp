// What an adaptive technique learned in one step of a time-stepping run (--steps), kept per
// process for the next step (LoopSetup::time_step > 0), as DLS4LB carries weights between
// loop executions. Keyed by the technique, its parameters and P; the executor that asks the
// technique (an OpenMP team's executor, the MPI master) is the process that keeps it.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace schedlab::techniques::detail {

template <class Learned>
class StepStore {
 public:
  // What the previous step left under `key`, if anything.
  std::optional<Learned> previous(const std::string& key) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = learned_.find(key);
    if (it == learned_.end()) return std::nullopt;
    return it->second;
  }
  // The end of a step: what it learned, for the next.
  void keep(const std::string& key, Learned learned) {
    const std::lock_guard<std::mutex> lock(mutex_);
    learned_.insert_or_assign(key, std::move(learned));
  }

 private:
  // Executors may build techniques from several threads (one per run), never one loop's
  // calls concurrently.
  std::mutex mutex_;
  std::map<std::string, Learned> learned_;
};

}  // namespace schedlab::techniques::detail
