// The schedule simulator on small cases worked out by hand.
#include "simulate.hpp"

#include <gtest/gtest.h>

using namespace schedlab::report;

namespace {
const Schedule kStatic{ScheduleKind::kStaticBlock, 1};
const Schedule kCyclic{ScheduleKind::kStaticChunked, 1};
Schedule dynamic(std::size_t chunk) { return {ScheduleKind::kDynamic, chunk}; }
Schedule guided(std::size_t chunk) { return {ScheduleKind::kGuided, chunk}; }
Schedule static_chunked(std::size_t chunk) { return {ScheduleKind::kStaticChunked, chunk}; }
}  // namespace

TEST(Simulate, StaticBlockPutsTheBigTaskWithItsNeighbour) {
  // 8,1,1,1 on 2 workers: blocks {8,1} and {1,1}.
  const Simulation sim = simulate({8, 1, 1, 1}, 2, kStatic);
  EXPECT_DOUBLE_EQ(sim.makespan(), 9.0);
  EXPECT_EQ(sim.run.trace[1].worker, 0);
  EXPECT_EQ(sim.run.trace[2].worker, 1);
}

TEST(Simulate, DynamicReachesTheLowerBound) {
  // Worker 0 takes the 8; worker 1 runs the three 1s meanwhile.
  const Simulation sim = simulate({8, 1, 1, 1}, 2, dynamic(1));
  EXPECT_DOUBLE_EQ(sim.makespan(), 8.0);
  EXPECT_EQ(sim.dispatches, (std::vector<std::size_t>{1, 3}));
  EXPECT_DOUBLE_EQ(sim.run.trace[3].end, 3.0);
}

TEST(Simulate, StaticBlockGivesTheFirstWorkersTheRemainder) {
  // 5 tasks on 2 workers: 3 + 2, as libgomp splits them.
  const Simulation sim = simulate({1, 1, 1, 1, 1}, 2, kStatic);
  EXPECT_EQ(sim.run.trace[2].worker, 0);
  EXPECT_EQ(sim.run.trace[3].worker, 1);
  EXPECT_DOUBLE_EQ(sim.makespan(), 3.0);
}

TEST(Simulate, ChunkedSchedulesOnHandWorkedList) {
  // 3,3,1,1,1,1 on 2 workers.
  const std::vector<double> t{3, 3, 1, 1, 1, 1};
  EXPECT_DOUBLE_EQ(simulate(t, 2, kStatic).makespan(), 7.0);            // {3,3,1} {1,1,1}
  EXPECT_DOUBLE_EQ(simulate(t, 2, kCyclic).makespan(), 5.0);            // {3,1,1} {3,1,1}
  EXPECT_DOUBLE_EQ(simulate(t, 2, static_chunked(2)).makespan(), 8.0);  // {3,3}+{1,1} | {1,1}
  EXPECT_DOUBLE_EQ(simulate(t, 2, dynamic(1)).makespan(), 5.0);
  EXPECT_DOUBLE_EQ(simulate(t, 2, dynamic(2)).makespan(), 6.0);  // {3,3} | {1,1},{1,1}
}

TEST(Simulate, GuidedHalvesTheRemainderPerChunk) {
  // 5,1,1,1,1,1,1,1 on 2 workers, guided,1: chunks of ceil(8/2)=4, ceil(4/2)=2, 1, 1.
  // Worker 0 takes {5,1,1,1} (8 s); worker 1 takes {1,1}, {1}, {1} (4 s).
  const Simulation sim = simulate({5, 1, 1, 1, 1, 1, 1, 1}, 2, guided(1));
  EXPECT_DOUBLE_EQ(sim.makespan(), 8.0);
  EXPECT_EQ(sim.dispatches, (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(sim.run.trace[3].worker, 0);
  EXPECT_DOUBLE_EQ(sim.run.trace[7].end, 4.0);
  // dynamic,1 on the same list: worker 1 runs five 1s while worker 0 runs the 5; at 5 s
  // both are idle and take one more each (the tie goes to worker 0).
  EXPECT_DOUBLE_EQ(simulate({5, 1, 1, 1, 1, 1, 1, 1}, 2, dynamic(1)).makespan(), 6.0);
}

TEST(Simulate, GuidedNeverGoesBelowItsMinimumChunk) {
  // guided,3 on 8 tasks, 2 workers: max(3, 4) = 4, then max(3, 2) = 3, then the last 1.
  const Simulation sim = simulate(std::vector<double>(8, 1.0), 2, guided(3));
  EXPECT_EQ(sim.dispatches[0] + sim.dispatches[1], 3u);
  EXPECT_DOUBLE_EQ(sim.makespan(), 4.0);  // {4} | {3} then {1}
}

TEST(Simulate, OverheadIsChargedPerDispatchOnlyForSharedQueues) {
  // 4 tasks of 1 s on 2 workers, 0.5 s per dispatch.
  const std::vector<double> t{1, 1, 1, 1};
  EXPECT_DOUBLE_EQ(simulate(t, 2, kStatic, 0.5).makespan(), 2.0);
  EXPECT_DOUBLE_EQ(simulate(t, 2, kCyclic, 0.5).makespan(), 2.0);
  EXPECT_DOUBLE_EQ(simulate(t, 2, dynamic(1), 0.5).makespan(), 3.0);  // 2 x (0.5 + 1)
  EXPECT_DOUBLE_EQ(simulate(t, 2, dynamic(2), 0.5).makespan(), 2.5);  // 0.5 + 2
  // guided: {1,1} to w0 (2.5), {1} to w1 (1.5), {1} to w1 again (3.0).
  EXPECT_DOUBLE_EQ(simulate(t, 2, guided(1), 0.5).makespan(), 3.0);
}

TEST(Simulate, MoreWorkersThanTasksLeavesWorkersIdle) {
  const Simulation sim = simulate({2, 1}, 4, dynamic(1));
  EXPECT_DOUBLE_EQ(sim.makespan(), 2.0);
  EXPECT_EQ(sim.dispatches, (std::vector<std::size_t>{1, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(simulate({2, 1}, 4, kStatic).makespan(), 2.0);
}

TEST(Simulate, ScalesToAThousandWorkers) {
  const Simulation sim = simulate(std::vector<double>(4096, 1.0), 1024, dynamic(1));
  EXPECT_DOUBLE_EQ(sim.makespan(), 4.0);
}

TEST(StrategyModel, NamesOfTheRunnersMapToSchedules) {
  EXPECT_EQ(model_of_strategy("static", 1, 4)->schedule.name(), "static");
  EXPECT_EQ(model_of_strategy("static,4", 1, 4)->schedule.name(), "static,4");
  EXPECT_EQ(model_of_strategy("cyclic,1", 4, 1)->schedule.name(), "cyclic");
  EXPECT_EQ(model_of_strategy("dynamic,2", 1, 4)->schedule.name(), "dynamic,2");
  EXPECT_EQ(model_of_strategy("guided,1", 1, 4)->schedule.name(), "guided,1");
  EXPECT_EQ(model_of_strategy("tasks", 1, 4)->schedule.name(), "dynamic,1");
  const auto computing = model_of_strategy("master-worker,1", 4, 1);
  EXPECT_EQ(computing->computing_workers, 4);
  const auto dedicated = model_of_strategy("master-worker-dedicated,1", 4, 1);
  EXPECT_EQ(dedicated->computing_workers, 3);  // rank 0 only hands out work
  EXPECT_EQ(dedicated->schedule.name(), "dynamic,1");
  EXPECT_EQ(model_of_strategy("master-worker,4", 2, 2)->schedule.name(), "dynamic,2");
  EXPECT_FALSE(model_of_strategy("runtime", 1, 2));
  EXPECT_FALSE(model_of_strategy("serial", 1, 1));
  EXPECT_FALSE(model_of_strategy("dynamic,x", 1, 2));
}
