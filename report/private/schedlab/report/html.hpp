// schedlab-report --html FILE: one self-contained page for a set of runs, to hand in or
// to open on a laptop: workload, machine, tables, timelines, scaling and predictions.
#pragma once

#include <string>
#include <vector>

namespace schedlab::report {

// The page and what the program reports of it.
struct HtmlReport {
  std::string page;
  std::string figure_note;  // "" or why a figure is left out (no gnuplot, a failed figure)
  bool verified = true;     // false when a row did not verify
};

// Reads `files` (CSV or JSON) and builds the page (figures inline as SVG, drawn by gnuplot
// when it is on PATH; without it the page says so and keeps every table). `cores`: CPUs the
// runs had (oversubscribed marks); `overhead`: --predict's seconds per chunk.
HtmlReport build_html_report(const std::vector<std::string>& files, int cores, double overhead);

}  // namespace schedlab::report
