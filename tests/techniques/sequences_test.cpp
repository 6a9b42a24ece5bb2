// Exact chunk sequences: the N = 100, P = 4 sequences (Hummel et al.'s comparison of
// gss and factoring), Tzen & Ni's trapezoid example, and each rule's formula worked by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "schedlab/techniques/plan.hpp"
#include "schedlab/techniques/registry.hpp"

namespace tq = schedlab::techniques;
using Sizes = std::vector<std::size_t>;

namespace {

Sizes sizes(const std::string& technique, std::size_t n, int p, std::vector<double> costs = {},
            std::vector<double> weights = {}) {
  return tq::chunk_sizes(tq::parse_technique(technique),
                         {n, p, std::move(costs), std::move(weights)});
}

TEST(Sequence, GssHundredTasksFourWorkers) {
  EXPECT_EQ(sizes("gss", 100, 4), (Sizes{25, 19, 14, 11, 8, 6, 5, 3, 3, 2, 1, 1, 1, 1}));
}

TEST(Sequence, GssWithMinimumChunk) {
  // max(k, ceil(R/P)), never above R: once ceil(R/P) < 4, chunks of 4 until the end.
  EXPECT_EQ(sizes("gss,4", 100, 4), (Sizes{25, 19, 14, 11, 8, 6, 5, 4, 4, 4}));
}

TEST(Sequence, Fac2HundredTasksFourWorkers) {
  EXPECT_EQ(sizes("fac2", 100, 4),
            (Sizes{13, 13, 13, 13, 6, 6, 6, 6, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1}));
}

TEST(Sequence, TssTzenNiExample) {
  // N = 1000, P = 4: f = 125, l = 1, C = ceil(2000/126) = 16, delta = floor(124/15) = 8;
  // the 13th chunk (29) is cut to the 28 tasks left.
  EXPECT_EQ(sizes("tss", 1000, 4), (Sizes{125, 117, 109, 101, 93, 85, 77, 69, 61, 53, 45, 37, 28}));
}

TEST(Sequence, TssSmallLoopDegeneratesToFixedChunks) {
  // N = 100, P = 4: f = 13, C = 15, delta = floor(12/14) = 0: integer delta (DLS4LB, libomp).
  EXPECT_EQ(sizes("tss", 100, 4), (Sizes{13, 13, 13, 13, 13, 13, 13, 9}));
}

TEST(Sequence, SsIsOneTaskPerChunk) { EXPECT_EQ(sizes("ss", 5, 2), (Sizes{1, 1, 1, 1, 1})); }

TEST(Sequence, StaticIsOneBlockPerWorkerFirstOnesLonger) {
  EXPECT_EQ(sizes("static", 10, 4), (Sizes{3, 3, 2, 2}));
  EXPECT_EQ(sizes("static", 2, 4), (Sizes{1, 1}));
}

TEST(Sequence, FscFormulaWorkedByHand) {
  // h = sigma: (sqrt(2) * 1000 / (4 sqrt(ln 4)))^(2/3) = 300.27^(2/3) = 44.83 -> 45.
  const Sizes s = sizes("fsc,h=1e-4,sigma=1e-4", 1000, 4);
  ASSERT_EQ(s.size(), 23u);  // 22 x 45 + 10
  EXPECT_EQ(s.front(), 45u);
  EXPECT_EQ(s.back(), 10u);
}

TEST(Sequence, FscWithoutSpreadOrWithOneWorkerIsStaticSized) {
  EXPECT_EQ(sizes("fsc,sigma=0", 100, 4), (Sizes{25, 25, 25, 25}));
  EXPECT_EQ(sizes("fsc", 100, 1), (Sizes{100}));
}

TEST(Sequence, FscTakesSigmaFromKnownTaskCosts) {
  // Costs 1 and 3 alternating: sigma = 1 (population); with h = 1 as above -> 45.
  std::vector<double> costs(1000);
  for (std::size_t i = 0; i < costs.size(); ++i) costs[i] = i % 2 ? 3.0 : 1.0;
  EXPECT_EQ(sizes("fsc,h=1", 1000, 4, costs).front(), 45u);
}

TEST(Sequence, FscTakesHFromTheLoopWhenNotGiven) {
  std::vector<double> costs(1000);
  for (std::size_t i = 0; i < costs.size(); ++i) costs[i] = i % 2 ? 3.0 : 1.0;
  const tq::LoopSetup loop{1000, 4, costs, {}, 1.0};  // measured h = sigma = 1 -> 45
  EXPECT_EQ(tq::chunk_sizes(tq::parse_technique("fsc"), loop).front(), 45u);
  EXPECT_EQ(tq::chunk_sizes(tq::parse_technique("fsc,h=1e-4"), loop).front(), 1u);  // given wins
}

TEST(Sequence, MfscFormulaWorkedByHand) {
  // T = 25: floor(0.55 + 25 ln 2 / ln 25) = floor(5.93) = 5.
  EXPECT_EQ(sizes("mfsc", 100, 4), Sizes(20, 5));
}

TEST(Sequence, Wf2WithEqualWeightsIsFac2) {
  EXPECT_EQ(sizes("wf2", 100, 4, {}, {1, 1, 1, 1}), sizes("fac2", 100, 4));
}

TEST(Sequence, Wf2GivesEachWorkerItsWeightOfTheBatch) {
  // Weights 3:1:1:1 -> 2, 2/3, 2/3, 2/3 of c = 13: floor(26), floor(8.67) x 3; the batch of
  // 52 has 2 left for worker 0's next turn.
  const Sizes s = sizes("wf2", 100, 4, {}, {3, 1, 1, 1});
  EXPECT_EQ((Sizes{s[0], s[1], s[2], s[3], s[4]}), (Sizes{26, 8, 8, 8, 2}));
}

TEST(Sequence, TapWithoutSpreadIsGss) {
  EXPECT_EQ(sizes("tap,sigma=0", 100, 4), sizes("gss", 100, 4));
}

TEST(Sequence, TapFormulaWorkedByHand) {
  // alpha 1.3, sigma/mu = 1 -> v = 1.3; R = 100, P = 4: T = 25,
  // ceil(25 + 0.845 - 1.3 sqrt(50.4225)) = ceil(16.614) = 17.
  EXPECT_EQ(sizes("tap,mu=1,sigma=1", 100, 4).front(), 17u);
}

TEST(Sequence, BinlptCutsEqualLoadsAndGivesHeaviestFirst) {
  // Total 16, K = 4 -> target 4: bins {0} (4), {1..4} (4), {5..7} (8). Heaviest first to
  // the least loaded: {5..7} -> w0, {0} -> w1, {1..4} -> w1.
  const tq::Plan plan =
      tq::make_plan(tq::parse_technique("binlpt,4"), {8, 2, {4, 1, 1, 1, 1, 1, 1, 6}, {}});
  ASSERT_EQ(plan.chunks.size(), 3u);
  EXPECT_EQ(plan.chunks[0].tasks, (Sizes{5, 6, 7}));
  EXPECT_EQ(plan.chunks[0].worker, 0);
  EXPECT_EQ(plan.chunks[1].tasks, (Sizes{0}));
  EXPECT_EQ(plan.chunks[2].tasks, (Sizes{1, 2, 3, 4}));
  EXPECT_EQ(plan.by_worker, (std::vector<Sizes>{{0}, {1, 2}}));
}

TEST(Sequence, LptGrahamsTightExample) {
  // Costs 3 3 2 2 2 on P = 2: LPT gives 7, the optimum is 6 (3+3 | 2+2+2), and
  // 7 = (4/3 - 1/(3P)) x 6 exactly: Graham's bound is tight here.
  const tq::Plan plan = tq::make_plan(tq::parse_technique("lpt"), {5, 2, {3, 3, 2, 2, 2}, {}});
  ASSERT_EQ(plan.chunks.size(), 2u);
  EXPECT_EQ(plan.chunks[0].tasks, (Sizes{0, 2, 4}));
  EXPECT_EQ(plan.chunks[1].tasks, (Sizes{1, 3}));
}

TEST(Sequence, StudentStarterIsSelfScheduling) { EXPECT_EQ(sizes("student", 7, 3), Sizes(7, 1)); }

TEST(ChunkTable, StartsAreTheRunningSumAndTasksKnowTheirChunk) {
  const tq::ChunkTable table = tq::chunk_table(tq::parse_technique("gss"), {10, 2, {}, {}});
  EXPECT_EQ(table.first, (Sizes{0, 5, 8, 9, 10}));
  EXPECT_EQ(table.sizes(), (Sizes{5, 3, 1, 1}));
  EXPECT_EQ(tq::chunk_of_task(table), (Sizes{0, 0, 0, 0, 0, 1, 1, 1, 2, 3}));
}

TEST(ChunkTable, OnlyForTableTechniques) {
  EXPECT_THROW(tq::chunk_table(tq::parse_technique("wf2"), {10, 2, {}, {}}), std::invalid_argument);
  EXPECT_THROW(tq::chunk_table(tq::parse_technique("lpt"), {10, 2, {}, {}}), std::invalid_argument);
}

TEST(ChunkSizes, AdaptiveOnesCannotBePrinted) {
  try {
    tq::chunk_sizes(tq::parse_technique("af"), {10, 2, {}, {}});
    FAIL() << "af printed chunk sizes";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("adaptive"), std::string::npos) << error.what();
  }
}

TEST(Plan, TasksKnowTheirChunk) {
  const tq::Plan plan = tq::make_plan(tq::parse_technique("lpt"), {5, 2, {3, 3, 2, 2, 2}, {}});
  EXPECT_EQ(tq::chunk_of_task(plan, 5), (Sizes{0, 1, 0, 1, 0}));
}

}  // namespace
