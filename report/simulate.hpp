// The schedule simulator: given the serial time of every task, how long would static,
// cyclic, dynamic(chunk) and guided take on P workers? Pure functions; the result is a
// RunResult with a trace, so the text timeline and the metrics work on predictions too.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "schedlab/run.hpp"

namespace schedlab::report {

enum class ScheduleKind {
  kStaticBlock,    // schedule(static): one contiguous block per worker, sizes differ by <= 1
  kStaticChunked,  // schedule(static,C): chunks of C dealt round robin (cyclic = C 1)
  kDynamic,        // schedule(dynamic,C): the next chunk of C goes to the first idle worker
  kGuided,         // schedule(guided,C): chunk = max(C, ceil(remaining / P)), first idle worker
};

struct Schedule {
  ScheduleKind kind = ScheduleKind::kStaticBlock;
  std::size_t chunk = 1;
  std::string name() const;  // "static", "cyclic", "static,4", "dynamic,1", "guided,1"
};

// Simulates `task_seconds` (input order) on `workers` workers. `dispatch_overhead` seconds
// are charged each time a worker takes a chunk from the shared queue (dynamic, guided):
// the cost of the atomic increment or the master's message. Static schedules compute
// their share without talking to anyone, so they pay none. Ties go to the lower worker id.
struct Simulation {
  RunResult run;                        // trace, busy time; wall_seconds is the makespan
  std::vector<std::size_t> dispatches;  // chunks taken from the shared queue, per worker
  double makespan() const { return run.wall_seconds; }
};
Simulation simulate(const std::vector<double>& task_seconds, int workers, const Schedule& schedule,
                    double dispatch_overhead = 0.0);

// The model of a measured strategy, by the name its runner gives it ("static", "dynamic,4",
// "cyclic,1", "master-worker,2", "master-worker-dedicated,1", ...), and the workers that
// compute under it (a dedicated master computes nothing). std::nullopt when there is no
// model for it (serial, runtime, auto, taskloop without a grainsize).
struct StrategyModel {
  Schedule schedule;
  int computing_workers = 1;
};
std::optional<StrategyModel> model_of_strategy(const std::string& strategy, int ranks, int threads);

}  // namespace schedlab::report
