// METG(50%) as Task Bench computes it, and the sweeps in runner CSV files (read by the
// report tool's reader, report/reader.hpp).
#include "schedlab/bench/metg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "schedlab/errors.hpp"

namespace schedlab {

double mean_task_granularity(double tp_seconds, int workers, std::size_t tasks) {
  return tasks == 0 ? 0.0 : tp_seconds * workers / static_cast<double>(tasks);
}

Metg minimum_effective_granularity(std::vector<GranularityPoint> points, double threshold) {
  // Largest tasks first: the sweep's order, so "the next point" is the next smaller size.
  std::stable_sort(points.begin(), points.end(),
                   [](const auto& a, const auto& b) { return a.task_units > b.task_units; });
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].efficiency < threshold) continue;
    if (!best || points[i].granularity_seconds < points[*best].granularity_seconds) best = i;
  }
  if (!best) return {MetgStatus::kNeverReached, 0.0};
  const GranularityPoint& above = points[*best];
  if (*best + 1 == points.size()) return {MetgStatus::kBelowRange, above.granularity_seconds};
  const GranularityPoint& below = points[*best + 1];
  // Why only when the next g is smaller: with overhead that grows faster than the work
  // shrinks, a smaller task can take longer per task; the best point is then the answer.
  if (below.granularity_seconds >= above.granularity_seconds) {
    return {MetgStatus::kReached, above.granularity_seconds};
  }
  // below.efficiency < threshold <= above.efficiency here (else `below` would be best).
  const double t = (threshold - below.efficiency) / (above.efficiency - below.efficiency);
  return {MetgStatus::kReached,
          below.granularity_seconds + t * (above.granularity_seconds - below.granularity_seconds)};
}

std::string describe_metg_us(const Metg& metg) {
  switch (metg.status) {
    case MetgStatus::kReached:
      return fmt::format("{:.3f}", metg.seconds * 1e6);
    case MetgStatus::kBelowRange:
      return fmt::format("< {:.3f}", metg.seconds * 1e6);
    case MetgStatus::kNeverReached:
      break;
  }
  return "not reached";
}

std::vector<Sweep> read_sweeps(const std::vector<std::string>& csv_paths) {
  std::vector<Sweep> sweeps;
  std::map<std::string, std::size_t> index;  // "runner|strategy|workers" -> sweeps[i]
  for (const std::string& path : csv_paths) {
    // The report tool's reader: one definition of a valid row (schema, header, truncation).
    for (const report::ResultRow& row : report::read_csv(path)) {
      if (row.is_serial() || row.workload != "uniform" || row.verification != "PASSED") continue;
      const std::string where = fmt::format("{}:{}", path, row.line);
      if (row.tasks < 1 || row.workers < 1 || row.time_min <= 0) {
        throw UsageError(fmt::format("{}: tasks, workers and time_min_s must be positive", where));
      }
      GranularityPoint point;
      point.task_units = static_cast<std::uint64_t>(
          std::llround(static_cast<double>(row.total_units) / static_cast<double>(row.tasks)));
      point.granularity_seconds = mean_task_granularity(row.time_min, row.workers, row.tasks);
      point.efficiency = row.efficiency;

      const std::string key = fmt::format("{}|{}|{}", row.runner, row.strategy, row.workers);
      auto [it, added] = index.emplace(key, sweeps.size());
      if (added) sweeps.push_back({row.runner, row.strategy, row.workers, {}});
      // The same size measured again (a re-run appended to the file): keep the faster run,
      // as Task Bench keeps the minimum time per configuration.
      auto& points = sweeps[it->second].points;
      const auto same = std::find_if(points.begin(), points.end(), [&](const auto& p) {
        return p.task_units == point.task_units;
      });
      if (same == points.end()) {
        points.push_back(point);
      } else if (point.granularity_seconds < same->granularity_seconds) {
        *same = point;
      }
    }
  }
  return sweeps;
}

}  // namespace schedlab
