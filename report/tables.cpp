// Comparison tables. Speedup uses T1 of the same run (docs/design.md), so rows from different
// jobs stay honest; verification also checks each checksum against every serial run of
// the same task list, which catches a wrong result even across machines.
#include "tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "schedlab/metrics.hpp"

namespace schedlab::report {

std::string TaskListKey::describe() const {
  std::string text = fmt::format("{}, {} tasks, {} units", workload, tasks, total_units);
  if (workload == "nonuniform") text += fmt::format(", seed {}", seed);
  if (scale != 1.0) text += fmt::format(", scale {}", scale);
  return text;
}

TaskListKey task_list_of(const ResultRow& row) {
  return {row.workload, row.tasks, row.total_units, row.scale, row.seed};
}

std::string strategy_label(const ResultRow& row) {
  std::string runner = row.runner;
  if (runner.rfind("schedlab-", 0) == 0) runner = runner.substr(9);
  std::string label = runner + " " + row.strategy;
  if (row.ranks > 1 && row.threads > 1) label += fmt::format(" {}x{}", row.ranks, row.threads);
  return label;
}

Tables build_tables(const std::vector<ResultRow>& rows) {
  Tables tables;
  std::map<TaskListKey, Tables::Summary> summaries;
  for (const auto& r : rows) {
    auto& s = summaries[task_list_of(r)];
    s.key = task_list_of(r);
    if (!r.is_serial()) continue;
    if (r.verification != "PASSED") {
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
    TableRow t;
    t.label = strategy_label(r);
    t.workers = r.workers;
    t.time_min = r.time_min;
    t.time_median = r.time_median;
    t.speedup = speedup(r.t1, r.time_min);
    t.efficiency = efficiency(r.t1, r.time_min, r.workers);
    t.load_balance = r.load_balance;
    t.tp_over_lower_bound = r.lower_bound > 0 ? r.time_min / r.lower_bound : 0.0;
    t.karp_flatt = karp_flatt(t.speedup, r.workers);
    const std::string& reference = summaries[key].reference_checksum;
    t.verified = r.verification == "PASSED" && (reference.empty() || r.checksum == reference);
    if (!t.verified) ++tables.failed_rows;
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
    if (!s.serial_checksums_agree) ++tables.failed_rows;
    for (const auto& g : tables.groups) {
      if (g.key != key || g.rows.empty() || !g.rows.front().verified) continue;
      if (!s.best || g.rows.front().time_min < s.best->time_min) s.best = g.rows.front();
    }
    tables.summaries.push_back(s);
  }
  return tables;
}

namespace {

std::string fixed_or_dash(double v, int digits) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : std::string("-");
}

// Seconds with four significant digits, so 0.001234 and 1234 both fit eight columns.
std::string seconds(double v) { return fmt::format("{:.4g}", v); }

}  // namespace

std::string render_tables(const Tables& tables) {
  std::string text;
  if (tables.summaries.empty()) return "no results in the input files\n";
  for (const auto& s : tables.summaries) {
    text += fmt::format("== task list: {}\n", s.key.describe());
    if (s.serial_runs > 0) {
      text += fmt::format("   serial T1 {} s", seconds(s.t1_min));
      if (s.serial_runs > 1) {
        text += fmt::format(" .. {} s over {} runs (each row's speedup uses its own run's T1)",
                            seconds(s.t1_max), s.serial_runs);
      }
      text += "\n";
    }
    if (!s.serial_checksums_agree) {
      text += "   WARNING: serial runs of this task list disagree on the checksum\n";
    }
    std::size_t width = 8;
    for (const auto& g : tables.groups) {
      if (g.key != s.key) continue;
      for (const auto& r : g.rows) width = std::max(width, r.label.size());
    }
    for (const auto& g : tables.groups) {
      if (g.key != s.key) continue;
      text += fmt::format("\n  P = {}\n", g.workers);
      text +=
          fmt::format("  {:<{}} {:>8} {:>8} {:>7} {:>4} {:>4} {:>5} {:>5} {}\n", "strategy", width,
                      "min[s]", "med[s]", "speedup", "eff", "LB", "Tp/L", "KF", "verified");
      for (const auto& r : g.rows) {
        text += fmt::format("  {:<{}} {:>8} {:>8} {:>7.2f} {:>4.2f} {:>4.2f} {:>5.2f} {:>5} {}\n",
                            r.label, width, seconds(r.time_min), seconds(r.time_median), r.speedup,
                            r.efficiency, r.load_balance, r.tp_over_lower_bound,
                            fixed_or_dash(r.karp_flatt, 2), r.verified ? "PASSED" : "FAILED");
      }
    }
    if (s.best) {
      text += fmt::format(
          "\n  best: {} on P = {}: {} s, speedup {:.2f}, {:.2f} x the lower bound\n", s.best->label,
          s.best->workers, seconds(s.best->time_min), s.best->speedup, s.best->tp_over_lower_bound);
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
