// --steps T: a run of a strategy is T executions of the loop, as an application's time loop
// (issue 21), with a barrier between steps. The driver runs the steps and joins them here
// into one RunResult; the rows, CSV, JSON and timeline read each step back from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "schedlab/run.hpp"

namespace schedlab {

inline constexpr int kMaxSteps = 10'000;

// The step now running on this process (0-based) and how many there are: set by the
// driver before each step, read by the executors (an adaptive technique's time step,
// techniques::LoopSetup::time_step) and the perturbations (from_step).
void set_current_step(int step, int steps);
int current_step();
int step_count();

// Steps joined into one run: results, trace and completion order step after step (trace
// slot s*N + i is task i of step s; TaskRecord::task stays i), times shifted so that step s
// starts where step s-1 ended (Tp = the sum of the steps' Tp), chunk numbers kept distinct
// across steps, step_seconds each step's Tp, the first error, interrupted if any was.
RunResult join_steps(std::vector<RunResult> steps);

// What one step of a run measured.
struct StepSummary {
  double seconds = 0;       // the step's Tp
  double load_balance = 0;  // mean/max busy within the step; NaN without per-task times
  long chunks = -1;         // dispatches in the step; -1: not recorded
  std::uint64_t checksum = 0;
};

// Each step of `run` (one, for a run without step_seconds); `tasks_per_step` is N.
std::vector<StepSummary> step_summaries(const RunResult& run, std::size_t tasks_per_step,
                                        bool traced);

// The lower bound of a stepped run: the steps wait for each other, so it is the sum over
// steps of max(sum t_i / P, max t_i), from the serial per-task times step after step.
double stepped_lower_bound(const std::vector<double>& serial_task_seconds,
                           std::size_t tasks_per_step, int workers);

}  // namespace schedlab
