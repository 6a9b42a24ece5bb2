// Text views of one run's trace: a Gantt chart (--timeline) and the completion order
// (--show-order).
#pragma once

#include <string>

#include "schedlab/run.hpp"

namespace schedlab {

// A Gantt chart in text, one row per worker, `width` columns in all.
// Tasks are letters (A-Z, a-z by task id, cycling), idle time is '.'. `axis_seconds` > the
// run's own span stretches the time axis (blank after the run's end), so that charts of
// several runs printed one above the other share one scale.
std::string render_timeline(const RunResult& run, const std::string& title, int width = 80,
                            double axis_seconds = 0);
// Completion order, e.g. "completion order: 5 1 0 ..."
std::string completion_order_line(const RunResult& run);

}  // namespace schedlab
