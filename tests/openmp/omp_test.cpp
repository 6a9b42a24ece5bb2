// The OpenMP strategies keep map()'s contract (results by task index, every task once) and
// as_completed()'s (completion order, progress, the first failure re-raised after the run)
// for every schedule x workload x 1-4 threads; plus what makes each schedule what it is.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <csignal>
#include <numeric>
#include <set>
#include <string>

#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/kernel.hpp"
#include "schedlab/openmp/omp_environment.hpp"
#include "schedlab/openmp/schedules.hpp"
#include "schedlab/serial/serial_loop.hpp"

using namespace schedlab;

namespace {

constexpr std::size_t kTasks = 13;  // prime: no thread count divides it evenly
constexpr int kMaxTestThreads = 4;  // more threads than this machine's cores is intended

std::vector<Task> small_workload(const std::string& kind) {
  WorkloadSpec spec;
  spec.kind = parse_workload_kind(kind).value();
  spec.tasks = kTasks;
  spec.size = 20'000;  // ~0.1 ms a task: the suite stays fast, threads still overlap
  spec.spread = 20'000;
  return make_workload(spec);
}

std::vector<std::uint64_t> serial_results(const std::vector<Task>& tasks) {
  Progress quiet(tasks.size(), 0, stdout, false);
  return run_serial(tasks, std::nullopt, quiet).results;
}

RunResult run_schedule(const std::string& schedule, const std::vector<Task>& tasks, int threads,
                       std::optional<std::size_t> fail_task = std::nullopt) {
  Progress quiet(tasks.size(), 0, stdout, false);
  return parse_schedule(schedule).at(0).run(tasks, quiet, threads, fail_task);
}

bool is_permutation_of_all_tasks(std::vector<std::size_t> order, std::size_t n) {
  std::sort(order.begin(), order.end());
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  return order == all;
}

std::string read_all(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buf[256];
  while (const std::size_t n = std::fread(buf, 1, sizeof buf, file)) text.append(buf, n);
  return text;
}

// The matrix: every schedule spelling (with and without chunks) x every workload kind.
const char* const kSchedules[] = {"static",   "static,1",   "static,3",  "dynamic", "dynamic,3",
                                  "guided",   "guided,2",   "auto",      "runtime", "tasks",
                                  "taskloop", "taskloop,1", "taskloop,3"};
const char* const kWorkloads[] = {"uniform", "nonuniform", "increasing", "skewed"};

class OmpContract : public testing::TestWithParam<std::tuple<const char*, const char*>> {
 protected:
  std::string schedule() const { return std::get<0>(GetParam()); }
  std::vector<Task> tasks() const { return small_workload(std::get<1>(GetParam())); }
};

std::string case_name(const testing::TestParamInfo<OmpContract::ParamType>& info) {
  std::string name = std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
  std::replace(name.begin(), name.end(), ',', '_');
  return name;
}

}  // namespace

TEST_P(OmpContract, MatchesSerialResultsByIndexAndRunsEveryTaskOnce) {
  const auto list = tasks();
  const auto expected = serial_results(list);
  for (int threads = 1; threads <= kMaxTestThreads; ++threads) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    const RunResult run = run_schedule(schedule(), list, threads);
    ASSERT_TRUE(run.complete());
    EXPECT_EQ(run.results, expected);  // slot by slot: input order, as map() returns
    EXPECT_EQ(checksum(run.results), checksum(expected));
    EXPECT_TRUE(is_permutation_of_all_tasks(run.completion_order, list.size()));
    EXPECT_EQ(run.workers, threads);
    for (const TaskRecord& record : run.trace) {
      EXPECT_TRUE(record.ran()) << "task " << record.task;
      EXPECT_LT(record.worker, threads) << "task " << record.task;
      EXPECT_LE(record.start, record.end);
      EXPECT_LE(record.end, run.wall_seconds);
    }
  }
}

TEST_P(OmpContract, FailingTaskIsReportedAfterTheRegionAndTheRestSkipped) {
  const auto list = tasks();
  const auto expected = serial_results(list);
  for (int threads = 1; threads <= kMaxTestThreads; ++threads) {
    for (const std::size_t failing : {std::size_t{0}, kTasks / 2, kTasks - 1}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", failing task " +
                   std::to_string(failing));
      const RunResult run = run_schedule(schedule(), list, threads, failing);
      ASSERT_TRUE(run.error.has_value());
      EXPECT_EQ(run.error->task, failing);
      EXPECT_NE(run.error->message.find("injected failure"), std::string::npos);
      EXPECT_FALSE(run.complete());
      EXPECT_FALSE(run.trace[failing].ran());
      const auto& order = run.completion_order;
      EXPECT_EQ(std::find(order.begin(), order.end(), failing), order.end());
      EXPECT_EQ(std::set<std::size_t>(order.begin(), order.end()).size(), order.size());
      for (const std::size_t done : order) EXPECT_EQ(run.results[done], expected[done]);
    }
  }
}

TEST_P(OmpContract, ProgressPrintsEveryKthCompletionOnceInOrder) {
  const auto list = tasks();
  for (int threads = 1; threads <= kMaxTestThreads; ++threads) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    std::FILE* out = std::tmpfile();
    ASSERT_NE(out, nullptr);
    {
      Progress progress(list.size(), 3, out, false);
      const RunResult run = parse_schedule(schedule()).at(0).run(list, progress, threads, {});
      EXPECT_TRUE(run.complete());
    }
    const std::string text = read_all(out);
    std::fclose(out);
    EXPECT_EQ(text,
              "3/13 finished...\n6/13 finished...\n9/13 finished...\n12/13 finished...\n"
              "13/13 finished...\n");
  }
}

INSTANTIATE_TEST_SUITE_P(Schedules, OmpContract,
                         testing::Combine(testing::ValuesIn(kSchedules),
                                          testing::ValuesIn(kWorkloads)),
                         case_name);

TEST(OmpStatic, GivesEachThreadOneContiguousBlock) {
  const auto list = small_workload("uniform");  // 13 tasks: blocks of 4, 3, 3, 3 on 4 threads
  for (int threads = 1; threads <= kMaxTestThreads; ++threads) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    const RunResult run = run_schedule("static", list, threads);
    for (std::size_t i = 1; i < list.size(); ++i) {
      EXPECT_GE(run.trace[i].worker, run.trace[i - 1].worker);  // never goes back
      EXPECT_LE(run.trace[i].worker, run.trace[i - 1].worker + 1);
    }
    EXPECT_EQ(run.trace.front().worker, 0);
    EXPECT_EQ(run.trace.back().worker, threads - 1);
  }
}

TEST(OmpStaticChunked, DealsChunksRoundRobinInThreadOrder) {
  const auto list = small_workload("increasing");
  for (int threads = 1; threads <= kMaxTestThreads; ++threads) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    const RunResult cyclic = run_schedule("static,1", list, threads);
    const RunResult pairs = run_schedule("static,2", list, threads);
    for (std::size_t i = 0; i < list.size(); ++i) {
      EXPECT_EQ(cyclic.trace[i].worker, static_cast<int>(i) % threads);
      EXPECT_EQ(pairs.trace[i].worker, static_cast<int>(i / 2) % threads);
    }
  }
}

TEST(OmpDynamic, CompletesOutOfOrderOnNonuniform) {
  // Task 0 is heavy (~50 ms), the rest tiny: while one thread is busy with it, the other
  // takes the following tasks, so they finish first, as with as_completed().
  std::vector<Task> list{{0, 8'000'000}};
  for (std::size_t i = 1; i < 8; ++i) list.push_back(Task{i, 20'000});
  for (const char* schedule : {"dynamic", "tasks"}) {
    SCOPED_TRACE(schedule);
    const RunResult run = run_schedule(schedule, list, 2);
    ASSERT_TRUE(run.complete());
    EXPECT_FALSE(std::is_sorted(run.completion_order.begin(), run.completion_order.end()));
    EXPECT_NE(run.completion_order.front(), 0u);
    EXPECT_EQ(run.results, serial_results(list));  // out of order, yet stored in order
  }
}

TEST(OmpRuntime, FollowsTheScheduleSetAtRunTime) {
  omp_sched_t saved_kind{};
  int saved_chunk = 0;
  omp_get_schedule(&saved_kind, &saved_chunk);
  omp_set_schedule(omp_sched_static, 1);  // what OMP_SCHEDULE=static,1 would set
  EXPECT_EQ(describe_runtime_schedule(), "static,1");
  const auto list = small_workload("uniform");
  const RunResult run = run_schedule("runtime", list, 3);
  omp_set_schedule(saved_kind, saved_chunk);
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(run.trace[i].worker, static_cast<int>(i) % 3);
  }
}

TEST(OmpConfig, WorkerOffsetShiftsTheWorkerIds) {
  const auto list = small_workload("nonuniform");
  Progress quiet(list.size(), 0, stdout, false);
  const RunResult run = run_dynamic(list, OmpConfig{quiet, 2, 1, std::nullopt, 6});
  ASSERT_TRUE(run.complete());
  for (const TaskRecord& record : run.trace) {
    EXPECT_GE(record.worker, 6);
    EXPECT_LT(record.worker, 8);
  }
}

TEST(OmpInterrupt, SignalStopsEveryScheduleBeforeTheNextTask) {
  const auto list = small_workload("uniform");
  request_interrupt(SIGTERM);
  for (const auto& spec : parse_schedule("all")) {
    SCOPED_TRACE(spec.label());
    Progress quiet(list.size(), 0, stdout, false);
    const RunResult run = spec.run(list, quiet, 2, std::nullopt);
    EXPECT_TRUE(run.interrupted);
    EXPECT_EQ(run.completed(), 0u);
    EXPECT_FALSE(run.error.has_value());
  }
  request_interrupt(0);
}

TEST(OmpScheduleSpec, WritesDefaultChunksOut) {
  EXPECT_EQ(parse_schedule("static").at(0).label(), "static");
  EXPECT_EQ(parse_schedule("static,4").at(0).label(), "static,4");
  EXPECT_EQ(parse_schedule("dynamic").at(0).label(), "dynamic,1");
  EXPECT_EQ(parse_schedule("dynamic,8").at(0).chunk, 8u);
  EXPECT_EQ(parse_schedule("guided").at(0).label(), "guided,1");
  EXPECT_EQ(parse_schedule("taskloop").at(0).label(), "taskloop");
  EXPECT_EQ(parse_schedule("taskloop,16").at(0).label(), "taskloop,16");
  EXPECT_EQ(parse_schedule("static").at(0).strategy->run, run_static);
  EXPECT_EQ(parse_schedule("static,1").at(0).strategy->run, run_static_chunked);
  EXPECT_EQ(parse_schedule("taskloop,2").at(0).strategy->run, run_taskloop_grainsize);
}

TEST(OmpScheduleSpec, AllRunsEveryStrategyOnceInTableOrder) {
  const auto all = parse_schedule("all");
  ASSERT_EQ(all.size(), omp_strategies().size());
  std::vector<std::string> labels;
  labels.reserve(all.size());
  for (const auto& spec : all) labels.push_back(spec.label());
  EXPECT_EQ(labels, (std::vector<std::string>{"static", "static,1", "dynamic,1", "guided,1", "auto",
                                              "runtime", "tasks", "taskloop", "taskloop,1"}));
  EXPECT_TRUE(uses_runtime_schedule(all));
  EXPECT_FALSE(uses_runtime_schedule(parse_schedule("dynamic")));
}

TEST(OmpScheduleSpec, RejectsBadSpecsNamingThem) {
  for (const char* bad : {"dynamic,0", "static,-1", "foo", "dynamic,abc", "static,", "auto,2",
                          "tasks,1", "all,2", "", "Dynamic", "dynamic,99999999999", "guided,1.5"}) {
    try {
      parse_schedule(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("--schedule '") + bad + "'"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(OmpEnvironment, ThreadsMustBeAWholeNumberInRange) {
  EXPECT_EQ(resolve_threads("3"), 3);
  EXPECT_EQ(resolve_threads(std::to_string(max_threads_allowed())), max_threads_allowed());
  EXPECT_EQ(resolve_threads(""), omp_get_max_threads());
  for (const char* bad : {"0", "-2", "100000", "abc", "2.5", " 2"}) {
    EXPECT_THROW(resolve_threads(bad), UsageError) << "'" << bad << "'";
  }
  EXPECT_GE(max_threads_allowed(), kMaxTestThreads);
  EXPECT_LT(max_threads_allowed(), 100000);
}

TEST(OmpEnvironment, OmpScheduleAcceptsWhatTheSpecAllows) {
  for (const char* good :
       {"static", "static,4", "dynamic", "dynamic,1", "guided,7", "auto", "auto,4",
        "monotonic:dynamic,4", "nonmonotonic:guided", "DYNAMIC , 3", " static "}) {
    EXPECT_NO_THROW(check_omp_schedule(good)) << "'" << good << "'";
  }
  for (const char* bad : {"", "fast", "dynamic,0", "static,-1", "guided,abc", "static,",
                          "monotonic:", "monotonic:fast", "dynamic,99999999999", "dynamic;4"}) {
    EXPECT_THROW(check_omp_schedule(bad), UsageError) << "'" << bad << "'";
  }
}
