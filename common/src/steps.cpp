// Joining the steps of a --steps run and reading each step back (schedlab/steps.hpp).
#include "schedlab/steps.hpp"

#include <algorithm>
#include <limits>

#include "schedlab/metrics.hpp"

namespace schedlab {

namespace {
int the_step = 0;
int the_steps = 1;
}  // namespace

void set_current_step(int step, int steps) {
  the_step = step;
  the_steps = steps;
}
int current_step() { return the_step; }
int step_count() { return the_steps; }

RunResult join_steps(std::vector<RunResult> steps) {
  RunResult joined;
  if (steps.empty()) return joined;
  joined.workers = steps.front().workers;
  double offset = 0;
  int chunk_offset = 0;
  for (RunResult& step : steps) {
    int last_chunk = -1;
    for (TaskRecord rec : step.trace) {
      rec.start += offset;
      rec.end += offset;
      if (rec.chunk >= 0) {
        last_chunk = std::max(last_chunk, rec.chunk);
        rec.chunk += chunk_offset;
      }
      joined.trace.push_back(rec);
    }
    joined.results.insert(joined.results.end(), step.results.begin(), step.results.end());
    joined.completion_order.insert(joined.completion_order.end(), step.completion_order.begin(),
                                   step.completion_order.end());
    if (!joined.error && step.error) joined.error = std::move(step.error);
    joined.interrupted = joined.interrupted || step.interrupted;
    joined.step_seconds.push_back(step.wall_seconds);
    joined.decisions.insert(joined.decisions.end(), step.decisions.begin(), step.decisions.end());
    offset += step.wall_seconds;
    chunk_offset += last_chunk + 1;
  }
  joined.wall_seconds = offset;
  return joined;
}

std::vector<StepSummary> step_summaries(const RunResult& run, std::size_t tasks_per_step,
                                        bool traced) {
  const std::size_t steps = std::max<std::size_t>(run.step_seconds.size(), 1);
  std::vector<StepSummary> summaries;
  for (std::size_t s = 0; s < steps; ++s) {
    StepSummary summary;
    summary.seconds = run.step_seconds.empty() ? run.wall_seconds : run.step_seconds[s];
    const std::size_t from = std::min(s * tasks_per_step, run.trace.size());
    const std::size_t to = std::min(from + tasks_per_step, run.trace.size());
    std::vector<double> busy(static_cast<std::size_t>(std::max(run.workers, 1)), 0.0);
    std::vector<int> chunks;
    for (std::size_t i = from; i < to; ++i) {
      const TaskRecord& rec = run.trace[i];
      if (!rec.ran()) continue;
      if (static_cast<std::size_t>(rec.worker) < busy.size())
        busy[static_cast<std::size_t>(rec.worker)] += rec.end - rec.start;
      if (rec.chunk >= 0) chunks.push_back(rec.chunk);
    }
    summary.load_balance = traced ? load_balance(busy) : std::numeric_limits<double>::quiet_NaN();
    std::sort(chunks.begin(), chunks.end());
    summary.chunks = chunks.empty()
                         ? -1
                         : std::distance(chunks.begin(), std::unique(chunks.begin(), chunks.end()));
    const std::size_t rfrom = std::min(s * tasks_per_step, run.results.size());
    const std::size_t rto = std::min(rfrom + tasks_per_step, run.results.size());
    summary.checksum =
        checksum(std::vector<std::uint64_t>(run.results.begin() + static_cast<long>(rfrom),
                                            run.results.begin() + static_cast<long>(rto)));
    summaries.push_back(summary);
  }
  return summaries;
}

double stepped_lower_bound(const std::vector<double>& serial_task_seconds,
                           std::size_t tasks_per_step, int workers) {
  if (tasks_per_step == 0) return 0.0;
  double total = 0;
  for (std::size_t from = 0; from < serial_task_seconds.size(); from += tasks_per_step) {
    const std::size_t to = std::min(from + tasks_per_step, serial_task_seconds.size());
    total += lower_bound_seconds(
        std::vector<double>(serial_task_seconds.begin() + static_cast<long>(from),
                            serial_task_seconds.begin() + static_cast<long>(to)),
        workers);
  }
  return total;
}

}  // namespace schedlab
