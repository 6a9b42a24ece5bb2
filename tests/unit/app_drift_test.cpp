// Time steps and drift (schedlab/drift.hpp): without drift every step is the base list;
// with it a synthetic list's hot spot moves (a rotation) and mandelbrot zooms in.
#include <gtest/gtest.h>

#include <algorithm>

#include "schedlab/application.hpp"
#include "schedlab/drift.hpp"
#include "unit_test_helpers.hpp"

using namespace schedlab;
using schedlab_test::sizes_of;

namespace {

WorkloadSpec spec_of(WorkloadKind kind, std::size_t tasks, std::uint64_t size) {
  WorkloadSpec s;
  s.kind = kind;
  s.tasks = tasks;
  s.size = size;
  return s;
}

// Leaves the process at step 0 of 1 without drift, whatever a test set.
class Drift : public ::testing::Test {
 protected:
  void TearDown() override { set_step(0, 1, false); }
};

}  // namespace

TEST_F(Drift, WithoutDriftEveryStepIsTheBaseList) {
  const WorkloadSpec spec = spec_of(WorkloadKind::kSkewed, 16, 800);
  const std::vector<Task> base = make_workload(spec);
  for (int step = 0; step < 4; ++step) {
    set_step(step, 4, false);
    EXPECT_EQ(sizes_of(tasks_of_step(spec, base)), sizes_of(base)) << "step " << step;
  }
}

TEST_F(Drift, TheHotSpotRotatesByStepTimesNOverSteps) {
  const WorkloadSpec spec = spec_of(WorkloadKind::kSkewed, 16, 800);  // heavy tasks 0 and 1
  const std::vector<Task> base = make_workload(spec);
  for (int step = 0; step < 4; ++step) {
    set_step(step, 4, true);
    const std::vector<Task> tasks = tasks_of_step(spec, base);
    const std::size_t shift = static_cast<std::size_t>(step) * 16 / 4;
    for (std::size_t i = 0; i < 16; ++i) {
      EXPECT_EQ(tasks[(i + shift) % 16].size, base[i].size) << "step " << step << " task " << i;
      EXPECT_EQ(tasks[i].id, i);
    }
    auto sorted = sizes_of(tasks), sorted_base = sizes_of(base);
    std::sort(sorted.begin(), sorted.end());
    std::sort(sorted_base.begin(), sorted_base.end());
    EXPECT_EQ(sorted, sorted_base);  // a permutation
  }
  set_step(1, 4, true);
  EXPECT_EQ(tasks_of_step(spec, base)[4].size, 3200U);  // the heavy task 0 moved to 4
}

TEST_F(Drift, MandelbrotZoomsAndItsCostsFollowTheView) {
  const WorkloadSpec spec = spec_of(WorkloadKind::kMandelbrot, 24, 300);
  const std::vector<Task> base = make_workload(spec);
  set_step(0, 3, true);  // step 0 is the base view
  EXPECT_EQ(sizes_of(tasks_of_step(spec, base)), sizes_of(base));
  set_step(2, 3, true);
  const MandelbrotView last = current_mandelbrot_view();
  EXPECT_NEAR(last.half_width, 0.0125, 1e-12);  // 1/100 of the base view
  const std::vector<Task> zoomed = tasks_of_step(spec, base);
  EXPECT_NE(sizes_of(zoomed), sizes_of(base));
  EXPECT_EQ(sizes_of(zoomed), mandelbrot_row_costs(last, 24, 300));
  EXPECT_EQ(sizes_of(tasks_of_step(spec, base)), sizes_of(zoomed));  // deterministic

  // The workers compute the current view: each row's iterations are its predicted cost.
  set_application(spec);
  std::vector<std::uint32_t>& image = *mandelbrot_image();
  for (const Task& t : zoomed) {
    application()->compute(t, 0, application()->elements(t));
    std::uint64_t sum = 0;
    for (std::size_t x = 0; x < 24; ++x) sum += image[t.id * 24 + x];
    EXPECT_EQ(sum, t.size) << "row " << t.id;
  }
  set_application(WorkloadSpec{});
}

TEST_F(Drift, OutsideStepsTheStateIsStepZeroOfOne) {
  set_step(0, 1, false);
  const MandelbrotView view = current_mandelbrot_view();
  EXPECT_EQ(view.center_x, MandelbrotView{}.center_x);
  EXPECT_EQ(view.center_y, MandelbrotView{}.center_y);
  EXPECT_EQ(view.half_width, MandelbrotView{}.half_width);
  const WorkloadSpec spec = spec_of(WorkloadKind::kTriad, 3, 10);
  set_step(1, 2, true);  // the arrays' costs do not drift
  EXPECT_EQ(sizes_of(tasks_of_step(spec, make_workload(spec))),
            (std::vector<std::uint64_t>{10, 10, 10}));
}
