// The OpenMP strategies. Every function wraps the same body, TaskLoop::run_task(i), in a
// different pragma: the pragma line is the only difference a student has to read.
#include "schedlab/openmp/schedules.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <string>

#include "schedlab/kernel.hpp"
#include "schedlab/task_body.hpp"

namespace schedlab {
namespace {

// State shared by the team for one run; its run_task(i) is the loop body every strategy wraps.
class TaskLoop {
 public:
  TaskLoop(const std::vector<Task>& tasks, const OmpConfig& config)
      : tasks_(tasks), config_(config), run_(empty_result(tasks.size(), config.threads)) {
    wake_team(config.threads);
    t0_ = Clock::now();
  }

  std::size_t size() const { return tasks_.size(); }

  // One task, as a worker of the pool runs it: result and trace stored by index (as map()
  // returns them), completion announced (as as_completed() yields it). The body itself
  // (schedlab/task_body.hpp) is the one the serial loop and hybrid MPI run: a thread writes
  // only its own task's slots, and nothing escapes (an exception leaving a parallel region
  // would std::terminate the program).
  void run_task(std::size_t i) noexcept {
    const int worker = config_.worker_offset + omp_get_thread_num();
    if (run_one_task(control_, tasks_[i], run_.trace[i], run_.results[i], worker, t0_,
                     [this](const Task& t) { return execute_task(t, config_.fail_task); })) {
      config_.progress.task_done();  // no lock at all when progress is off
    }
  }

  // After the region: its closing barrier makes every thread's writes visible here. The
  // order of completion is read off the trace, outside Tp: one shared counter bumped by
  // every task would cost each ~50-100 ns of cache-line ping-pong between cores.
  RunResult finish() {
    run_.wall_seconds = seconds_between(t0_, Clock::now());
    run_.completion_order = completion_order_by_end(run_.trace);
    run_.interrupted = control_.interrupted();
    run_.error = control_.error();
    config_.progress.finish();
    return std::move(run_);
  }

 private:
  const std::vector<Task>& tasks_;
  const OmpConfig& config_;
  RunResult run_;
  Clock::time_point t0_;
  RunControl control_;
};

// The chunk (or grainsize) as the clause wants it: OpenMP requires a positive value.
int chunk_of(const OmpConfig& config) {
  return config.chunk < 1 ? 1 : static_cast<int>(std::min(config.chunk, kMaxChunk));
}

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
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i);
  return loop.finish();
}

// static,C: chunks of C dealt round-robin in advance (map() with chunksize = C). Wins when
// cost drifts smoothly along the list (increasing): every thread gets some of each part.
RunResult run_static_chunked(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(static, chunk_of(config))
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i);
  return loop.finish();
}

// dynamic,C: a free thread grabs the next C tasks, first come first served (submit() +
// as_completed()). Wins on uneven or unpredictable tasks; costs one atomic grab per chunk.
RunResult run_dynamic(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(dynamic, chunk_of(config))
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i);
  return loop.finish();
}

// guided,C: like dynamic, but chunks start at remaining/P and shrink to C. Wins on many
// cheap, uneven tasks: fewer grabs than dynamic,1, yet small chunks to even out the end.
RunResult run_guided(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(guided, chunk_of(config))
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i);
  return loop.finish();
}

// auto: the compiler and runtime choose (GCC's libgomp picks static). Wins only where the
// implementation knows the loop better than you do; measure before trusting it.
RunResult run_auto(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(auto)
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i);
  return loop.finish();
}

// runtime: the schedule is read when the loop starts, from OMP_SCHEDULE (or
// omp_set_schedule). Wins when tuning: try schedules without recompiling.
RunResult run_runtime(const std::vector<Task>& tasks, const OmpConfig& config) {
  TaskLoop loop(tasks, config);
  const std::size_t n = loop.size();
#pragma omp parallel for num_threads(config.threads) schedule(runtime)
  for (std::size_t i = 0; i < n; ++i) loop.run_task(i);
  return loop.finish();
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
    loop.run_task(i);
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
  return loop.finish();
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
  return loop.finish();
}

std::span<const OmpStrategy> omp_strategies() {
  static constexpr std::array<OmpStrategy, 9> kStrategies{{
      {"static", ChunkRule::kNone, run_static, "schedule(static)"},
      {"static", ChunkRule::kRequired, run_static_chunked, "schedule(static, C)"},
      {"dynamic", ChunkRule::kOptional, run_dynamic, "schedule(dynamic, C)"},
      {"guided", ChunkRule::kOptional, run_guided, "schedule(guided, C)"},
      {"auto", ChunkRule::kNone, run_auto, "schedule(auto)"},
      {"runtime", ChunkRule::kNone, run_runtime, "schedule(runtime)"},
      {"tasks", ChunkRule::kNone, run_tasks, "single + task per item"},
      {"taskloop", ChunkRule::kNone, run_taskloop, "single + taskloop"},
      {"taskloop", ChunkRule::kRequired, run_taskloop_grainsize, "single + taskloop grainsize(G)"},
  }};
  return kStrategies;
}

}  // namespace schedlab
