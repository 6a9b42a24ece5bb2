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

TEST(Sequence, BinlptKeepReusesStepZerosPlanWhenCostsDrift) {
  // Step 0's costs put the heavy task first; step 1's put it last. keep=1 plans step 1 as
  // step 0 was planned (the estimate of a first profile); without keep step 1 is replanned.
  tq::LoopSetup loop{8, 2, {6, 1, 1, 1, 1, 1, 1, 4}, {}};
  loop.time_step = 0;
  const tq::Plan step0 = tq::make_plan(tq::parse_technique("binlpt,4,keep=1"), loop);
  loop.task_costs = {4, 1, 1, 1, 1, 1, 1, 6};
  loop.time_step = 1;
  const tq::Plan kept = tq::make_plan(tq::parse_technique("binlpt,4,keep=1"), loop);
  const tq::Plan replanned = tq::make_plan(tq::parse_technique("binlpt,4"), loop);
  ASSERT_EQ(kept.chunks.size(), step0.chunks.size());
  for (std::size_t c = 0; c < kept.chunks.size(); ++c) {
    EXPECT_EQ(kept.chunks[c].tasks, step0.chunks[c].tasks);
    EXPECT_EQ(kept.chunks[c].worker, step0.chunks[c].worker);
  }
  EXPECT_EQ(kept.by_worker, step0.by_worker);
  ASSERT_EQ(replanned.chunks.size(), 3u);  // the plan worked by hand in the test above
  EXPECT_EQ(replanned.chunks[0].tasks, (Sizes{5, 6, 7}));
  EXPECT_NE(kept.chunks[0].tasks, replanned.chunks[0].tasks);
}

TEST(Sequence, LptGrahamsTightExample) {
  // Costs 3 3 2 2 2 on P = 2: LPT gives 7, the optimum is 6 (3+3 | 2+2+2), and
  // 7 = (4/3 - 1/(3P)) x 6 exactly: Graham's bound is tight here.
  const tq::Plan plan = tq::make_plan(tq::parse_technique("lpt"), {5, 2, {3, 3, 2, 2, 2}, {}});
  ASSERT_EQ(plan.chunks.size(), 2u);
  EXPECT_EQ(plan.chunks[0].tasks, (Sizes{0, 2, 4}));
  EXPECT_EQ(plan.chunks[1].tasks, (Sizes{1, 3}));
}

// LB4OMP's later techniques (docs/techniques.md has each rule with its rounding).

TEST(Sequence, FacWithProfiledSpreadWorkedByHand) {
  // mu = 1, sigma = 2, P = 4: b = P sigma / (2 mu sqrt R) = 4/sqrt(R).
  // R = 100: b = 0.4, x0 = 1 + 0.16 + 0.4 sqrt(2.16) = 1.7479, c = ceil(100/6.9915) = 15 (x4)
  // R = 40: b = 0.6325, x = 2 + 0.4 + 0.6325 sqrt(4.4) = 3.7267, c = ceil(2.683) = 3 (x4)
  // R = 28: x = 4.1877, c = ceil(1.672) = 2; R = 20: x = 4.7596, c = ceil(1.050) = 2;
  // R = 12: x = 6, c = ceil(0.5) = 1; R = 8, R = 4: 1.
  EXPECT_EQ(sizes("fac,mu=1,sigma=2", 100, 4),
            (Sizes{15, 15, 15, 15, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2,
                   2,  2,  1,  1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
  // sigma = mu, N = 1000: b = 2/sqrt(R). R = 1000: x0 = 1.0935, c = ceil(228.6) = 229;
  // R = 84: x = 2.4866, c = ceil(8.445) = 9; then 5, 3, 2, 1, 1.
  EXPECT_EQ(sizes("fac,mu=1,sigma=1", 1000, 4),
            (Sizes{229, 229, 229, 229, 9, 9, 9, 9, 5, 5, 5, 5, 3, 3,
                   3,   3,   2,   2,   2, 2, 1, 1, 1, 1, 1, 1, 1, 1}));
}

TEST(Sequence, FacTakesMuAndSigmaFromKnownTaskCosts) {
  // Costs 1 and 3 alternating: mu = 2, sigma = 1 -> b = 1/sqrt(R) = 0.1 at R = 100,
  // x0 = 1 + 0.01 + 0.1 sqrt(2.01) = 1.1518, c = ceil(21.71) = 22; the same as writing mu and
  // sigma.
  std::vector<double> costs;
  for (int i = 0; i < 100; ++i) costs.push_back(i % 2 == 0 ? 1.0 : 3.0);
  EXPECT_EQ(sizes("fac", 100, 4, costs), sizes("fac,mu=2,sigma=1", 100, 4));
  EXPECT_EQ(sizes("fac", 100, 4, costs).front(), 22u);
}

TEST(Sequence, MfacWorksOutTheSameBatchesAsFac) {
  // mfac computes R_j+1 = R_j - P c_j instead of reading R; asked one chunk at a time the
  // two agree (LB4OMP's difference is the shared state, not the sizes).
  EXPECT_EQ(sizes("mfac,mu=1,sigma=2", 100, 4), sizes("fac,mu=1,sigma=2", 100, 4));
  for (std::size_t n : {1u, 7u, 100u, 1000u, 4097u}) {
    for (int p : {1, 3, 4, 16}) {
      EXPECT_EQ(sizes("mfac,mu=1,sigma=1,k=3", n, p), sizes("fac,mu=1,sigma=1,k=3", n, p))
          << n << " " << p;
    }
  }
}

TEST(Sequence, TfssHundredTasksFourWorkers) {
  // f = 13, C = ceil(200/14) = 15, delta = floor(12/14) = 0: every batch's mean is 13.
  EXPECT_EQ(sizes("tfss", 100, 4), (Sizes{13, 13, 13, 13, 13, 13, 13, 9}));
}

TEST(Sequence, TfssBatchesAverageTzenNisChunks) {
  // N = 1000, P = 4: f = 125, C = 16, delta = 8 (tss: 125 117 109 101 | 93 ...).
  // Batch b: t = 125 - 32 b, chunk = t - 8 * 3/2 = t - 12: 113, 81, 49, 17; 28 left: 17, 11.
  EXPECT_EQ(sizes("tfss", 1000, 4),
            (Sizes{113, 113, 113, 113, 81, 81, 81, 81, 49, 49, 49, 49, 17, 11}));
}

TEST(Sequence, FissHundredTasksFourWorkers) {
  // B = P - 1 = 3, X = 5: C0 = floor(100/20) = 5, delta = floor(200 (1 - 3/5) / (4*3*2))
  // = floor(3.33) = 3: batches of 5, 8, 11, then 14 cut to the 4 left.
  EXPECT_EQ(sizes("fiss", 100, 4), (Sizes{5, 5, 5, 5, 8, 8, 8, 8, 11, 11, 11, 11, 4}));
}

TEST(Sequence, FissWithTwoStages) {
  // B = 2, X = 4, N = 100, P = 2: C0 = floor(100/8) = 12, delta = floor(200 (1/2) / 4) = 25:
  // 12 12 | 37 37 | 62 cut to 2.
  EXPECT_EQ(sizes("fiss,2", 100, 2), (Sizes{12, 12, 37, 37, 2}));
}

TEST(Sequence, VissHundredTasksFourWorkers) {
  // V = P = 4: C0 = floor(100/16) = 6; batch 1: floor(6 * 0.75 / 0.5) = 9; batch 2:
  // floor(6 * 0.875 / 0.5) = floor(10.5) = 10. 24 + 36 + 40 = 100.
  EXPECT_EQ(sizes("viss", 100, 4), (Sizes{6, 6, 6, 6, 9, 9, 9, 9, 10, 10, 10, 10}));
}

TEST(Sequence, VissThousandTasks) {
  // C0 = floor(1000/16) = 62; 93 (62 * 1.5), 108 (floor(62 * 1.75) = 108.5 -> 108) ...
  // 248 + 372 = 620, three chunks of 108 leave 56.
  EXPECT_EQ(sizes("viss", 1000, 4), (Sizes{62, 62, 62, 62, 93, 93, 93, 93, 108, 108, 108, 56}));
}

TEST(Sequence, RndIsTheSeedsSequence) {
  // start + x mod (max - start + 1), x from std::mt19937_64 (whose output the C++ standard
  // fixes): the same seed gives these chunks with any standard library. No hand calculation
  // of a Mersenne Twister: pinned from the generator, then cut to what is left.
  EXPECT_EQ(sizes("rnd", 100, 4), (Sizes{69, 31}));  // seed 1, chunks in [1, 99]
  EXPECT_EQ(sizes("rnd,7,2,10", 50, 4), (Sizes{2, 8, 8, 5, 9, 8, 8, 2}));
  EXPECT_EQ(sizes("rnd,7,2,10", 50, 4), sizes("rnd,7,2,10", 50, 4));
  EXPECT_NE(sizes("rnd,8,2,10", 50, 4), sizes("rnd,7,2,10", 50, 4));
  for (std::size_t chunk : sizes("rnd,3,4,6", 1000, 4)) {
    EXPECT_GE(chunk, 4u);
    EXPECT_LE(chunk, 6u);
  }
}

// The adaptive ones have no fixed sequence; what they learn is pinned instead.
std::vector<std::size_t> ask_all(tq::Technique& technique, std::size_t n, int p,
                                 const std::vector<double>& seconds_per_task) {
  std::vector<std::size_t> handed(static_cast<std::size_t>(p), 0);
  std::size_t left = n;
  for (int w = 0; left > 0; w = (w + 1) % p) {
    const std::size_t chunk = technique.next_chunk(left, w);
    left -= chunk;
    handed[static_cast<std::size_t>(w)] += chunk;
    const double t = static_cast<double>(chunk) * seconds_per_task[static_cast<std::size_t>(w)];
    technique.chunk_finished({w, chunk, t, t, -1});
  }
  return handed;
}

TEST(Learning, TimeSteppingAwfGivesTheFasterWorkerMoreInTheNextExecution) {
  // P = 2 (k = 5 keeps this test's history apart): step 1 equal weights; worker 1 is three
  // times slower, so from step 2 worker 0's share of each batch is about 3/2 of c.
  const tq::TechniqueSpec spec = tq::parse_technique("awf,5");
  const tq::LoopSetup loop{400, 2, {}, {}};
  {
    auto awf = tq::make_technique(spec, loop);
    EXPECT_EQ(awf->next_chunk(400, 0), 100u);  // ceil(400/4) = 100, weight 1
    ask_all(*awf, 300, 2, {1e-3, 3e-3});
  }  // the execution ends: weights learned
  auto next = tq::make_technique(spec, loop);
  EXPECT_EQ(next->next_chunk(400, 0), 150u);  // ceil(1.5 * 100)
  EXPECT_EQ(next->next_chunk(250, 1), 50u);   // ceil(0.5 * 100)
}

TEST(Learning, BoldCountsFinishedChunks) {
  // Until chunks are reported finished, bold counts them as work still to come (m = N).
  const tq::LoopSetup loop{1000, 4, {}, {}};
  auto bold = tq::make_technique(tq::parse_technique("bold,mu=1,sigma=1,h=0.1"), loop);
  const std::size_t first = bold->next_chunk(1000, 0);
  EXPECT_GE(first, 1u);
  EXPECT_LE(first, 250u);
  const std::vector<std::size_t> handed = ask_all(*bold, 1000 - first, 4, {1, 1, 1, 1});
  std::size_t total = first;
  for (std::size_t h : handed) total += h;
  EXPECT_EQ(total, 1000u);
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
