// The report's simulator (the techniques library's simulate() plus the cyclic deal) on small
// cases worked out by hand, the names of the runners' rows, and master saturation.
#include "schedlab/report/simulate.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "schedlab/report/predict.hpp"

using namespace schedlab::report;

namespace {
const Schedule kStatic = technique_schedule("static");
const Schedule kCyclic = cyclic_schedule(1);
// dynamic,C: fixed chunks of C = ss, or the registry's tss,C,C.
Schedule dynamic(std::size_t chunk) {
  return technique_schedule(chunk == 1 ? "ss" : fmt::format("tss,{},{}", chunk, chunk));
}
// guided,k = gss,k (libgomp).
Schedule guided(std::size_t chunk) { return technique_schedule(fmt::format("gss,{}", chunk)); }
Schedule static_chunked(std::size_t chunk) { return cyclic_schedule(chunk); }
SimCosts overhead(double h) {
  SimCosts costs;
  costs.dispatch_overhead = h;
  return costs;
}
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
  EXPECT_DOUBLE_EQ(simulate(t, 2, kStatic, overhead(0.5)).makespan(), 2.0);
  EXPECT_DOUBLE_EQ(simulate(t, 2, kCyclic, overhead(0.5)).makespan(), 2.0);
  EXPECT_DOUBLE_EQ(simulate(t, 2, dynamic(1), overhead(0.5)).makespan(), 3.0);  // 2 x (0.5 + 1)
  EXPECT_DOUBLE_EQ(simulate(t, 2, dynamic(2), overhead(0.5)).makespan(), 2.5);  // 0.5 + 2
  // guided: {1,1} to w0 (2.5), {1} to w1 (1.5), {1} to w1 again (3.0).
  EXPECT_DOUBLE_EQ(simulate(t, 2, guided(1), overhead(0.5)).makespan(), 3.0);
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
  // OpenMP's static,C and MPI's cyclic,C are one deal, named as the clause: static,C.
  EXPECT_EQ(model_of_strategy("static,4", 1, 4)->schedule.name(), "static,4");
  EXPECT_EQ(model_of_strategy("cyclic,1", 4, 1)->schedule.name(), "static,1");
  // Literal clauses are modelled by the registry technique they are.
  EXPECT_EQ(model_of_strategy("dynamic,1", 1, 4)->schedule.name(), "ss");
  EXPECT_EQ(model_of_strategy("dynamic,2", 1, 4)->schedule.name(), "tss,2,2");
  EXPECT_EQ(model_of_strategy("guided,1", 1, 4)->schedule.name(), "gss");
  EXPECT_EQ(model_of_strategy("tasks", 1, 4)->schedule.name(), "ss");
  const auto computing = model_of_strategy("master-worker,1", 4, 1);
  EXPECT_EQ(computing->computing_workers, 4);
  EXPECT_TRUE(computing->through_master);
  const auto dedicated = model_of_strategy("master-worker-dedicated,1", 4, 1);
  EXPECT_EQ(dedicated->computing_workers, 3);  // rank 0 only hands out work
  EXPECT_EQ(dedicated->schedule.name(), "ss");
  EXPECT_EQ(model_of_strategy("master-worker,4", 2, 2)->schedule.name(), "tss,2,2");
  EXPECT_FALSE(model_of_strategy("runtime", 1, 2));
  EXPECT_FALSE(model_of_strategy("serial", 1, 1));
  EXPECT_FALSE(model_of_strategy("dynamic,x", 1, 2));
}

TEST(StrategyModel, EveryMpiRowWithoutAMasterIsModelledOrSaysNoModel) {
  // rma,T: T's chunks on every rank x thread, claimed from a shared counter: no master.
  const auto rma = model_of_strategy("rma,gss,4", 4, 2, "schedlab-mpi");
  ASSERT_TRUE(rma);
  EXPECT_EQ(rma->schedule.name(), "gss,4");
  EXPECT_EQ(rma->computing_workers, 8);
  EXPECT_FALSE(rma->through_master);
  EXPECT_EQ(model_of_strategy("rma,ss", 3, 1, "schedlab-mpi")->schedule.name(), "ss");
  // hierarchical,T: a master per node, not modelled; nor is a name that is no technique.
  EXPECT_FALSE(model_of_strategy("hierarchical,ss", 4, 1, "schedlab-mpi"));
  EXPECT_FALSE(model_of_strategy("hierarchical,gss,4", 4, 1, "schedlab-mpi"));
  EXPECT_FALSE(model_of_strategy("rma,nonsense", 4, 1, "schedlab-mpi"));
  // The rma row's prediction: ss on 3 workers, h per claim, no master service.
  const std::vector<double> t(9, 1.0);
  const auto rma_ss = model_of_strategy("rma,ss", 3, 1, "schedlab-mpi");
  EXPECT_DOUBLE_EQ(
      simulate(t, rma_ss->computing_workers, rma_ss->schedule, overhead(0.5)).makespan(), 4.5);
}

TEST(StrategyModel, ATechniqueRowIsItsOwnModelInEveryRunner) {
  // The same name in schedlab-omp, schedlab-mpi and the simulator: no prefix to strip.
  for (const char* name : {"gss", "fac2", "awf-b", "tss,40,5", "binlpt", "student"}) {
    EXPECT_EQ(model_of_strategy(name, 1, 4, "schedlab-omp")->schedule.name(), name);
    EXPECT_EQ(model_of_strategy(name, 4, 1, "schedlab-mpi")->schedule.name(), name);
  }
  // Only schedlab-mpi's dispatched techniques queue at a master; plans never do.
  EXPECT_TRUE(model_of_strategy("gss", 4, 1, "schedlab-mpi")->through_master);
  EXPECT_FALSE(model_of_strategy("gss", 1, 4, "schedlab-omp")->through_master);
  EXPECT_FALSE(model_of_strategy("lpt", 4, 1, "schedlab-mpi")->through_master);
}

TEST(Simulate, RecordsEachTasksChunk) {
  // gss on 8 equal tasks, 2 workers: chunks 4, 2, 1, 1.
  const Simulation sim = simulate(std::vector<double>(8, 1.0), 2, technique_schedule("gss"));
  EXPECT_EQ(sim.chunks, 4u);
  std::vector<int> chunk;
  for (const auto& rec : sim.run.trace) chunk.push_back(rec.chunk);
  EXPECT_EQ(chunk, (std::vector<int>{0, 0, 0, 0, 1, 1, 2, 3}));
}

TEST(MasterService, OneMasterSaturatesSelfSchedulingAtOnePlusTaskOverService) {
  // 2000 tasks of 10 us, the master busy 2 us per chunk: under ss one master serves at most
  // 1 + 10/2 = 6 workers; gss hands out far fewer chunks and scales past that.
  const std::vector<double> t(2000, 10e-6);
  std::vector<int> workers;
  for (int p = 1; p <= 64; ++p) workers.push_back(p);
  const std::vector<Schedule> list{technique_schedule("ss"), technique_schedule("gss")};
  const auto rows = predict(t, workers, list, 0.0, 2e-6);
  EXPECT_EQ(saturation_workers(rows, 0), 6);
  EXPECT_DOUBLE_EQ(master_bound_workers(10e-6, 2e-6), 6.0);
  EXPECT_GT(saturation_workers(rows, 1), 30);
  // Without a master, ss keeps scaling.
  const auto free_rows = predict(t, workers, list, 0.0, 0.0);
  EXPECT_GE(saturation_workers(free_rows, 0), 60);
}

TEST(PredictedMakespan, IsTheFullSimulationsTp) {
  // --predict's path (one SimLoop, Tp only) against the full simulation with its per-task
  // trace, for every default column, the cyclic deal and chunked clauses, at several P.
  std::vector<double> t;
  for (int i = 0; i < 3001; ++i) t.push_back(1e-4 * (1 + (i * 7919) % 97) + 1e-6 * (i % 13));
  const schedlab::techniques::SimLoop loop(t);
  std::vector<Schedule> list = compared_schedules(1);
  for (const Schedule& s : compared_schedules(3)) list.push_back(s);
  list.push_back(static_chunked(7));
  list.push_back(technique_schedule("lpt"));
  for (const int p : {1, 2, 5, 64, 1024}) {
    SimCosts dear;
    dear.dispatch_overhead = 1e-5;
    dear.master_service = 2e-5;
    for (const SimCosts& costs : {SimCosts{}, dear}) {
      for (const Schedule& s : list) {
        const double full = simulate(t, p, s, costs).makespan();
        EXPECT_NEAR(predicted_makespan(loop, p, s, costs), full, 1e-12 * full)
            << s.name() << " P=" << p;
      }
    }
  }
}

TEST(PredictedMakespan, CyclicOfOneIsBitForBitTheDeal) {
  std::vector<double> t;
  for (int i = 0; i < 1000; ++i) t.push_back(0.1 + 1e-3 * ((i * 31) % 17));
  const schedlab::techniques::SimLoop loop(t);
  for (const int p : {1, 3, 16, 999, 1000, 1024}) {
    EXPECT_EQ(predicted_makespan(loop, p, kCyclic), simulate(t, p, kCyclic).makespan()) << p;
  }
}

TEST(Predict, ReportsProgressAfterEachSimulation) {
  const std::vector<double> t(100, 1.0);
  std::vector<std::size_t> seen;
  std::size_t announced_total = 0;
  const auto rows = predict(t, {1, 2, 4}, compared_schedules(1), 0.0, 0.0,
                            [&](std::size_t done, std::size_t total) {
                              seen.push_back(done);
                              announced_total = total;
                            });
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(announced_total, 3 * compared_schedules(1).size());
  ASSERT_EQ(seen.size(), announced_total);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i + 1);
  EXPECT_DOUBLE_EQ(rows[2].makespans[0], 25.0);  // static: 100 equal tasks on 4 workers
}

// A replayed slow worker in the cyclic deal (the library's simulator has its own tests).
TEST(Simulate, CyclicDealSlowsAWorkerFromItsMoment) {
  const std::vector<double> t(4, 1.0);
  const schedlab::techniques::SimLoop loop(t);
  SimCosts costs;
  costs.slowdowns = {{1, 0.0, 3.0}};
  EXPECT_DOUBLE_EQ(simulate(t, 2, static_chunked(1), costs).makespan(), 6.0);
  EXPECT_DOUBLE_EQ(predicted_makespan(loop, 2, static_chunked(1), costs), 6.0);
  costs.slowdowns = {{1, 1.5, 3.0}};  // task 3 straddles 1.5: 0.5 s fast, 0.5 s x 3
  EXPECT_DOUBLE_EQ(simulate(t, 2, static_chunked(1), costs).makespan(), 3.0);
  EXPECT_DOUBLE_EQ(predicted_makespan(loop, 2, static_chunked(1), costs), 3.0);
}

namespace {
// A record of 8 one-second tasks, one row of `strategy` on ranks x threads.
RunRecord perturbed_record(const std::string& runner, const std::string& strategy, int ranks,
                           int threads, const std::vector<std::string>& perturb, int steps = 1) {
  RunRecord r;
  r.runner = runner;
  r.ranks = ranks;
  r.threads = threads;
  r.steps = steps;
  r.serial_task_seconds.assign(8, 1.0);
  for (const auto& p : perturb) r.perturbations.push_back(schedlab::parse_perturbation(p));
  StrategyRecord s;
  s.strategy = strategy;
  s.ranks = ranks;
  s.threads = threads;
  s.times = {1.0};
  r.strategies.push_back(s);
  return r;
}
double predicted(const RunRecord& r, bool replay) {
  return predicted_vs_measured(r, 0, 0, replay).at(0).predicted;
}
}  // namespace

TEST(Replay, ASlowWorkerSlowsTheStaticSplit) {
  const auto r = perturbed_record("schedlab-omp", "static", 1, 2, {"worker=1,slow=3"});
  EXPECT_DOUBLE_EQ(predicted(r, false), 4.0);
  EXPECT_DOUBLE_EQ(predicted(r, true), 12.0);  // worker 1's four tasks, 3 s each
  // A pause of 0.5 s every 1 s halves the worker's speed: E / (E - S) = 2.
  EXPECT_DOUBLE_EQ(
      predicted(perturbed_record("schedlab-omp", "static", 1, 2, {"worker=1,pause=0.5,every=1"}),
                true),
      8.0);
  // dynamic,1 moves work away from the slow worker: less than static's 12 s.
  const auto dynamic = perturbed_record("schedlab-omp", "dynamic,1", 1, 2, {"worker=1,slow=3"});
  EXPECT_GT(predicted(dynamic, true), 4.0);
  EXPECT_LT(predicted(dynamic, true), 12.0);
  EXPECT_NE(render_replay(r, true).find("worker 1 3 times slower"), std::string::npos);
  EXPECT_NE(render_replay(r, false).find("not replayed"), std::string::npos);
}

TEST(Replay, StepsAddUpAndFromStepStartsLater) {
  // Two steps: Tp is their sum; slowed from step 1 on, step 0 is 4 s and step 1 is 12 s.
  EXPECT_DOUBLE_EQ(
      predicted(perturbed_record("schedlab-omp", "static", 1, 2, {"worker=1,slow=3"}, 2), false),
      8.0);
  EXPECT_DOUBLE_EQ(predicted(perturbed_record("schedlab-omp", "static", 1, 2,
                                              {"worker=1,slow=3,from_step=1"}, 2),
                             true),
                   16.0);
  // from=6 s: step 1 starts at 4 s and is slowed from 2 s into it: 2 + 2 x 3 = 8 s.
  EXPECT_DOUBLE_EQ(
      predicted(perturbed_record("schedlab-omp", "static", 1, 2, {"worker=1,slow=3,from=6"}, 2),
                true),
      12.0);
}

TEST(Replay, LatencyOnlyWhereChunksComeInMessages) {
  const auto mw = perturbed_record("schedlab-mpi", "master-worker,1", 2, 1, {"latency=0.5"});
  EXPECT_GT(predicted(mw, true), predicted(mw, false));
  const auto rma = perturbed_record("schedlab-mpi", "rma,ss", 2, 1, {"latency=0.5"});
  EXPECT_GT(predicted(rma, true), predicted(rma, false));
  const auto block = perturbed_record("schedlab-mpi", "static", 2, 1, {"latency=0.5"});
  EXPECT_DOUBLE_EQ(predicted(block, true), predicted(block, false));
  // A latency for one rank: said, not modelled.
  const auto one =
      perturbed_record("schedlab-mpi", "master-worker,1", 2, 1, {"worker=1,latency=0.5"});
  EXPECT_DOUBLE_EQ(predicted(one, true), predicted(one, false));
  EXPECT_NE(render_replay(one, true).find("not modelled"), std::string::npos);
}
