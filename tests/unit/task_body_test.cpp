// The per-task body every executor shares: what it records, which error it keeps, when it
// skips.
#include "schedlab/task_body.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/kernel.hpp"

using namespace schedlab;

TEST(TaskBody, RecordsCpuTimesWorkerAndResult) {
  RunControl control;
  const Task task{3, 1000};
  TaskRecord record;
  record.task = 3;
  std::uint64_t result = 0;
  const auto t0 = Clock::now();
  ASSERT_TRUE(run_one_task(control, task, record, result, 5, t0,
                           [](const Task& t) { return execute_task(t, std::nullopt); }));
  EXPECT_EQ(result, spin(1000));
  EXPECT_EQ(record.worker, 5);
  EXPECT_TRUE(record.ran());
  EXPECT_GE(record.start, 0.0);
  EXPECT_GE(record.end, record.start);
  EXPECT_EQ(record.chunk, -1);  // not recorded unless an executor sets it
  EXPECT_FALSE(control.error().has_value());
  EXPECT_FALSE(control.interrupted());
}

TEST(TaskBody, KeepsTheFirstErrorAndSkipsTheRest) {
  RunControl control(2);  // rank 2
  const auto t0 = Clock::now();
  const auto fail = [](const Task& t) -> std::uint64_t {
    throw TaskFailure(t.id, "boom " + std::to_string(t.id));
  };
  TaskRecord first;
  TaskRecord third;
  std::uint64_t result = 0;
  EXPECT_FALSE(run_one_task(control, Task{7, 1}, first, result, 0, t0, fail));
  // A task already running when the first failed: its error is dropped.
  control.keep_first_error(8, "later");
  // A task that has not started yet: skipped, its record untouched.
  EXPECT_FALSE(run_one_task(control, Task{9, 1}, third, result, 0, t0,
                            [](const Task&) -> std::uint64_t { return 42; }));
  const auto error = control.error();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->task, 7U);
  EXPECT_EQ(error->rank, 2);
  EXPECT_EQ(error->message, "boom 7");
  EXPECT_FALSE(first.ran());  // a failed task is not marked as run
  EXPECT_FALSE(third.ran());
  EXPECT_EQ(third.cpu, -1);  // skipped before anything was stamped
  EXPECT_EQ(result, 0U);
}

TEST(TaskBody, AnUnknownExceptionIsStillNamed) {
  RunControl control;
  TaskRecord record;
  std::uint64_t result = 0;
  EXPECT_FALSE(run_one_task(control, Task{4, 1}, record, result, 0, Clock::now(),
                            [](const Task&) -> std::uint64_t { throw 1; }));
  ASSERT_TRUE(control.error().has_value());
  EXPECT_EQ(control.error()->task, 4U);
  EXPECT_EQ(control.error()->message, "unknown exception");
  EXPECT_EQ(control.error()->rank, -1);
}

TEST(TaskBody, AStopSkipsWithoutAnError) {
  RunControl control;
  control.stop();
  TaskRecord record;
  std::uint64_t result = 0;
  EXPECT_FALSE(run_one_task(control, Task{0, 1}, record, result, 0, Clock::now(),
                            [](const Task&) -> std::uint64_t { return 1; }));
  EXPECT_FALSE(control.error().has_value());
  EXPECT_FALSE(control.interrupted());
}
