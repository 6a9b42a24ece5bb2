// METG(50%) as Task Bench computes it, under schedlab's scoring and Task Bench's, over rounds,
// and the sweeps in runner CSV files (read by the report tool's reader, report/reader.hpp).
#include "schedlab/bench/metg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>

#include "schedlab/errors.hpp"
#include "schedlab/metrics.hpp"

namespace schedlab {

double mean_task_granularity(double tp_seconds, int workers, std::size_t tasks) {
  return tasks == 0 ? 0.0 : tp_seconds * workers / static_cast<double>(tasks);
}

double peak_efficiency(std::uint64_t total_units, int workers, double tp_seconds,
                       double peak_units_per_second) {
  if (!(tp_seconds > 0) || !(peak_units_per_second > 0) || workers < 1) return 0.0;
  return static_cast<double>(total_units) / (workers * tp_seconds * peak_units_per_second);
}

std::string to_string(MetgStatus status) {
  switch (status) {
    case MetgStatus::kReached:
      return "measured";
    case MetgStatus::kBelowRange:
      return "bound";
    case MetgStatus::kNeverReached:
      break;
  }
  return "not-reached";
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
  // A crossing needs a smaller task measured below the threshold. Without one, efficiency
  // never fell below it in the sweep (down to the smallest task): the METG is only bounded.
  bool crossed = false;
  for (std::size_t i = *best + 1; i < points.size(); ++i)
    crossed = crossed || points[i].efficiency < threshold;
  if (!crossed) return {MetgStatus::kBelowRange, above.granularity_seconds};
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

std::string sweep_name(const Sweep& s) {
  const std::optional<Runner> runner = parse_runner(s.runner);
  std::string model = s.runner;  // a runner this version does not know: its own name
  if (runner == Runner::kOmp) model = "OpenMP";
  if (runner == Runner::kMpi) model = "MPI";
  return fmt::format("{} {}", model, s.strategy);
}

std::vector<GranularityPoint> sweep_points(const Sweep& sweep, Scoring scoring, Repeats repeats,
                                           double peak_units_per_second) {
  std::vector<GranularityPoint> points;
  points.reserve(sweep.runs.size());
  for (const SweepRun& run : sweep.runs) {
    const bool mean = repeats == Repeats::kMean;
    const double tp = mean ? run.tp_mean : run.tp_min;
    const double t1 = mean ? run.t1_mean : run.t1_min;
    GranularityPoint p;
    p.task_units = run.task_units;
    p.granularity_seconds = mean_task_granularity(tp, sweep.workers, run.tasks);
    p.efficiency = scoring == Scoring::kPeak
                       ? peak_efficiency(run.total_units, sweep.workers, tp, peak_units_per_second)
                       : (tp > 0 ? t1 / (tp * sweep.workers) : 0.0);
    points.push_back(p);
  }
  return points;
}

std::vector<Sweep> read_sweeps(const std::vector<std::string>& csv_paths) {
  std::vector<Sweep> sweeps;
  std::map<std::string, std::size_t> index;  // "runner|strategy|workers|trace" -> sweeps[i]
  for (const std::string& path : csv_paths) {
    // The report tool's reader: one definition of a valid row (schema, header, truncation).
    for (const report::ResultRow& row : report::read_csv(path)) {
      if (row.is_serial() || parse_workload_kind(row.workload) != WorkloadKind::kUniform ||
          !row.verified)
        continue;
      const std::string where = fmt::format("{}:{}", path, row.line);
      if (row.tasks < 1 || row.workers < 1 || row.time_min <= 0 ||
          (row.time_mean && *row.time_mean <= 0)) {
        throw UsageError(
            fmt::format("{}: tasks, workers, time_min_s and time_mean_s must be positive", where));
      }
      SweepRun run;
      run.tasks = row.tasks;
      run.total_units = row.total_units;
      run.task_units = static_cast<std::uint64_t>(
          std::llround(static_cast<double>(row.total_units) / static_cast<double>(row.tasks)));
      // Files from before the mean columns: the fastest repeat stands in for the mean.
      run.tp_min = row.time_min;
      run.tp_mean = row.time_mean.value_or(row.time_min);
      run.t1_min = row.t1;
      run.t1_mean = row.t1_mean.value_or(row.t1);
      const TraceLevel trace = row.trace;

      const std::string key =
          fmt::format("{}|{}|{}|{}", row.runner, row.strategy, row.workers, to_string(trace));
      auto [it, added] = index.emplace(key, sweeps.size());
      if (added) sweeps.push_back({row.runner, row.strategy, row.workers, trace, {}});
      // The same size measured again (a re-run appended to the file): keep the faster run.
      auto& runs = sweeps[it->second].runs;
      const auto same = std::find_if(runs.begin(), runs.end(), [&](const SweepRun& r) {
        return r.task_units == run.task_units;
      });
      if (same == runs.end()) {
        runs.push_back(run);
      } else if (run.tp_mean * static_cast<double>(same->tasks) <
                 same->tp_mean * static_cast<double>(run.tasks)) {
        *same = run;  // smaller mean time per task
      }
    }
  }
  return sweeps;
}

RoundsMetg combine_rounds(const std::vector<Metg>& per_round) {
  RoundsMetg out;
  out.rounds = per_round;
  if (per_round.empty()) return out;
  // A bound round's METG lies below its value; a not-reached round carries no value, so it
  // may lie anywhere. The median is known exactly when it comes out the same with each such
  // round at either end of its range (it is then a measured round's value): with those
  // rounds at the bottom (0) and at the top (the bound's value, resp. infinity).
  std::vector<double> values, lowest, highest;
  bool any_never = false;
  for (const Metg& m : per_round) {
    any_never = any_never || m.status == MetgStatus::kNeverReached;
    if (m.status != MetgStatus::kNeverReached) values.push_back(m.seconds);
    lowest.push_back(m.status == MetgStatus::kBelowRange ? 0.0 : m.seconds);
    highest.push_back(m.status == MetgStatus::kNeverReached ? HUGE_VAL : m.seconds);
  }
  const double low_median = median(lowest);
  const double high_median = median(highest);
  if (low_median == high_median && std::isfinite(low_median)) {
    out.status = MetgStatus::kReached;
    out.median_seconds = low_median;
  } else {
    out.status = any_never ? MetgStatus::kNeverReached : MetgStatus::kBelowRange;
    if (!values.empty()) out.median_seconds = median(values);
  }
  if (!values.empty()) {
    out.low_seconds = *std::min_element(values.begin(), values.end());
    out.high_seconds = *std::max_element(values.begin(), values.end());
  }
  return out;
}

std::vector<StrategyMetg> metg_over_rounds(const std::vector<Round>& rounds, double threshold) {
  struct Found {
    StrategyMetg strategy;
    std::vector<Metg> per[2][2];  // [scoring][repeats], per round that has the strategy
  };
  std::vector<Found> found;
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    const Round& round = rounds[r];
    for (const Sweep& sweep : round.sweeps) {
      const std::string key = fmt::format("{}|{}|{}|{}", sweep.runner, sweep.strategy,
                                          sweep.workers, to_string(sweep.trace));
      auto [it, added] = index.emplace(key, found.size());
      if (added) {
        found.emplace_back();
        found.back().strategy.first = sweep;
        found.back().strategy.has_peak = true;
      }
      Found& f = found[it->second];
      f.strategy.round_index.push_back(static_cast<int>(r));
      f.strategy.peaks.push_back(round.peak_units_per_second);
      f.strategy.has_peak = f.strategy.has_peak && round.peak_units_per_second > 0;
      for (const Scoring s : {Scoring::kSchedlab, Scoring::kPeak}) {
        for (const Repeats rep : {Repeats::kMean, Repeats::kMin}) {
          f.per[static_cast<int>(s)][static_cast<int>(rep)].push_back(minimum_effective_granularity(
              sweep_points(sweep, s, rep, round.peak_units_per_second), threshold));
        }
      }
    }
  }
  std::vector<StrategyMetg> out;
  out.reserve(found.size());
  for (Found& f : found) {
    for (int s = 0; s < 2; ++s) {
      for (int rep = 0; rep < 2; ++rep) {
        // Without a peak in every round, Task Bench's scoring is not computed (not reached).
        if (s == static_cast<int>(Scoring::kPeak) && !f.strategy.has_peak) continue;
        f.strategy.by[s][rep] = combine_rounds(f.per[s][rep]);
      }
    }
    out.push_back(std::move(f.strategy));
  }
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

namespace {

// A METG in microseconds for a CSV cell: the value (a bound's too), empty when not reached.
std::string us_cell(MetgStatus status, double seconds) {
  return status == MetgStatus::kNeverReached ? std::string() : fmt::format("{:.4f}", seconds * 1e6);
}
std::string us_cell(const RoundsMetg& m) { return us_cell(m.status, m.median_seconds); }
std::string us_cell(const Metg& m) { return us_cell(m.status, m.seconds); }

}  // namespace

std::string metg_csv_header() {
  return "strategy,metg_us,metg_peak_us,status,rounds,cpu_model,runner,workers,trace,metg_status,"
         "metg_low_us,metg_high_us,metg_peak_low_us,metg_peak_high_us,metg_us_minrep,"
         "metg_status_minrep,metg_peak_us_minrep,status_minrep,peak_units_per_s";
}

std::string metg_csv(const std::vector<StrategyMetg>& strategies, const std::string& cpu_model) {
  std::string text = metg_csv_header() + "\n";
  for (const StrategyMetg& s : strategies) {
    const RoundsMetg& own = s.at(Scoring::kSchedlab, Repeats::kMean);
    const RoundsMetg& peak = s.at(Scoring::kPeak, Repeats::kMean);
    const RoundsMetg& own_min = s.at(Scoring::kSchedlab, Repeats::kMin);
    const RoundsMetg& peak_min = s.at(Scoring::kPeak, Repeats::kMin);
    const auto spread = [](const RoundsMetg& m, bool exists) {
      if (!exists || m.status == MetgStatus::kNeverReached) return std::string(",");
      return fmt::format("{:.4f},{:.4f}", m.low_seconds * 1e6, m.high_seconds * 1e6);
    };
    const std::string peak_text = s.has_peak ? us_cell(peak) : "";
    const std::string status = s.has_peak ? to_string(peak.status) : "";
    const std::string peak_min_text = s.has_peak ? us_cell(peak_min) : "";
    const std::string status_min = s.has_peak ? to_string(peak_min.status) : "";
    const double peak_rate = median(s.peaks);
    text += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(sweep_name(s.first)),
        us_cell(own), peak_text, status, s.round_index.size(), csv_field(cpu_model),
        csv_field(s.first.runner), s.first.workers, to_string(s.first.trace), to_string(own.status),
        spread(own, true), spread(peak, s.has_peak), us_cell(own_min), to_string(own_min.status),
        peak_min_text, status_min, s.has_peak ? fmt::format("{:.6g}", peak_rate) : "");
  }
  return text;
}

std::string metg_rounds_csv_header() {
  return "round,strategy,metg_us,metg_peak_us,status,metg_status,runner,workers,trace,"
         "peak_units_per_s,metg_us_minrep,metg_status_minrep,metg_peak_us_minrep,status_minrep,"
         "cpu_model";
}

std::string metg_rounds_csv(const std::vector<StrategyMetg>& strategies,
                            const std::string& cpu_model) {
  // Round by round, strategies in their order within each round.
  std::map<int, std::string> by_round;
  for (const StrategyMetg& s : strategies) {
    for (std::size_t i = 0; i < s.round_index.size(); ++i) {
      const Metg& own = s.at(Scoring::kSchedlab, Repeats::kMean).rounds[i];
      const Metg& own_min = s.at(Scoring::kSchedlab, Repeats::kMin).rounds[i];
      std::string peak_text, status, peak_min_text, status_min;
      if (s.has_peak) {
        const Metg& peak = s.at(Scoring::kPeak, Repeats::kMean).rounds[i];
        const Metg& peak_min = s.at(Scoring::kPeak, Repeats::kMin).rounds[i];
        peak_text = us_cell(peak);
        status = to_string(peak.status);
        peak_min_text = us_cell(peak_min);
        status_min = to_string(peak_min.status);
      }
      by_round[s.round_index[i]] += fmt::format(
          "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", s.round_index[i] + 1,
          csv_field(sweep_name(s.first)), us_cell(own), peak_text, status, to_string(own.status),
          csv_field(s.first.runner), s.first.workers, to_string(s.first.trace),
          s.peaks[i] > 0 ? fmt::format("{:.6g}", s.peaks[i]) : "", us_cell(own_min),
          to_string(own_min.status), peak_min_text, status_min, csv_field(cpu_model));
    }
  }
  std::string text = metg_rounds_csv_header() + "\n";
  for (const auto& [round, rows] : by_round) text += rows;
  return text;
}

std::string cpu_model_name(const std::string& cpuinfo_path) {
  std::ifstream in(cpuinfo_path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const auto first = line.find_first_not_of(" \t", colon + 1);
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r");
    return line.substr(first, last - first + 1);
  }
  return "unknown";
}

}  // namespace schedlab
