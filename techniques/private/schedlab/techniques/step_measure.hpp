// What the selector is told of a step (techniques::StepMeasure), read from the step's
// RunResult: each task's seconds and worker from the trace, the tasks' predicted costs
// (Task::size), P, Tp and the dispatch cost h the trace shows (dispatch_gap()).
// And AutoSelection: the selector's side of an auto step, the one place both auto rows time
// their decision. Header-only, for the runners' auto rows (OpenMP, MPI), which see common/
// (layer 1); the techniques library itself does not.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "schedlab/run.hpp"
#include "schedlab/techniques/select.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

// The tasks' predicted costs as the selector takes them: Task::size, any unit.
inline std::vector<double> task_costs(const std::vector<Task>& tasks) {
  std::vector<double> costs;
  costs.reserve(tasks.size());
  for (const Task& t : tasks) costs.push_back(static_cast<double>(t.size));
  return costs;
}

inline techniques::StepMeasure step_measure(const RunResult& run, const std::vector<Task>& tasks,
                                            int workers, double tp) {
  techniques::StepMeasure m;
  m.workers = workers;
  m.tp = tp;
  m.seconds.assign(tasks.size(), -1.0);
  m.worker.assign(tasks.size(), -1);
  m.costs = task_costs(tasks);
  std::vector<double> start(tasks.size(), 0.0);
  std::vector<double> end(tasks.size(), 0.0);
  std::vector<int> chunk(tasks.size(), -1);
  for (std::size_t i = 0; i < tasks.size() && i < run.trace.size(); ++i) {
    const TaskRecord& r = run.trace[i];
    if (!r.ran()) continue;
    m.seconds[i] = r.end - r.start;
    m.worker[i] = r.worker;
    start[i] = r.start;
    end[i] = r.end;
    chunk[i] = r.chunk;
  }
  m.dispatch_seconds = techniques::dispatch_gap(start, end, chunk, m.worker, workers);
  return m;
}

// The selector's choice as the step's record (RunResult::decisions).
inline StepDecision step_decision(const techniques::Choice& choice, double decision_seconds) {
  StepDecision decision;
  decision.technique = choice.technique.text();
  decision.reason = choice.reason;
  for (const auto& [name, seconds] : choice.predicted)
    decision.predicted.push_back({name, seconds});
  decision.predicted_seconds = choice.predicted_seconds;
  decision.decision_seconds = decision_seconds;
  return decision;
}

// One auto row's selector and what its last step measured, across the steps of a run (under
// MPI only rank 0's is used). Both parts of the decision are timed by the caller's clock
// (choose) and here (finish): the decision is part of the auto row's cost.
struct AutoSelection {
  std::optional<techniques::Selector> selector;
  std::optional<techniques::StepMeasure> last_step;

  // Before the step: a fresh selector at step 0 (each run and repeat), told what the last
  // step measured (if it was read), asked for this step's technique.
  techniques::Choice choose(techniques::SelectMethod method, int workers, std::uint64_t seed,
                            int step, const std::vector<Task>& tasks) {
    if (step == 0 || !selector) {  // a new run (or repeat): nothing learned yet
      selector.emplace(method, workers, seed);
      last_step.reset();
    }
    if (last_step) selector->observe(std::move(*last_step));
    last_step.reset();
    return selector->choose(step, task_costs(tasks));
  }

  // After the step, whose `result.wall_seconds` is its Tp: as much of it is read for the next
  // decision as the selector will use (after_step(): the trace, the time alone, or nothing),
  // timed and counted with `decision_seconds` (what choose and, under MPI, the broadcast
  // took); the total goes into the step's wall time and its StepDecision.
  void finish(RunResult& result, const std::vector<Task>& tasks, int workers,
              const techniques::Choice& choice, double decision_seconds) {
    const double step_seconds = result.wall_seconds;
    const Clock::time_point measure_start = Clock::now();
    const techniques::MeasureNeed need =
        selector ? selector->after_step(step_seconds) : techniques::MeasureNeed::kNothing;
    if (need == techniques::MeasureNeed::kTrace) {
      last_step = step_measure(result, tasks, workers, step_seconds);
    } else if (need == techniques::MeasureNeed::kTime) {
      last_step.emplace();
      last_step->workers = workers;
      last_step->tp = step_seconds;
    }
    const double total = decision_seconds + seconds_between(measure_start, Clock::now());
    if (last_step) last_step->decision_seconds = total;  // simulate's budget reads it
    result.wall_seconds += total;
    result.decisions = {step_decision(choice, total)};
  }
};

}  // namespace schedlab
