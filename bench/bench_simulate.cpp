// The simulator's speed (docs/performance.md, "The simulator's speed"): one loop of 10^6
// tasks simulated under one technique of each dispatch kind - a table (gss, and ss, one chunk
// per task: the most events), an ask (af, adaptive) and a plan (static, lpt) - at P = 1, 16
// and 1024; then --predict's whole job: the six default columns at one P, and over the
// powers of two 1..1024. The task list is prepared once (SimLoop), as --predict does. And
// auto:simulate's decision on N = 300 and 2048 tasks at P = 2 (BM_SimulateDecision).
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "schedlab/report/predict.hpp"
#include "schedlab/report/simulate.hpp"
#include "schedlab/techniques/select.hpp"
#include "schedlab/techniques/simulate.hpp"

namespace {

namespace tq = schedlab::techniques;
namespace report = schedlab::report;

constexpr std::size_t kTasks = 1'000'000;

// 10^6 tasks of 0.1 to 0.2 ms (uniform at random, fixed seed): 150 s of work in all.
const std::vector<double>& task_seconds() {
  static const std::vector<double> seconds = [] {
    std::mt19937_64 generator(22);
    std::uniform_real_distribution<double> cost(1e-4, 2e-4);
    std::vector<double> list(kTasks);
    for (double& s : list) s = cost(generator);
    return list;
  }();
  return seconds;
}

const tq::SimLoop& loop() {
  static const tq::SimLoop prepared(task_seconds());
  return prepared;
}

// One technique at P = state.range(0), Tp only (what --predict asks for).
void simulate_technique(benchmark::State& state, const char* technique) {
  const tq::TechniqueSpec spec = tq::parse_technique(technique);
  const int workers = static_cast<int>(state.range(0));
  tq::SimOptions options;
  options.dispatch_overhead = 1e-6;
  options.detail = tq::SimDetail::kMakespan;
  std::size_t chunks = 0;
  for (auto _ : state) {
    const tq::SimResult result = tq::simulate(loop(), workers, spec, options);
    benchmark::DoNotOptimize(result.tp);
    chunks = result.chunks;
  }
  state.counters["chunks"] = static_cast<double>(chunks);
  state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(chunks));
}

void BM_SimulateTableGss(benchmark::State& state) { simulate_technique(state, "gss"); }
void BM_SimulateTableSs(benchmark::State& state) { simulate_technique(state, "ss"); }
void BM_SimulateAskAf(benchmark::State& state) { simulate_technique(state, "af"); }
void BM_SimulatePlanStatic(benchmark::State& state) { simulate_technique(state, "static"); }
void BM_SimulatePlanLpt(benchmark::State& state) { simulate_technique(state, "lpt"); }

// --predict's row at one P: static, static,1, ss, gss, tss, fac2.
void BM_PredictDefaultColumns(benchmark::State& state) {
  const auto schedules = report::compared_schedules(1);
  const int workers = static_cast<int>(state.range(0));
  report::SimCosts costs;
  costs.dispatch_overhead = 1e-6;
  for (auto _ : state) {
    for (const report::Schedule& s : schedules) {
      benchmark::DoNotOptimize(report::predicted_makespan(loop(), workers, s, costs));
    }
  }
}

// --predict --workers 1,2,4,...,1024 on 10^6 tasks, the default columns, SimLoop included:
// the 2 s target (docs/performance.md).
void BM_PredictPowersOfTwo(benchmark::State& state) {
  const auto schedules = report::compared_schedules(1);
  std::vector<int> workers;
  for (int p = 1; p <= 1024; p *= 2) workers.push_back(p);
  for (auto _ : state) {
    benchmark::DoNotOptimize(report::predict(task_seconds(), workers, schedules, 1e-6));
  }
}

// A measured step of the first N tasks at P = 2: each task took its cost, in seconds, on
// worker i % 2; Tp the work / P; h 0.1 us.
tq::StepMeasure measured_step(std::size_t n) {
  const std::vector<double> costs(task_seconds().begin(),
                                  task_seconds().begin() + static_cast<std::ptrdiff_t>(n));
  tq::StepMeasure measured;
  measured.workers = 2;
  measured.costs = costs;
  measured.seconds = costs;
  for (std::size_t i = 0; i < n; ++i) {
    measured.worker.push_back(static_cast<int>(i % 2));
    measured.tp += costs[i] / 2;
  }
  measured.dispatch_seconds = 1e-7;
  return measured;
}

// auto:simulate's decision between two time steps (issue 22: at most 2% of the step it
// schedules): observe a measured step of N tasks at P = 2, then choose the next step's
// technique. Nothing is measured in this run yet but step 0's technique, so 7 of the 8
// portfolio techniques are simulated (a measured one is ranked by its own steps), plus the
// pick for the calibration: the most a decision costs. In cache, so a floor: the auto row's
// own decision_seconds adds cold caches and reading the trace (docs/performance.md,
// "Automatic selection").
void BM_SimulateDecision(benchmark::State& state) {
  const tq::StepMeasure measured = measured_step(static_cast<std::size_t>(state.range(0)));
  const std::vector<double>& costs = measured.costs;
  tq::Selector selector(tq::SelectMethod::kSimulate, 2, 0);
  for (auto _ : state) {
    state.PauseTiming();
    selector.reset();
    (void)selector.choose(0, costs);
    (void)selector.after_step(measured.tp);
    tq::StepMeasure step = measured;
    state.ResumeTiming();
    selector.observe(std::move(step));
    benchmark::DoNotOptimize(selector.choose(1, costs));
  }
}

// The next decision on the same loop: its predictions are reused (kReuseChange's note in
// select.hpp), nothing is simulated again. One simulation serves kReuseDecisions - 1 reusing
// decisions, each timed as one iteration (observe + choose); the simulating decision before
// them runs untimed. The step times alternate 1 and 1.3 x the work / P, so no step holds its
// prediction within kSwitchGain and no decision settles into a kept step (which reads
// nothing); a choice that did not reuse stops the benchmark with an error.
void BM_SimulateDecisionReused(benchmark::State& state) {
  const tq::StepMeasure measured = measured_step(static_cast<std::size_t>(state.range(0)));
  const std::vector<double>& costs = measured.costs;
  tq::Selector selector(tq::SelectMethod::kSimulate, 2, 0);
  int step = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (step == 0 || step >= tq::kReuseDecisions) {  // a fresh run: step 0, then a simulation
      selector.reset();
      (void)selector.choose(0, costs);
      (void)selector.after_step(measured.tp);
      selector.observe(measured);
      (void)selector.choose(1, costs);
      step = 1;
    }
    tq::StepMeasure step_measure = measured;
    if (step % 2 == 1) step_measure.tp *= 1.3;
    (void)selector.after_step(step_measure.tp);
    state.ResumeTiming();
    selector.observe(std::move(step_measure));
    const tq::Choice choice = selector.choose(++step, costs);
    benchmark::DoNotOptimize(choice);
    if (choice.reason.find(" reused from the simulation ") == std::string::npos) {
      state.SkipWithError(
          ("decision " + std::to_string(step) + " reused nothing: " + choice.reason).c_str());
      break;
    }
  }
}

void per_p(benchmark::internal::Benchmark* b) {
  b->ArgName("P")->Arg(1)->Arg(16)->Arg(1024)->Unit(benchmark::kMillisecond);
}
BENCHMARK(BM_SimulateTableGss)->Apply(per_p);
BENCHMARK(BM_SimulateTableSs)->Apply(per_p);
BENCHMARK(BM_SimulateAskAf)->Apply(per_p);
BENCHMARK(BM_SimulatePlanStatic)->Apply(per_p);
BENCHMARK(BM_SimulatePlanLpt)->Apply(per_p);
BENCHMARK(BM_PredictDefaultColumns)->Apply(per_p);
BENCHMARK(BM_PredictPowersOfTwo)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_SimulateDecision)->ArgName("N")->Arg(300)->Arg(2048)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SimulateDecisionReused)
    ->ArgName("N")
    ->Arg(300)
    ->Arg(2048)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
