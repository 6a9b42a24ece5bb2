// The OpenMP level of hybrid MPI + OpenMP: one rank's tasks over its threads.
#include "schedlab/mpi/hybrid.hpp"

#include <omp.h>

#include <algorithm>
#include <stdexcept>

#include "schedlab/task_body.hpp"

namespace schedlab {

std::vector<TaskOutcome> RankRun::finished_in_order() const {
  std::vector<TaskOutcome> done;
  finished_in_order(done);
  return done;
}

void RankRun::finished_in_order(std::vector<TaskOutcome>& done) const {
  done.clear();
  for (const TaskOutcome& o : outcomes) {
    if (o.worker >= 0) done.push_back(o);
  }
  const auto by_end = [](const TaskOutcome& a, const TaskOutcome& b) { return a.end < b.end; };
  if (!std::is_sorted(done.begin(), done.end(), by_end))
    std::stable_sort(done.begin(), done.end(), by_end);
}

RankRun prepare_rank_run(std::size_t n) {
  RankRun run;
  run.outcomes.assign(n, TaskOutcome{});  // worker -1 in every slot: nothing ran yet
  return run;
}

namespace {

// The body of both run_tasks_in_rank overloads: task k of the n is tasks[id_of(k)].
template <class IdOf>
void run_in_rank(const std::vector<Task>& tasks, std::size_t n, IdOf id_of, const RankContext& ctx,
                 Clock::time_point t0, RankRun& run, Progress* progress,
                 const ServeWhileRunning* serve, std::size_t first_slot) {
  if (run.outcomes.size() < first_slot + n) {
    throw std::logic_error("run_tasks_in_rank: the RankRun was not prepared for these tasks");
  }
  RunControl control(ctx.rank);
  // One task, by its position k in ids: the shared per-task body (schedlab/task_body.hpp)
  // plus what only a rank does - serve other ranks from thread 0 - written once for both
  // loops below.
  auto run_one = [&](std::size_t k) {
    const Task& task = tasks[id_of(k)];
    const int thread = omp_get_thread_num();              // 0 outside a parallel region
    TaskOutcome& outcome = run.outcomes[first_slot + k];  // its own slot: no lock needed
    outcome.task = task.id;
    // Thread 0 of a computing master runs its tasks in slices, answering workers between them.
    const bool sliced = thread == 0 && serve != nullptr && serve->between_slices;
    const bool ran =
        run_one_task(control, task, outcome, outcome.result, ctx.rank * ctx.threads + thread, t0,
                     [&](const Task& t) {
                       return sliced ? execute_task_in_slices(t, ctx.fail_task, serve->slice_units,
                                                              serve->between_slices)
                                     : execute_task(t, ctx.fail_task);
                     });
    if (!ran) return;
    if (progress != nullptr) progress->task_done();  // no lock at all when progress is off
    // Thread 0 may talk to other ranks (MPI_THREAD_FUNNELED): the computing master serves there.
    if (thread == 0 && serve != nullptr && serve->between_tasks && !serve->between_tasks(outcome)) {
      control.stop();
    }
  };

  if (ctx.threads == 1) {
    // One thread per rank (plain MPI): a plain loop. Opening an OpenMP region costs ~1.3 us
    // even for a team of one (libgomp 12, measured here), and master-worker opens one per
    // chunk: with chunks of 16 tiny tasks that cost more than the tasks.
    for (std::size_t k = 0; k < n; ++k) run_one(k);
  } else {
    // Dynamic: whichever thread of this rank is free takes the next task, so a rank whose
    // tasks differ in cost still keeps every thread busy. An OpenMP loop cannot break, so
    // after a failure or a signal the remaining iterations return at once.
#pragma omp parallel for schedule(dynamic) num_threads(ctx.threads)
    for (std::size_t k = 0; k < n; ++k) run_one(k);
  }
  // The loop's closing barrier has made every thread's writes visible here.
  run.interrupted = run.interrupted || control.interrupted();
  if (!run.error) run.error = control.error();  // a RankRun keeps its first failure
}

}  // namespace

void run_tasks_in_rank(const std::vector<Task>& tasks, const std::vector<std::size_t>& ids,
                       const RankContext& ctx, Clock::time_point t0, RankRun& run,
                       Progress* progress, const ServeWhileRunning* serve, std::size_t first_slot) {
  run_in_rank(
      tasks, ids.size(), [&ids](std::size_t k) { return ids[k]; }, ctx, t0, run, progress, serve,
      first_slot);
}

void run_tasks_in_rank(const std::vector<Task>& tasks, TaskRange range, const RankContext& ctx,
                       Clock::time_point t0, RankRun& run, Progress* progress,
                       const ServeWhileRunning* serve, std::size_t first_slot) {
  // No list of ids: a chunk of one task (master-worker at --chunk 1) allocates nothing.
  run_in_rank(
      tasks, range.count, [first = range.first](std::size_t k) { return first + k; }, ctx, t0, run,
      progress, serve, first_slot);
}

}  // namespace schedlab
