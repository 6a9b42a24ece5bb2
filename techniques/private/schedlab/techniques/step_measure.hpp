// What the selector is told of a step (techniques::StepMeasure), read from the step's
// RunResult: each task's seconds and worker from the trace, the tasks' predicted costs
// (Task::size), P, Tp, the chunks and the dispatch cost h the trace shows (dispatch_gap()).
// Header-only, for the runners' auto rows (OpenMP, MPI), which see common/ (layer 1); the
// techniques library itself does not.
#pragma once

#include <vector>

#include "schedlab/run.hpp"
#include "schedlab/techniques/select.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

inline techniques::StepMeasure step_measure(const RunResult& run, const std::vector<Task>& tasks,
                                            int workers, double tp) {
  techniques::StepMeasure m;
  m.workers = workers;
  m.tp = tp;
  m.chunks = chunk_count(run);
  m.seconds.assign(tasks.size(), -1.0);
  m.worker.assign(tasks.size(), -1);
  m.costs.reserve(tasks.size());
  for (const Task& t : tasks) m.costs.push_back(static_cast<double>(t.size));
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

}  // namespace schedlab
