// Scaling series and the serial-fraction fits. Both fits are linear in the unknown, so
// least squares has a closed form a student can check by hand.
#include "schedlab/report/scaling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "schedlab/metrics.hpp"
#include "schedlab/report/tables.hpp"

namespace schedlab::report {

double amdahl_serial_fraction(const std::vector<ScalingPoint>& points) {
  double xy = 0;
  double xx = 0;
  for (const auto& p : points) {
    if (p.workers < 2 || p.speedup <= 0 || p.oversubscribed) continue;
    const double x = 1.0 - 1.0 / p.workers;
    const double y = 1.0 / p.speedup - 1.0 / p.workers;
    xy += x * y;
    xx += x * x;
  }
  return xx > 0 ? std::clamp(xy / xx, 0.0, 1.0) : 0.0;
}

double amdahl_speedup(double f, double workers) { return 1.0 / (f + (1.0 - f) / workers); }

double gustafson_serial_fraction(const std::vector<ScalingPoint>& points) {
  double xy = 0;
  double xx = 0;
  for (const auto& p : points) {
    if (p.workers < 2 || p.oversubscribed) continue;
    const double x = p.workers - 1.0;
    const double y = p.workers - p.speedup;
    xy += x * y;
    xx += x * x;
  }
  return xx > 0 ? std::clamp(xy / xx, 0.0, 1.0) : 0.0;
}

double gustafson_speedup(double s, double workers) { return workers - s * (workers - 1.0); }

namespace {

ScalingPoint point_of(const ResultRow& r, int cores) {
  ScalingPoint p;
  p.oversubscribed = r.workers > cores;
  p.workers = r.workers;
  p.tasks = r.tasks;
  p.time_min = r.time_min;
  p.t1 = r.t1;
  p.speedup = speedup(r.t1, r.time_min);
  p.efficiency = efficiency(r.t1, r.time_min, r.workers);
  p.verified = r.verified;
  return p;
}

// Keeps the fastest point per worker count, sorted by workers.
std::vector<ScalingPoint> fastest_per_workers(const std::vector<ScalingPoint>& points) {
  std::map<int, ScalingPoint> best;
  for (const auto& p : points) {
    auto it = best.find(p.workers);
    if (it == best.end() || p.time_min < it->second.time_min) best[p.workers] = p;
  }
  std::vector<ScalingPoint> sorted;
  sorted.reserve(best.size());
  for (const auto& [w, p] : best) sorted.push_back(p);
  return sorted;
}

std::string workload_of(const ResultRow& r) {
  return r.workload + workload_parameters(r.workload, r.seed, r.scale);
}

// One point fits any curve through it: a fit needs two points within the cores, one of
// them parallel, or it prints nothing rather than a number that means nothing.
void fit(ScalingSeries& s) {
  s.fit_points = static_cast<int>(std::count_if(
      s.points.begin(), s.points.end(), [](const ScalingPoint& p) { return !p.oversubscribed; }));
  const bool parallel = std::any_of(s.points.begin(), s.points.end(), [](const ScalingPoint& p) {
    return p.workers > 1 && !p.oversubscribed;
  });
  s.fitted = s.fit_points >= 2 && parallel;
  s.serial_fraction = !s.fitted ? 0.0
                      : s.weak  ? gustafson_serial_fraction(s.points)
                                : amdahl_serial_fraction(s.points);
}

}  // namespace

std::vector<ScalingSeries> build_scaling(const std::vector<ResultRow>& rows, int cores) {
  using Key = std::tuple<std::string, std::string, double, std::uint64_t>;  // label, workload
  std::map<Key, std::pair<std::string, std::vector<ScalingPoint>>> grouped;
  for (const auto& r : rows) {
    if (r.is_serial()) continue;
    auto& [workload, points] = grouped[{strategy_label(r), r.workload, r.scale, r.seed}];
    workload = workload_of(r);
    points.push_back(point_of(r, cores));
  }
  std::vector<ScalingSeries> series;
  for (const auto& [key, value] : grouped) {
    const auto& [workload, points] = value;
    std::set<std::size_t> task_counts;
    std::set<double> tasks_per_worker;
    for (const auto& p : points) {
      task_counts.insert(p.tasks);
      tasks_per_worker.insert(static_cast<double>(p.tasks) / p.workers);
    }
    if (task_counts.size() > 1 && tasks_per_worker.size() == 1) {
      ScalingSeries s{std::get<0>(key),
                      fmt::format("{}, {} tasks per worker", workload, *tasks_per_worker.begin()),
                      true,
                      fastest_per_workers(points),
                      0,
                      false};
      fit(s);
      series.push_back(std::move(s));
      continue;
    }
    for (const std::size_t tasks : task_counts) {
      std::vector<ScalingPoint> same;
      std::copy_if(points.begin(), points.end(), std::back_inserter(same),
                   [&](const ScalingPoint& p) { return p.tasks == tasks; });
      ScalingSeries s{std::get<0>(key),
                      fmt::format("{}, {} tasks", workload, tasks),
                      false,
                      fastest_per_workers(same),
                      0,
                      false};
      fit(s);
      series.push_back(std::move(s));
    }
  }
  return series;
}

std::string render_scaling(const std::vector<ScalingSeries>& series, int cores) {
  if (series.empty()) return "no parallel runs in the input files: nothing to scale\n";
  std::string text = fmt::format(
      "cores: {} (--cores); points with P > {} are oversubscribed, marked '*', and not fitted\n\n",
      cores, cores);
  for (const auto& s : series) {
    text +=
        fmt::format("== {} scaling: {} on {}\n", s.weak ? "weak" : "strong", s.label, s.workload);
    text +=
        fmt::format("  {:>5} {:>6} {:>10} {:>10} {:>8} {:>6} {:>8}  {}\n", "P", "tasks", "Tp[s]",
                    "T1[s]", "speedup", "eff", s.weak ? "Gustafs." : "Amdahl", "verified");
    for (const auto& p : s.points) {
      const double model = s.weak ? gustafson_speedup(s.serial_fraction, p.workers)
                                  : amdahl_speedup(s.serial_fraction, p.workers);
      text += fmt::format(
          "  {:>5} {:>6} {:>10.4g} {:>10.4g} {:>8.2f} {:>6.2f} {:>8}  {}{}\n",
          fmt::format("{}{}", p.oversubscribed ? "*" : "", p.workers), p.tasks, p.time_min, p.t1,
          p.speedup, p.efficiency, s.fitted ? fmt::format("{:.2f}", model) : std::string("-"),
          p.verified ? "PASSED" : "FAILED", p.oversubscribed ? "  oversubscribed" : "");
    }
    if (!s.fitted) {
      text += fmt::format(
          "  serial fraction: not fitted: {} point{} with P <= {} cores; a fit needs at least two, "
          "one with P > 1\n",
          s.fit_points, s.fit_points == 1 ? "" : "s", cores);
    } else if (s.weak) {
      text +=
          fmt::format("  serial fraction (Gustafson fit, scaled speedup P - s(P-1)): s = {:.4f}\n",
                      s.serial_fraction);
    } else {
      text +=
          fmt::format("  serial fraction (Amdahl fit): f = {:.4f}, so speedup can never pass {}\n",
                      s.serial_fraction,
                      s.serial_fraction > 0 ? fmt::format("{:.1f}", 1.0 / s.serial_fraction)
                                            : std::string("P (no serial part seen)"));
    }
    text += "\n";
  }
  return text;
}

}  // namespace schedlab::report
