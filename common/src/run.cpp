// Shared pieces of every runner: executing a task, digesting results, reading a trace.
#include "schedlab/run.hpp"

#include <sched.h>

#include <algorithm>
#include <iterator>

#include "schedlab/application.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/kernel.hpp"

namespace schedlab {

RunResult empty_result(std::size_t n, int workers) {
  RunResult run;
  run.results.assign(n, 0);
  run.trace.resize(n);
  for (std::size_t i = 0; i < n; ++i) run.trace[i].task = i;
  run.completion_order.reserve(n);
  run.workers = workers;
  return run;
}

namespace {
void fail_if_injected(const Task& task, std::optional<std::size_t> fail_task) {
  if (fail_task && *fail_task == task.id) {
    throw TaskFailure(task.id, "injected failure (--fail-task)");
  }
}
}  // namespace

std::uint64_t execute_task(const Task& task, std::optional<std::size_t> fail_task) {
  fail_if_injected(task, fail_task);
  // One pointer test per task: an application workload computes, a synthetic list spins.
  if (Application* app = application()) return run_application_task(*app, task);
  return spin(task.size);
}

namespace {
// An application's task in pieces of about `slice_units` of its predicted cost each (its
// elements in proportion): the same elements in the same order, so the same digest.
std::uint64_t application_task_in_slices(Application& app, const Task& task,
                                         std::uint64_t slice_units,
                                         const std::function<void()>& between_slices) {
  const std::size_t elements = app.elements(task);
  const std::uint64_t pieces =
      std::max<std::uint64_t>(1, task.size / std::max<std::uint64_t>(1, slice_units));
  const std::size_t per_slice = std::max<std::size_t>(1, elements / pieces);
  std::size_t done = 0;
  while (elements - done > per_slice) {
    app.compute(task, done, done + per_slice);
    done += per_slice;
    between_slices();
  }
  app.compute(task, done, elements);
  return app.digest(task);
}
}  // namespace

std::uint64_t execute_task_in_slices(const Task& task, std::optional<std::size_t> fail_task,
                                     std::uint64_t slice_units,
                                     const std::function<void()>& between_slices) {
  fail_if_injected(task, fail_task);
  if (Application* app = application()) {
    return application_task_in_slices(*app, task, slice_units == 0 ? task.size : slice_units,
                                      between_slices);
  }
  const std::uint64_t slice = slice_units == 0 ? task.size : slice_units;
  SpinChain chain;
  while (task.size - chain.units_done() > slice) {
    chain.advance(slice);
    between_slices();
  }
  return chain.advance(task.size - chain.units_done()).value();
}

int current_cpu() { return sched_getcpu(); }

namespace {
// Written once before any run starts (single-threaded), read when a RunControl is made.
TraceLevel g_trace_level = TraceLevel::kTasks;
}  // namespace

std::string_view to_string(TraceLevel level) { return level == TraceLevel::kOff ? "off" : "tasks"; }

std::optional<TraceLevel> parse_trace_level(std::string_view text) {
  if (text == "tasks") return TraceLevel::kTasks;
  if (text == "off") return TraceLevel::kOff;
  return std::nullopt;
}

void set_trace_level(TraceLevel level) { g_trace_level = level; }
TraceLevel trace_level() { return g_trace_level; }

std::uint64_t checksum(const std::vector<std::uint64_t>& results) {
  // FNV-1a over (index, result) pairs: order-sensitive and cheap.
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (std::size_t i = 0; i < results.size(); ++i) {
    for (std::uint64_t word : {static_cast<std::uint64_t>(i), results[i]}) {
      for (int byte = 0; byte < 8; ++byte) {
        h ^= (word >> (8 * byte)) & 0xFFU;
        h *= 0x100000001B3ULL;
      }
    }
  }
  return h;
}

std::vector<double> busy_per_worker(const RunResult& run) {
  std::vector<double> busy(static_cast<std::size_t>(std::max(run.workers, 1)), 0.0);
  for (const auto& rec : run.trace) {
    if (rec.ran() && static_cast<std::size_t>(rec.worker) < busy.size()) {
      busy[static_cast<std::size_t>(rec.worker)] += rec.end - rec.start;
    }
  }
  return busy;
}

long chunk_count(const RunResult& run) {
  std::vector<int> chunks;
  for (const auto& rec : run.trace) {
    if (rec.ran() && rec.chunk >= 0) chunks.push_back(rec.chunk);
  }
  if (chunks.empty()) return -1;
  std::sort(chunks.begin(), chunks.end());
  return std::distance(chunks.begin(), std::unique(chunks.begin(), chunks.end()));
}

void chunks_from_runs(RunResult& run) {
  int chunk = -1;
  int previous_worker = -1;
  for (auto& rec : run.trace) {  // by task index
    if (!rec.ran()) {
      previous_worker = -1;
      continue;
    }
    if (rec.worker != previous_worker) ++chunk;
    rec.chunk = chunk;
    previous_worker = rec.worker;
  }
}

std::vector<std::vector<int>> cpus_per_worker(const RunResult& run) {
  std::vector<std::vector<int>> cpus(static_cast<std::size_t>(std::max(run.workers, 1)));
  for (const auto& rec : run.trace) {
    if (!rec.ran() || rec.cpu < 0 || static_cast<std::size_t>(rec.worker) >= cpus.size()) continue;
    auto& seen = cpus[static_cast<std::size_t>(rec.worker)];
    if (std::find(seen.begin(), seen.end(), rec.cpu) == seen.end()) seen.push_back(rec.cpu);
  }
  for (auto& seen : cpus) std::sort(seen.begin(), seen.end());
  return cpus;
}

std::vector<std::size_t> completion_order_by_end(const std::vector<TaskRecord>& trace) {
  std::vector<std::size_t> slots;  // positions in the trace of the tasks that ran
  slots.reserve(trace.size());
  for (std::size_t i = 0; i < trace.size(); ++i) {
    if (trace[i].ran()) slots.push_back(i);
  }
  std::stable_sort(slots.begin(), slots.end(),
                   [&](std::size_t a, std::size_t b) { return trace[a].end < trace[b].end; });
  for (std::size_t& slot : slots) slot = trace[slot].task;
  return slots;
}

std::vector<double> task_seconds(const RunResult& run) {
  std::vector<double> seconds;
  seconds.reserve(run.trace.size());
  for (const auto& rec : run.trace) seconds.push_back(rec.ran() ? rec.end - rec.start : 0.0);
  return seconds;
}

}  // namespace schedlab
