// What an auto row's choices look like on a terminal (issue 22): one line per step (the
// technique, why, predicted against measured, the decision's cost) and one line of regret.
// Shared by the runners' table and schedlab-report, which reads the same fields back.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "schedlab/comparison.hpp"
#include "schedlab/run.hpp"
#include "schedlab/selection.hpp"

namespace schedlab {

// At most this many step lines per auto row: the first and the last half of it, and one
// line saying how many were left out (the JSON has them all).
inline constexpr std::size_t kStepLinesShown = 20;

// The seconds step s measured: step_seconds[s], or wall_seconds for a run of one step;
// NaN when the run holds no such step.
double measured_step_seconds(const std::vector<double>& step_seconds, double wall_seconds,
                             std::size_t step);

// "step 3: fac2 — predicted best (fac2 0.12 s, af 0.122 s, gss 0.13 s); measured 0.125 s vs
// predicted 0.12 s; decision 0.4 ms (0.3%)". Technique and reason are escaped (printable):
// a record's text never spreads over lines.
std::string decision_line(std::size_t step, const StepDecision& decision, double measured_seconds);

// Every step's line, capped at kStepLinesShown: the first 10, "… N steps more (see --json)",
// the last 10.
std::vector<std::string> decision_lines(const std::vector<StepDecision>& decisions,
                                        const std::vector<double>& step_seconds,
                                        double wall_seconds);

// "auto:simulate 1.234 s · best fixed fac2 1.2 s (regret 2.8%) · median fixed (gss) 1.5 s ·
// per-step oracle 1.1 s (+12.2%)", or why it could not be compared.
std::string selection_line(const SelectionSummary& summary);

// What regret and the oracle mean, in one line for a student.
std::string selection_legend();

// After the table: for each auto row its step lines, then the legend and the regret lines.
// Nothing when the run has no auto row.
void print_selection(std::FILE* out, const Comparison& comparison);

}  // namespace schedlab
