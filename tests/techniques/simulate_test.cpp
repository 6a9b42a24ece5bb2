// The simulator: closed forms on equal tasks, Graham's bound for lpt, a saturated master, and
// adaptive techniques learning from simulated chunk times.
#include "schedlab/techniques/simulate.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

namespace tq = schedlab::techniques;

namespace {

// Options with a dispatch overhead h and a master service time s.
tq::SimOptions costs(double h, double s = 0) {
  tq::SimOptions options;
  options.dispatch_overhead = h;
  options.master_service = s;
  return options;
}

tq::SimResult run(const std::vector<double>& seconds, int p, const std::string& technique,
                  const tq::SimOptions& options = {}) {
  return tq::simulate(seconds, p, tq::parse_technique(technique), options);
}

TEST(Simulate, SsOnEqualTasksTakesCeilNOverPChunksEach) {
  for (int p : {1, 2, 3, 4}) {
    for (std::size_t n : {1u, 5u, 12u, 13u}) {
      const double t = 0.01;
      const double h = 0.001;
      const tq::SimResult sim = run(std::vector<double>(n, t), p, "ss", costs(h));
      const auto per_worker =
          static_cast<double>((n + static_cast<std::size_t>(p) - 1) / static_cast<std::size_t>(p));
      EXPECT_NEAR(sim.tp, per_worker * (t + h), 1e-12) << "N=" << n << " P=" << p;
      EXPECT_EQ(sim.chunks, n);
    }
  }
}

TEST(Simulate, StaticHasNoDispatchCost) {
  const tq::SimResult sim = run(std::vector<double>(10, 1.0), 4, "static", costs(5.0));
  EXPECT_DOUBLE_EQ(sim.tp, 3.0);
  EXPECT_EQ(sim.chunks, 4u);
  EXPECT_EQ(sim.busy, (std::vector<double>{3, 3, 2, 2}));
}

TEST(Simulate, TraceBusyAndChunkOfTaskAgree) {
  std::mt19937_64 generator(7);
  std::uniform_real_distribution<double> cost(0.0, 1.0);
  std::vector<double> seconds(200);
  for (double& s : seconds) s = cost(generator);
  const double total = std::accumulate(seconds.begin(), seconds.end(), 0.0);
  for (const tq::TechniqueInfo& row : tq::registry()) {
    const tq::SimResult sim = run(seconds, 3, row.name, costs(0.01));
    EXPECT_NEAR(std::accumulate(sim.busy.begin(), sim.busy.end(), 0.0), total, 1e-9) << row.name;
    EXPECT_EQ(sim.trace.size(), sim.chunks) << row.name;
    EXPECT_GE(sim.tp, total / 3 - 1e-9) << row.name;  // never below the lower bound
    std::vector<int> seen(seconds.size(), 0);
    for (const tq::SimChunk& chunk : sim.trace) {
      EXPECT_LE(chunk.start, chunk.end) << row.name;
      EXPECT_LE(chunk.end, sim.tp + 1e-12) << row.name;
      if (row.dispatch != tq::Dispatch::kPlan) {
        for (std::size_t t = chunk.first; t < chunk.first + chunk.size; ++t) {
          ++seen[t];
          EXPECT_EQ(sim.chunk_of_task[t], chunk.index) << row.name;
        }
      }
    }
    if (row.dispatch != tq::Dispatch::kPlan) {
      EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<long>(seconds.size()))
          << row.name;
    }
  }
}

// Best makespan by trying every assignment (small instances only).
double optimum(const std::vector<double>& seconds, int p) {
  const std::size_t n = seconds.size();
  std::vector<int> assign(n, 0);
  double best = std::accumulate(seconds.begin(), seconds.end(), 0.0);
  std::vector<double> load(static_cast<std::size_t>(p));
  while (true) {
    std::fill(load.begin(), load.end(), 0.0);
    for (std::size_t t = 0; t < n; ++t) load[static_cast<std::size_t>(assign[t])] += seconds[t];
    best = std::min(best, *std::max_element(load.begin(), load.end()));
    std::size_t i = 0;
    while (i < n && ++assign[i] == p) assign[i++] = 0;
    if (i == n) return best;
  }
}

TEST(Simulate, LptStaysWithinGrahamsBound) {
  std::mt19937_64 generator(2024);
  std::uniform_real_distribution<double> cost(0.1, 1.0);
  for (int trial = 0; trial < 40; ++trial) {
    const int p = 2 + trial % 2;
    std::vector<double> seconds(static_cast<std::size_t>(5 + trial % 5));
    for (double& s : seconds) s = cost(generator);
    const double best = optimum(seconds, p);
    const double lpt = run(seconds, p, "lpt").tp;
    EXPECT_LE(lpt, (4.0 / 3.0 - 1.0 / (3.0 * p)) * best + 1e-12) << "trial " << trial;
    EXPECT_GE(lpt, best - 1e-12) << "trial " << trial;
  }
}

TEST(Simulate, ASaturatedMasterCannotBeatChunksTimesService) {
  const std::vector<double> seconds(300, 1e-6);  // tiny tasks: the master is the bottleneck
  const double s = 1e-4;
  for (const char* technique : {"ss", "gss", "fac2", "tss", "awf-c", "af"}) {
    const tq::SimResult sim = run(seconds, 4, technique, costs(0, s));
    EXPECT_GE(sim.tp, static_cast<double>(sim.chunks) * s - 1e-12) << technique;
    // ... and with tasks this small it is hardly more.
    EXPECT_LE(sim.tp, static_cast<double>(sim.chunks) * s + 300e-6 + 1e-12) << technique;
  }
}

TEST(Simulate, TimeSteppingAwfLearnsBetweenExecutions) {
  // awf keeps equal weights through its first execution and learns from it for the next
  // (awf,3: its own history, apart from other tests' awf at P = 2).
  const std::vector<double> seconds(2000, 1e-3);
  tq::SimOptions options = costs(1e-6);
  options.speeds = {1.0, 0.5};
  // First batch, c = ceil(2000/4) = 500: equal weights, then the speeds of the first run
  // (2 : 1 -> weights 4/3 and 2/3): ceil(4/3 * 500) = 667, then ceil(2/3 * 500) = 334 cut to
  // the 333 left of the batch of 2 * 500.
  const tq::SimResult first = run(seconds, 2, "awf,3", options);
  ASSERT_GE(first.trace.size(), 2u);
  EXPECT_EQ(first.trace[0].size, 500u);
  EXPECT_EQ(first.trace[1].size, 500u);
  const tq::SimResult second = run(seconds, 2, "awf,3", options);
  ASSERT_GE(second.trace.size(), 2u);
  EXPECT_EQ(second.trace[0].worker, 0);
  EXPECT_EQ(second.trace[0].size, 667u);
  EXPECT_EQ(second.trace[1].size, 333u);
}

TEST(Simulate, AdaptiveWeightsFollowWorkerSpeed) {
  // Worker 1 runs at half speed: awf-b learns it and hands it fewer tasks; fac2 cannot.
  const std::vector<double> seconds(2000, 1e-3);
  tq::SimOptions options = costs(1e-6);
  options.speeds = {1.0, 0.5};
  const tq::SimResult fac2 = run(seconds, 2, "fac2", options);
  for (const char* technique : {"awf-b", "awf-c", "awf-d", "awf-e", "af", "maf"}) {
    const tq::SimResult sim = run(seconds, 2, technique, options);
    std::size_t tasks_of_slow = 0;
    for (const tq::SimChunk& chunk : sim.trace) {
      if (chunk.worker == 1) tasks_of_slow += chunk.size;
    }
    EXPECT_LT(tasks_of_slow, 800u) << technique;  // about 1/3 of 2000
    EXPECT_LE(sim.tp, fac2.tp * 1.001) << technique;
  }
  // wf2 is told the speeds instead: weights 2:1 -> 4/3 and 2/3 of c = ceil(2000/4) = 500.
  tq::SimOptions weighted = options;
  weighted.weights = {2.0, 1.0};
  const tq::SimResult wf2 = run(seconds, 2, "wf2", weighted);
  EXPECT_EQ(wf2.trace[0].size, 666u);
  EXPECT_EQ(wf2.trace[1].size, 333u);
  EXPECT_LE(wf2.tp, fac2.tp * 1.001);
}

TEST(Simulate, RejectsBadInput) {
  EXPECT_THROW(run({1.0, -1.0}, 2, "ss"), std::invalid_argument);
  EXPECT_THROW(run({1.0}, 0, "ss"), std::invalid_argument);
  tq::SimOptions one_speed;
  one_speed.speeds = {1.0};
  EXPECT_THROW(run({1.0}, 2, "ss", one_speed), std::invalid_argument);
  const tq::SimResult empty = run({}, 3, "gss");
  EXPECT_EQ(empty.chunks, 0u);
  EXPECT_EQ(empty.tp, 0.0);
}

}  // namespace
