// Text views of one run's trace: a Gantt chart (--timeline) and the completion order
// (--show-order).
#pragma once

#include <string>
#include <vector>

#include "schedlab/run.hpp"

namespace schedlab {

// A Gantt chart in text, one row per worker, `width` columns in all.
// Tasks are letters (A-Z, a-z by task id, cycling), idle time is '.'. `axis_seconds` > the
// run's own span stretches the time axis (blank after the run's end), so that charts of
// several runs printed one above the other share one scale. `hosts` (by worker, from
// worker_hosts()) names each worker's host when the run spans more than one: "w4 nodeB/cpu0".
std::string render_timeline(const RunResult& run, const std::string& title, int width = 80,
                            double axis_seconds = 0, const std::vector<std::string>& hosts = {});
// Whether `hosts` (by worker) names more than one host: only then do labels carry them.
bool spans_hosts(const std::vector<std::string>& hosts);
// Completion order, e.g. "completion order: 5 1 0 ..."
std::string completion_order_line(const RunResult& run);

}  // namespace schedlab
