// A discrete-event simulator of one loop under one technique: P workers, a per-chunk dispatch
// overhead h, optionally one master that serves requests one at a time. Adaptive techniques
// are fed the simulated chunk times. The report's --predict calls it.
//
// Events are chunks, not tasks: a tournament tree holds each worker's next request, and a chunk's
// time is one difference of prefix sums of the task times (SimLoop, built once per task list
// and reused for every P and technique). A loop costs O(chunks log P) plus what the technique
// itself costs (a plan lists its tasks: O(N)); with SimDetail::kTasks, O(N) more for each
// task's chunk. docs/performance.md, "The simulator's speed".
#pragma once

#include <cstddef>
#include <vector>

#include "schedlab/techniques/registry.hpp"

namespace schedlab::techniques {

// A perturbation replayed on one worker: from `from_seconds` on (simulated time), worker
// `worker` runs its tasks `slow` times longer (slow 3: a third of its speed). A chunk that
// straddles the moment runs at full speed up to it and slowed after it.
struct Slowdown {
  int worker = 0;
  double from_seconds = 0;
  double slow = 1;
};

// What the result holds besides tp, chunks and busy: the chunk trace (kChunks), and each
// task's chunk too (kTasks, O(N) more). --predict needs only kMakespan.
enum class SimDetail { kMakespan, kChunks, kTasks };

struct SimOptions {
  double dispatch_overhead = 0;  // h: seconds a worker spends per dynamically claimed chunk
  // s: seconds the master needs per request; requests queue at one master (first come,
  // first served). 0: no master (shared counter, OpenMP-style).
  double master_service = 0;
  // L: seconds each dispatch message spends in flight. A claimed chunk waits for its request
  // to arrive (L) and for the answer to come back (L): 2L more per chunk, with or without a
  // master (a remote atomic is a round trip too). Plans send nothing.
  double message_latency = 0;
  std::vector<double> weights;  // passed to the technique (wf2)
  // Relative worker speeds (empty: all 1): a task of t seconds takes t / speed[w] on w.
  std::vector<double> speeds;
  std::vector<Slowdown> slowdowns;  // at most one per worker, on top of `speeds`
  // Task costs the technique may plan with (binlpt, lpt, fsc/tap/af's mu, sigma); empty:
  // the simulated task times themselves (a perfect estimate). Read by the simulate() that
  // takes the task times; a SimLoop holds its own.
  std::vector<double> task_costs;
  SimDetail detail = SimDetail::kTasks;
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
  double tp = 0;                           // predicted parallel time (seconds)
  std::size_t chunks = 0;                  // dispatches
  std::vector<double> busy;                // per-worker seconds running tasks (no overhead)
  std::vector<SimChunk> trace;             // kChunks, kTasks: chunk-to-worker, dispatch order
  std::vector<std::size_t> chunk_of_task;  // kTasks: each task's chunk index
};

// One task list, prepared once for many simulations: the times checked (finite, >= 0), their
// prefix sums (in long double: a chunk's time is one difference, at least as exact as adding
// its tasks one by one), the prefix sums of their squares once an adaptive technique asks,
// and the technique's view of the loop (the costs it plans with are copied once, not per
// simulation). Not for two threads at once. Fresh memory is costly on a VM (a page fault a
// 4 KiB): 10^6 tasks take ~30 MB here, so build one SimLoop per task list and keep it.
class SimLoop {
 public:
  // Throws std::invalid_argument for a negative or non-finite time, or costs of another length.
  explicit SimLoop(std::vector<double> task_seconds, std::vector<double> task_costs = {});

  std::size_t tasks() const { return seconds_.size(); }
  const std::vector<double>& seconds() const { return seconds_; }
  // Seconds of tasks [first, first + size) at speed 1; one task: its time exactly.
  double seconds_of(std::size_t first, std::size_t size) const;
  double squares_of(std::size_t first, std::size_t size) const;
  double total() const { return static_cast<double>(prefix_.back()); }
  // The technique's view of this loop for P workers (task_costs, weights, h).
  const LoopSetup& setup(int workers, const SimOptions& options) const;

 private:
  std::vector<double> seconds_;
  std::vector<long double> prefix_;                  // prefix_[i]: sum of the first i times
  mutable std::vector<long double> prefix_squares_;  // built when first asked for
  mutable LoopSetup setup_;  // task_costs set once; P, weights and h per call
};

// Throws std::invalid_argument for P < 1, a negative time or bad options (speeds or
// slowdowns that do not fit P), TechniqueError for a technique that answers wrongly.
SimResult simulate(const SimLoop& loop, int workers, const TechniqueSpec& spec,
                   const SimOptions& options = {});
// The same on a task list used once (builds the SimLoop, with options.task_costs).
SimResult simulate(const std::vector<double>& task_seconds, int workers, const TechniqueSpec& spec,
                   const SimOptions& options = {});

}  // namespace schedlab::techniques
