// --drift: the load moves between the steps of a --steps run (issue 21). This interface is
// the application-workloads helper's; the body here is a minimal stand-in (a rotation of
// the sizes) that the merge replaces.
#pragma once

#include <vector>

#include "schedlab/workload.hpp"

namespace schedlab {

// Before each step, on every process: which step (0-based) of how many, and whether the
// load drifts. The driver calls it; tasks_of_step() reads it.
void set_step(int step, int steps, bool drift);

// The task list of the current step: `base` itself without drift; with drift, the sizes
// moved (ids stay in place, so results stay by task index).
std::vector<Task> tasks_of_step(const WorkloadSpec& spec, const std::vector<Task>& base);

}  // namespace schedlab
