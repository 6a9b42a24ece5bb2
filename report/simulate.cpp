// The report's schedules on top of the techniques library's simulate(): the chunk rules
// live there once; here only the cyclic deal (not a registry technique) and the names of
// the runners' rows.
#include "schedlab/report/simulate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "schedlab/techniques/simulate.hpp"

namespace schedlab::report {

namespace tq = schedlab::techniques;

std::string Schedule::name() const {
  if (!label.empty()) return label;
  if (technique.info == nullptr) return fmt::format("static,{}", cyclic_chunk);
  return technique.text();
}

Schedule technique_schedule(const std::string& text) {
  return Schedule{tq::parse_technique(text), 0, ""};
}

Schedule cyclic_schedule(std::size_t chunk) {
  if (chunk < 1) throw std::invalid_argument("simulate: chunk must be at least 1");
  return Schedule{{}, chunk, ""};
}

namespace {

// static,C: chunk k goes to worker k mod P, each worker runs its chunks back to back. Wins
// when cost drifts smoothly along the list (increasing): every worker gets cheap and dear.
Simulation deal_cyclic(const std::vector<double>& seconds, int workers, std::size_t chunk) {
  Simulation sim;
  sim.run = empty_result(seconds.size(), workers);
  sim.dispatches.assign(static_cast<std::size_t>(workers), 0);
  std::vector<double> clock(static_cast<std::size_t>(workers), 0.0);
  std::size_t k = 0;
  for (std::size_t first = 0; first < seconds.size(); first += chunk, ++k) {
    const auto w = k % static_cast<std::size_t>(workers);
    for (std::size_t t = first; t < std::min(first + chunk, seconds.size()); ++t) {
      sim.run.trace[t] = TaskRecord{t,        static_cast<int>(w),   -1,
                                    clock[w], clock[w] + seconds[t], static_cast<int>(k)};
      clock[w] += seconds[t];
    }
  }
  sim.chunks = k;
  return sim;
}

// The library's result as a RunResult: each chunk's tasks run back to back from its start.
Simulation from_library(const std::vector<double>& seconds, int workers, const tq::SimResult& r,
                        bool dispatched) {
  Simulation sim;
  sim.run = empty_result(seconds.size(), workers);
  sim.dispatches.assign(static_cast<std::size_t>(workers), 0);
  std::vector<double> clock(r.trace.size());
  for (const tq::SimChunk& c : r.trace) {
    clock[c.index] = c.start;
    if (dispatched) ++sim.dispatches[static_cast<std::size_t>(c.worker)];
  }
  for (std::size_t t = 0; t < seconds.size(); ++t) {
    const std::size_t c = r.chunk_of_task[t];
    sim.run.trace[t] =
        TaskRecord{t, r.trace[c].worker, -1, clock[c], clock[c] + seconds[t], static_cast<int>(c)};
    clock[c] += seconds[t];
  }
  sim.chunks = r.chunks;
  return sim;
}

}  // namespace

Simulation simulate(const std::vector<double>& task_seconds, int workers, const Schedule& schedule,
                    const SimCosts& costs) {
  if (workers < 1) throw std::invalid_argument("simulate: workers must be at least 1");
  Simulation sim;
  if (schedule.technique.info == nullptr) {
    sim = deal_cyclic(task_seconds, workers, std::max<std::size_t>(schedule.cyclic_chunk, 1));
  } else {
    tq::SimOptions options;
    options.dispatch_overhead = costs.dispatch_overhead;
    options.master_service = costs.master_service;
    const tq::SimResult r = tq::simulate(task_seconds, workers, schedule.technique, options);
    sim = from_library(task_seconds, workers, r,
                       schedule.technique.info->dispatch != tq::Dispatch::kPlan);
  }
  sim.run.results.assign(task_seconds.size(), 0);
  sim.run.completion_order = completion_order_by_end(sim.run.trace);
  double end = 0;
  for (const TaskRecord& rec : sim.run.trace) end = std::max(end, rec.end);
  sim.run.wall_seconds = end;
  return sim;
}

namespace {

// static,C's Tp: chunk k to worker k mod P, each worker's chunks back to back. One row of P
// chunks at a time; for C = 1 a row is P neighbouring tasks, added in the order deal_cyclic
// adds them (the same sums, bit for bit).
double cyclic_makespan(const tq::SimLoop& loop, int workers, std::size_t chunk) {
  const auto p = static_cast<std::size_t>(workers);
  const std::size_t n = loop.tasks();
  std::vector<double> clock(p, 0.0);
  if (chunk == 1) {
    const double* seconds = loop.seconds().data();
    for (std::size_t first = 0; first < n; first += p) {
      const std::size_t width = std::min(p, n - first);
      for (std::size_t w = 0; w < width; ++w) clock[w] += seconds[first + w];
    }
  } else {
    std::size_t k = 0;
    for (std::size_t first = 0; first < n; first += chunk, ++k) {
      clock[k % p] += loop.seconds_of(first, std::min(chunk, n - first));
    }
  }
  return *std::max_element(clock.begin(), clock.end());
}

}  // namespace

double predicted_makespan(const tq::SimLoop& loop, int workers, const Schedule& schedule,
                          const SimCosts& costs) {
  if (workers < 1) throw std::invalid_argument("simulate: workers must be at least 1");
  if (schedule.technique.info == nullptr) {
    return cyclic_makespan(loop, workers, std::max<std::size_t>(schedule.cyclic_chunk, 1));
  }
  tq::SimOptions options;
  options.dispatch_overhead = costs.dispatch_overhead;
  options.master_service = costs.master_service;
  options.detail = tq::SimDetail::kMakespan;
  return tq::simulate(loop, workers, schedule.technique, options).tp;
}

namespace {

// "dynamic" -> 1, "dynamic,4" -> 4, "dynamic,x" -> nullopt: the chunk of a literal clause.
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

// Fixed chunks of C from a shared queue: ss for 1, else the registry's tss,C,C.
Schedule fixed_chunks(std::size_t chunk) {
  return technique_schedule(chunk == 1 ? "ss" : fmt::format("tss,{},{}", chunk, chunk));
}

}  // namespace

std::optional<StrategyModel> model_of_strategy(const std::string& strategy, int ranks, int threads,
                                               const std::string& runner) {
  const int workers = std::max(ranks * threads, 1);
  const bool mpi = runner.find("mpi") != std::string::npos;
  // A technique row: the same canonical name in every runner and here.
  try {
    Schedule s = technique_schedule(strategy);
    const bool plan = s.technique.info->dispatch == tq::Dispatch::kPlan;
    return StrategyModel{std::move(s), workers, mpi && !plan};
  } catch (const std::invalid_argument&) {
    // not a technique: one of the literal clauses and strategies below
  }
  // schedlab-mpi without a single master (docs/mpi.md): rma,T - each rank claims T's chunks
  // itself, one remote atomic per claim: a shared counter (--overhead per chunk), no master.
  // hierarchical,T - chunks in batches through a master per node: two levels of queues the
  // simulator does not have, so no model (like runtime and auto) rather than a wrong one.
  if (strategy.rfind("rma,", 0) == 0) {
    try {
      return StrategyModel{technique_schedule(strategy.substr(4)), workers, false};
    } catch (const std::invalid_argument&) {
      return std::nullopt;  // not a technique after "rma,": not a row schedlab-mpi writes
    }
  }
  if (strategy.rfind("hierarchical,", 0) == 0) return std::nullopt;
  // Literal OpenMP clauses (schedlab-omp) and MPI strategies (schedlab-mpi). static,C and
  // cyclic,C are the same deal; dynamic,1 is ss; guided,k is gss,k (as libgomp hands it out).
  if (const auto c = chunk_after(strategy, "static"))
    return StrategyModel{cyclic_schedule(*c), workers, false};
  if (const auto c = chunk_after(strategy, "cyclic"))
    return StrategyModel{cyclic_schedule(*c), workers, false};
  if (const auto c = chunk_after(strategy, "dynamic"))
    return StrategyModel{fixed_chunks(*c), workers, false};
  if (const auto c = chunk_after(strategy, "guided")) {
    return StrategyModel{technique_schedule(*c == 1 ? "gss" : fmt::format("gss,{}", *c)), workers,
                         false};
  }
  // One task per omp task, or taskloop grainsize(G): a shared queue of 1 or G tasks.
  if (strategy == "tasks") return StrategyModel{fixed_chunks(1), workers, false};
  if (strategy != "taskloop") {
    if (const auto g = chunk_after(strategy, "taskloop"))
      return StrategyModel{fixed_chunks(*g), workers, false};
  }
  // Master-worker: chunks of C on request. A rank's threads share its chunk, so each thread
  // takes about C / threads; a dedicated master's threads compute nothing.
  const auto per_thread = [&](std::size_t c) {
    return std::max<std::size_t>(
        1, (c + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads));
  };
  if (const auto c = chunk_after(strategy, "master-worker")) {
    return StrategyModel{fixed_chunks(per_thread(*c)), workers, true};
  }
  if (const auto c = chunk_after(strategy, "master-worker-dedicated")) {
    const int computing = ranks > 1 ? (ranks - 1) * threads : workers;
    return StrategyModel{fixed_chunks(per_thread(*c)), computing, true};
  }
  return std::nullopt;  // runtime, auto, taskloop: the choice is the runtime's, not visible
}

}  // namespace schedlab::report
