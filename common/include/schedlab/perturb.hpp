// --perturb SPEC: a reproducible, injected perturbation of the machine (issue 21), the same
// under OpenMP and MPI. Parsed once here; the per-task body (task_body.hpp) and the MPI
// dispatch apply it. Grammar (docs/design.md, "Perturbations"): comma-separated key=value,
//   worker=W       global worker id (rank x threads + thread); omitted: every worker
//   slow=F         the worker takes F times as long for each task (F >= 1)
//   pause=S,every=E  the worker stops for S seconds every E seconds (0 < S < E)
//   latency=S      S seconds added to each master->worker dispatch message (MPI only)
//   from=S         active S seconds into the strategy's own run (default 0; its clock stops
//                  while other rows run their steps)
//   from_step=K    active from step K (0-based) of a --steps run on (default 0)
// exactly one of slow, pause, latency. Several perturbations: the option repeated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schedlab/run.hpp"

namespace schedlab {

enum class PerturbKind { kSlow, kPause, kLatency };
std::string_view to_string(PerturbKind kind);

struct Perturbation {
  PerturbKind kind = PerturbKind::kSlow;
  int worker = -1;     // -1: every worker
  double slow = 1;     // kSlow: the factor
  double pause = 0;    // kPause: seconds stopped
  double every = 0;    // kPause: period, seconds
  double latency = 0;  // kLatency: seconds per dispatch
  double from = 0;     // seconds after the strategy's run started
  int from_step = 0;   // first step it applies to
};

// One --perturb value; throws UsageError naming the bad key or value and what is allowed.
Perturbation parse_perturbation(std::string_view text);
// The canonical text ("worker=1,slow=3"): what records hold; it parses back to the same.
std::string to_string(const Perturbation& p);
// Several joined by ";" ("" when none).
std::string to_string(const std::vector<Perturbation>& list);

// Checks a run's perturbations against its P workers and T steps, and whether its runner
// sends dispatch messages (latency needs MPI); throws UsageError.
void check_perturbations(const std::vector<Perturbation>& list, int workers, int steps,
                         bool sends_dispatch_messages);

// The process's perturbations: set once by the driver before any run (every RunControl reads
// whether there are any when it is made, so an unperturbed run pays one predictable branch).
void set_perturbations(std::vector<Perturbation> list);
bool perturbations_set();
// The clock `from` counts from: the driver restarts it at the start of each run of a
// strategy (step 0 of each repeat), on each process. The rows of a run run their steps
// interleaved (docs/design.md, "Time steps"), so each row's clock runs only while that row
// runs: the driver reads it after a row's step and resumes it there before the row's next.
void restart_perturbation_clock();
double perturbation_clock_seconds();
void resume_perturbation_clock(double seconds);

// Called by the per-task body only when perturbations_set(). Before a task: wait out a
// pause window of this worker (not counted as busy). After its work: busy-wait (F - 1) x
// the time since `began` for a slowed worker (counted in the task's time, as a slower core).
void pause_if_due(int worker);
void slow_down(int worker, Clock::time_point began);
// MPI: on receipt of a dispatch by `rank` (whose workers are rank x threads ..): the
// latency of every latency perturbation aimed at it, busy-waited.
void delay_dispatch(int rank, int threads);

}  // namespace schedlab
