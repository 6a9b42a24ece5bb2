// The stand-in drift (common/include/schedlab/drift.hpp): step s of T rotates the sizes by
// s*N/T positions, so over the run the heavy tasks visit every part of the index range.
#include "schedlab/drift.hpp"

#include <cstddef>

namespace schedlab {

namespace {
struct StepState {
  int step = 0;
  int steps = 1;
  bool drift = false;
};
StepState state;  // set by the driver before each step, read by tasks_of_step()
}  // namespace

void set_step(int step, int steps, bool drift) { state = {step, steps, drift}; }

std::vector<Task> tasks_of_step(const WorkloadSpec& /*spec*/, const std::vector<Task>& base) {
  if (!state.drift || state.steps < 2 || base.empty()) return base;
  const std::size_t n = base.size();
  const std::size_t shift =
      static_cast<std::size_t>(state.step) * n / static_cast<std::size_t>(state.steps) % n;
  std::vector<Task> tasks = base;
  for (std::size_t i = 0; i < n; ++i) tasks[i].size = base[(i + shift) % n].size;
  return tasks;
}

}  // namespace schedlab
