// The OpenMP level of hybrid MPI + OpenMP: one rank's tasks over its threads.
#include "hybrid.hpp"

#include <omp.h>

#include <atomic>
#include <exception>
#include <mutex>

#include "schedlab/interrupt.hpp"

namespace schedlab {

RankRun run_tasks_in_rank(const std::vector<Task>& tasks, const std::vector<std::size_t>& ids,
                          const RankContext& ctx, Clock::time_point t0,
                          const std::function<void(const TaskOutcome&)>& on_done,
                          const std::function<bool()>& between_tasks) {
  RankRun run;
  run.outcomes.reserve(ids.size());
  std::mutex lock;
  std::atomic<bool> stop{false};
  const std::size_t n = ids.size();
  // Dynamic: whichever thread of this rank is free takes the next task, so a rank whose
  // tasks differ in cost still keeps every thread busy. An OpenMP loop cannot break, so
  // after a failure or a signal the remaining iterations are skipped.
#pragma omp parallel for schedule(dynamic) num_threads(ctx.threads)
  for (std::size_t i = 0; i < n; ++i) {
    if (stop.load(std::memory_order_relaxed)) continue;
    if (interrupt_requested()) {
      stop = true;
      const std::lock_guard<std::mutex> guard(lock);
      run.interrupted = true;
      continue;
    }
    const Task& task = tasks[ids[i]];
    const int thread = omp_get_thread_num();
    TaskOutcome outcome;
    outcome.task = task.id;
    outcome.worker = ctx.rank * ctx.threads + thread;  // global worker id
    outcome.cpu = current_cpu();
    outcome.start = seconds_between(t0, Clock::now());
    try {
      outcome.result = execute_task(task, ctx.fail_task);
    } catch (const std::exception& e) {
      stop = true;
      const std::lock_guard<std::mutex> guard(lock);
      if (!run.error) run.error = TaskError{task.id, ctx.rank, e.what()};
      continue;
    }
    outcome.end = seconds_between(t0, Clock::now());
    const std::lock_guard<std::mutex> guard(lock);
    run.outcomes.push_back(outcome);
    if (on_done) on_done(outcome);
    // Thread 0 is the thread that called MPI_Init_thread: under MPI_THREAD_FUNNELED it is
    // the only one allowed to talk to other ranks, so the computing master serves there.
    if (thread == 0 && between_tasks && !between_tasks()) stop = true;
  }
  return run;
}

}  // namespace schedlab
