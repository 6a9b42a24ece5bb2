// The OpenMP auto row: choose (timed), run the chosen technique with the techniques executor,
// tell the selector what the step measured. docs/design.md, "The auto row".
#include "schedlab/openmp/auto_row.hpp"

#include "schedlab/openmp/techniques_executor.hpp"
#include "schedlab/steps.hpp"

namespace schedlab {

namespace tech = schedlab::techniques;

RunResult run_auto_step(const std::vector<Task>& tasks, tech::SelectMethod method,
                        AutoRowState& state, const OmpConfig& config,
                        const TechniqueInputs& inputs) {
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
