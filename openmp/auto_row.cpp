// The OpenMP auto row: choose (timed), run the chosen technique with the techniques executor,
// tell the selector what the step measured. docs/design.md, "The auto row".
#include "schedlab/openmp/auto_row.hpp"

#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <functional>

#include "schedlab/openmp/techniques_executor.hpp"
#include "schedlab/steps.hpp"

namespace schedlab {

namespace tech = schedlab::techniques;

namespace {

// A decision's simulations on the team that runs the steps: its threads would wait for the
// next step anyway. dynamic, 1: the simulations differ in cost (ss, one chunk a task, is the
// longest), and there are only a few (one to three a technique). No more threads than CPUs:
// oversubscribed (4 threads on 2 cores), the loop would wait for a descheduled thread's item.
tech::ForEachSimulation on_the_team(int threads) {
  const int team = std::max(1, std::min(threads, omp_get_num_procs()));
  return [team](std::size_t count, const std::function<void(std::size_t)>& body) {
    const auto n = static_cast<std::ptrdiff_t>(count);
#pragma omp parallel for num_threads(team) schedule(dynamic, 1)
    for (std::ptrdiff_t i = 0; i < n; ++i) body(static_cast<std::size_t>(i));
  };
}

}  // namespace

RunResult run_auto_step(const std::vector<Task>& tasks, tech::SelectMethod method,
                        AutoRowState& state, const OmpConfig& config,
                        const TechniqueInputs& inputs) {
  if (!state.simulations) state.simulations = on_the_team(config.threads);
  // The decision is timed: telling the selector about the last step and choosing this one's
  // technique (simulate runs the simulator here) belong to the auto row's cost.
  const Clock::time_point decision_start = Clock::now();
  const tech::Choice choice =
      state.choose(method, config.threads, inputs.seed, current_step(), tasks);
  const double decision_seconds = seconds_between(decision_start, Clock::now());

  // The chosen technique runs the step like any technique row, set up as a fixed row is,
  // outside the clocks (adaptive ones learn across steps through LoopSetup::time_step, which
  // run_technique sets from current_step()).
  RunResult result =
      run_technique(tasks, choice.technique,
                    technique_loop(tasks, config.threads, inputs.costs, inputs.weights), config);
  state.finish(result, tasks, config.threads, choice, decision_seconds);
  return result;
}

}  // namespace schedlab
