// The OpenMP loop inside one rank (no MPI calls): every task runs once in its own slot with
// the global worker id rank * threads + thread, a failure stops the rest, progress sees
// every task, between_tasks sees thread 0's.
#include "schedlab/mpi/hybrid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "schedlab/kernel.hpp"

using namespace schedlab;

namespace {
std::vector<Task> tasks_of(std::size_t n) {
  WorkloadSpec s;
  s.kind = WorkloadKind::kNonuniform;
  s.tasks = n;
  s.size = 2000;
  s.spread = 20000;
  return make_workload(s);
}
std::vector<std::size_t> all_ids(std::size_t n) {
  std::vector<std::size_t> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = i;
  return ids;
}
}  // namespace

std::size_t ran_count(const RankRun& run) {
  std::size_t ran = 0;
  for (const TaskOutcome& o : run.outcomes) ran += o.worker >= 0 ? 1 : 0;
  return ran;
}

TEST(RankTasks, EveryTaskRunsOnceInItsSlotWithGlobalWorkerIds) {
  const auto tasks = tasks_of(40);
  const RankContext ctx{MPI_COMM_WORLD, 1, 3, 4, std::nullopt};  // rank 1 of 3, 4 threads
  std::vector<std::size_t> ids = all_ids(40);
  std::reverse(ids.begin(), ids.end());  // slots follow ids, not task ids
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  Progress progress(40, 10, out, false);
  RankRun run = prepare_rank_run(40);
  run_tasks_in_rank(tasks, ids, ctx, Clock::now(), run, &progress);
  std::rewind(out);
  char text[128] = {};
  const std::size_t got = std::fread(text, 1, sizeof text - 1, out);
  std::fclose(out);
  EXPECT_EQ(std::string(text, got),
            "10/40 finished...\n20/40 finished...\n30/40 finished...\n40/40 finished...\n");
  ASSERT_EQ(run.outcomes.size(), 40u);
  EXPECT_FALSE(run.error);
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const TaskOutcome& o = run.outcomes[k];
    EXPECT_EQ(o.task, ids[k]);
    EXPECT_EQ(o.result, spin(tasks[o.task].size));
    EXPECT_GE(o.worker, 4);  // rank 1 x 4 threads + thread 0..3
    EXPECT_LE(o.worker, 7);
    EXPECT_LE(o.start, o.end);
  }
  const std::vector<TaskOutcome> order = run.finished_in_order();
  ASSERT_EQ(order.size(), 40u);
  for (std::size_t k = 1; k < order.size(); ++k) EXPECT_LE(order[k - 1].end, order[k].end);
}

TEST(RankTasks, AnUnpreparedRunIsRefused) {
  const auto tasks = tasks_of(5);
  const RankContext ctx{MPI_COMM_WORLD, 0, 1, 1, std::nullopt};
  RankRun run = prepare_rank_run(4);
  EXPECT_THROW(run_tasks_in_rank(tasks, all_ids(5), ctx, Clock::now(), run), std::logic_error);
}

TEST(RankTasks, AFailureIsNamedWithTheRankAndStopsTheRest) {
  const auto tasks = tasks_of(50);
  const RankContext ctx{MPI_COMM_WORLD, 2, 3, 1, std::size_t{3}};
  RankRun run = prepare_rank_run(50);
  run_tasks_in_rank(tasks, all_ids(50), ctx, Clock::now(), run);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->task, 3u);
  EXPECT_EQ(run.error->rank, 2);
  EXPECT_EQ(ran_count(run), 3u);  // one thread: tasks 0-2 ran, nothing after 3
  EXPECT_EQ(run.outcomes[3].worker, -1);
  EXPECT_EQ(run.finished_in_order().size(), 3u);
}

TEST(RankTasks, BetweenTasksSeesThreadZerosTasksAndCanStopTheRest) {
  const auto tasks = tasks_of(20);
  const RankContext ctx{MPI_COMM_WORLD, 0, 1, 1, std::nullopt};
  std::vector<std::uint64_t> seen;
  RankRun run = prepare_rank_run(20);
  const ServeWhileRunning serve{[&](const TaskOutcome& mine) {
                                  seen.push_back(mine.task);
                                  return seen.size() < 5;  // the master stops after 5 tasks
                                },
                                {},
                                0};
  run_tasks_in_rank(tasks, all_ids(20), ctx, Clock::now(), run, nullptr, &serve);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(ran_count(run), 5u);
}

TEST(RankTasks, ThreadZeroServesBetweenSlicesAndGetsTheSameResults) {
  // Tasks of 2000..22000 units in slices of 1000: thread 0 is called back inside every
  // task longer than one slice, and slicing does not change a single result.
  const auto tasks = tasks_of(20);
  std::size_t expected_calls = 0;
  for (const Task& t : tasks) expected_calls += t.size > 0 ? (t.size - 1) / 1000 : 0;
  const RankContext ctx{MPI_COMM_WORLD, 0, 1, 1, std::nullopt};
  std::size_t calls = 0;
  RankRun run = prepare_rank_run(20);
  const ServeWhileRunning serve{{}, [&] { ++calls; }, 1000};
  run_tasks_in_rank(tasks, all_ids(20), ctx, Clock::now(), run, nullptr, &serve);
  EXPECT_EQ(calls, expected_calls);
  EXPECT_GT(calls, 20u);
  for (const TaskOutcome& o : run.outcomes) EXPECT_EQ(o.result, spin(tasks[o.task].size));
}
