// The serial reference loop.
#include "schedlab/serial/serial_loop.hpp"

#include "schedlab/task_body.hpp"

namespace schedlab {

RunResult run_serial(const std::vector<Task>& tasks, std::optional<std::size_t> fail_task,
                     Progress& progress) {
  RunResult run = empty_result(tasks.size(), 1);
  // Every slot written before the clock starts: the loop writes into memory that is already
  // mapped, so Tp holds no first-touch page faults (~0.2 us each in this VM, per 4 KiB).
  run.completion_order.resize(tasks.size());
  RunControl control;
  std::size_t done = 0;
  const auto t0 = Clock::now();
  for (const Task& task : tasks) {
    // A failure or a signal ends the loop: nothing else shares it.
    // One chunk: the serial loop hands the whole list to its one worker, no dispatch.
    run.trace[task.id].chunk = 0;
    if (!run_one_task(control, task, run.trace[task.id], run.results[task.id], 0, t0,
                      [&](const Task& t) { return execute_task(t, fail_task); })) {
      break;
    }
    run.completion_order[done++] = task.id;
    progress.task_done();
  }
  run.wall_seconds = seconds_between(t0, Clock::now());
  run.completion_order.resize(done);
  run.error = control.error();
  run.interrupted = control.interrupted();
  progress.finish();
  return run;
}

}  // namespace schedlab
