// The driver's run of several rows over --steps T (run_rows, step_order): step by step
// interleaved, so that every row meets the machine's same moments, while each row keeps what
// is its own: its steps and repeats, its perturbation clock, its name for what adaptive
// techniques learn. Fake rows stand in for strategies: each step records what it saw.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <thread>
#include <vector>

#include "schedlab/driver.hpp"
#include "schedlab/perturb.hpp"
#include "schedlab/steps.hpp"
#include "schedlab/techniques/learning_row.hpp"

namespace schedlab {
namespace {

constexpr std::size_t kTasks = 4;

// What one execution saw when it began.
struct Seen {
  RowStep at;
  int current_step = -1;
  int learning_row = -1;
  double clock = 0;  // the perturbation clock
};

// A step that completes every task (or fails when `fail`).
RunResult finished_step(bool fail) {
  RunResult run = empty_result(kTasks, 2);
  for (std::size_t i = 0; i < kTasks; ++i) {
    run.results[i] = i;
    run.trace[i] = TaskRecord{i, 0, 0, 0.0, 1e-3, 0};
    run.completion_order.push_back(i);
  }
  run.wall_seconds = 1e-3;
  if (fail) run.error = TaskError{1, -1, "injected"};
  return run;
}

RunSettings settings(int steps, int repeat) {
  RunSettings s;
  s.workload.kind = WorkloadKind::kUniform;
  s.workload.tasks = kTasks;
  s.steps = steps;
  s.repeat = repeat;
  return s;
}

std::vector<Task> base_tasks() {
  std::vector<Task> tasks;
  for (std::size_t i = 0; i < kTasks; ++i) tasks.push_back(Task{i, 1000});
  return tasks;
}

// Hooks whose steps record what they saw into `seen`; `fails` says which fail.
RowHooks recording(std::vector<Seen>& seen, std::vector<RowStep> fails = {}) {
  RowHooks hooks;
  hooks.run_step = [&seen, fails](RowStep at, const std::vector<Task>& tasks) {
    EXPECT_EQ(tasks.size(), kTasks);
    seen.push_back({at, current_step(), techniques::learning_row(), perturbation_clock_seconds()});
    bool fail = false;
    for (const RowStep f : fails) fail = fail || f == at;
    return finished_step(fail);
  };
  return hooks;
}

TEST(Interleave, SeveralRowsRunStepByStep) {
  const std::vector<RowStep> order = step_order(3, 2);
  const std::vector<RowStep> expected{{0, 0}, {1, 0}, {2, 0}, {0, 1}, {1, 1}, {2, 1}};
  EXPECT_EQ(order, expected);
}

TEST(Interleave, OneRowOrOneStepRunsRowAfterRow) {
  EXPECT_EQ(step_order(1, 3), (std::vector<RowStep>{{0, 0}, {0, 1}, {0, 2}}));
  EXPECT_EQ(step_order(3, 1), (std::vector<RowStep>{{0, 0}, {1, 0}, {2, 0}}));
}

TEST(Interleave, EachRowKeepsItsStepsRepeatsAndLearning) {
  std::vector<Seen> seen;
  int betweens = 0;
  RowHooks hooks = recording(seen);
  hooks.between = [&betweens] { ++betweens; };
  const std::vector<std::vector<RunResult>> runs = run_rows(settings(3, 2), base_tasks(), 2, hooks);
  // Repeat 0's steps interleaved, then repeat 1's: 2 rows x 3 steps x 2 repeats.
  ASSERT_EQ(seen.size(), 12u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const std::size_t in_repeat = i % 6;
    EXPECT_EQ(seen[i].at, (RowStep{in_repeat % 2, static_cast<int>(in_repeat / 2)})) << i;
    EXPECT_EQ(seen[i].current_step, seen[i].at.step) << i;
    EXPECT_EQ(seen[i].learning_row, static_cast<int>(seen[i].at.row)) << i;
  }
  EXPECT_EQ(betweens, 11);  // between any two executions, never before the first
  // Each row: one run per repeat, its 3 steps joined in order.
  ASSERT_EQ(runs.size(), 2u);
  for (const std::vector<RunResult>& row : runs) {
    ASSERT_EQ(row.size(), 2u);
    for (const RunResult& run : row) {
      EXPECT_TRUE(run.complete());
      EXPECT_EQ(run.step_seconds.size(), 3u);
      EXPECT_EQ(run.results.size(), 3 * kTasks);
    }
  }
}

TEST(Interleave, AFailedStepStopsItsRowOnly) {
  std::vector<Seen> seen;
  const std::vector<std::vector<RunResult>> runs =
      run_rows(settings(3, 2), base_tasks(), 3, recording(seen, {{1, 1}}));
  // Row 1 stops after its failed step 1: no step 2, no second repeat.
  ASSERT_EQ(runs[1].size(), 1u);
  EXPECT_FALSE(runs[1][0].complete());
  EXPECT_EQ(runs[1][0].step_seconds.size(), 2u);
  for (const std::size_t row : {0u, 2u}) {
    ASSERT_EQ(runs[row].size(), 2u) << row;
    EXPECT_TRUE(runs[row][1].complete()) << row;
    EXPECT_EQ(runs[row][1].step_seconds.size(), 3u) << row;
  }
  EXPECT_EQ(seen.size(), 2u * 6 + 2);
  // After the failure the others go on in order: row 0 then row 2 at step 2.
  EXPECT_EQ(seen[6].at, (RowStep{0, 2}));
  EXPECT_EQ(seen[7].at, (RowStep{2, 2}));
}

TEST(Interleave, AStopEndsTheRunAndMarksUnfinishedRowsInterrupted) {
  std::vector<Seen> seen;
  RowHooks hooks = recording(seen);
  int asked = 0;
  hooks.stop = [&asked] { return ++asked == 5; };  // a signal before the 5th execution
  const std::vector<std::vector<RunResult>> runs = run_rows(settings(2, 1), base_tasks(), 3, hooks);
  ASSERT_EQ(seen.size(), 4u);  // step 0 of rows 0..2, step 1 of row 0
  // Row 0 finished its 2 steps: complete. Rows 1, 2 ran one step of 2: interrupted.
  EXPECT_TRUE(runs[0].at(0).complete());
  for (const std::size_t row : {1u, 2u}) {
    ASSERT_EQ(runs[row].size(), 1u) << row;
    EXPECT_TRUE(runs[row][0].interrupted) << row;
    EXPECT_EQ(runs[row][0].step_seconds.size(), 1u) << row;
  }
}

TEST(Interleave, ARowNotStartedBeforeAStopHasNoRun) {
  std::vector<Seen> seen;
  RowHooks hooks = recording(seen);
  int asked = 0;
  hooks.stop = [&asked] { return ++asked == 2; };  // one step each: row after row
  const std::vector<std::vector<RunResult>> runs = run_rows(settings(1, 1), base_tasks(), 2, hooks);
  ASSERT_EQ(runs[0].size(), 1u);
  EXPECT_TRUE(runs[0][0].complete());  // it ran its whole (one-step) run
  EXPECT_TRUE(runs[1].empty());
}

// Time-based perturbations (from=S, pause windows) count from the row's own start: its clock
// runs only while its own steps run, as if it ran alone. Each step sleeps 100 ms. A clock that
// also ran during the other rows' steps would read at least their time on top of the row's
// own; the bound below is exactly that, so a loaded machine's preemption between two steps
// must exceed the other rows' whole steps (>= 200 ms) to fail a correct clock.
TEST(Interleave, EachRowHasItsOwnPerturbationClock) {
  constexpr double kStep = 0.1;
  std::vector<Seen> seen;
  std::vector<double> took;  // each step's duration, measured here, in the order they ran
  RowHooks hooks;
  hooks.run_step = [&](RowStep at, const std::vector<Task>& /*tasks*/) {
    const auto began = std::chrono::steady_clock::now();
    seen.push_back({at, current_step(), techniques::learning_row(), perturbation_clock_seconds()});
    std::this_thread::sleep_for(std::chrono::duration<double>(kStep));
    took.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
    return finished_step(false);
  };
  (void)run_rows(settings(3, 1), base_tasks(), 3, hooks);
  ASSERT_EQ(seen.size(), 9u);
  std::vector<double> own(3, 0.0);     // the row's own seconds before this step
  std::vector<double> others(3, 0.0);  // the other rows' seconds since the row's last step
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const Seen& s = seen[i];
    const std::size_t r = s.at.row;
    // Step 0 restarts the clock; later steps resume it where the row's last step left it.
    const double most = s.at.step == 0 ? kStep : own[r] + others[r];
    EXPECT_GE(s.clock, own[r] - 1e-3) << r << " step " << s.at.step;
    EXPECT_LT(s.clock, most) << r << " step " << s.at.step;
    own[r] += took[i];
    others[r] = 0;
    for (std::size_t q = 0; q < 3; ++q) {
      if (q != r) others[q] += took[i];
    }
  }
}

}  // namespace
}  // namespace schedlab
