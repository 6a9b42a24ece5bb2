// The comparison table and the lines around it, as schedlab-* print them on stdout.
#include "schedlab/output/table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "schedlab/noise.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output/selection.hpp"

namespace schedlab {

namespace {
std::string fixed_or_dash(double v, int digits) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : std::string("-");
}
// Chunks (dispatches) of the fastest repeat; "-" when the runner does not record them.
std::string chunks_or_dash(const RunResult& run) {
  const long chunks = chunk_count(run);
  return chunks < 0 ? std::string("-") : std::to_string(chunks);
}
}  // namespace

std::string workload_line(const RunInfo& info, const std::vector<Task>& tasks) {
  std::string line = "workload: " + describe_workload(info.settings.workload, tasks);
  line += fmt::format(" | ranks {} x threads {}", info.ranks, info.threads);
  if (info.settings.repeat > 1) line += fmt::format(" | repeat {}", info.settings.repeat);
  // Said on the line every table starts with: which figures the run could measure.
  if (info.settings.trace == TraceLevel::kOff)
    line += " | trace off (no per-task times: LB, Tp/L and the timeline not measured)";
  return line;
}

std::string steps_line(const RunSettings& s) {
  std::string line;
  if (s.steps > 1) line = fmt::format("steps: {}{}", s.steps, s.drift ? ", drift" : "");
  if (!s.perturbations.empty()) {
    line += fmt::format("{}perturb: {}", line.empty() ? "" : " | ", to_string(s.perturbations));
  }
  return line;
}

void print_steps(std::FILE* out, const std::vector<StrategyRow>& rows) {
  for (const auto& r : rows) {
    if (r.steps.size() < 2) continue;
    std::string tp;
    std::string lb;
    std::string chunks;
    for (const StepSummary& step : r.steps) {
      tp += fmt::format(" {:.4f}", step.seconds);
      lb += " " + fixed_or_dash(step.load_balance, 2);
      chunks += step.chunks < 0 ? std::string(" -") : fmt::format(" {}", step.chunks);
    }
    fmt::print(out, "steps of {}: Tp[s]{} | LB{} | chunks{}\n", r.strategy, tp, lb, chunks);
  }
}

void print_table(std::FILE* out, const std::vector<StrategyRow>& rows) {
  std::size_t name_width = 8;
  for (const auto& r : rows) name_width = std::max(name_width, r.strategy.size());
  fmt::print(out, "{:<{}} {:>4} {:>10} {:>10} {:>8} {:>6} {:>5} {:>6} {:>7} {:>7}  {:<16}  {}\n",
             "strategy", name_width, "P", "time[s]", "median[s]", "speedup", "eff", "LB", "Tp/L",
             "KF", "chunks", "checksum", "status");
  for (const auto& r : rows) {
    const Metrics& m = r.metrics;
    fmt::print(out,
               "{:<{}} {:>4} {:>10.4f} {:>10.4f} {:>8.2f} {:>6.2f} {:>5} {:>6} {:>7} {:>7}  "
               "{:016x}  {}\n",
               r.strategy, name_width, r.workers(), r.time_min(), r.time_median(), m.speedup,
               m.efficiency, fixed_or_dash(m.load_balance, 2),
               fixed_or_dash(m.tp_over_lower_bound, 3), fixed_or_dash(m.karp_flatt, 3),
               chunks_or_dash(r.best), r.checksum, to_string(r.status));
  }
}

std::string failure_line(const StrategyRow& row, std::size_t task_count) {
  const RunResult& run = row.best;
  if (run.error) {
    if (run.error->rank >= 0) {
      return fmt::format("{}: task {} failed on rank {}: {}", row.strategy, run.error->task,
                         run.error->rank, run.error->message);
    }
    return fmt::format("{}: task {} failed: {}", row.strategy, run.error->task, run.error->message);
  }
  if (row.status == RowStatus::kInterrupted) {
    return fmt::format("{}: interrupted after {}/{} tasks", row.strategy, run.completed(),
                       task_count);
  }
  if (row.status == RowStatus::kMismatch) {
    return fmt::format("{}: results differ from the serial reference", row.strategy);
  }
  return {};
}

std::string load_line(const RunInfo& info) {
  const std::size_t cpus = logical_cpus();
  const RunNoise& n = info.noise;
  // What the rules judged (schedlab/noise.hpp); the load average only for the reader: it
  // lags a minute behind, so a build just before the run still shows in it.
  const std::string average =
      info.load_average ? fmt::format("{:.2f}", *info.load_average) : std::string("unknown");
  const std::string other =
      n.other_load ? fmt::format("{:.2f} CPUs", *n.other_load)
                   : std::string(info.ranks > 1 ? "not measured (other ranks are processes too)"
                                                : "not measured (no /proc/stat)");
  return fmt::format(
      "other load during the run: {} on {} CPUs; timer spread {:.3f}, resolution {:.0f} ns; "
      "load average at start {}",
      other, cpus, n.timer.spin_spread, n.timer.resolution_s * 1e9, average);
}

namespace {

// One "noisy:" line per distinct reason, naming the rows it concerns (the first six, then a
// count): a load that touched every row of --schedule all-fixed is one line, not thirteen.
std::vector<std::string> noisy_lines(const Comparison& comparison) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // reason -> rows
  for (const auto& row : comparison.rows()) {
    const std::vector<std::string> reasons =
        noise_reasons(row, comparison.baseline(), comparison.info().noise, logical_cpus());
    if (reasons.empty()) continue;
    const std::string reason = join_reasons(reasons, ", ");
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const auto& g) { return g.first == reason; });
    if (group == groups.end()) group = groups.insert(groups.end(), {reason, {}});
    group->second.push_back(row.strategy);
  }
  constexpr std::size_t kNamed = 6;
  std::vector<std::string> lines;
  for (const auto& [reason, rows] : groups) {
    const std::size_t named = rows.size() <= kNamed + 1 ? rows.size() : kNamed;  // never "1 more"
    std::string who =
        fmt::format("{}", fmt::join(rows.begin(), rows.begin() + static_cast<long>(named), ", "));
    if (rows.size() > named) who += fmt::format(" and {} more", rows.size() - named);
    lines.push_back(fmt::format("noisy: {} ({}): run again on a quiet machine before explaining {}",
                                who, reason, rows.size() == 1 ? "it" : "them"));
  }
  return lines;
}

}  // namespace

void print_comparison(std::FILE* out, const Comparison& comparison) {
  print_table(out, comparison.rows());
  print_steps(out, comparison.rows());
  // Auto rows: what each step chose and why, then the regret against the fixed rows.
  print_selection(out, comparison);
  for (const auto& row : comparison.rows()) {
    if (const std::string line = failure_line(row, comparison.tasks().size()); !line.empty()) {
      fmt::print(out, "{}\n", line);
    }
  }
  fmt::print(out, "verification: {}\n", comparison.all_verified() ? "PASSED" : "FAILED");
  // Noise comes after the verdict (scripts read the table and the verification line as
  // they always were) and before anyone explains a number.
  fmt::print(out, "{}\n", load_line(comparison.info()));
  for (const std::string& line : noisy_lines(comparison)) fmt::print(out, "{}\n", line);
  std::fflush(out);
}

void print_tasks(std::FILE* out, const std::vector<Task>& tasks) {
  for (const auto& t : tasks) fmt::print(out, "{}\n", t.size);
}

}  // namespace schedlab
