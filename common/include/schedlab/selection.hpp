// How well an `auto` row chose (issue 22): its time against every fixed technique measured
// in the same run, the regret, the median fixed technique and the per-step oracle. One pure
// function, shared by the runners' table, CSV and JSON and by schedlab-report, which
// recomputes it from a record's rows instead of trusting the record's own figures.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "schedlab/comparison.hpp"
#include "schedlab/row_name.hpp"

namespace schedlab {

// What a row is to the selection summary.
enum class SelectionRole {
  kAuto,   // "auto:METHOD": a row the selector ran, step by step
  kFixed,  // the same schedule every step: a technique ("fac2", "gss,4"), a pragma or MPI form
  kOther,  // serial, or a name the grammar refuses
};
std::string_view to_string(SelectionRole role);  // "auto", "fixed", "other"

// The row-name grammar decides (its auto forms are kAuto, serial kOther, every other form
// kFixed); a name that starts with "auto:" is an auto row before the grammar is asked, and a
// name the grammar refuses is kOther.
SelectionRole selection_role(Runner runner, std::string_view row_name);

// One row of a run, as much of it as the summary needs.
struct SelectionRow {
  std::string name;
  std::vector<double> times;         // every repeat's wall seconds (the row's time: their min)
  std::vector<double> step_seconds;  // the fastest repeat's steps; {}: one step of min(times)
  bool verified = true;              // a row that did not verify is never compared
};

// Rows of a run made by the runner itself (StrategyRow: times, the fastest repeat's steps).
std::vector<SelectionRow> selection_rows(const std::vector<StrategyRow>& rows);

// Regret needs at least this many fixed rows to compare against.
inline constexpr std::size_t kMinFixedRows = 2;

// One auto row against the fixed rows of its run. NaN: not computed (see compared()).
struct SelectionSummary {
  static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
  std::string row;                    // "auto:simulate"
  bool verified = true;               // false: the auto row failed; nothing is compared
  double seconds = kNone;             // the auto row's time: min over its repeats
  std::size_t fixed_rows = 0;         // verified fixed rows of the same run
  std::string best_fixed;             // the fastest of them ("fac2")
  double best_fixed_seconds = kNone;  // its min over repeats
  double regret_pct = kNone;          // 100 (auto - best) / best
  std::string median_fixed;           // the median fixed row (the lower one of an even count)
  double median_fixed_seconds = kNone;
  // Sum over steps of the fastest fixed row's time at that step, every fixed row's steps
  // taken from its fastest repeat; NaN when a fixed row has another step count.
  double oracle_seconds = kNone;
  double oracle_gap_pct = kNone;  // 100 (auto - oracle) / oracle
  // Step by step against the median fixed row (the rows ran interleaved, so step k of each met
  // the machine's same moments): in how many of `steps_paired` steps the auto row's step, its
  // decision included, was faster than the median row's, each row's steps from its fastest
  // repeat. Near half is a tie within the steps' noise, however the totals fall. 0 paired: one
  // step, or the two rows ran other step counts.
  std::size_t steps_paired = 0;
  std::size_t steps_faster_than_median = 0;

  bool compared() const { return verified && fixed_rows >= kMinFixedRows; }
};

// One summary per auto row of `rows`, in their order.
std::vector<SelectionSummary> summarize_selection(Runner runner,
                                                  const std::vector<SelectionRow>& rows);

// The same with the runner as a record spells it ("schedlab-omp"): a runner the grammar does
// not know cannot tell a technique from a pragma, so its auto rows are compared with nothing.
std::vector<SelectionSummary> summarize_selection(std::string_view runner,
                                                  std::vector<SelectionRow> rows);

// A run's own rows (Comparison::info().runner, Comparison::rows()).
std::vector<SelectionSummary> summarize_selection(const Comparison& comparison);

}  // namespace schedlab
