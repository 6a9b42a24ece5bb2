// The OpenMP technique executor: every technique of the registry verifies (each task once,
// results equal serial, chunks as the technique says) at 1-4 threads on every workload
// family; and a real schedule(guided,k) run follows the guided rule of the runtime in use.
#include <gtest/gtest.h>
#include <omp.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "schedlab/errors.hpp"
#include "schedlab/openmp/omp_runtime.hpp"
#include "schedlab/openmp/schedules.hpp"
#include "schedlab/openmp/techniques_executor.hpp"
#include "schedlab/serial/serial_loop.hpp"
#include "schedlab/techniques/plan.hpp"

using namespace schedlab;
namespace tech = schedlab::techniques;

namespace {

constexpr std::size_t kTasks = 29;  // prime, and more than a few chunks per thread

// Every workload family, tiny: ~10-40 us a task. The file family reads a list written here.
std::vector<Task> workload(const std::string& kind) {
  WorkloadSpec spec;
  spec.kind = parse_workload_kind(kind).value();
  spec.tasks = kTasks;
  spec.size = 4'000;
  spec.spread = 8'000;
  if (spec.kind == WorkloadKind::kFile) {
    spec.path = (std::filesystem::temp_directory_path() /
                 ("schedlab-techniques-" + std::to_string(::getpid()) + ".txt"))
                    .string();
    std::ofstream out(spec.path);
    for (std::size_t i = 0; i < kTasks; ++i) out << 1'000 + (i * 7'919) % 9'000 << "\n";
    out.close();
    spec.tasks = 0;  // the file's count
    std::vector<Task> tasks = make_workload(spec);
    std::filesystem::remove(spec.path);
    return tasks;
  }
  return make_workload(spec);
}

RunResult serial(const std::vector<Task>& tasks) {
  Progress quiet(tasks.size(), 0, stdout, false);
  return run_serial(tasks, std::nullopt, quiet);
}

class EveryTechnique : public ::testing::TestWithParam<std::string> {};

// One ctest test per technique: 4 thread counts x 5 workload families inside it.
TEST_P(EveryTechnique, VerifiesAtOneToFourThreadsOnEveryWorkload) {
  const tech::TechniqueSpec spec = tech::parse_technique(GetParam());
  for (const std::string kind : {"uniform", "nonuniform", "increasing", "skewed", "file"}) {
    const std::vector<Task> tasks = workload(kind);
    const RunResult reference = serial(tasks);
    for (int threads = 1; threads <= 4; ++threads) {
      SCOPED_TRACE(kind + ", " + std::to_string(threads) + " threads");
      // wf2 with uneven weights: thread 0 counts as twice as fast as the others.
      std::vector<double> weights;
      if (spec.info->name == "wf2") {
        weights.assign(static_cast<std::size_t>(threads), 1.0);
        weights[0] = 2.0;
      }
      const tech::LoopSetup loop = technique_loop(tasks, threads, {}, weights);
      Progress quiet(tasks.size(), 0, stdout, false);
      const RunResult run =
          run_technique(tasks, spec, loop, OmpConfig{quiet, threads, 1, std::nullopt, 0});
      ASSERT_TRUE(run.complete()) << (run.error ? run.error->message : "interrupted");
      EXPECT_EQ(run.results, reference.results);  // each slot holds its own task's value
      // Each task ran exactly once, by a thread of the team, under a recorded chunk.
      std::map<int, std::vector<std::size_t>> tasks_of_chunk;
      for (const TaskRecord& r : run.trace) {
        ASSERT_TRUE(r.ran());
        ASSERT_GE(r.worker, 0);
        ASSERT_LT(r.worker, threads);
        ASSERT_GE(r.chunk, 0);
        tasks_of_chunk[r.chunk].push_back(r.task);
      }
      // Chunk indices are 0..count-1 and each chunk ran on one thread.
      EXPECT_EQ(tasks_of_chunk.rbegin()->first + 1, static_cast<int>(tasks_of_chunk.size()));
      EXPECT_EQ(chunk_count(run), static_cast<long>(tasks_of_chunk.size()));
      for (const auto& [chunk, ids] : tasks_of_chunk) {
        std::set<int> workers;
        for (const std::size_t id : ids) workers.insert(run.trace[id].worker);
        EXPECT_EQ(workers.size(), 1u) << "chunk " << chunk;
      }
      // Non-adaptive techniques hand out exactly the sizes --print-chunks shows. wf2 and
      // student size a chunk by who asks, and threads ask in any order: exact at 1 thread.
      if (!spec.info->adaptive) {
        std::vector<std::size_t> expected = tech::chunk_sizes(spec, loop);
        std::vector<std::size_t> got;
        got.reserve(tasks_of_chunk.size());
        for (const auto& [chunk, ids] : tasks_of_chunk) got.push_back(ids.size());
        if (spec.info->dispatch == tech::Dispatch::kAsk) {
          if (threads == 1) {
            EXPECT_EQ(got, expected);
          }
        } else {
          EXPECT_EQ(got, expected);
        }
      }
    }
  }
}

std::vector<std::string> every_technique() {
  std::vector<std::string> names;
  for (const tech::TechniqueInfo& t : tech::registry()) names.push_back(t.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Registry, EveryTechnique, ::testing::ValuesIn(every_technique()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

// A technique that answers wrongly stops the run with a message naming N, P and the call;
// the run neither hangs nor runs a task twice. (A chunk of 0 from next_chunk.)
class ZeroChunk final : public tech::Technique {
 public:
  std::size_t next_chunk(std::size_t remaining, int /*worker*/) override {
    return remaining > 5 ? 2 : 0;
  }
};

TEST(TechniqueExecutor, BadAnswerStopsTheRunWithNAndP) {
  tech::TechniqueInfo info = *tech::find_technique("student");
  info.make = [](const tech::LoopSetup&, const tech::Params&) {
    return std::make_unique<ZeroChunk>();
  };
  tech::TechniqueSpec spec{&info, {}};
  const std::vector<Task> tasks = workload("uniform");
  Progress quiet(tasks.size(), 0, stdout, false);
  const RunResult run = run_technique(tasks, spec, technique_loop(tasks, 3, {}, {}),
                                      OmpConfig{quiet, 3, 1, std::nullopt, 0});
  ASSERT_TRUE(run.error.has_value());
  EXPECT_NE(run.error->message.find("N=29, P=3"), std::string::npos) << run.error->message;
  EXPECT_NE(run.error->message.find("returned 0"), std::string::npos) << run.error->message;
  EXPECT_LT(run.completed(), tasks.size());
}

TEST(TechniqueSchedule, ParsesTechniquesAndKeepsThePragmas) {
  EXPECT_EQ(parse_schedule("gss,4").at(0).label(), "gss,4");
  EXPECT_EQ(parse_schedule("factoring").at(0).label(), "fac2");  // alias -> canonical
  EXPECT_EQ(parse_schedule("block").at(0).label(), "static");
  EXPECT_TRUE(parse_schedule("block").at(0).technique.has_value());
  EXPECT_FALSE(parse_schedule("static").at(0).technique.has_value());  // the pragma wins
  EXPECT_FALSE(parse_schedule("guided,2").at(0).technique.has_value());
  EXPECT_EQ(parse_schedule("techniques").size(), tech::registry().size());
  for (const auto& s : parse_schedule("all")) EXPECT_FALSE(s.technique.has_value());
  for (const std::string bad : {"gss,abc", "gss,-1", "tss,1,2,3", "fsc,q=1", "gsss", "gss,"}) {
    try {
      parse_schedule(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("'" + bad + "'"), std::string::npos) << e.what();
    }
  }
}

// The guided rule of the runtime in use, printed so that a failure says which one.
TEST(GuidedRule, RegistryGssIsLibgompsGuided) {
  EXPECT_EQ(guided_chunk_sizes(OmpRuntime::kLibgomp, 100, 4, 1),
            (std::vector<std::size_t>{25, 19, 14, 11, 8, 6, 5, 3, 3, 2, 1, 1, 1, 1}));
  // libomp: floor(R/8) while R >= 16, then chunks of 1 (100 = 12+11+9+8+7+6+5+5+4+4+3+...).
  const std::vector<std::size_t> llvm = guided_chunk_sizes(OmpRuntime::kLibomp, 100, 4, 1);
  EXPECT_EQ(std::vector<std::size_t>(llvm.begin(), llvm.begin() + 4),
            (std::vector<std::size_t>{12, 11, 9, 8}));
  std::size_t sum = 0;
  for (const std::size_t s : llvm) sum += s;
  EXPECT_EQ(sum, 100u);
}

// A real schedule(guided,k) run: every place where the thread changes between task i-1 and
// task i must be a chunk boundary of the runtime's rule (a thread runs a chunk alone and in
// order). Each thread's first iteration waits until the whole team has started one, so the
// first P chunks go to P different threads and their boundaries must show.
void check_guided_trace(std::size_t k) {
  constexpr int kThreads = 4;
  constexpr std::size_t kN = 100;
  const std::vector<std::size_t> sizes = guided_chunk_sizes(omp_runtime(), kN, kThreads, k);
  std::set<std::size_t> boundaries;  // first iteration of each chunk but the first
  std::size_t at = 0;
  for (const std::size_t s : sizes) {
    at += s;
    if (at < kN) boundaries.insert(at);
  }
  std::vector<int> thread_of(kN, -1);
  std::atomic<int> started{0};
  std::vector<char> first_seen(kThreads, 0);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
#pragma omp parallel for num_threads(kThreads) schedule(guided, k)
  for (std::size_t i = 0; i < kN; ++i) {
    const int t = omp_get_thread_num();
    thread_of[i] = t;
    if (first_seen[static_cast<std::size_t>(t)] == 0) {
      first_seen[static_cast<std::size_t>(t)] = 1;
      started.fetch_add(1);
      while (started.load() < kThreads && std::chrono::steady_clock::now() < give_up)
        std::this_thread::yield();
    }
  }
  ASSERT_EQ(started.load(), kThreads) << "the team never had every thread take a chunk";
  std::set<std::size_t> seen;
  for (std::size_t i = 1; i < kN; ++i) {
    if (thread_of[i] != thread_of[i - 1]) seen.insert(i);
  }
  for (const std::size_t b : seen) {
    EXPECT_TRUE(boundaries.count(b) == 1)
        << "the thread changed at iteration " << b << ", inside a chunk of "
        << to_string(omp_runtime()) << "'s guided," << k << " rule";
  }
  // The first P chunks went to P different threads: their boundaries are in the trace.
  for (std::size_t c = 0, first = 0; c + 1 < static_cast<std::size_t>(kThreads); ++c) {
    first += sizes[c];
    EXPECT_TRUE(seen.count(first) == 1) << "no thread change at " << first;
  }
}

TEST(GuidedTrace, Guided1FollowsTheRuntimesRule) { check_guided_trace(1); }
TEST(GuidedTrace, Guided3FollowsTheRuntimesRule) { check_guided_trace(3); }

// run_guided records those chunks: its chunk count is the rule's.
TEST(GuidedTrace, RunGuidedRecordsTheRulesChunks) {
  const std::vector<Task> tasks = workload("skewed");
  Progress quiet(tasks.size(), 0, stdout, false);
  const RunResult run = run_guided(tasks, OmpConfig{quiet, 3, 2, std::nullopt, 0});
  ASSERT_TRUE(run.complete());
  EXPECT_EQ(chunk_count(run),
            static_cast<long>(guided_chunk_sizes(omp_runtime(), tasks.size(), 3, 2).size()));
}

}  // namespace
