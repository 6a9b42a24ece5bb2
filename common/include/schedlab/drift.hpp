// Time steps of a changing machine (--steps, --drift): the task list of each step. Without
// drift every step runs the same list; with drift the load moves between steps.
#pragma once

#include <vector>

#include "schedlab/workload.hpp"

namespace schedlab {

// Called on every process before time step `step` (0-based) of a `steps`-step run, with
// `drift` on or off; outside --steps the state is step 0 of 1 without drift. It also sets the
// one step counter (steps.hpp current_step()) that perturbations and adaptive techniques read.
void set_step(int step, int steps, bool drift);

// The task list of the current step: `base` itself without drift; with drift the synthetic
// families' hot spot moves (sizes rotate by step*N/steps positions, so the list stays a
// permutation of base) and mandelbrot's view zooms towards a point on the set's boundary
// (its rows' predicted costs recomputed). Deterministic: every rank gets the same list.
std::vector<Task> tasks_of_step(const WorkloadSpec& spec, const std::vector<Task>& base);

}  // namespace schedlab
