// The reference loop, the notebook's first cell: `for t in tasks: cpu_heavy(t)`.
// Every parallel strategy is verified against it and timed relative to it (T1).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "schedlab/progress.hpp"
#include "schedlab/run.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

// Runs the tasks back to back on the calling thread. A failing task stops the loop and is
// recorded in RunResult::error; so is an interrupt (RunResult::interrupted).
RunResult run_serial(const std::vector<Task>& tasks, std::optional<std::size_t> fail_task,
                     Progress& progress);

}  // namespace schedlab
