// TaskLoop: the state one OpenMP run shares (tasks, results, trace, stop flag) and its
// run_task(i, chunk), the loop body every OpenMP strategy wraps, the literal pragmas
// (schedules.cpp) and the technique executor (techniques_executor.cpp) alike. Internal to
// schedlab::omp: not installed.
#pragma once

#include <omp.h>

#include <string>
#include <vector>

#include "schedlab/openmp/schedules.hpp"
#include "schedlab/task_body.hpp"

namespace schedlab::omp_detail {

class TaskLoop {
 public:
  TaskLoop(const std::vector<Task>& tasks, const OmpConfig& config)
      : tasks_(tasks), config_(config), run_(empty_result(tasks.size(), config.threads)) {
    wake_team(config.threads);
    t0_ = Clock::now();
  }

  std::size_t size() const { return tasks_.size(); }
  Clock::time_point t0() const { return t0_; }
  const TaskRecord& record(std::size_t i) const { return run_.trace[i]; }

  // One task, as a worker of the pool runs it: result and trace stored by index (as map()
  // returns them), completion announced (as as_completed() yields it), `chunk` noted: the
  // dispatch that handed it out (-1: this strategy cannot tell; finish() may derive it).
  // The body itself (schedlab/task_body.hpp) is the one the serial loop and hybrid MPI run:
  // a thread writes only its own task's slots, and nothing escapes (an exception leaving a
  // parallel region would std::terminate the program).
  void run_task(std::size_t i, int chunk = -1) noexcept {
    const int worker = config_.worker_offset + omp_get_thread_num();
    run_.trace[i].chunk = chunk;
    if (run_one_task(control_, tasks_[i], run_.trace[i], run_.results[i], worker, t0_,
                     [this](const Task& t) { return execute_task(t, config_.fail_task); })) {
      config_.progress.task_done();  // no lock at all when progress is off
    }
  }

  // A failure outside any task (a technique's bad answer): stops the run like a failing
  // task, named after the first task not yet handed out.
  void fail(std::size_t task, const std::string& message) noexcept {
    control_.keep_first_error(task, message.c_str());
  }
  bool stopping() noexcept { return control_.should_stop(); }

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

}  // namespace schedlab::omp_detail
