// The report's view of the simulator: a column of --predict (a registry technique, or the
// cyclic deal that OpenMP calls static,C and MPI cyclic,C) simulated by the techniques
// library's simulate(), returned as a RunResult so the timeline and metrics work on it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "schedlab/run.hpp"
#include "schedlab/techniques/registry.hpp"
#include "schedlab/techniques/simulate.hpp"

namespace schedlab::report {

// What is simulated: a registry technique (its canonical text is the name), or, when
// `technique.info` is null, the cyclic deal of chunks of `cyclic_chunk` (static,C): not a
// technique of the registry, an OpenMP clause and an MPI strategy.
struct Schedule {
  techniques::TechniqueSpec technique;
  std::size_t cyclic_chunk = 0;
  std::string label;         // when set, the column's name instead of the technique's text
  std::string name() const;  // "static", "static,1", "ss", "gss,4", "fac2", "dynamic,4"
};

// "gss", "fac2", "tss,40,5" ...: throws std::invalid_argument naming the bad part.
Schedule technique_schedule(const std::string& text);
// static,C: chunk k to worker k mod P.
Schedule cyclic_schedule(std::size_t chunk);

// Costs of the model. Dispatch overhead h: seconds a worker loses per chunk it takes from a
// shared queue or a master (the atomic, or the message round trip). Master service s:
// seconds the one master is busy per chunk it hands out; requests queue (first come, first
// served), so past some P the master, not the work, sets Tp. Plans pay neither.
// A replayed perturbation (--predict on a perturbed record) adds slowed workers and a
// message latency per dispatch (techniques::SimOptions; the cyclic deal applies the
// slowdowns itself and sends no messages).
struct SimCosts {
  double dispatch_overhead = 0;
  double master_service = 0;
  std::vector<techniques::Slowdown> slowdowns;
  double message_latency = 0;
};

struct Simulation {
  RunResult run;                        // trace (with each task's chunk), busy time
  std::vector<std::size_t> dispatches;  // chunks taken per worker (0 for plans and cyclic)
  std::size_t chunks = 0;               // chunks in all
  double makespan() const { return run.wall_seconds; }
};
Simulation simulate(const std::vector<double>& task_seconds, int workers, const Schedule& schedule,
                    const SimCosts& costs = {});
// Tp alone, what --predict needs: no per-task trace, and the task list prepared once
// (techniques::SimLoop) for every P and schedule. The same Tp as simulate() (to rounding:
// a chunk's time is a difference of prefix sums there).
double predicted_makespan(const techniques::SimLoop& loop, int workers, const Schedule& schedule,
                          const SimCosts& costs = {});

// The model of a measured row, by its name: a technique's canonical text ("gss", "fac2" -
// the same in schedlab-omp, schedlab-mpi and here) or a literal clause or strategy
// ("static,4", "cyclic,1", "dynamic,2", "guided,1", "tasks", "taskloop,8",
// "master-worker,2", "master-worker-dedicated,1", "rma,gss"), and the workers that compute
// under it (a dedicated master computes nothing). `through_master`: the row's chunks come
// from schedlab-mpi's master (master-worker and MPI technique rows), so --master-service
// applies; rma's claims are a shared counter (--overhead only). std::nullopt when there is no
// model: serial, runtime, auto, plain taskloop (the runtime's choice, not visible) and
// hierarchical,T (a master per node: two levels of queues the simulator does not model).
struct StrategyModel {
  Schedule schedule;
  int computing_workers = 1;
  bool through_master = false;
  // Its chunks arrive in MPI messages (a master's answer, an rma claim): a replayed
  // `latency` perturbation applies to it.
  bool messages = false;
};
std::optional<StrategyModel> model_of_strategy(const std::string& strategy, int ranks, int threads,
                                               const std::string& runner = "");

}  // namespace schedlab::report
