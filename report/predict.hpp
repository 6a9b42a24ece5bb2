// --predict: what the simulator says each schedule would take on 1..1024 workers, and how
// that compares with the runs that were measured. Pure functions over per-task seconds.
#pragma once

#include <string>
#include <vector>

#include "reader.hpp"
#include "simulate.hpp"

namespace schedlab::report {

// "1,2,4", "1-16", "1-8,16,32": worker counts from 1 to 1024, sorted, without repeats.
// Throws UsageError naming the bad text.
std::vector<int> parse_worker_list(const std::string& text);
inline constexpr int kMaxPredictedWorkers = 1024;

// The schedules the class compares: static, cyclic, dynamic,C and guided,C.
std::vector<Schedule> compared_schedules(std::size_t chunk);

struct PredictionRow {
  int workers = 1;
  double lower_bound = 0;         // max(sum t / P, max t)
  std::vector<double> makespans;  // one per schedule, seconds
};

std::vector<PredictionRow> predict(const std::vector<double>& task_seconds,
                                   const std::vector<int>& workers,
                                   const std::vector<Schedule>& schedules,
                                   double dispatch_overhead);

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

std::vector<PredictedVsMeasured> predicted_vs_measured(const RunRecord& record,
                                                       double dispatch_overhead);

std::string render_predictions(const std::vector<double>& task_seconds,
                               const std::vector<Schedule>& schedules,
                               const std::vector<PredictionRow>& rows);
std::string render_predicted_vs_measured(const std::vector<PredictedVsMeasured>& rows);

}  // namespace schedlab::report
