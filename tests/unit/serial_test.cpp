// The serial loop: results in input order, a full trace, failures and interrupts stop it;
// and the run helpers every runner shares (completion order from a trace, sliced tasks).
#include <gtest/gtest.h>

#include <csignal>

#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/kernel.hpp"
#include "schedlab/serial/serial_loop.hpp"

using namespace schedlab;

namespace {
std::vector<Task> small_tasks() {
  WorkloadSpec s;
  s.kind = WorkloadKind::kNonuniform;
  s.tasks = 6;
  s.size = 1000;
  s.spread = 5000;
  return make_workload(s);
}
}  // namespace

TEST(Serial, ResultsInInputOrderWithTrace) {
  const auto tasks = small_tasks();
  Progress quiet(tasks.size(), 0, stdout, false);
  const RunResult run = run_serial(tasks, std::nullopt, quiet);
  ASSERT_TRUE(run.complete());
  for (const auto& t : tasks) {
    EXPECT_EQ(run.results[t.id], spin(t.size));
    EXPECT_EQ(run.trace[t.id].worker, 0);
    EXPECT_LE(run.trace[t.id].start, run.trace[t.id].end);
    EXPECT_EQ(run.completion_order[t.id], t.id);
  }
  for (std::size_t i = 1; i < tasks.size(); ++i) {
    EXPECT_GE(run.trace[i].start, run.trace[i - 1].end);
  }
  EXPECT_GE(run.wall_seconds, run.trace.back().end);
}

TEST(Serial, FailingTaskStopsTheLoopAndIsNamed) {
  const auto tasks = small_tasks();
  Progress quiet(tasks.size(), 0, stdout, false);
  const RunResult run = run_serial(tasks, 2, quiet);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->task, 2u);
  EXPECT_EQ(run.completed(), 2u);
  EXPECT_FALSE(run.complete());
}

TEST(Serial, ProgressPrintsEveryKAndTheLast) {
  const auto tasks = small_tasks();
  std::FILE* out = std::tmpfile();
  Progress progress(tasks.size(), 4, out, false);
  run_serial(tasks, std::nullopt, progress);
  std::rewind(out);
  char buf[256] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, out);
  std::fclose(out);
  EXPECT_EQ(std::string(buf, n), "4/6 finished...\n6/6 finished...\n");
}

TEST(Serial, InterruptStopsBeforeTheNextTask) {
  const auto tasks = small_tasks();
  Progress quiet(tasks.size(), 0, stdout, false);
  request_interrupt(SIGTERM);
  const RunResult run = run_serial(tasks, std::nullopt, quiet);
  request_interrupt(0);
  EXPECT_TRUE(run.interrupted);
  EXPECT_EQ(run.completed(), 0u);
}

TEST(RunHelpers, CompletionOrderByEndSkipsTasksThatNeverRan) {
  RunResult run = empty_result(4, 2);
  // Task 2 never ran; task 3 finished first, then 0, then 1 (ties keep task order).
  run.trace[0] = TaskRecord{0, 0, -1, 0.0, 2.0};
  run.trace[1] = TaskRecord{1, 1, -1, 0.0, 3.0};
  run.trace[3] = TaskRecord{3, 1, -1, 0.0, 1.0};
  EXPECT_EQ(completion_order_by_end(run.trace), (std::vector<std::size_t>{3, 0, 1}));
  run.trace[1].end = 2.0;  // a tie with task 0
  EXPECT_EQ(completion_order_by_end(run.trace), (std::vector<std::size_t>{3, 0, 1}));
}

TEST(RunHelpers, ATaskInSlicesGivesTheSameResultAndCallsBackBetweenSlices) {
  const Task task{5, 10'000};
  int calls = 0;
  EXPECT_EQ(execute_task_in_slices(task, std::nullopt, 3000, [&] { ++calls; }), spin(10'000));
  EXPECT_EQ(calls, 3);  // 3000 | 3000 | 3000 | 1000: three callbacks, none after the last
  calls = 0;
  EXPECT_EQ(execute_task_in_slices(task, std::nullopt, 20'000, [&] { ++calls; }), spin(10'000));
  EXPECT_EQ(calls, 0);  // one slice
  EXPECT_THROW(execute_task_in_slices(task, std::size_t{5}, 3000, [&] { ++calls; }), TaskFailure);
  EXPECT_EQ(calls, 0);  // an injected failure throws before any work
}
