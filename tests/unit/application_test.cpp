// The application workloads: each task's digest is the same whole or in slices, the outputs
// are the workers' own, the predicted costs are what the computation does, and the pictures
// are PNG files.
#include "schedlab/application.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "schedlab/drift.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/kernel.hpp"
#include "schedlab/run.hpp"

using namespace schedlab;

namespace {

WorkloadSpec app_spec(WorkloadKind kind, std::size_t tasks, std::uint64_t size,
                      std::uint64_t seed = 0) {
  WorkloadSpec s;
  s.kind = kind;
  s.tasks = tasks;
  s.size = size;
  s.seed = seed;
  return s;
}

// Sets the process's application for one test and removes it afterwards, so that the other
// tests of this binary run spin again.
class WithApplication {
 public:
  explicit WithApplication(const WorkloadSpec& spec) { set_application(spec); }
  ~WithApplication() { set_application(WorkloadSpec{}); }
};

std::vector<std::uint64_t> results_of(const std::vector<Task>& tasks) {
  std::vector<std::uint64_t> results;
  for (const Task& t : tasks) results.push_back(execute_task(t, std::nullopt));
  return results;
}

}  // namespace

TEST(Application, SyntheticKindsHaveNoApplication) {
  set_application(app_spec(WorkloadKind::kUniform, 4, 10));
  EXPECT_EQ(application(), nullptr);
  EXPECT_EQ(execute_task(Task{0, 1000}, std::nullopt), spin(1000));
  EXPECT_EQ(application_bytes(app_spec(WorkloadKind::kSkewed, 4, 10)), 0U);
}

class EachApplication : public ::testing::TestWithParam<WorkloadSpec> {};

TEST_P(EachApplication, SlicedTasksGiveTheWholeTasksDigest) {
  const WithApplication app(GetParam());
  const std::vector<Task> tasks = make_workload(GetParam());
  const std::vector<std::uint64_t> whole = results_of(tasks);
  for (const std::uint64_t slice : {1ULL, 7ULL, 100ULL, 1000000ULL}) {
    for (const Task& t : tasks) {
      int calls = 0;
      EXPECT_EQ(execute_task_in_slices(t, std::nullopt, slice, [&] { ++calls; }), whole[t.id])
          << "task " << t.id << ", slices of " << slice;
    }
  }
}

TEST_P(EachApplication, ResultsDependOnTheTaskAndRepeatExactly) {
  const WithApplication app(GetParam());
  const std::vector<Task> tasks = make_workload(GetParam());
  const std::vector<std::uint64_t> first = results_of(tasks);
  application()->clear_outputs();
  EXPECT_EQ(results_of(tasks), first);  // recomputed after the outputs were zeroed
  // Distinct tasks give distinct digests (triad's blocks hold different values).
  std::vector<std::uint64_t> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
}

TEST_P(EachApplication, CostsArePositiveAndUnitsDescribed) {
  const std::vector<Task> tasks = make_workload(GetParam());
  ASSERT_EQ(tasks.size(), GetParam().tasks);
  for (const Task& t : tasks) EXPECT_GE(t.size, 1U);
  EXPECT_NE(describe_workload(GetParam(), tasks).find("units: "), std::string::npos);
  EXPECT_GT(application_bytes(GetParam()), 0U);
}

INSTANTIATE_TEST_SUITE_P(Apps, EachApplication,
                         ::testing::Values(app_spec(WorkloadKind::kMandelbrot, 20, 200),
                                           app_spec(WorkloadKind::kSpmv, 30, 100, 3),
                                           app_spec(WorkloadKind::kTriad, 6, 1000)),
                         [](const auto& param) {
                           return std::string(to_string(param.param.kind));
                         });

TEST(Mandelbrot, RowCostIsTheIterationsTheWorkersWrite) {
  const WorkloadSpec spec = app_spec(WorkloadKind::kMandelbrot, 32, 500);
  const WithApplication app(spec);
  const std::vector<Task> tasks = make_workload(spec);
  EXPECT_EQ(mandelbrot_image()->size(), 32U * 32U);
  results_of(tasks);
  const std::vector<std::uint32_t>& image = *mandelbrot_image();
  for (const Task& t : tasks) {
    const auto row = image.begin() + static_cast<std::ptrdiff_t>(t.id * 32);
    EXPECT_EQ(std::accumulate(row, row + 32, std::uint64_t{0}), t.size) << "row " << t.id;
    EXPECT_EQ(std::count(row, row + 32, 0U), 0) << "every pixel computed, row " << t.id;
  }
  application()->clear_outputs();
  EXPECT_EQ(std::count(image.begin(), image.end(), 0U), 32 * 32);
}

TEST(Mandelbrot, TheLowerHalfCostsMostSoStaticOnTwoThreadsIsUnbalanced) {
  const auto costs = mandelbrot_row_costs(MandelbrotView{}, 40, 1000);
  const std::uint64_t top = std::accumulate(costs.begin(), costs.begin() + 20, std::uint64_t{0});
  const std::uint64_t bottom = std::accumulate(costs.begin() + 20, costs.end(), std::uint64_t{0});
  EXPECT_GT(bottom, 10 * top);  // static block's lesson: the second thread does nearly all
  EXPECT_GT(*std::max_element(costs.begin(), costs.end()), 100 * costs[0]);
}

TEST(Mandelbrot, SymmetricRowsStillHaveTheirOwnDigest) {
  // Centred on the real axis, rows y and H-1-y hold the same counts.
  WorkloadSpec spec = app_spec(WorkloadKind::kMandelbrot, 8, 100);
  const WithApplication app(spec);
  set_step(0, 1, false);
  const auto costs = mandelbrot_row_costs(MandelbrotView{-0.5, 0.0, 1.5}, 8, 100);
  EXPECT_EQ(costs[0], costs[7]);
  // The digest is seeded with the row: the same counts in two rows give two digests.
  std::vector<std::uint32_t>& image = *mandelbrot_image();
  std::fill(image.begin(), image.end(), 5U);
  EXPECT_NE(application()->digest(Task{0, 40}), application()->digest(Task{7, 40}));
}

TEST(Mandelbrot, TooManyRowsOrIterationsAreUsageErrors) {
  EXPECT_THROW(make_workload(app_spec(WorkloadKind::kMandelbrot, kMaxMandelbrotRows + 1, 10)),
               UsageError);
  EXPECT_THROW(make_workload(app_spec(WorkloadKind::kMandelbrot, 4, kMaxMandelbrotIterations + 1)),
               UsageError);
  WorkloadSpec scaled = app_spec(WorkloadKind::kMandelbrot, 4, 10);
  scaled.scale = 2.0;
  EXPECT_THROW(make_workload(scaled), UsageError);
}

TEST(Spmv, RowLengthsFollowTheSeedAndAPowerLaw) {
  const auto tasks = make_workload(app_spec(WorkloadKind::kSpmv, 2000, 400, 1));
  EXPECT_EQ(tasks.size(), 2000U);
  const std::uint64_t total = total_units(tasks);
  EXPECT_NEAR(static_cast<double>(total) / 2000.0, 400.0, 80.0);  // the mean is --size
  const auto longest = std::max_element(
      tasks.begin(), tasks.end(), [](const Task& a, const Task& b) { return a.size < b.size; });
  EXPECT_GT(longest->size, 10U * 400U / 3U);  // a heavy tail: some rows far above the mean
  EXPECT_EQ(make_workload(app_spec(WorkloadKind::kSpmv, 2000, 400, 1))[7].size, tasks[7].size);
  const auto other = make_workload(app_spec(WorkloadKind::kSpmv, 2000, 400, 2));
  EXPECT_NE(total_units(other), total);
}

TEST(Triad, EveryBlockIsSizeDoubles) {
  const auto tasks = make_workload(app_spec(WorkloadKind::kTriad, 5, 321));
  for (const Task& t : tasks) EXPECT_EQ(t.size, 321U);
  EXPECT_EQ(application_bytes(app_spec(WorkloadKind::kTriad, 5, 321)), 5U * 321U * 24U);
}

TEST(AppImages, PicturesArePngFiles) {
  const std::string png_signature("\x89PNG\r\n\x1a\n", 8);
  const std::vector<std::uint32_t> counts = {1, 2, 3, 100, 100, 50};
  EXPECT_EQ(mandelbrot_png(counts, 3, 100).substr(0, 8), png_signature);
  EXPECT_EQ(cost_map_png({0.1, 0.5, 0.2}).substr(0, 8), png_signature);
  EXPECT_EQ(cost_map_path("out/pic.png"), "out/pic-cost.png");
  EXPECT_EQ(cost_map_path("pic.jpg"), "");
  EXPECT_EQ(cost_map_path(".png"), "");
}
