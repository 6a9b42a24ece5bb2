// The OpenMP strategies. Every function wraps the same body, TaskLoop::run_task(i, chunk), in
// a different pragma: the pragma line is the only difference a student has to read. The
// chunk argument records which dispatch handed task i out (docs/openmp.md#chunks).
#include "schedlab/openmp/schedules.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <string>

#include "schedlab/kernel.hpp"
#include "schedlab/openmp/omp_runtime.hpp"
#include "task_loop.hpp"

namespace schedlab {
namespace {

using omp_detail::TaskLoop;

// The chunk (or grainsize) as the clause wants it: OpenMP requires a positive value.
int chunk_of(const OmpConfig& config) {
  return config.chunk < 1 ? 1 : static_cast<int>(std::min(config.chunk, kMaxChunk));
}

// Chunk c of a schedule that cuts the loop into chunks of c iterations (static,C; dynamic,C).
int chunk_index(std::size_t i, std::size_t c) { return static_cast<int>(i / c); }

// auto and taskloop: the runtime decides the chunks and the body cannot see them, so they
// are read off the trace afterwards (runs of consecutive tasks on one thread; a lower bound).
RunResult finish_with_chunks_from_runs(TaskLoop& loop) {
  RunResult run = loop.finish();
  chunks_from_runs(run);
  return run;
}

// schedule(runtime): the chunk rule of whatever omp_get_schedule() says, read before the
// clock starts (the same value the loop reads when it begins).
class RuntimeChunks {
 public:
  RuntimeChunks(std::size_t n, int threads) {
    omp_sched_t kind{};
    int chunk = 0;
    omp_get_schedule(&kind, &chunk);
    const auto base = static_cast<omp_sched_t>(static_cast<unsigned>(kind) &
                                               ~static_cast<unsigned>(omp_sched_monotonic));
    every_ = static_cast<std::size_t>(std::max(chunk, 1));
    if (base == omp_sched_static && chunk < 1) {
      rule_ = Rule::kThread;
    } else if (base == omp_sched_static || base == omp_sched_dynamic) {
      rule_ = Rule::kEvery;
    } else if (base == omp_sched_guided) {
      rule_ = Rule::kTable;
      table_ = chunk_index_of_iterations(guided_chunk_sizes(omp_runtime(), n, threads, every_));
    } else {
      rule_ = Rule::kRuns;  // auto or an implementation's own kind
    }
  }
  int of(std::size_t i) const {
    switch (rule_) {
      case Rule::kThread:
        return omp_get_thread_num();
      case Rule::kEvery:
        return chunk_index(i, every_);
      case Rule::kTable:
        return table_[i];
      case Rule::kRuns:
        break;
    }
    return -1;
  }
  RunResult finish(TaskLoop& loop) const {
    return rule_ == Rule::kRuns ? finish_with_chunks_from_runs(loop) : loop.finish();
  }

 private:
  enum class Rule { kThread, kEvery, kTable, kRuns };
  Rule rule_ = Rule::kRuns;
  std::size_t every_ = 1;
  std::vector<int> table_;
};

}  // namespace

void wake_team(int threads) {
  // Besides creating the threads, each one makes its first clock read, CPU query and kernel
  // call here: their first-time costs (vDSO and stack pages, code) stay out of every Tp.
#pragma omp parallel num_threads(threads)
  {
    static_cast<void>(current_cpu());
    static_cast<void>(Clock::now());
    static_cast<void>(spin(1));
  }
}

// The strategies. Same body, one pragma each; the comment says when it wins.

// static: one contiguous block per thread, decided before the loop starts (map() with
// chunksize = N/P). Wins on uniform tasks: no scheduling cost and each thread's data together.
RunResult run_static(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(static)
  for (std::size_t i = 0; i < n; ++i)
    loop.run_task(i, omp_get_thread_num());  // one block per thread
  return loop.finish();
}

// static,C: chunks of C dealt round-robin in advance (map() with chunksize = C). Wins when
// cost drifts smoothly along the list (increasing): every thread gets some of each part.
RunResult run_static_chunked(const std::vector<Task>& tasks, const OmpConfig& config) {
  const std::size_t c = static_cast<std::size_t>(chunk_of(config));
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(static, chunk_of(config))
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i, chunk_index(i, c));
  return loop.finish();
}

// dynamic,C: a free thread grabs the next C tasks, first come first served (submit() +
// as_completed()). Wins on uneven or unpredictable tasks; costs one atomic grab per chunk.
RunResult run_dynamic(const std::vector<Task>& tasks, const OmpConfig& config) {
  const std::size_t c = static_cast<std::size_t>(chunk_of(config));
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(dynamic, chunk_of(config))
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i, chunk_index(i, c));
  return loop.finish();
}

// guided,C: like dynamic, but chunks start at remaining/P and shrink to C. Wins on many
// cheap, uneven tasks: fewer grabs than dynamic,1, yet small chunks to even out the end.
RunResult run_guided(const std::vector<Task>& tasks, const OmpConfig& config) {
  // Which chunk each iteration falls in, from the runtime's own guided rule (libgomp: the
  // registry's gss; libomp: LLVM's), computed before the clock starts. The test
  // omp.unit.GuidedTrace holds a real run's trace against it.
  const std::vector<int> chunk = chunk_index_of_iterations(guided_chunk_sizes(
      omp_runtime(), tasks.size(), config.threads, static_cast<std::size_t>(chunk_of(config))));
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(guided, chunk_of(config))
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i, chunk[i]);
  return loop.finish();
}

// auto: the compiler and runtime choose (GCC's libgomp picks static). Wins only where the
// implementation knows the loop better than you do; measure before trusting it.
RunResult run_auto(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(auto)
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i);
  return finish_with_chunks_from_runs(loop);
}

// runtime: the schedule is read when the loop starts, from OMP_SCHEDULE (or
// omp_set_schedule). Wins when tuning: try schedules without recompiling.
RunResult run_runtime(const std::vector<Task>& tasks, const OmpConfig& config) {
  const RuntimeChunks chunk(tasks.size(), config.threads);
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(runtime)
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i, chunk.of(i));
  return chunk.finish(loop);
}

// tasks: one producer creates a task per item, like submit() in a loop; every thread takes
// queued tasks as it comes free. Wins when items are few and uneven, or produced on the fly.
RunResult run_tasks(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel num_threads(config.threads)
#pragma omp single
  for (std::size_t i = 0; i < n; ++i) {
#pragma omp task firstprivate(i)
    loop.run_task(i, static_cast<int>(i));  // one task, one dispatch
  }
  return loop.finish();
}

// taskloop: the loop cut into tasks by the runtime (libgomp: one contiguous block per
// thread, so it balances like static). Wins when a loop must live inside task-based code.
RunResult run_taskloop(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel num_threads(config.threads)
#pragma omp single
#pragma omp taskloop
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i);
  return finish_with_chunks_from_runs(loop);
}

// taskloop,G: tasks of G iterations each, taken first come first served. Wins on uneven
// tasks inside task-based code: G = 1 behaves like dynamic,1.
RunResult run_taskloop_grainsize(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel num_threads(config.threads)
#pragma omp single
#pragma omp taskloop grainsize(chunk_of(config))
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i);
  return finish_with_chunks_from_runs(loop);
}

std::span<const OmpStrategy> omp_strategies() {
  static constexpr std::array<OmpStrategy, 9> kStrategies{{
      {"static", ChunkRule::kNone, run_static, "schedule(static)", RowForm::kOmpStatic},
      {"static", ChunkRule::kRequired, run_static_chunked, "schedule(static, C)",
       RowForm::kOmpStaticChunked},
      {"dynamic", ChunkRule::kOptional, run_dynamic, "schedule(dynamic, C)", RowForm::kOmpDynamic},
      {"guided", ChunkRule::kOptional, run_guided, "schedule(guided, C)", RowForm::kOmpGuided},
      {"auto", ChunkRule::kNone, run_auto, "schedule(auto)", RowForm::kOmpAuto},
      {"runtime", ChunkRule::kNone, run_runtime, "schedule(runtime)", RowForm::kOmpRuntime},
      {"tasks", ChunkRule::kNone, run_tasks, "single + task per item", RowForm::kOmpTasks},
      {"taskloop", ChunkRule::kNone, run_taskloop, "single + taskloop", RowForm::kOmpTaskloop},
      {"taskloop", ChunkRule::kRequired, run_taskloop_grainsize, "single + taskloop grainsize(G)",
       RowForm::kOmpTaskloopGrainsize},
  }};
  return kStrategies;
}

}  // namespace schedlab
