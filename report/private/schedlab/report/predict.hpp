// --predict: what the simulator says each schedule would take on 1..1024 workers, and how
// that compares with the runs that were measured. Pure functions over per-task seconds.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "schedlab/report/reader.hpp"
#include "schedlab/report/simulate.hpp"

namespace schedlab::report {

// "1,2,4", "1-16", "1-8,16,32": worker counts from 1 to 1024, sorted, without repeats.
// Throws UsageError naming the bad text.
std::vector<int> parse_worker_list(const std::string& text);
inline constexpr int kMaxPredictedWorkers = 1024;

// The schedules the class compares by default: static, static,1 (cyclic), ss (dynamic,C
// for C > 1), gss (gss,C), tss and fac2.
std::vector<Schedule> compared_schedules(std::size_t chunk);
// The columns --technique asks for: registry techniques by name ("awf-b", "tss,40,5") or a
// literal clause ("static,4", "dynamic,2"). Throws UsageError naming the bad one.
std::vector<Schedule> schedules_named(const std::vector<std::string>& names);

struct PredictionRow {
  int workers = 1;
  double lower_bound = 0;         // max(sum t / P, max t)
  std::vector<double> makespans;  // one per schedule, seconds
};

// Told after each simulation: `done` of `total` (worker counts x schedules). The program
// decides whether to show it (schedlab-report: a stderr line a second, after the first).
using PredictProgress = std::function<void(std::size_t done, std::size_t total)>;

// One simulation per worker count and schedule, the task list prepared once (SimLoop).
std::vector<PredictionRow> predict(const std::vector<double>& task_seconds,
                                   const std::vector<int>& workers,
                                   const std::vector<Schedule>& schedules, double dispatch_overhead,
                                   double master_service = 0, const PredictProgress& progress = {});

// Where master-worker saturates: the smallest P of `rows` whose Tp under `schedule` is
// within 1% of the best Tp of all rows - past it, more workers only queue at the master.
int saturation_workers(const std::vector<PredictionRow>& rows, std::size_t schedule);
// Past this many workers one master at s seconds per chunk is busy all the time when every
// chunk takes `chunk_seconds` on a worker: P* = 1 + chunk_seconds / s.
double master_bound_workers(double chunk_seconds, double master_service);

// A measured strategy next to its model.
struct PredictedVsMeasured {
  std::string strategy;
  int workers = 1;            // P as run
  int computing_workers = 1;  // P the model uses (a dedicated master computes nothing)
  std::string model;          // "dynamic,1" or "" when there is none
  double measured = 0;        // min over repeats, seconds
  double predicted = 0;       // seconds
  double error() const { return measured > 0 ? (predicted - measured) / measured : 0.0; }
};

// Each measured row's prediction: its T steps one after the other on the serial step-0 task
// times. `replay`: with the record's perturbations (docs/report.md, "Replaying a
// perturbation"): slow=F slows the worker F times from its moment; pause=S,every=E as a
// slowdown E / (E - S); from_step=K from the moment step K starts in the prediction;
// latency=S on every rank as S more per dispatch of the rows whose chunks come in messages;
// a latency for one rank is not modelled.
std::vector<PredictedVsMeasured> predicted_vs_measured(const RunRecord& record,
                                                       double dispatch_overhead,
                                                       double master_service = 0,
                                                       bool replay = true);
// What the prediction made of the record's perturbations, a line each ("" when none).
std::string render_replay(const RunRecord& record, bool replay);

std::string render_predictions(const std::vector<double>& task_seconds,
                               const std::vector<Schedule>& schedules,
                               const std::vector<PredictionRow>& rows);
std::string render_predicted_vs_measured(const std::vector<PredictedVsMeasured>& rows);
// The master-worker block: Tp through one master (`master_rows`), then per dispatching
// schedule the P where it saturates and the no-master Tp there.
std::string render_master_predictions(const std::vector<double>& task_seconds,
                                      const std::vector<Schedule>& schedules,
                                      const std::vector<PredictionRow>& master_rows,
                                      double master_service);

}  // namespace schedlab::report
