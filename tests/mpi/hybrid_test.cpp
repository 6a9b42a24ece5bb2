// The OpenMP loop inside one rank (no MPI calls): every task runs once with the global
// worker id rank * threads + thread, a failure stops the rest, callbacks see every task.
#include "hybrid.hpp"

#include <gtest/gtest.h>

#include <set>

#include "schedlab/kernel.hpp"

using namespace schedlab;

namespace {
std::vector<Task> tasks_of(std::size_t n) {
  WorkloadSpec s;
  s.kind = "nonuniform";
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

TEST(RankTasks, EveryTaskRunsOnceWithGlobalWorkerIds) {
  const auto tasks = tasks_of(40);
  const RankContext ctx{MPI_COMM_WORLD, 1, 3, 4, std::nullopt};  // rank 1 of 3, 4 threads
  std::size_t callbacks = 0;
  const RankRun run = run_tasks_in_rank(tasks, all_ids(40), ctx, Clock::now(),
                                        [&](const TaskOutcome&) { ++callbacks; });
  ASSERT_EQ(run.outcomes.size(), 40u);
  EXPECT_EQ(callbacks, 40u);
  EXPECT_FALSE(run.error);
  std::set<std::uint64_t> seen;
  for (const TaskOutcome& o : run.outcomes) {
    EXPECT_TRUE(seen.insert(o.task).second);
    EXPECT_EQ(o.result, spin(tasks[o.task].size));
    EXPECT_GE(o.worker, 4);  // rank 1 x 4 threads + thread 0..3
    EXPECT_LE(o.worker, 7);
    EXPECT_LE(o.start, o.end);
  }
}

TEST(RankTasks, AFailureIsNamedWithTheRankAndStopsTheRest) {
  const auto tasks = tasks_of(50);
  const RankContext ctx{MPI_COMM_WORLD, 2, 3, 1, std::size_t{3}};
  const RankRun run = run_tasks_in_rank(tasks, all_ids(50), ctx, Clock::now());
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->task, 3u);
  EXPECT_EQ(run.error->rank, 2);
  EXPECT_EQ(run.outcomes.size(), 3u);  // one thread: tasks 0-2 ran, nothing after 3
}

TEST(RankTasks, BetweenTasksRunsOnThreadZeroAndCanStopTheRest) {
  const auto tasks = tasks_of(20);
  const RankContext ctx{MPI_COMM_WORLD, 0, 1, 1, std::nullopt};
  int calls = 0;
  const RankRun run = run_tasks_in_rank(tasks, all_ids(20), ctx, Clock::now(), {}, [&] {
    return ++calls < 5;  // the master stops its own chunk after 5 tasks
  });
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(run.outcomes.size(), 5u);
}
