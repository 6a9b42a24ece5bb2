// The OpenMP self-scheduling executor: any technique of the registry (techniques/) run by
// one parallel region. How it hands chunks out follows the technique's Dispatch: one atomic
// fetch_add per chunk (table), a short critical section per chunk (ask), or none (plan).
#pragma once

#include <vector>

#include "schedlab/openmp/schedules.hpp"
#include "schedlab/techniques/registry.hpp"

namespace schedlab {

// The loop a technique is set up for: N = tasks.size(), P = threads, the known task costs
// (binlpt and lpt plan with them; fsc, tap, af take mu and sigma from them) and the
// --weights (wf2). Costs in seconds when measured (the serial baseline), else task sizes.
techniques::LoopSetup technique_loop(const std::vector<Task>& tasks, int threads,
                                     std::vector<double> costs, std::vector<double> weights);

// Runs every task once under `spec` with config.threads threads; results, trace (with each
// task's chunk index, in dispatch order) and errors as the literal schedules return them.
// A technique that answers wrongly (a chunk of 0, more than left, an exception) stops the
// run with RunResult::error naming N, P and the call; it never hangs or runs a task twice.
// loop.tasks must be tasks.size() and loop.workers config.threads. wf2 without weights
// weighs each thread by its speed, measured on the kernel before the clock starts.
RunResult run_technique(const std::vector<Task>& tasks, const techniques::TechniqueSpec& spec,
                        const techniques::LoopSetup& loop, const OmpConfig& config);

}  // namespace schedlab
