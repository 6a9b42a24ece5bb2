// The OpenMP self-scheduling executor: one parallel region; the loop-scheduling technique
// (schedlab/techniques) decides the chunks, and one of three ways of claiming them runs:
//   table: chunk k claimed with ONE atomic fetch_add on k, its tasks read from the table;
//   ask:   ONE short critical section per chunk (next_chunk + the previous chunk's time);
//   plan:  each thread runs the chunks its plan gives it, nothing claimed at run time.
#include "schedlab/openmp/techniques_executor.hpp"

#include <omp.h>

#include <atomic>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "schedlab/kernel.hpp"
#include "schedlab/steps.hpp"
#include "task_loop.hpp"

namespace schedlab {
namespace {

using omp_detail::TaskLoop;
namespace tech = schedlab::techniques;

// table (ss, gss, fac2, ...: every kTable row): the sizes depend only on N, P and the
// parameters, so the whole sequence is computed before the clock starts and a chunk is
// claimed by its index. This is schedule(dynamic) with a chunk that changes: libgomp's
// dynamic,1 does the same one atomic add per chunk (on the iteration instead of the index).
RunResult run_table(const std::vector<Task>& tasks, const tech::ChunkTable& table,
                    const OmpConfig& config) {
  const std::size_t count = table.count();
  // On its own cache line: every claim writes it, and nothing else should share the line.
  alignas(64) std::atomic<std::size_t> next_chunk{0};
  TaskLoop loop(tasks, config);
#pragma omp parallel num_threads(config.threads)
  {
    // One atomic per chunk, no lock: relaxed is enough, the index is all that is shared
    // (the table is read-only, each task's slots belong to the thread that claimed it).
    for (std::size_t k = next_chunk.fetch_add(1, std::memory_order_relaxed); k < count;
         k = next_chunk.fetch_add(1, std::memory_order_relaxed)) {
      const int chunk = static_cast<int>(k);
      for (std::size_t i = table.first[k]; i < table.first[k + 1]; ++i) loop.run_task(i, chunk);
    }
  }
  return loop.finish();
}

// ask (wf2, awf-*, af, ...): the size depends on who asks or on measured times, so the
// technique is asked once per chunk, one thread at a time. The same critical section first
// tells the technique how long the asker's previous chunk took (adaptive techniques learn
// from it), then hands out the next chunk. Tasks run outside it.
RunResult run_ask(const std::vector<Task>& tasks, const tech::TechniqueSpec& spec,
                  const tech::LoopSetup& setup, const OmpConfig& config) {
  const std::unique_ptr<tech::Technique> technique = tech::make_technique(spec, setup);
  const std::string name = spec.text();
  const std::size_t n = tasks.size();
  std::size_t next_task = 0;  // guarded by the critical section below
  int chunks = 0;             // likewise
  bool failed = false;        // likewise: the technique answered wrongly, hand out no more
  TaskLoop loop(tasks, config);
  const bool traced = trace_level() == TraceLevel::kTasks;
#pragma omp parallel num_threads(config.threads)
  {
    const int worker = omp_get_thread_num();
    tech::ChunkTiming previous{worker, 0, 0, 0, 0};  // size 0: nothing to report yet
    for (;;) {
      const Clock::time_point asked = Clock::now();
      std::size_t first = 0;
      std::size_t size = 0;
      int chunk = -1;
#pragma omp critical(schedlab_technique_dispatch)
      {
        try {
          if (previous.size > 0) technique->chunk_finished(previous);
          if (!failed && next_task < n && !loop.stopping()) {
            size = tech::checked_next_chunk(*technique, name, setup, n - next_task, worker);
            first = next_task;
            next_task += size;
            chunk = chunks++;
          }
        } catch (const std::exception& e) {  // TechniqueError, or chunk_finished threw
          failed = true;
          size = 0;
          loop.fail(next_task, e.what());
        }
      }
      if (size == 0) break;
      // Run the chunk, then time it from the records run_one_task wrote (no extra clock
      // read per task): work = the tasks' own time, elapsed = from asking to finishing.
      // Without per-task times (--trace off) the chunk is timed as a whole, one clock read
      // more per chunk, and the spread of its tasks is unknown (squares -1).
      const Clock::time_point started = traced ? asked : Clock::now();
      double work = 0;
      double squares = traced ? 0.0 : -1.0;
      for (std::size_t i = first; i < first + size; ++i) {
        loop.run_task(i, chunk);
        const TaskRecord& r = loop.record(i);
        if (traced && r.ran()) {
          work += r.end - r.start;
          squares += (r.end - r.start) * (r.end - r.start);
        }
      }
      const Clock::time_point finished = Clock::now();
      if (!traced) work = seconds_between(started, finished);
      const double elapsed = seconds_between(asked, finished);
      previous = tech::ChunkTiming{worker, size, work, elapsed, squares};
    }
  }
  return loop.finish();
}

// plan (static, binlpt, lpt): every chunk's thread is fixed before the loop starts; each
// thread runs its own chunks in plan order, with no shared counter at all.
RunResult run_plan(const std::vector<Task>& tasks, const tech::Plan& plan,
                   const OmpConfig& config) {
  const int workers = static_cast<int>(plan.by_worker.size());
  TaskLoop loop(tasks, config);
#pragma omp parallel num_threads(config.threads)
  {
    // Normally thread w runs worker w's chunks; should the runtime give a smaller team
    // (OMP_DYNAMIC), the stride keeps every planned chunk run once.
    for (int w = omp_get_thread_num(); w < workers; w += omp_get_num_threads()) {
      for (const std::size_t c : plan.by_worker[static_cast<std::size_t>(w)]) {
        for (const std::size_t i : plan.chunks[c].tasks) loop.run_task(i, static_cast<int>(c));
      }
    }
  }
  return loop.finish();
}

}  // namespace

tech::LoopSetup technique_loop(const std::vector<Task>& tasks, int threads,
                               std::vector<double> costs, std::vector<double> weights) {
  if (costs.size() != tasks.size()) {
    costs.clear();
    for (const Task& t : tasks) costs.push_back(static_cast<double>(t.size));
  }
  return tech::LoopSetup{tasks.size(), threads, std::move(costs), std::move(weights), -1};
}

namespace {

// wf2's weights when --weights is not given: each thread's measured speed.
std::vector<double> measured_thread_speeds(int threads) {
  std::vector<double> speeds(static_cast<std::size_t>(threads), 0.0);
  // All threads probe at once, as they will run the loop: a thread that shares its core
  // with another program measures slower and gets a smaller share of each batch.
#pragma omp parallel num_threads(threads)
  speeds[static_cast<std::size_t>(omp_get_thread_num())] = measure_units_per_second();
  for (const double speed : speeds) {
    if (!(speed > 0)) return {};  // a smaller team than asked (OMP_DYNAMIC): equal weights
  }
  return speeds;
}

}  // namespace

RunResult run_technique(const std::vector<Task>& tasks, const tech::TechniqueSpec& spec,
                        const tech::LoopSetup& given, const OmpConfig& config) {
  // A technique that needs weights (wf2), given no --weights, weighs each thread by its
  // measured speed, before any clock.
  tech::LoopSetup loop = given;
  // --steps: an adaptive technique starts step s > 0 from what step s-1 taught it.
  loop.time_step = current_step();
  if (spec.info->needs_weights && loop.weights.empty())
    loop.weights = measured_thread_speeds(config.threads);
  // Everything the technique computes in advance is computed here, before any clock.
  switch (spec.info->dispatch) {
    case tech::Dispatch::kTable:
      return run_table(tasks, tech::chunk_table(spec, loop), config);
    case tech::Dispatch::kPlan:
      return run_plan(tasks, tech::make_plan(spec, loop), config);
    case tech::Dispatch::kAsk:
      break;
  }
  return run_ask(tasks, spec, loop, config);
}

}  // namespace schedlab
