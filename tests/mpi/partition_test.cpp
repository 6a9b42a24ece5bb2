// Static ownership, and its agreement with the techniques library: every task has exactly one
// owner, blocks are contiguous and differ by at most one task, ranks beyond the task count get
// nothing.
#include "schedlab/mpi/partition.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "schedlab/mpi/strategies.hpp"
#include "schedlab/techniques/plan.hpp"
#include "schedlab/techniques/technique.hpp"
#include "schedlab/workload.hpp"

using namespace schedlab;

TEST(BlockPartition, CoversEveryTaskOnceWithBlocksDifferingByAtMostOne) {
  for (std::size_t tasks : {1u, 7u, 12u, 100u}) {
    for (int ranks : {1, 2, 3, 4, 7}) {
      std::vector<int> owner(tasks, -1);
      std::size_t next = 0, smallest = tasks, largest = 0;
      for (int r = 0; r < ranks; ++r) {
        const TaskRange block = block_range(tasks, ranks, r);
        EXPECT_EQ(block.first, next) << "blocks are contiguous and in rank order";
        next += block.count;
        smallest = std::min(smallest, block.count);
        largest = std::max(largest, block.count);
        for (std::size_t t : task_ids(block)) owner[t] = r;
      }
      EXPECT_EQ(next, tasks);
      EXPECT_LE(largest - smallest, 1u);
      for (std::size_t t = 0; t < tasks; ++t) EXPECT_EQ(block_owner(t, tasks, ranks), owner[t]);
    }
  }
}

TEST(BlockPartition, FirstRanksTakeTheRemainder) {
  // 8 tasks over 3 ranks: 3, 3, 2.
  EXPECT_EQ(block_range(8, 3, 0).count, 3u);
  EXPECT_EQ(block_range(8, 3, 1).first, 3u);
  EXPECT_EQ(block_range(8, 3, 2).first, 6u);
  EXPECT_EQ(block_range(8, 3, 2).count, 2u);
}

TEST(BlockPartition, RanksBeyondTheTaskCountGetNothing) {
  EXPECT_EQ(block_range(2, 4, 0).count, 1u);
  EXPECT_EQ(block_range(2, 4, 1).count, 1u);
  EXPECT_EQ(block_range(2, 4, 2).count, 0u);
  EXPECT_EQ(block_range(2, 4, 3).count, 0u);
  EXPECT_TRUE(task_ids(block_range(2, 4, 3)).empty());
}

TEST(CyclicPartition, DealsChunksRoundRobin) {
  // 10 tasks, 3 ranks, chunks of 2: rank 0 gets chunks 0 and 3 = tasks 0,1,6,7.
  EXPECT_EQ(cyclic_tasks(10, 3, 0, 2), (std::vector<std::size_t>{0, 1, 6, 7}));
  EXPECT_EQ(cyclic_tasks(10, 3, 1, 2), (std::vector<std::size_t>{2, 3, 8, 9}));
  EXPECT_EQ(cyclic_tasks(10, 3, 2, 2), (std::vector<std::size_t>{4, 5}));
  EXPECT_EQ(cyclic_tasks(5, 2, 1, 1), (std::vector<std::size_t>{1, 3}));
}

TEST(CyclicPartition, CoversEveryTaskOnceIncludingMoreRanksThanTasks) {
  for (std::size_t tasks : {1u, 3u, 10u, 33u}) {
    for (int ranks : {1, 2, 4, 9}) {
      for (std::size_t chunk : {1u, 2u, 5u}) {
        std::vector<int> owner(tasks, -1);
        for (int r = 0; r < ranks; ++r) {
          for (std::size_t t : cyclic_tasks(tasks, ranks, r, chunk)) {
            EXPECT_EQ(owner[t], -1) << "task " << t << " dealt twice";
            owner[t] = r;
            EXPECT_EQ(cyclic_owner(t, ranks, chunk), r);
          }
        }
        EXPECT_EQ(std::count(owner.begin(), owner.end(), -1), 0);
      }
    }
  }
  EXPECT_TRUE(cyclic_tasks(3, 9, 5, 1).empty());
}

// The static block split stays in mpi/partition.cpp (block_owner names a task's rank in
// reports), so it must be the registry's `static` plan exactly: same blocks, same ranks.
TEST(BlockPartition, IsTheTechniquesLibrarysStaticPlan) {
  namespace tq = schedlab::techniques;
  const tq::TechniqueSpec spec = tq::parse_technique("static");
  for (std::size_t tasks : {1u, 2u, 7u, 12u, 100u, 1001u}) {
    for (int ranks : {1, 2, 3, 4, 7, 16}) {
      const tq::Plan plan = tq::make_plan(spec, tq::LoopSetup{tasks, ranks, {}, {}, -1});
      for (int r = 0; r < ranks; ++r) {
        std::vector<std::size_t> planned;
        for (std::size_t c : plan.by_worker[static_cast<std::size_t>(r)]) {
          planned.insert(planned.end(), plan.chunks[c].tasks.begin(), plan.chunks[c].tasks.end());
        }
        EXPECT_EQ(planned, task_ids(block_range(tasks, ranks, r)))
            << "N=" << tasks << " P=" << ranks << " rank " << r;
      }
    }
  }
}

// Master-worker's plain --chunk C is the registry's tss,C,C: fixed chunks of C, the last
// one shorter (the arithmetic partition.cpp used to hold).
TEST(MasterWorkerChunks, FixedChunksAreTssWithEqualFirstAndLast) {
  namespace tq = schedlab::techniques;
  const tq::TechniqueSpec spec = master_worker_technique({4, 2, true, std::nullopt, nullptr});
  EXPECT_EQ(spec.text(), "tss,4,4");
  EXPECT_EQ(tq::chunk_sizes(spec, tq::LoopSetup{10, 3, {}, {}, -1}),
            (std::vector<std::size_t>{4, 4, 2}));
  for (std::size_t c : {1u, 3u, 7u}) {
    const auto sizes = tq::chunk_sizes(master_worker_technique({c, 1, true, std::nullopt, nullptr}),
                                       tq::LoopSetup{100, 4, {}, {}, -1});
    for (std::size_t k = 0; k + 1 < sizes.size(); ++k) EXPECT_EQ(sizes[k], c);
    EXPECT_EQ(sizes.back(), 100 - c * (sizes.size() - 1));
  }
}

// The one LoopSetup of a task list (techniques::loop_of_tasks): N, P, each task's size as its
// known cost, the step; no weights.
TEST(LoopOfTasks, SizesBecomeTheKnownCosts) {
  namespace tq = schedlab::techniques;
  const std::vector<schedlab::Task> tasks{{0, 9}, {1, 3}, {2, 3}, {3, 3}};
  const tq::LoopSetup loop = tq::loop_of_tasks(tasks, 2, 5);
  EXPECT_EQ(loop.tasks, 4u);
  EXPECT_EQ(loop.workers, 2);
  EXPECT_EQ(loop.time_step, 5);
  EXPECT_EQ(loop.task_costs, (std::vector<double>{9, 3, 3, 3}));
  EXPECT_TRUE(loop.weights.empty());
  EXPECT_EQ(tq::loop_of_tasks(std::vector<schedlab::Task>{}, 3).task_costs.size(), 0u);
}
