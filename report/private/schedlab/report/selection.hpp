// schedlab-report's view of auto rows (issue 22): each step's choice and the regret against
// the fixed rows, recomputed from a record's rows (schedlab/selection.hpp) and compared with
// what the record itself claims.
#pragma once

#include <string>
#include <vector>

#include "schedlab/report/reader.hpp"
#include "schedlab/selection.hpp"

namespace schedlab::report {

// Whether any strategy of the record is an auto row or carries decisions.
bool has_auto_rows(const RunRecord& record);

// "" when they agree (the same best and median fixed rows, the same figures to 6 digits);
// else one line saying what the record claims and that the recomputed figures are shown.
std::string selection_disagreement(const SelectionSummary& recorded,
                                   const SelectionSummary& computed);

// The terminal block for one record: a heading, each auto row's step lines (capped as the
// runners cap them), the legend, the recomputed regret lines and any disagreement. "" when
// the record has no auto row. Every string from the record is escaped (printable).
std::string render_selection(const RunRecord& record);

// CSV rows of auto rows, as their runner recorded them (a CSV does not say which rows were one
// run, so nothing is recomputed): "auto:simulate (FILE:LINE): choices fac2;gss · regret 10.0%
// against fac2 1 s · median fixed (gss) 1.2 s · per-step oracle 0.8 s, as recorded". "" when
// no row is an auto row.
std::string render_recorded_selection(const std::vector<ResultRow>& rows);

}  // namespace schedlab::report
