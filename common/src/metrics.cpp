// Metric definitions (docs/design.md, "Definitions"); every figure a runner prints comes from here.
#include "schedlab/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace schedlab {

double speedup(double t1, double tp) { return tp > 0 ? t1 / tp : 0.0; }

double efficiency(double t1, double tp, int workers) {
  return workers > 0 ? speedup(t1, tp) / workers : 0.0;
}

double load_balance(const std::vector<double>& busy) {
  if (busy.empty()) return 0.0;
  const double max_busy = *std::max_element(busy.begin(), busy.end());
  if (max_busy <= 0) return 0.0;
  const double mean =
      std::accumulate(busy.begin(), busy.end(), 0.0) / static_cast<double>(busy.size());
  return mean / max_busy;
}

double lower_bound_seconds(const std::vector<double>& serial_task_seconds, int workers) {
  if (serial_task_seconds.empty() || workers < 1) return 0.0;
  const double sum = std::accumulate(serial_task_seconds.begin(), serial_task_seconds.end(), 0.0);
  const double longest = *std::max_element(serial_task_seconds.begin(), serial_task_seconds.end());
  return std::max(sum / workers, longest);
}

double karp_flatt(double s, int workers) {
  if (workers <= 1 || s <= 0) return std::numeric_limits<double>::quiet_NaN();
  const double p = workers;
  return (1.0 / s - 1.0 / p) / (1.0 - 1.0 / p);
}

Metrics compute_metrics(double t1, double tp, int workers, const std::vector<double>& busy,
                        const std::vector<double>& serial_task_seconds) {
  Metrics m;
  m.t1 = t1;
  m.tp = tp;
  m.workers = workers;
  m.speedup = speedup(t1, tp);
  m.efficiency = efficiency(t1, tp, workers);
  m.load_balance = load_balance(busy);
  m.lower_bound = lower_bound_seconds(serial_task_seconds, workers);
  m.tp_over_lower_bound = m.lower_bound > 0 ? tp / m.lower_bound : 0.0;
  m.karp_flatt = karp_flatt(m.speedup, workers);
  return m;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace schedlab
