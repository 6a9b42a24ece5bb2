// The selection summary of auto rows: regret against the best fixed technique of the same
// run, the median fixed technique, the per-step oracle (docs/results-schema.md, "Automatic
// selection"). Pure: rows in, figures out.
#include "schedlab/selection.hpp"

#include <algorithm>
#include <cmath>

namespace schedlab {

std::string_view to_string(SelectionRole role) {
  switch (role) {
    case SelectionRole::kAuto:
      return "auto";
    case SelectionRole::kFixed:
      return "fixed";
    case SelectionRole::kOther:
      return "other";
  }
  return "other";
}

SelectionRole selection_role(Runner runner, std::string_view row_name) {
  // Every other row of the run is a fixed choice the auto row competes with: a technique of the
  // registry, and a literal pragma or MPI form too (all-fixed's `static` row is named as
  // schedule(static) is, and `dynamic,1` is ss: leaving them out would compare auto with a
  // field that lacks its strongest or weakest member). "auto:" is asked first: a runner the
  // grammar does not know (a record's) would take it for a technique's text.
  if (is_select_row_name(row_name)) return SelectionRole::kAuto;
  try {
    switch (parse_row_name(runner, row_name).form) {
      case RowForm::kOmpSelect:
      case RowForm::kMpiSelect:
        return SelectionRole::kAuto;
      case RowForm::kSerial:
        return SelectionRole::kOther;
      default:
        return SelectionRole::kFixed;
    }
  } catch (const RowNameError&) {
    return SelectionRole::kOther;
  }
}

std::vector<SelectionRow> selection_rows(const std::vector<StrategyRow>& rows) {
  std::vector<SelectionRow> out;
  for (const StrategyRow& r : rows)
    out.push_back({r.strategy, r.times, r.best.step_seconds, r.verified});
  return out;
}

namespace {

double min_time(const SelectionRow& row) {
  return row.times.empty() ? SelectionSummary::kNone
                           : *std::min_element(row.times.begin(), row.times.end());
}

// A row's steps: its step times, or one step of its time.
std::vector<double> steps_of(const SelectionRow& row) {
  return row.step_seconds.empty() ? std::vector<double>{min_time(row)} : row.step_seconds;
}

double percent_over(double value, double reference) {
  return reference > 0 ? 100.0 * (value - reference) / reference : SelectionSummary::kNone;
}

// Sum over steps of the fastest fixed row at each step; NaN when the step counts differ.
double per_step_oracle(const std::vector<const SelectionRow*>& fixed, std::size_t steps) {
  std::vector<double> best(steps, SelectionSummary::kNone);
  for (const SelectionRow* row : fixed) {
    const std::vector<double> own = steps_of(*row);
    if (own.size() != steps) return SelectionSummary::kNone;
    for (std::size_t s = 0; s < steps; ++s)
      if (!(best[s] <= own[s])) best[s] = own[s];
  }
  double sum = 0;
  for (const double b : best) sum += b;
  return sum;
}

// Steps in which `automatic` was faster than `median`, of those both ran (none: one step, or
// other step counts).
void pair_steps(const SelectionRow& automatic, const SelectionRow& median, SelectionSummary& s) {
  const std::vector<double> own = steps_of(automatic);
  const std::vector<double> theirs = steps_of(median);
  if (own.size() < 2 || own.size() != theirs.size()) return;
  s.steps_paired = own.size();
  for (std::size_t k = 0; k < own.size(); ++k) s.steps_faster_than_median += own[k] < theirs[k];
}

SelectionSummary summarize_one(const SelectionRow& automatic,
                               std::vector<const SelectionRow*> fixed) {
  SelectionSummary s;
  s.row = automatic.name;
  s.verified = automatic.verified && !automatic.times.empty();
  s.seconds = min_time(automatic);
  s.fixed_rows = fixed.size();
  if (!s.compared()) return s;
  // Fastest first; ties by name, so the same rows always give the same best and median.
  std::sort(fixed.begin(), fixed.end(), [](const SelectionRow* a, const SelectionRow* b) {
    const double ta = min_time(*a);
    const double tb = min_time(*b);
    return ta != tb ? ta < tb : a->name < b->name;
  });
  s.best_fixed = fixed.front()->name;
  s.best_fixed_seconds = min_time(*fixed.front());
  s.regret_pct = percent_over(s.seconds, s.best_fixed_seconds);
  // The lower median of an even count: a technique that ran, not a mean of two.
  const SelectionRow* median = fixed[(fixed.size() - 1) / 2];
  s.median_fixed = median->name;
  s.median_fixed_seconds = min_time(*median);
  pair_steps(automatic, *median, s);
  s.oracle_seconds = per_step_oracle(fixed, steps_of(automatic).size());
  s.oracle_gap_pct = percent_over(s.seconds, s.oracle_seconds);
  return s;
}

}  // namespace

std::vector<SelectionSummary> summarize_selection(Runner runner,
                                                  const std::vector<SelectionRow>& rows) {
  std::vector<const SelectionRow*> fixed;
  for (const SelectionRow& r : rows) {
    if (selection_role(runner, r.name) == SelectionRole::kFixed && r.verified && !r.times.empty())
      fixed.push_back(&r);
  }
  std::vector<SelectionSummary> out;
  for (const SelectionRow& r : rows) {
    if (selection_role(runner, r.name) == SelectionRole::kAuto)
      out.push_back(summarize_one(r, fixed));
  }
  return out;
}

std::vector<SelectionSummary> summarize_selection(std::string_view runner,
                                                  std::vector<SelectionRow> rows) {
  const std::optional<Runner> known = parse_runner(runner);
  if (!known) {
    std::erase_if(rows, [](const SelectionRow& r) {
      return selection_role(Runner::kSerial, r.name) != SelectionRole::kAuto;
    });
  }
  return summarize_selection(known.value_or(Runner::kSerial), rows);
}

std::vector<SelectionSummary> summarize_selection(const Comparison& comparison) {
  return summarize_selection(comparison.info().runner, selection_rows(comparison.rows()));
}

}  // namespace schedlab
