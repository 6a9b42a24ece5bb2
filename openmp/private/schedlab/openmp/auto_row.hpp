// The OpenMP auto row (--schedule auto:METHOD, issue 22): before each time step the selector
// (schedlab/techniques/select.hpp) chooses a technique of the portfolio, the techniques
// executor runs the step with it, and the step's trace tells the selector what happened.
// Not `--schedule auto`: that is OpenMP's own schedule(auto), where the runtime chooses.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "schedlab/openmp/schedules.hpp"
#include "schedlab/techniques/select.hpp"
#include "schedlab/techniques/step_measure.hpp"

namespace schedlab {

// One auto row's memory across the steps of a run: its selector and what the last step
// measured, told to the selector (inside the next step's timed decision); the MPI row's too.
struct AutoRowState : AutoSelection {};

// One step of the auto row: at current_step() 0 the selector starts afresh (each repeat);
// observe + choose are timed and added to the step's wall_seconds (the decision is part of
// the row's cost) and to its StepDecision, which the result carries in `decisions`.
RunResult run_auto_step(const std::vector<Task>& tasks, techniques::SelectMethod method,
                        AutoRowState& state, const OmpConfig& config,
                        const TechniqueInputs& inputs);

}  // namespace schedlab
