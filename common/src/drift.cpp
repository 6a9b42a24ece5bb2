// The current time step and what drift does to the task list (docs/design.md, "Application
// workloads"): the hot spot of a synthetic list moves; mandelbrot zooms into the boundary.
#include "schedlab/drift.hpp"

#include <cmath>

#include "schedlab/application.hpp"
#include "schedlab/steps.hpp"

namespace schedlab {
namespace {

// Where the zoom ends: a point on the boundary (in "seahorse valley"), so every step's view
// still holds both the set and fast-escaping points, and the costly rows move and narrow.
constexpr double kTargetX = -0.743643887037151;
constexpr double kTargetY = 0.131825904205330;
constexpr double kFinalZoom = 0.01;  // the last step's view is 1/100 as wide as the first

// Written before each step (single-threaded), read by every task.
struct StepState {
  int step = 0;
  int steps = 1;
  bool drift = false;
  MandelbrotView view;
};
StepState g_state;

MandelbrotView view_of(int step, int steps) {
  const MandelbrotView base;
  if (steps <= 1) return base;
  const double t = static_cast<double>(step) / static_cast<double>(steps - 1);
  MandelbrotView view;
  view.center_x = base.center_x + t * (kTargetX - base.center_x);
  view.center_y = base.center_y + t * (kTargetY - base.center_y);
  view.half_width = base.half_width * std::pow(kFinalZoom, t);
  return view;
}

}  // namespace

void set_step(int step, int steps, bool drift) {
  set_current_step(step, steps);  // the one step counter (perturbations, adaptive techniques)
  g_state.step = step;
  g_state.steps = steps < 1 ? 1 : steps;
  g_state.drift = drift;
  g_state.view = drift ? view_of(step, g_state.steps) : MandelbrotView{};
}

MandelbrotView current_mandelbrot_view() { return g_state.view; }

std::vector<Task> tasks_of_step(const WorkloadSpec& spec, const std::vector<Task>& base) {
  if (!g_state.drift || base.empty()) return base;
  switch (spec.kind) {
    case WorkloadKind::kMandelbrot: {
      std::vector<Task> tasks = base;
      const auto costs = mandelbrot_row_costs(g_state.view, base.size(), spec.size);
      for (std::size_t i = 0; i < tasks.size(); ++i) tasks[i].size = costs[i];
      return tasks;
    }
    case WorkloadKind::kSpmv:
    case WorkloadKind::kTriad:
      return base;  // the matrix and the arrays are what they are: their costs stay
    default:
      break;
  }
  // Task i of step s gets the size task i - shift had: the heavy part moves along the list.
  const std::size_t n = base.size();
  const std::size_t shift =
      static_cast<std::size_t>(g_state.step) * n / static_cast<std::size_t>(g_state.steps) % n;
  std::vector<Task> tasks = base;
  for (std::size_t i = 0; i < n; ++i) tasks[(i + shift) % n].size = base[i].size;
  return tasks;
}

}  // namespace schedlab
