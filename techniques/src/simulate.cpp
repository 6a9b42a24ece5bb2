// Discrete-event simulation of one loop: workers ask when idle (earliest first, ties to the
// lower id), one master optionally serves requests one at a time, adaptive techniques hear
// each chunk's simulated time when its worker asks again.
#include "schedlab/techniques/simulate.hpp"

#include <cmath>
#include <functional>
#include <optional>
#include <queue>
#include <string>

namespace schedlab::techniques {

namespace {

void validate(const std::vector<double>& task_seconds, int workers, const SimOptions& options) {
  if (workers < 1) {
    throw std::invalid_argument("simulate: workers " + std::to_string(workers) +
                                " is not allowed; at least 1");
  }
  for (double t : task_seconds) {
    if (!(t >= 0) || !std::isfinite(t)) {
      throw std::invalid_argument("simulate: task time " + std::to_string(t) +
                                  " is not allowed; times must be finite and >= 0");
    }
  }
  if (!(options.dispatch_overhead >= 0) || !(options.master_service >= 0)) {
    throw std::invalid_argument("simulate: overheads must be >= 0");
  }
  if (!options.speeds.empty() && options.speeds.size() != static_cast<std::size_t>(workers)) {
    throw std::invalid_argument("simulate: " + std::to_string(options.speeds.size()) +
                                " speeds for " + std::to_string(workers) +
                                " workers; give one per worker");
  }
  for (double v : options.speeds) {
    if (!(v > 0) || !std::isfinite(v)) {
      throw std::invalid_argument("simulate: speed " + std::to_string(v) +
                                  " is not allowed; speeds must be > 0");
    }
  }
}

// Offline plans: each worker runs its chunks back to back; nothing is dispatched.
double speed_of(const SimOptions& options, std::size_t worker) {
  return options.speeds.empty() ? 1.0 : options.speeds[worker];
}

void run_plan(const Plan& plan, const std::vector<double>& seconds, const SimOptions& options,
              SimResult& result) {
  result.trace.resize(plan.chunks.size());
  for (std::size_t w = 0; w < plan.by_worker.size(); ++w) {
    double clock = 0;
    for (std::size_t c : plan.by_worker[w]) {
      const PlanChunk& chunk = plan.chunks[c];
      SimChunk& record = result.trace[c];
      record = {c, chunk.worker, chunk.tasks.front(), chunk.tasks.size(), clock, clock};
      for (std::size_t t : chunk.tasks) {
        const double run = seconds[t] / speed_of(options, w);
        clock += run;
        result.busy[w] += run;
        result.chunk_of_task[t] = c;
      }
      record.end = clock;
      result.tp = std::max(result.tp, clock);
    }
  }
}

}  // namespace

SimResult simulate(const std::vector<double>& task_seconds, int workers, const TechniqueSpec& spec,
                   const SimOptions& options) {
  validate(task_seconds, workers, options);
  const std::size_t n = task_seconds.size();
  const LoopSetup loop{n, workers, options.task_costs.empty() ? task_seconds : options.task_costs,
                       options.weights, options.dispatch_overhead};
  SimResult result;
  result.busy.assign(static_cast<std::size_t>(workers), 0.0);
  result.chunk_of_task.assign(n, 0);
  if (n == 0) return result;

  if (spec.info != nullptr && spec.info->dispatch == Dispatch::kPlan) {
    run_plan(make_plan(spec, loop), task_seconds, options, result);
    result.chunks = result.trace.size();
    return result;
  }

  const std::unique_ptr<Technique> technique = make_technique(spec, loop);
  const std::string name = spec.text();
  using Request = std::pair<double, int>;  // (time the worker asks, worker)
  std::priority_queue<Request, std::vector<Request>, std::greater<>> requests;
  for (int w = 0; w < workers; ++w) requests.emplace(0.0, w);
  std::vector<std::optional<ChunkTiming>> unreported(static_cast<std::size_t>(workers));
  double master_free = 0;
  std::size_t next = 0;
  while (next < n) {
    const auto [asked, worker] = requests.top();
    requests.pop();
    const auto w = static_cast<std::size_t>(worker);
    // Asking again means the previous chunk is done: that is when the technique learns it.
    if (unreported[w]) {
      technique->chunk_finished(*unreported[w]);
      unreported[w].reset();
    }
    double served = asked;
    if (options.master_service > 0) {  // one master, first come first served
      served = std::max(asked, master_free) + options.master_service;
      master_free = served;
    }
    const std::size_t size = checked_next_chunk(*technique, name, loop, n - next, worker);
    const double start = served + options.dispatch_overhead;
    double clock = start;
    double squares = 0;
    for (std::size_t t = next; t < next + size; ++t) {
      const double run = task_seconds[t] / speed_of(options, w);
      clock += run;
      squares += run * run;
      result.chunk_of_task[t] = result.trace.size();
    }
    result.busy[w] += clock - start;
    unreported[w] = ChunkTiming{worker, size, clock - start, clock - asked, squares};
    result.trace.push_back({result.trace.size(), worker, next, size, start, clock});
    result.tp = std::max(result.tp, clock);
    next += size;
    requests.emplace(clock, worker);
  }
  result.chunks = result.trace.size();
  return result;
}

}  // namespace schedlab::techniques
