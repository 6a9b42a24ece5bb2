// The chunk-level simulator against a straightforward one that walks every task (the
// simulator as it was before SimLoop): the same chunks, workers and times for every registry
// technique on random task lists at several P. Then the options the task-level one lacked:
// message latency and per-worker slowdowns, on cases worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <optional>
#include <queue>
#include <random>
#include <string>

#include "schedlab/techniques/simulate.hpp"

namespace tq = schedlab::techniques;

namespace {

// The reference: one step per task, each task's time added to the clock in turn.
tq::SimResult reference(const std::vector<double>& seconds, int workers,
                        const tq::TechniqueSpec& spec, const tq::SimOptions& options) {
  const std::size_t n = seconds.size();
  const auto speed = [&](std::size_t w) {
    return options.speeds.empty() ? 1.0 : options.speeds[w];
  };
  const tq::LoopSetup loop{n, workers, seconds, options.weights, options.dispatch_overhead};
  tq::SimResult result;
  result.busy.assign(static_cast<std::size_t>(workers), 0.0);
  result.chunk_of_task.assign(n, 0);
  if (spec.info->dispatch == tq::Dispatch::kPlan) {
    const tq::Plan plan = tq::make_plan(spec, loop);
    result.trace.resize(plan.chunks.size());
    for (std::size_t w = 0; w < plan.by_worker.size(); ++w) {
      double clock = 0;
      for (std::size_t c : plan.by_worker[w]) {
        const tq::PlanChunk& chunk = plan.chunks[c];
        const double start = clock;
        for (std::size_t t : chunk.tasks) {
          clock += seconds[t] / speed(w);
          result.chunk_of_task[t] = c;
        }
        result.busy[w] += clock - start;
        result.trace[c] = {c, chunk.worker, chunk.tasks.front(), chunk.tasks.size(), start, clock};
        result.tp = std::max(result.tp, clock);
      }
    }
    result.chunks = plan.chunks.size();
    return result;
  }
  const auto technique = tq::make_technique(spec, loop);
  using Request = std::pair<double, int>;
  std::priority_queue<Request, std::vector<Request>, std::greater<>> requests;
  for (int w = 0; w < workers; ++w) requests.emplace(0.0, w);
  std::vector<std::optional<tq::ChunkTiming>> unreported(static_cast<std::size_t>(workers));
  double master_free = 0;
  for (std::size_t next = 0; next < n;) {
    const auto [asked, worker] = requests.top();
    requests.pop();
    const auto w = static_cast<std::size_t>(worker);
    if (unreported[w]) technique->chunk_finished(*unreported[w]);
    double served = asked;
    if (options.master_service > 0) {
      served = std::max(asked, master_free) + options.master_service;
      master_free = served;
    }
    const std::size_t size = technique->next_chunk(n - next, worker);
    const double start = served + options.dispatch_overhead;
    double clock = start;
    double squares = 0;
    for (std::size_t t = next; t < next + size; ++t) {
      const double run = seconds[t] / speed(w);
      clock += run;
      squares += run * run;
      result.chunk_of_task[t] = result.trace.size();
    }
    result.busy[w] += clock - start;
    unreported[w] = tq::ChunkTiming{worker, size, clock - start, clock - asked, squares};
    result.trace.push_back({result.trace.size(), worker, next, size, start, clock});
    result.tp = std::max(result.tp, clock);
    next += size;
    requests.emplace(clock, worker);
  }
  result.chunks = result.trace.size();
  return result;
}

// Relative 1e-12 (absolute below 1e-12 s, for times near zero).
bool close(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }

void expect_same(const tq::SimResult& fast, const tq::SimResult& ref, const std::string& where) {
  EXPECT_TRUE(close(fast.tp, ref.tp)) << where << ": tp " << fast.tp << " vs " << ref.tp;
  ASSERT_EQ(fast.chunks, ref.chunks) << where;
  ASSERT_EQ(fast.trace.size(), ref.trace.size()) << where;
  for (std::size_t w = 0; w < ref.busy.size(); ++w) {
    EXPECT_TRUE(close(fast.busy[w], ref.busy[w])) << where << ": busy of worker " << w;
  }
  for (std::size_t c = 0; c < ref.trace.size(); ++c) {
    const tq::SimChunk& a = fast.trace[c];
    const tq::SimChunk& b = ref.trace[c];
    ASSERT_EQ(a.worker, b.worker) << where << ": chunk " << c;
    ASSERT_EQ(a.first, b.first) << where << ": chunk " << c;
    ASSERT_EQ(a.size, b.size) << where << ": chunk " << c;
    EXPECT_TRUE(close(a.start, b.start) && close(a.end, b.end)) << where << ": chunk " << c;
  }
  EXPECT_EQ(fast.chunk_of_task, ref.chunk_of_task) << where;
}

std::vector<double> random_seconds(std::mt19937_64& generator, std::size_t n) {
  std::lognormal_distribution<double> cost(-7.0, 1.0);  // ~1 ms, a long tail
  std::vector<double> seconds(n);
  for (double& s : seconds) s = cost(generator);
  return seconds;
}

// awf keeps what it learned between simulations (time-stepping, per process): a second
// simulation of the same loop is its next time step, so it cannot be compared run for run
// on random times. On equal tasks it learns equal weights and every step is the same; it is
// compared there (AwfMatchesOnEqualTasks).
bool learns_across_runs(const tq::TechniqueInfo& row) { return row.name == "awf"; }

TEST(SimulateReference, EveryTechniqueMatchesTheTaskByTaskSimulation) {
  std::mt19937_64 generator(20261206);
  for (const int p : {1, 2, 3, 8, 17, 64}) {
    const std::vector<double> seconds =
        random_seconds(generator, static_cast<std::size_t>(1000 + 37 * p));
    for (const tq::TechniqueInfo& row : tq::registry()) {
      if (learns_across_runs(row)) continue;
      const tq::TechniqueSpec spec = tq::parse_technique(row.name);
      tq::SimOptions options;
      options.dispatch_overhead = 1e-5;
      const std::string where = row.name + " P=" + std::to_string(p);
      expect_same(tq::simulate(seconds, p, spec, options), reference(seconds, p, spec, options),
                  where);
    }
  }
}

TEST(SimulateReference, MatchesWithAMasterAndUnequalSpeeds) {
  std::mt19937_64 generator(7);
  std::uniform_real_distribution<double> speed(0.3, 2.0);
  for (const int p : {2, 5, 16}) {
    const std::vector<double> seconds = random_seconds(generator, 2000);
    tq::SimOptions options;
    options.dispatch_overhead = 2e-6;
    options.master_service = 5e-5;
    for (int w = 0; w < p; ++w) options.speeds.push_back(speed(generator));
    options.weights = options.speeds;
    for (const tq::TechniqueInfo& row : tq::registry()) {
      if (learns_across_runs(row)) continue;
      const tq::TechniqueSpec spec = tq::parse_technique(row.name);
      expect_same(tq::simulate(seconds, p, spec, options), reference(seconds, p, spec, options),
                  row.name + " P=" + std::to_string(p) + " with a master");
    }
  }
}

TEST(SimulateReference, AwfMatchesOnEqualTasks) {
  const std::vector<double> seconds(3000, 0.5);  // exact in binary: equal weights every step
  const tq::TechniqueSpec spec = tq::parse_technique("awf,2");
  for (const int p : {3, 8}) {
    expect_same(tq::simulate(seconds, p, spec), reference(seconds, p, spec, {}),
                "awf,2 P=" + std::to_string(p));
  }
}

TEST(SimulateReference, MakespanOnlyIsTheSameTp) {
  std::mt19937_64 generator(11);
  const tq::SimLoop loop(random_seconds(generator, 5000));
  for (const char* name : {"static", "ss", "gss", "fac2", "af", "lpt", "binlpt"}) {
    const tq::TechniqueSpec spec = tq::parse_technique(name);
    tq::SimOptions full;
    full.dispatch_overhead = 1e-6;
    tq::SimOptions makespan = full;
    makespan.detail = tq::SimDetail::kMakespan;
    const tq::SimResult a = tq::simulate(loop, 12, spec, full);
    const tq::SimResult b = tq::simulate(loop, 12, spec, makespan);
    EXPECT_EQ(a.tp, b.tp) << name;
    EXPECT_EQ(a.chunks, b.chunks) << name;
    EXPECT_EQ(a.busy, b.busy) << name;
    EXPECT_TRUE(b.trace.empty() && b.chunk_of_task.empty()) << name;
  }
}

TEST(SimulateOptions, MessageLatencyCostsEachChunkARoundTrip) {
  // ss on 12 equal tasks, P = 3: 4 chunks each, each 1 + h + 2L.
  tq::SimOptions options;
  options.dispatch_overhead = 0.1;
  options.message_latency = 0.25;
  const tq::SimResult sim =
      tq::simulate(std::vector<double>(12, 1.0), 3, tq::parse_technique("ss"), options);
  EXPECT_DOUBLE_EQ(sim.tp, 4 * (1.0 + 0.1 + 0.5));
  EXPECT_DOUBLE_EQ(sim.busy[0], 4.0);  // latency is waiting, not running
  // A plan sends no messages.
  EXPECT_DOUBLE_EQ(
      tq::simulate(std::vector<double>(12, 1.0), 3, tq::parse_technique("static"), options).tp,
      4.0);
  // Through a master, a request arrives L after it is sent: the first is served at L + s.
  options.master_service = 1.0;
  const tq::SimResult master =
      tq::simulate(std::vector<double>(1, 1.0), 1, tq::parse_technique("ss"), options);
  EXPECT_DOUBLE_EQ(master.trace[0].start, 0.25 + 1.0 + 0.25 + 0.1);
}

TEST(SimulateOptions, ASlowdownFromTimeZeroIsAConstantSpeed) {
  std::mt19937_64 generator(5);
  const std::vector<double> seconds = random_seconds(generator, 1500);
  for (const tq::TechniqueInfo& row : tq::registry()) {
    if (learns_across_runs(row)) continue;
    const tq::TechniqueSpec spec = tq::parse_technique(row.name);
    tq::SimOptions slowed;
    slowed.slowdowns = {{1, 0.0, 4.0}};
    tq::SimOptions quarter;
    quarter.speeds = {1.0, 0.25, 1.0};
    expect_same(tq::simulate(seconds, 3, spec, slowed), reference(seconds, 3, spec, quarter),
                row.name + " slowed from 0");
  }
}

TEST(SimulateOptions, ASlowdownSplitsTheChunkThatStraddlesIt) {
  // static, 4 tasks of 1 s, P = 2: worker 1 runs tasks 2 and 3 from 0. Three times slower
  // from t = 1: one second of work at full speed, the second at a third: ends at 1 + 3.
  tq::SimOptions options;
  options.slowdowns = {{1, 1.0, 3.0}};
  const tq::SimResult sim =
      tq::simulate(std::vector<double>(4, 1.0), 2, tq::parse_technique("static"), options);
  EXPECT_DOUBLE_EQ(sim.tp, 4.0);
  EXPECT_DOUBLE_EQ(sim.busy[0], 2.0);
  EXPECT_DOUBLE_EQ(sim.busy[1], 4.0);
  // ss on the same loop: worker 1 takes task 1 at 0 (ends 1), task 3 at 1 (slowed: ends 4);
  // worker 0 takes 0 (ends 1), then 2 (ends 2). Tp 4. Past Tp a slowdown changes nothing.
  EXPECT_DOUBLE_EQ(
      tq::simulate(std::vector<double>(4, 1.0), 2, tq::parse_technique("ss"), options).tp, 4.0);
  options.slowdowns = {{1, 2.0, 3.0}};
  EXPECT_DOUBLE_EQ(
      tq::simulate(std::vector<double>(4, 1.0), 2, tq::parse_technique("ss"), options).tp, 2.0);
}

TEST(SimulateOptions, SelfSchedulingFollowsASlowdownToTheFluidIdeal) {
  // 4000 tasks of 1 ms on 2 workers; worker 1 five times slower from 1.2 s. The ideal T
  // (work split perfectly): T + 1.2 + (T - 1.2) / 5 = 4, T = 2.5333 s. ss, one task at a time,
  // ends within one slowed task (5 ms) of it; fac2's first chunks (1 s, 0.5 s) run into the
  // slowdown whole and end later.
  const std::vector<double> seconds(4000, 1e-3);
  tq::SimOptions options;
  options.slowdowns = {{1, 1.2, 5.0}};
  const double ideal = (4.0 - 1.2 + 1.2 / 5.0) / 1.2;
  const double ss = tq::simulate(seconds, 2, tq::parse_technique("ss"), options).tp;
  EXPECT_GE(ss, ideal - 1e-9);
  EXPECT_LE(ss, ideal + 5e-3 + 1e-9);
  const double fac2 = tq::simulate(seconds, 2, tq::parse_technique("fac2"), options).tp;
  EXPECT_GT(fac2, ideal + 0.1);
}

TEST(SimulateOptions, RejectsBadSlowdownsAndLatency) {
  const std::vector<double> seconds(4, 1.0);
  const tq::TechniqueSpec ss = tq::parse_technique("ss");
  for (const tq::Slowdown& bad :
       {tq::Slowdown{2, 0, 2}, tq::Slowdown{-1, 0, 2}, tq::Slowdown{0, -1, 2},
        tq::Slowdown{0, 0, 0}, tq::Slowdown{0, 0, std::nan("")}}) {
    tq::SimOptions options;
    options.slowdowns = {bad};
    EXPECT_THROW(tq::simulate(seconds, 2, ss, options), std::invalid_argument) << bad.worker;
  }
  tq::SimOptions twice;
  twice.slowdowns = {{0, 0, 2}, {0, 1, 3}};
  EXPECT_THROW(tq::simulate(seconds, 2, ss, twice), std::invalid_argument);
  tq::SimOptions latency;
  latency.message_latency = -1;
  EXPECT_THROW(tq::simulate(seconds, 2, ss, latency), std::invalid_argument);
  EXPECT_THROW(tq::SimLoop({1.0, std::nan("")}), std::invalid_argument);
  EXPECT_THROW(tq::SimLoop({1.0, 2.0}, {1.0}), std::invalid_argument);
}

}  // namespace
