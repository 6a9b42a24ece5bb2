// The metrics of docs/design.md, as pure functions. T1: serial time of the same task list;
// Tp: parallel wall time; P: workers (ranks x threads).
#pragma once

#include <vector>

namespace schedlab {

struct Metrics {
  double t1 = 0;                   // serial seconds
  double tp = 0;                   // parallel seconds
  int workers = 1;                 // P
  double speedup = 0;              // S = T1 / Tp
  double efficiency = 0;           // E = S / P
  double load_balance = 0;         // LB = mean(busy) / max(busy)  (POP)
  double lower_bound = 0;          // L = max(sum t_i / P, max t_i)
  double tp_over_lower_bound = 0;  // Tp / L: 1.0 is a perfect schedule
  double karp_flatt = 0;           // e = (1/S - 1/P) / (1 - 1/P); NaN when P == 1
};

double speedup(double t1, double tp);
double efficiency(double t1, double tp, int workers);
double load_balance(const std::vector<double>& busy_per_worker);
double lower_bound_seconds(const std::vector<double>& serial_task_seconds, int workers);
double karp_flatt(double speedup, int workers);
// The median of a list (the mean of the middle two for an even count); 0 for an empty one.
// The one median of repeats, rounds and serial runs (table, reader, report, METG).
double median(std::vector<double> values);

Metrics compute_metrics(double t1, double tp, int workers,
                        const std::vector<double>& busy_per_worker,
                        const std::vector<double>& serial_task_seconds);

}  // namespace schedlab
