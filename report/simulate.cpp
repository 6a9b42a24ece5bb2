// Schedule simulator: each schedule is a short function that decides which worker runs
// which chunk; one shared routine advances the workers' clocks.
#include "simulate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <queue>
#include <stdexcept>

namespace schedlab::report {

std::string Schedule::name() const {
  switch (kind) {
    case ScheduleKind::kStaticBlock:
      return "static";
    case ScheduleKind::kStaticChunked:
      return chunk == 1 ? "cyclic" : fmt::format("static,{}", chunk);
    case ScheduleKind::kDynamic:
      return fmt::format("dynamic,{}", chunk);
    case ScheduleKind::kGuided:
      return fmt::format("guided,{}", chunk);
  }
  return "?";
}

namespace {

// Runs tasks [first, last) on `worker` from its current clock, recording the trace.
void run_chunk(Simulation& sim, std::vector<double>& clock, const std::vector<double>& seconds,
               int worker, std::size_t first, std::size_t last, double overhead) {
  const auto w = static_cast<std::size_t>(worker);
  clock[w] += overhead;
  ++sim.dispatches[w];
  for (std::size_t t = first; t < last; ++t) {
    TaskRecord& rec = sim.run.trace[t];
    rec.worker = worker;
    rec.start = clock[w];
    clock[w] += seconds[t];
    rec.end = clock[w];
    sim.run.completion_order.push_back(t);
  }
}

// schedule(static): worker w gets one block; the first n % P workers get one task more
// (what libgomp does). Wins when tasks are equal: no coordination at all.
void static_block(Simulation& sim, std::vector<double>& clock, const std::vector<double>& s,
                  int workers, std::size_t) {
  const std::size_t n = s.size();
  const auto p = static_cast<std::size_t>(workers);
  const std::size_t base = n / p;
  const std::size_t extra = n % p;
  std::size_t first = 0;
  for (std::size_t w = 0; w < p; ++w) {
    const std::size_t count = base + (w < extra ? 1 : 0);
    if (count > 0) run_chunk(sim, clock, s, static_cast<int>(w), first, first + count, 0.0);
    first += count;
  }
}

// schedule(static,C): chunk k goes to worker k mod P. Wins when cost drifts smoothly along
// the list (increasing): every worker gets some cheap and some dear tasks.
void static_chunked(Simulation& sim, std::vector<double>& clock, const std::vector<double>& s,
                    int workers, std::size_t chunk) {
  std::size_t k = 0;
  for (std::size_t first = 0; first < s.size(); first += chunk, ++k) {
    const int w = static_cast<int>(k % static_cast<std::size_t>(workers));
    run_chunk(sim, clock, s, w, first, std::min(first + chunk, s.size()), 0.0);
  }
}

// Hands out chunks from a shared queue, in order, each to the worker that is idle first.
// `next_chunk(remaining)` says how many tasks the next chunk holds.
void from_shared_queue(Simulation& sim, std::vector<double>& clock, const std::vector<double>& s,
                       int workers, double overhead,
                       const std::function<std::size_t(std::size_t)>& next_chunk) {
  using Idle = std::pair<double, int>;  // (time it becomes idle, worker): ties to the lower id
  std::priority_queue<Idle, std::vector<Idle>, std::greater<>> idle;
  for (int w = 0; w < workers; ++w) idle.emplace(0.0, w);
  std::size_t first = 0;
  while (first < s.size()) {
    const int w = idle.top().second;
    idle.pop();
    const std::size_t count =
        std::min(std::max<std::size_t>(next_chunk(s.size() - first), 1), s.size() - first);
    run_chunk(sim, clock, s, w, first, first + count, overhead);
    first += count;
    idle.emplace(clock[static_cast<std::size_t>(w)], w);
  }
}

}  // namespace

Simulation simulate(const std::vector<double>& task_seconds, int workers, const Schedule& schedule,
                    double dispatch_overhead) {
  if (workers < 1) throw std::invalid_argument("simulate: workers must be at least 1");
  if (schedule.chunk < 1) throw std::invalid_argument("simulate: chunk must be at least 1");
  Simulation sim;
  sim.run = empty_result(task_seconds.size(), workers);
  sim.dispatches.assign(static_cast<std::size_t>(workers), 0);
  std::vector<double> clock(static_cast<std::size_t>(workers), 0.0);
  const std::size_t chunk = schedule.chunk;
  const auto p = static_cast<std::size_t>(workers);
  switch (schedule.kind) {
    case ScheduleKind::kStaticBlock:
      static_block(sim, clock, task_seconds, workers, chunk);
      std::fill(sim.dispatches.begin(), sim.dispatches.end(), 0);  // nothing taken from a queue
      break;
    case ScheduleKind::kStaticChunked:
      static_chunked(sim, clock, task_seconds, workers, chunk);
      std::fill(sim.dispatches.begin(), sim.dispatches.end(), 0);
      break;
    case ScheduleKind::kDynamic:
      // Wins on uneven tasks: nobody waits while work is left, at one dispatch per chunk.
      from_shared_queue(sim, clock, task_seconds, workers, dispatch_overhead,
                        [&](std::size_t) { return chunk; });
      break;
    case ScheduleKind::kGuided:
      // Big chunks first (few dispatches), small ones at the end (balance the tail).
      from_shared_queue(
          sim, clock, task_seconds, workers, dispatch_overhead,
          [&](std::size_t remaining) { return std::max(chunk, (remaining + p - 1) / p); });
      break;
  }
  sim.run.results.assign(task_seconds.size(), 0);
  sim.run.wall_seconds = clock.empty() ? 0.0 : *std::max_element(clock.begin(), clock.end());
  return sim;
}

namespace {

// "dynamic" -> 1, "dynamic,4" -> 4, "dynamic,x" -> nullopt.
std::optional<std::size_t> chunk_after(const std::string& strategy, const std::string& prefix) {
  if (strategy == prefix) return std::size_t{1};
  if (strategy.rfind(prefix + ",", 0) != 0) return std::nullopt;
  const std::string digits = strategy.substr(prefix.size() + 1);
  std::size_t value = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() || value == 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<StrategyModel> model_of_strategy(const std::string& strategy, int ranks,
                                               int threads) {
  const int workers = std::max(ranks * threads, 1);
  // OpenMP schedules (schedlab-omp) and the MPI static splits (schedlab-mpi).
  if (strategy == "static") return StrategyModel{{ScheduleKind::kStaticBlock, 1}, workers};
  if (const auto c = chunk_after(strategy, "static")) {
    return StrategyModel{{ScheduleKind::kStaticChunked, *c}, workers};
  }
  if (const auto c = chunk_after(strategy, "cyclic")) {
    return StrategyModel{{ScheduleKind::kStaticChunked, *c}, workers};
  }
  if (const auto c = chunk_after(strategy, "dynamic")) {
    return StrategyModel{{ScheduleKind::kDynamic, *c}, workers};
  }
  if (const auto c = chunk_after(strategy, "guided")) {
    return StrategyModel{{ScheduleKind::kGuided, *c}, workers};
  }
  // One task per omp task, or taskloop grainsize(G): a shared queue of 1 or G tasks.
  if (strategy == "tasks") return StrategyModel{{ScheduleKind::kDynamic, 1}, workers};
  if (strategy != "taskloop") {
    if (const auto g = chunk_after(strategy, "taskloop"))
      return StrategyModel{{ScheduleKind::kDynamic, *g}, workers};
  }
  // Master-worker: chunks of C on request. A rank's threads share its chunk, so each thread
  // takes about C / threads; a dedicated master's threads compute nothing.
  const auto per_thread = [&](std::size_t c) {
    return std::max<std::size_t>(
        1, (c + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads));
  };
  if (const auto c = chunk_after(strategy, "master-worker")) {
    return StrategyModel{{ScheduleKind::kDynamic, per_thread(*c)}, workers};
  }
  if (const auto c = chunk_after(strategy, "master-worker-dedicated")) {
    const int computing = ranks > 1 ? (ranks - 1) * threads : workers;
    return StrategyModel{{ScheduleKind::kDynamic, per_thread(*c)}, computing};
  }
  return std::nullopt;  // runtime, auto, taskloop: the choice is the runtime's, not visible
}

}  // namespace schedlab::report
