// The OpenMP auto row: choose (timed), run the chosen technique with the techniques executor,
// tell the selector what the step measured. docs/design.md, "The auto row".
#include "schedlab/openmp/auto_row.hpp"

#include <utility>

#include "schedlab/openmp/techniques_executor.hpp"
#include "schedlab/steps.hpp"
#include "schedlab/techniques/step_measure.hpp"

namespace schedlab {

namespace tech = schedlab::techniques;

RunResult run_auto_step(const std::vector<Task>& tasks, tech::SelectMethod method,
                        AutoRowState& state, const OmpConfig& config,
                        const TechniqueInputs& inputs) {
  const int step = current_step();
  if (step == 0 || !state.selector) {  // a new run (or repeat): nothing learned yet
    state.selector.emplace(method, config.threads, inputs.seed);
    state.last_step.reset();
  }
  // The decision is timed: telling the selector about the last step and choosing this one's
  // technique (simulate runs the simulator here) belong to the auto row's cost.
  const Clock::time_point decision_start = Clock::now();
  if (state.last_step) state.selector->observe(std::move(*state.last_step));
  std::vector<double> costs;
  costs.reserve(tasks.size());
  for (const Task& t : tasks) costs.push_back(static_cast<double>(t.size));
  const tech::Choice choice = state.selector->choose(step, costs);
  const tech::LoopSetup loop = technique_loop(tasks, config.threads, inputs.costs, inputs.weights);
  const double decision_seconds = seconds_between(decision_start, Clock::now());

  // The chosen technique runs the step like any technique row (adaptive ones learn across
  // steps through LoopSetup::time_step, which run_technique sets from current_step()).
  RunResult result = run_technique(tasks, choice.technique, loop, config);
  const double step_seconds = result.wall_seconds;
  // Reading the step's trace for the next decision is the selector's cost too: timed, and
  // counted with this step's decision (it runs after the step's clock stopped).
  const Clock::time_point measure_start = Clock::now();
  state.last_step = step_measure(result, tasks, config.threads, step_seconds);
  const double decision_total = decision_seconds + seconds_between(measure_start, Clock::now());
  result.wall_seconds += decision_total;
  result.decisions = {step_decision(choice, decision_total)};
  return result;
}

}  // namespace schedlab
