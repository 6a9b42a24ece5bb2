// schedlab-report --html FILE: one self-contained page for a set of runs, to hand in or
// to open on a laptop: workload, machine, tables, timelines, scaling and predictions.
#pragma once

#include <string>
#include <vector>

namespace schedlab::report {

// Reads `files` (CSV or JSON), writes the page to `out` (figures inline as SVG, drawn by
// gnuplot when it is on PATH; without it the page says so and keeps every table).
// `cores`: CPUs the runs had (oversubscribed marks); `overhead`: --predict's seconds per
// chunk. Returns the exit code: 0, or 1 when a row did not verify.
int write_html_report(const std::vector<std::string>& files, const std::string& out, int cores,
                      double overhead);

}  // namespace schedlab::report
