// The automatic-selection block of schedlab-report: the runners' own step and regret lines
// (schedlab/output/selection.hpp), fed from a record, with the regret recomputed.
#include "schedlab/report/selection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "schedlab/output/selection.hpp"
#include "schedlab/parse.hpp"

namespace schedlab::report {

namespace {

bool same_figure(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= 1e-6 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

std::string figure_or_none(double v) {
  return std::isfinite(v) ? fmt::format("{:.4g}", v) : std::string("none");
}

}  // namespace

bool has_auto_rows(const RunRecord& record) {
  return std::any_of(record.strategies.begin(), record.strategies.end(),
                     [](const StrategyRecord& s) {
                       return !s.run.decisions.empty() || s.selection ||
                              selection_role(Runner::kSerial, s.strategy) == SelectionRole::kAuto;
                     });
}

std::string selection_disagreement(const SelectionSummary& recorded,
                                   const SelectionSummary& computed) {
  const bool agree = recorded.compared() == computed.compared() &&
                     recorded.fixed_rows == computed.fixed_rows &&
                     recorded.best_fixed == computed.best_fixed &&
                     recorded.median_fixed == computed.median_fixed &&
                     same_figure(recorded.seconds, computed.seconds) &&
                     same_figure(recorded.regret_pct, computed.regret_pct) &&
                     same_figure(recorded.median_fixed_seconds, computed.median_fixed_seconds) &&
                     same_figure(recorded.oracle_seconds, computed.oracle_seconds);
  if (agree) return {};
  return fmt::format(
      "the record's own summary of {} differs (best fixed {} {} s, regret {}%, median fixed {}, "
      "{} fixed rows): the figures above are recomputed from its rows",
      printable(computed.row),
      recorded.best_fixed.empty() ? "none" : printable(recorded.best_fixed),
      figure_or_none(recorded.best_fixed_seconds), figure_or_none(recorded.regret_pct),
      recorded.median_fixed.empty() ? "none" : printable(recorded.median_fixed),
      recorded.fixed_rows);
}

std::string render_selection(const RunRecord& record) {
  if (!has_auto_rows(record)) return {};
  std::string text = fmt::format("== automatic selection in {}\n", printable(record.file));
  for (const StrategyRecord& s : record.strategies) {
    if (s.run.decisions.empty()) continue;
    text += fmt::format("choices of {}:\n", printable(s.strategy));
    for (const std::string& line :
         decision_lines(s.run.decisions, s.run.step_seconds, s.run.wall_seconds))
      text += "  " + line + "\n";
  }
  text += selection_legend() + "\n";
  for (const SelectionSummary& computed : selection_of(record)) {
    text += selection_line(computed) + "\n";
    const auto it =
        std::find_if(record.strategies.begin(), record.strategies.end(),
                     [&](const StrategyRecord& s) { return s.strategy == computed.row; });
    if (it != record.strategies.end() && it->selection) {
      if (const std::string note = selection_disagreement(*it->selection, computed); !note.empty())
        text += "  " + note + "\n";
    }
  }
  return text;
}

std::string render_recorded_selection(const std::vector<ResultRow>& rows) {
  std::string text;
  for (const ResultRow& r : rows) {
    if (r.choices.empty() && !r.selection && !r.decision_seconds) continue;
    std::string choices;
    for (const std::string& c : r.choices) choices += (choices.empty() ? "" : ";") + c;
    text += fmt::format("{} ({}:{}): choices {}", printable(r.strategy), printable(r.file), r.line,
                        choices.empty() ? "none recorded" : printable(choices));
    if (r.selection) {
      const SelectionSummary& s = *r.selection;
      text +=
          fmt::format(" · regret {:.1f}% against {} {} s · median fixed ({}) {} s", s.regret_pct,
                      printable(s.best_fixed), figure_or_none(s.best_fixed_seconds),
                      printable(s.median_fixed), figure_or_none(s.median_fixed_seconds));
      if (std::isfinite(s.oracle_seconds))
        text += fmt::format(" · per-step oracle {} s", figure_or_none(s.oracle_seconds));
    } else {
      text += " · no fixed rows compared";
    }
    text += "\n";
  }
  if (text.empty()) return text;
  return "== auto rows as the CSV recorded them (not recomputed: a CSV does not say which rows "
         "were one run)\n" +
         text;
}

}  // namespace schedlab::report
