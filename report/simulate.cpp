// The report's schedules on top of the techniques library's simulate(): the chunk rules
// live there once; here only the cyclic deal (not a registry technique) and the names of
// the runners' rows.
#include "schedlab/report/simulate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "schedlab/row_name.hpp"
#include "schedlab/techniques/registry.hpp"
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

// A worker's clock after `seconds` of work from `clock`: at full speed up to the slowdown's
// moment, `slow` times longer after it (as the library's simulator does).
double advance(double clock, double seconds, const tq::Slowdown* slowdown) {
  if (slowdown == nullptr || clock + seconds <= slowdown->from_seconds) return clock + seconds;
  const double fast = std::max(0.0, slowdown->from_seconds - clock);
  return clock + fast + (seconds - fast) * slowdown->slow;
}

// The slowdown of each worker (null: none).
std::vector<const tq::Slowdown*> slowdown_of_worker(const std::vector<tq::Slowdown>& list,
                                                    int workers) {
  std::vector<const tq::Slowdown*> of(static_cast<std::size_t>(workers), nullptr);
  for (const tq::Slowdown& s : list) {
    if (s.worker < 0 || s.worker >= workers)
      throw std::invalid_argument("simulate: a slowdown names a worker that does not exist");
    of[static_cast<std::size_t>(s.worker)] = &s;
  }
  return of;
}

// static,C: chunk k goes to worker k mod P, each worker runs its chunks back to back. Wins
// when cost drifts smoothly along the list (increasing): every worker gets cheap and dear.
Simulation deal_cyclic(const std::vector<double>& seconds, int workers, std::size_t chunk,
                       const std::vector<tq::Slowdown>& slowdowns) {
  const auto slowed = slowdown_of_worker(slowdowns, workers);
  Simulation sim;
  sim.run = empty_result(seconds.size(), workers);
  sim.dispatches.assign(static_cast<std::size_t>(workers), 0);
  std::vector<double> clock(static_cast<std::size_t>(workers), 0.0);
  std::size_t k = 0;
  for (std::size_t first = 0; first < seconds.size(); first += chunk, ++k) {
    const auto w = k % static_cast<std::size_t>(workers);
    for (std::size_t t = first; t < std::min(first + chunk, seconds.size()); ++t) {
      const double end = advance(clock[w], seconds[t], slowed[w]);
      sim.run.trace[t] = TaskRecord{t, static_cast<int>(w), -1, clock[w], end, static_cast<int>(k)};
      clock[w] = end;
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
    sim = deal_cyclic(task_seconds, workers, std::max<std::size_t>(schedule.cyclic_chunk, 1),
                      costs.slowdowns);
  } else {
    tq::SimOptions options;
    options.dispatch_overhead = costs.dispatch_overhead;
    options.master_service = costs.master_service;
    options.slowdowns = costs.slowdowns;
    options.message_latency = costs.message_latency;
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
double cyclic_makespan(const tq::SimLoop& loop, int workers, std::size_t chunk,
                       const std::vector<tq::Slowdown>& slowdowns) {
  const auto p = static_cast<std::size_t>(workers);
  const std::size_t n = loop.tasks();
  std::vector<double> clock(p, 0.0);
  if (!slowdowns.empty()) {  // a slowed worker: chunk by chunk, the straddling one split
    const auto slowed = slowdown_of_worker(slowdowns, workers);
    std::size_t k = 0;
    for (std::size_t first = 0; first < n; first += chunk, ++k) {
      const std::size_t w = k % p;
      clock[w] = advance(clock[w], loop.seconds_of(first, std::min(chunk, n - first)), slowed[w]);
    }
  } else if (chunk == 1) {
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
    return cyclic_makespan(loop, workers, std::max<std::size_t>(schedule.cyclic_chunk, 1),
                           costs.slowdowns);
  }
  tq::SimOptions options;
  options.dispatch_overhead = costs.dispatch_overhead;
  options.master_service = costs.master_service;
  options.slowdowns = costs.slowdowns;
  options.message_latency = costs.message_latency;
  options.detail = tq::SimDetail::kMakespan;
  return tq::simulate(loop, workers, schedule.technique, options).tp;
}

namespace {

// A row of `runner` ("schedlab-omp", "schedlab-mpi"; "" for a name without a record: read as
// an OpenMP row, then as an MPI one) by the row-name grammar: which model its name asks for.
std::optional<std::pair<Runner, RowName>> parsed_row(const std::string& strategy,
                                                     const std::string& runner) {
  std::vector<Runner> runners;
  if (runner.empty()) {
    runners = {Runner::kOmp, Runner::kMpi};
  } else if (const auto r = parse_runner(runner)) {
    runners = {*r};
  }
  for (const Runner r : runners) {
    try {
      RowName row = parse_row_name(r, strategy);
      // Under "", a name that is no technique may still be an MPI row ("cyclic,1").
      if (runner.empty() && row.form == RowForm::kTechnique && r == Runner::kOmp &&
          tq::find_technique(strategy.substr(0, strategy.find(','))) == nullptr)
        continue;
      return std::make_pair(r, std::move(row));
    } catch (const RowNameError&) {
      // not a row of this runner
    }
  }
  return std::nullopt;
}

// A technique's schedule, or nullopt for a text that is no technique ("rma,nonsense").
std::optional<Schedule> technique_or_none(const std::string& text) {
  try {
    return technique_schedule(text);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

// Fixed chunks of C from a shared queue or a master: ss for 1 (the name the class knows),
// else the registry's fixed-chunk technique (tss,C,C).
Schedule fixed_chunks(std::size_t chunk) {
  return chunk == 1 ? technique_schedule("ss") : Schedule{tq::fixed_chunk_technique(chunk), 0, ""};
}

}  // namespace

std::optional<StrategyModel> model_of_strategy(const std::string& strategy, int ranks, int threads,
                                               const std::string& runner) {
  const auto parsed = parsed_row(strategy, runner);
  if (!parsed) return std::nullopt;
  const auto& [r, row] = *parsed;
  const int workers = std::max(ranks * threads, 1);
  const std::size_t c = row.count.value_or(1);
  // Master-worker: chunks of C on request. A rank's threads share its chunk, so each thread
  // takes about C / threads; a dedicated master's threads compute nothing.
  const std::size_t per_thread =
      std::max<std::size_t>(1, (c + static_cast<std::size_t>(threads) - 1) /
                                   static_cast<std::size_t>(std::max(threads, 1)));
  switch (row.grammar().model) {
    case SimModel::kTechnique: {  // the same canonical name in every runner and here
      auto s = technique_or_none(row.technique);
      if (!s) return std::nullopt;
      const bool plan = s->technique.info->dispatch == tq::Dispatch::kPlan;
      const bool master = r == Runner::kMpi && !plan;
      return StrategyModel{std::move(*s), workers, master, master};
    }
    case SimModel::kStaticSplit:  // one block per worker: the registry's static
      return StrategyModel{technique_schedule("static"), workers, false};
    case SimModel::kCyclicDeal:  // OpenMP's static,C and MPI's cyclic,C: one deal
      return StrategyModel{cyclic_schedule(c), workers, false};
    case SimModel::kSharedQueue:  // dynamic,C, tasks (C = 1), taskloop,G
      return StrategyModel{fixed_chunks(c), workers, false};
    case SimModel::kGuided:  // guided,k is gss,k as libgomp hands it out
      return StrategyModel{technique_schedule(c == 1 ? "gss" : fmt::format("gss,{}", c)), workers,
                           false};
    case SimModel::kMasterWorker:
      return StrategyModel{fixed_chunks(per_thread), workers, true, true};
    case SimModel::kDedicatedMaster: {
      const int computing = ranks > 1 ? (ranks - 1) * threads : workers;
      return StrategyModel{fixed_chunks(per_thread), computing, true, true};
    }
    case SimModel::kSharedCounter: {
      // rma,T: each rank claims T's chunks itself, one remote atomic per claim: a shared
      // counter (--overhead per chunk), no master.
      auto s = technique_or_none(row.technique.empty() ? "ss" : row.technique);
      if (!s) return std::nullopt;
      return StrategyModel{std::move(*s), workers, false, true};
    }
    case SimModel::kHierarchical:  // a master per node: two levels of queues, not simulated
    case SimModel::kNone:          // runtime, auto, taskloop: the runtime's choice, not visible
    case SimModel::kSerial:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace schedlab::report
