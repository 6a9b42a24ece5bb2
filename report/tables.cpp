// Comparison tables. Speedup uses T1 of the same run (docs/design.md), so rows from different
// jobs stay honest; verification also checks each checksum against every serial run of
// the same task list, which catches a wrong result even across machines.
#include "schedlab/report/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "schedlab/metrics.hpp"
#include "schedlab/parse.hpp"

namespace schedlab::report {

std::string TaskListKey::describe() const {
  return fmt::format("{}, {} tasks, {} units{}", workload, tasks, total_units,
                     workload_parameters(workload, seed, scale));
}

TaskListKey task_list_of(const ResultRow& row) {
  return {row.workload, row.tasks, row.total_units, row.scale, row.seed};
}

// The runner and strategy come from a record, which is untrusted: printable() shows a control
// character as an escape (\n), so a label cannot break a table line or fake a row.
std::string strategy_label(const ResultRow& row) {
  std::string runner = row.runner;
  if (runner.rfind("schedlab-", 0) == 0) runner = runner.substr(9);
  std::string label = printable(runner + " " + row.strategy);
  if (row.ranks > 1 && row.threads > 1) label += fmt::format(" {}x{}", row.ranks, row.threads);
  return label;
}

namespace {

// The same run read twice (its --csv and its --json given together) counts once.
std::vector<ResultRow> without_repeats(const std::vector<ResultRow>& rows) {
  std::set<std::tuple<std::string, std::string, std::string, std::string, int, double, double>>
      seen;
  std::vector<ResultRow> unique;
  for (const auto& r : rows) {
    if (seen.insert({r.timestamp, r.host, r.runner, r.strategy, r.workers, r.time_min, r.t1})
            .second)
      unique.push_back(r);
  }
  return unique;
}

// "T1 varies 23%" when the serial baseline of this row's own run spread by more than 10%
// over its repeats (median against fastest): the T1 that every speedup divides by moved.
// The row's own serial row is the one whose fastest time is the row's T1.
std::string serial_spread(const std::vector<ResultRow>& rows, const ResultRow& row) {
  for (const auto& s : rows) {
    if (!s.is_serial() || s.host != row.host || s.runner != row.runner ||
        task_list_of(s) != task_list_of(row) || s.time_min != row.t1 || s.time_min <= 0)
      continue;
    if (s.time_median > 1.1 * s.time_min)
      return fmt::format("T1 varies {:.0f}%", 100.0 * (s.time_median / s.time_min - 1));
    return "";
  }
  return "";
}

// One parallel row of a table: its measures, its verdict against the task list's serial
// checksum (`reference`, "" when none verified) and its noise reasons.
TableRow table_row(const ResultRow& r, const std::string& reference,
                   const std::vector<ResultRow>& rows) {
  TableRow t;
  t.label = strategy_label(r);
  t.workers = r.workers;
  t.time_min = r.time_min;
  t.time_median = r.time_median;
  t.speedup = speedup(r.t1, r.time_min);
  t.efficiency = efficiency(r.t1, r.time_min, r.workers);
  t.load_balance = r.load_balance;
  // NaN (shown "-") when the run had no per-task times (--trace off): Tp / NaN is NaN.
  t.tp_over_lower_bound = r.lower_bound == 0 ? 0.0 : r.time_min / r.lower_bound;
  t.karp_flatt = karp_flatt(t.speedup, r.workers);
  t.chunks = r.chunks;
  t.verified = r.verified && (reference.empty() || r.checksum == reference);
  if (r.noise_recorded) {
    // The runner judged the row with the same rules and all of its repeats at hand.
    t.noise = r.noise;
    for (std::size_t at = t.noise.find("; "); at != std::string::npos; at = t.noise.find("; ", at))
      t.noise.replace(at, 2, ", ");
  } else {
    // Older files: judge from what the row holds.
    std::vector<std::string> noise;
    if (t.efficiency > 1.0) noise.push_back("E > 1");
    if (t.tp_over_lower_bound > 0 && t.tp_over_lower_bound < 1.0) noise.push_back("Tp/L < 1");
    if (const std::string spread = serial_spread(rows, r); !spread.empty()) noise.push_back(spread);
    for (const auto& n : noise) t.noise += (t.noise.empty() ? "" : ", ") + n;
  }
  return t;
}

}  // namespace

Tables build_tables(const std::vector<ResultRow>& all_rows, int cores) {
  const std::vector<ResultRow> rows = without_repeats(all_rows);
  Tables tables;
  tables.cores = cores;
  std::map<TaskListKey, Tables::Summary> summaries;
  for (const auto& r : rows) {
    auto& s = summaries[task_list_of(r)];
    s.key = task_list_of(r);
    if (r.load_average) {
      s.load_min = s.load_min ? std::min(*s.load_min, *r.load_average) : *r.load_average;
      s.load_max = s.load_max ? std::max(*s.load_max, *r.load_average) : *r.load_average;
    }
    if (r.other_load) {
      s.other_min = s.other_min ? std::min(*s.other_min, *r.other_load) : *r.other_load;
      s.other_max = s.other_max ? std::max(*s.other_max, *r.other_load) : *r.other_load;
    }
    s.cpus = std::max(s.cpus, r.cpus);
    if (std::find(s.traces.begin(), s.traces.end(), r.trace) == s.traces.end())
      s.traces.push_back(r.trace);
    if (!r.is_serial()) continue;
    if (!r.verified) {
      ++tables.failed_rows;
      continue;
    }
    s.t1_min = s.serial_runs == 0 ? r.time_min : std::min(s.t1_min, r.time_min);
    s.t1_max = s.serial_runs == 0 ? r.time_min : std::max(s.t1_max, r.time_min);
    if (s.reference_checksum.empty()) s.reference_checksum = r.checksum;
    if (r.checksum != s.reference_checksum) s.serial_checksums_agree = false;
    ++s.serial_runs;
  }
  std::map<std::pair<TaskListKey, int>, TableGroup> groups;
  for (const auto& r : rows) {
    if (r.is_serial()) continue;
    const TaskListKey key = task_list_of(r);
    auto& g = groups[{key, r.workers}];
    g.key = key;
    g.workers = r.workers;
    g.oversubscribed = r.workers > cores;
    const TableRow t = table_row(r, summaries[key].reference_checksum, rows);
    if (!t.verified) ++tables.failed_rows;
    if (!t.noise.empty()) ++tables.noisy_rows;
    g.rows.push_back(std::move(t));
  }
  for (auto& [key, g] : groups) {
    std::stable_sort(g.rows.begin(), g.rows.end(), [](const TableRow& a, const TableRow& b) {
      if (a.verified != b.verified) return a.verified;  // a wrong answer is never "best"
      return a.time_min < b.time_min;
    });
    tables.groups.push_back(std::move(g));
  }
  for (auto& [key, s] : summaries) {
    std::vector<double> t1s;
    for (const auto& r : rows)
      if (r.is_serial() && r.verified && task_list_of(r) == key) t1s.push_back(r.time_min);
    if (!t1s.empty()) s.t1_median = median(t1s);
    if (!s.serial_checksums_agree) ++tables.failed_rows;
    for (const auto& g : tables.groups) {
      if (g.key != key || g.rows.empty() || !g.rows.front().verified || g.oversubscribed) continue;
      if (!s.best || g.rows.front().time_min < s.best->time_min) s.best = g.rows.front();
    }
    tables.summaries.push_back(s);
  }
  return tables;
}

std::string fixed_or_dash(double v, int digits) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : std::string("-");
}

std::string seconds(double v) { return fmt::format("{:.4g}", v); }

namespace {

// The lines under a task list's "==" line: its serial T1, the load, the trace level and a
// warning when its serial runs disagree.
std::string summary_lines(const Tables::Summary& s) {
  std::string text;
  if (s.serial_runs > 0) {
    text += fmt::format("   serial T1 {} s", seconds(s.t1_min));
    if (s.serial_runs > 1) {
      text += fmt::format(" .. {} s over {} runs (each row's speedup uses its own run's T1)",
                          seconds(s.t1_max), s.serial_runs);
    }
    text += "\n";
  }
  if (s.load_max) {
    text += fmt::format("   load average at start {:.2f}", *s.load_min);
    if (*s.load_max > *s.load_min) text += fmt::format(" .. {:.2f}", *s.load_max);
    if (s.cpus > 0) text += fmt::format(" on {} CPUs", s.cpus);
    // The measured other load, where the runs recorded it, is what was judged (the
    // average lags a minute): then the average is shown, never called busy.
    if (s.cpus > 0 && *s.load_max > s.cpus && !s.other_max)
      text += " (busy: other work shared the CPUs)";
    text += "\n";
  }
  if (s.other_max) {
    text += fmt::format("   other load during the runs {:.2f}", *s.other_min);
    if (*s.other_max > *s.other_min) text += fmt::format(" .. {:.2f}", *s.other_max);
    text += " CPUs (measured by the runners)\n";
  }
  // Which figures the runs could measure: LB, Tp/L and timelines need per-task times.
  for (const TraceLevel trace : s.traces) {
    text += trace == TraceLevel::kOff
                ? "   trace: off (no per-task times: LB and Tp/L not measured)\n"
                : "   trace: tasks (per-task times)\n";
  }
  if (!s.serial_checksums_agree) {
    text += "   WARNING: serial runs of this task list disagree on the checksum\n";
  }
  return text;
}

// A task list's tables, one per P, the labels in one column width.
std::string group_tables(const Tables& tables, const Tables::Summary& s) {
  std::string text;
  std::size_t width = 8;
  for (const auto& g : tables.groups) {
    if (g.key != s.key) continue;
    for (const auto& r : g.rows) width = std::max(width, r.label.size());
  }
  for (const auto& g : tables.groups) {
    if (g.key != s.key) continue;
    text += g.oversubscribed
                ? fmt::format(
                      "\n  P = {}  OVERSUBSCRIBED: more workers than the {} cores (--cores); "
                      "never 'best'\n",
                      g.workers, tables.cores)
                : fmt::format("\n  P = {}\n", g.workers);
    text += fmt::format("  {:<{}} {:>7} {:>7} {:>7} {:>4} {:>4} {:>4} {:>5} {:>6} {}\n", "strategy",
                        width, "min[s]", "med[s]", "speedup", "eff", "LB", "Tp/L", "KF", "chunks",
                        "check");
    for (const auto& r : g.rows) {
      text += fmt::format("  {:<{}} {:>7} {:>7} {:>7.2f} {:>4.2f} {:>4} {:>4} {:>5} {:>6} {}\n",
                          r.label, width, seconds(r.time_min), seconds(r.time_median), r.speedup,
                          r.efficiency, fixed_or_dash(r.load_balance, 2),
                          fixed_or_dash(r.tp_over_lower_bound, 2), fixed_or_dash(r.karp_flatt, 2),
                          r.chunks < 0 ? std::string("-") : std::to_string(r.chunks),
                          r.verified ? "PASSED" : "FAILED");
      if (!r.noise.empty()) text.insert(text.size() - 1, "  noisy: " + r.noise);
    }
  }
  return text;
}

}  // namespace

std::string render_tables(const Tables& tables) {
  std::string text;
  if (tables.summaries.empty()) return "no results in the input files\n";
  for (const auto& s : tables.summaries) {
    text += fmt::format("== task list: {}\n", s.key.describe());
    text += summary_lines(s);
    text += group_tables(tables, s);
    const bool any_oversubscribed =
        std::any_of(tables.groups.begin(), tables.groups.end(),
                    [&](const TableGroup& g) { return g.key == s.key && g.oversubscribed; });
    if (any_oversubscribed)
      text +=
          fmt::format("\n  (P > {} cores is oversubscribed: shown, never best)\n", tables.cores);
    if (s.best) {
      text +=
          fmt::format("\n  best: {} on P = {}: {} s, speedup {:.2f}{}\n", s.best->label,
                      s.best->workers, seconds(s.best->time_min), s.best->speedup,
                      std::isfinite(s.best->tp_over_lower_bound)
                          ? fmt::format(", {:.2f} x the lower bound", s.best->tp_over_lower_bound)
                          : std::string());
      // Rows are ranked by time; speedups use each run's own T1, which can reorder them when
      // the serial runs disagree. One common T1 gives the speedup comparable across rows.
      if (s.serial_runs > 1 && s.t1_median > 0)
        text +=
            fmt::format("  against the common T1 {} s (median of {} serial runs): speedup {:.2f}\n",
                        seconds(s.t1_median), s.serial_runs, s.t1_median / s.best->time_min);
    }
    text += "\n";
  }
  text +=
      fmt::format("verification: {}\n", tables.failed_rows == 0
                                            ? std::string("PASSED")
                                            : fmt::format("FAILED ({} rows)", tables.failed_rows));
  return text;
}

}  // namespace schedlab::report
