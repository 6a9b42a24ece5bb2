// The auto rows' step lines and regret lines (schedlab/output/selection.hpp), for the
// runners' standard output and schedlab-report alike.
#include "schedlab/output/selection.hpp"

#include <fmt/format.h>

#include <cmath>

#include "schedlab/parse.hpp"

namespace schedlab {

namespace {

// Four significant digits: a 0.4 ms step and a 12 s step both read.
std::string secs(double v) {
  return std::isfinite(v) ? fmt::format("{:.4g} s", v) : std::string("-");
}

std::string predicted_top(const std::vector<PredictedTime>& predicted) {
  std::string text;
  for (const PredictedTime& p : predicted)
    text +=
        fmt::format("{}{} {}", text.empty() ? "" : ", ", printable(p.technique), secs(p.seconds));
  return text.empty() ? text : " (" + text + ")";
}

// Two significant digits, and a large value whole: a decision preempted on a loaded machine
// takes "140 ms (94% of the step)", not "1.4e+02 ms".
std::string two_digits(double v) {
  return std::fabs(v) >= 99.5 ? fmt::format("{:.0f}", v) : fmt::format("{:.2g}", v);
}

}  // namespace

double measured_step_seconds(const std::vector<double>& step_seconds, double wall_seconds,
                             std::size_t step) {
  if (step < step_seconds.size()) return step_seconds[step];
  if (step_seconds.empty() && step == 0) return wall_seconds;
  return SelectionSummary::kNone;
}

std::string decision_line(std::size_t step, const StepDecision& d, double measured_seconds) {
  std::string line = fmt::format("step {}: {} — {}{}; measured {}", step, printable(d.technique),
                                 d.reason.empty() ? "no reason given" : printable(d.reason),
                                 predicted_top(d.predicted), secs(measured_seconds));
  if (std::isfinite(d.predicted_seconds)) line += " vs predicted " + secs(d.predicted_seconds);
  line += fmt::format("; decision {} ms", two_digits(d.decision_seconds * 1e3));
  if (std::isfinite(measured_seconds) && measured_seconds > 0)
    line += fmt::format(" ({}% of the step)",
                        two_digits(100.0 * d.decision_seconds / measured_seconds));
  return line;
}

std::vector<std::string> decision_lines(const std::vector<StepDecision>& decisions,
                                        const std::vector<double>& step_seconds,
                                        double wall_seconds) {
  std::vector<std::string> lines;
  const std::size_t n = decisions.size();
  const std::size_t half = kStepLinesShown / 2;
  for (std::size_t s = 0; s < n; ++s) {
    if (n > kStepLinesShown && s == half) {
      lines.push_back(fmt::format("… {} steps more (see --json)", n - kStepLinesShown));
      s = n - half;
    }
    lines.push_back(
        decision_line(s, decisions[s], measured_step_seconds(step_seconds, wall_seconds, s)));
  }
  return lines;
}

std::string selection_line(const SelectionSummary& s) {
  const std::string row = printable(s.row);
  if (!s.verified) return fmt::format("{}: did not verify, so it is not compared", row);
  if (!s.compared()) {
    return fmt::format(
        "{} {}: no fixed rows to compare ({} fixed technique{} in this run, {} needed: run "
        "--schedule all-fixed / --strategy all-fixed)",
        row, secs(s.seconds), s.fixed_rows, s.fixed_rows == 1 ? "" : "s", kMinFixedRows);
  }
  std::string line =
      fmt::format("{} {} · best fixed {} {} (regret {:.1f}%) · median fixed ({}) {}", row,
                  secs(s.seconds), printable(s.best_fixed), secs(s.best_fixed_seconds),
                  s.regret_pct, printable(s.median_fixed), secs(s.median_fixed_seconds));
  if (s.steps_paired > 0)
    line +=
        fmt::format(" (auto faster in {} of {} steps)", s.steps_faster_than_median, s.steps_paired);
  if (std::isfinite(s.oracle_seconds)) {
    line +=
        fmt::format(" · per-step oracle {} ({:+.1f}%)", secs(s.oracle_seconds), s.oracle_gap_pct);
  } else {
    line += " · per-step oracle - (the fixed rows ran other step counts)";
  }
  return line;
}

std::string selection_legend() {
  return "regret: how much slower auto was than the best fixed technique of this run; auto "
         "faster in k of n steps: its steps (decisions included) against the median fixed row's "
         "(near half: a tie); per-step oracle: the fastest fixed technique at every step (known "
         "only afterwards)";
}

void print_selection(std::FILE* out, const Comparison& comparison) {
  const std::vector<SelectionSummary> summaries = summarize_selection(comparison);
  if (summaries.empty()) return;
  for (const StrategyRow& r : comparison.rows()) {
    if (r.best.decisions.empty()) continue;
    fmt::print(out, "choices of {}:\n", printable(r.strategy));
    for (const std::string& line :
         decision_lines(r.best.decisions, r.best.step_seconds, r.best.wall_seconds))
      fmt::print(out, "  {}\n", line);
  }
  fmt::print(out, "{}\n", selection_legend());
  for (const SelectionSummary& s : summaries) fmt::print(out, "{}\n", selection_line(s));
}

}  // namespace schedlab
