// A discrete-event simulator of one loop under one technique: P workers, a per-chunk dispatch
// overhead h, optionally one master that serves requests one at a time. Adaptive techniques
// are fed the simulated chunk times. The report's --predict calls it.
#pragma once

#include <cstddef>
#include <vector>

#include "schedlab/techniques/registry.hpp"

namespace schedlab::techniques {

struct SimOptions {
  double dispatch_overhead = 0;  // h: seconds a worker spends per dynamically claimed chunk
  // s: seconds the master needs per request; requests queue at one master (first come,
  // first served). 0: no master (shared counter, OpenMP-style).
  double master_service = 0;
  std::vector<double> weights;  // passed to the technique (wf2)
  // Relative worker speeds (empty: all 1): a task of t seconds takes t / speed[w] on w.
  std::vector<double> speeds;
  // Task costs the technique may plan with (binlpt, lpt, fsc/tap/af's mu, sigma); empty:
  // the simulated task times themselves (a perfect estimate).
  std::vector<double> task_costs;
};

struct SimChunk {
  std::size_t index = 0;  // dispatch order
  int worker = 0;
  std::size_t first = 0;  // first task (contiguous chunks); for lpt the chunk's first task
  std::size_t size = 0;
  double start = 0;  // when its first task starts
  double end = 0;    // when its last task ends
};

struct SimResult {
  double tp = 0;                // predicted parallel time (seconds)
  std::size_t chunks = 0;       // dispatches
  std::vector<double> busy;     // per-worker seconds running tasks (no overhead)
  std::vector<SimChunk> trace;  // chunk-to-worker trace, in dispatch order
  std::vector<std::size_t> chunk_of_task;
};

// Throws std::invalid_argument for P < 1 or a negative time, TechniqueError for a
// technique that answers wrongly.
SimResult simulate(const std::vector<double>& task_seconds, int workers, const TechniqueSpec& spec,
                   const SimOptions& options = {});

}  // namespace schedlab::techniques
