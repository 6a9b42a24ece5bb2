// The kernel alone: cost per unit of spin(n) at n from 1 to 2^21. A flat time/unit column is
// the guard that cost is linear in n, i.e. that the compiler did not fold or drop the work.
// Then the serial reference loop per task: what the per-task trace costs every runner, at
// --trace tasks and --trace off.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>

#include "schedlab/kernel.hpp"
#include "schedlab/progress.hpp"
#include "schedlab/run.hpp"
#include "schedlab/serial/serial_loop.hpp"
#include "schedlab/workload.hpp"

namespace {

using namespace schedlab;

// Debian's libbenchmark 1.7.1 package was itself compiled without NDEBUG, so every run prints
// "***WARNING*** Library was built as DEBUG. Timings may be affected.". That concerns the
// library's own bookkeeping between iterations, not the code being timed: say so in the
// context header, next to the warning, together with how this binary was compiled.
// AddCustomContext (since Google Benchmark 1.5.1) runs before main, from this initializer.
#if defined(__OPTIMIZE__) && defined(NDEBUG)
constexpr const char* kSchedlabBuild = "optimised (-O2/-O3, NDEBUG)";
#elif defined(__OPTIMIZE__)
constexpr const char* kSchedlabBuild = "optimised, with assertions";
#else
constexpr const char* kSchedlabBuild = "NOT optimised: build with the release preset to time";
#endif
const bool kBuildNoted = [] {
  benchmark::AddCustomContext("schedlab_code", kSchedlabBuild);
  benchmark::AddCustomContext(
      "schedlab_note",
      "a 'Library was built as DEBUG' warning is about Debian's libbenchmark package, not "
      "about schedlab's code (docs/performance.md)");
  return true;
}();

void BM_Spin(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    benchmark::DoNotOptimize(spin(n));
  }
  // Seconds per unit (printed with an SI prefix, e.g. 6.1ns): rate of units, inverted.
  state.counters["time_per_unit"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate |
                                                     benchmark::Counter::kInvert);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
// n = 1 shows the call overhead; from n = 64 on, time/unit should not change with n.
BENCHMARK(BM_Spin)->RangeMultiplier(8)->Range(1, 1 << 21);

// run_serial on 16384 tasks of n units, at each --trace level. time_per_task is the loop's
// wall time per task; bookkeeping_ns is what the loop adds to the bare kernel per task: the
// same list run as `results[i] = spin(size)` in the same iteration, subtracted. With trace
// tasks that is two clock reads, sched_getcpu and the trace record; with trace off only the
// stop check and the result and worker stores (the target is <= 15 ns, docs/performance.md).
void BM_SerialLoop(benchmark::State& state) {
  WorkloadSpec spec;
  spec.kind = WorkloadKind::kUniform;
  spec.tasks = 16384;
  spec.size = static_cast<std::uint64_t>(state.range(0));
  const TraceLevel level = state.range(1) == 0 ? TraceLevel::kTasks : TraceLevel::kOff;
  set_trace_level(level);
  const std::vector<Task> tasks = make_workload(spec);
  std::vector<std::uint64_t> bare_results(tasks.size());
  double loop_seconds = 0;
  double bare_seconds = 0;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    Progress quiet(tasks.size(), 0, nullptr, false);
    const RunResult run = run_serial(tasks, std::nullopt, quiet);
    benchmark::DoNotOptimize(run.results.data());
    state.SetIterationTime(run.wall_seconds);  // the loop itself, not allocating the trace
    loop_seconds += run.wall_seconds;
    const auto t0 = Clock::now();
    for (const Task& t : tasks) bare_results[t.id] = spin(t.size);
    benchmark::DoNotOptimize(bare_results.data());
    bare_seconds += seconds_between(t0, Clock::now());
  }
  set_trace_level(TraceLevel::kTasks);
  state.SetLabel(std::string("trace ") + std::string(to_string(level)));
  state.counters["time_per_task"] = benchmark::Counter(
      static_cast<double>(tasks.size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  const double per_task = 1e9 / static_cast<double>(tasks.size() * state.iterations());
  state.counters["bookkeeping_ns"] = (loop_seconds - bare_seconds) * per_task;
}
BENCHMARK(BM_SerialLoop)
    ->ArgNames({"units", "trace_off"})
    ->ArgsProduct({{1, 16, 256}, {0, 1}})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
