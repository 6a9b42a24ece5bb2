// METG(50%) as Task Bench computes it, and the reading of sweep results from runner CSV files.
#include "metg.hpp"

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
  if (!best) return {MetgStatus::never_reached, 0.0};
  const GranularityPoint& above = points[*best];
  if (*best + 1 == points.size()) return {MetgStatus::below_range, above.granularity_seconds};
  const GranularityPoint& below = points[*best + 1];
  // Why only when the next g is smaller: with overhead that grows faster than the work
  // shrinks, a smaller task can take longer per task; the best point is then the answer.
  if (below.granularity_seconds >= above.granularity_seconds) {
    return {MetgStatus::reached, above.granularity_seconds};
  }
  // below.efficiency < threshold <= above.efficiency here (else `below` would be best).
  const double t = (threshold - below.efficiency) / (above.efficiency - below.efficiency);
  return {MetgStatus::reached,
          below.granularity_seconds + t * (above.granularity_seconds - below.granularity_seconds)};
}

std::string describe_metg_us(const Metg& metg) {
  switch (metg.status) {
    case MetgStatus::reached:
      return fmt::format("{:.3f}", metg.seconds * 1e6);
    case MetgStatus::below_range:
      return fmt::format("< {:.3f}", metg.seconds * 1e6);
    case MetgStatus::never_reached:
      break;
  }
  return "not reached";
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

namespace {

// Column positions, looked up by name in the header so that added columns do not break us.
struct Columns {
  std::size_t runner, strategy, workload, tasks, total_units, workers, time_min, efficiency,
      verification;
  std::size_t width;
};

Columns find_columns(const std::vector<std::string>& header, const std::string& where) {
  auto at = [&](const char* name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      throw UsageError(
          fmt::format("{}: header has no '{}' column (expected a schedlab --csv "
                      "file)",
                      where, name));
    }
    return static_cast<std::size_t>(it - header.begin());
  };
  return {at("runner"),  at("strategy"),   at("workload"),   at("tasks"),        at("total_units"),
          at("workers"), at("time_min_s"), at("efficiency"), at("verification"), header.size()};
}

double to_double(const std::string& text, const std::string& where, const char* column) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw UsageError(fmt::format("{}: {} '{}' is not a number", where, column, text));
}

}  // namespace

std::vector<Sweep> read_sweeps(const std::vector<std::string>& csv_paths) {
  std::vector<Sweep> sweeps;
  std::map<std::string, std::size_t> index;  // "runner|strategy|workers" -> sweeps[i]
  for (const std::string& path : csv_paths) {
    std::ifstream in(path);
    if (!in) throw UsageError(fmt::format("{}: cannot open for reading", path));
    std::optional<Columns> cols;
    std::string line;
    for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
      if (line.empty() || line == "\r") continue;
      const std::string where = fmt::format("{}:{}", path, line_no);
      auto fields = split_csv_line(line);
      if (fields.front() == "schema") {  // a header: first line, or a concatenated file's
        cols = find_columns(fields, where);
        continue;
      }
      if (!cols) {
        throw UsageError(
            fmt::format("{}: not a schedlab --csv header (expected 'schema,...')", where));
      }
      if (fields.size() != cols->width) {
        throw UsageError(
            fmt::format("{}: {} fields, the header has {}", where, fields.size(), cols->width));
      }
      const std::string& strategy = fields[cols->strategy];
      if (strategy == "serial" || fields[cols->workload] != "uniform" ||
          fields[cols->verification] != "PASSED") {
        continue;
      }
      const double tasks = to_double(fields[cols->tasks], where, "tasks");
      const double units = to_double(fields[cols->total_units], where, "total_units");
      const double workers = to_double(fields[cols->workers], where, "workers");
      const double tp = to_double(fields[cols->time_min], where, "time_min_s");
      if (tasks < 1 || workers < 1 || tp <= 0) {
        throw UsageError(fmt::format("{}: tasks, workers and time_min_s must be positive", where));
      }
      GranularityPoint point;
      point.task_units = static_cast<std::uint64_t>(std::llround(units / tasks));
      point.granularity_seconds =
          mean_task_granularity(tp, static_cast<int>(workers), static_cast<std::size_t>(tasks));
      point.efficiency = to_double(fields[cols->efficiency], where, "efficiency");

      const std::string key =
          fmt::format("{}|{}|{}", fields[cols->runner], strategy, static_cast<int>(workers));
      auto [it, added] = index.emplace(key, sweeps.size());
      if (added) {
        sweeps.push_back({fields[cols->runner], strategy, static_cast<int>(workers), {}});
      }
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
