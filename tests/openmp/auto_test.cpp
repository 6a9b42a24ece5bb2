// The OpenMP auto row (--schedule auto:METHOD) called as a library, step by step as the driver
// calls it: every method verifies at 1-4 threads, fills one StepDecision per step, and
// auto:simulate moves off static once it has measured a worker three times slower.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "schedlab/openmp/schedules.hpp"
#include "schedlab/perturb.hpp"
#include "schedlab/serial/serial_loop.hpp"
#include "schedlab/steps.hpp"

using namespace schedlab;
namespace tech = schedlab::techniques;

namespace {

std::vector<Task> equal_tasks(std::size_t n, std::uint64_t size) {
  std::vector<Task> tasks;
  for (std::size_t i = 0; i < n; ++i) tasks.push_back(Task{i, size});
  return tasks;
}

// Runs `steps` steps of one auto row as run_steps() does; one RunResult per step.
std::vector<RunResult> run_row(const std::string& schedule, const std::vector<Task>& tasks,
                               int threads, int steps) {
  const std::vector<ScheduleSpec> specs = parse_schedule(schedule);
  EXPECT_EQ(specs.size(), 1U);
  std::vector<RunResult> results;
  restart_perturbation_clock();
  for (int step = 0; step < steps; ++step) {
    set_current_step(step, steps);
    Progress quiet(tasks.size(), 0, stdout, false);
    results.push_back(specs.front().run(tasks, quiet, threads, std::nullopt, {}));
  }
  set_current_step(0, 1);
  return results;
}

TEST(AutoRow, EveryMethodVerifiesAndExplainsEachStep) {
  std::vector<Task> tasks = equal_tasks(23, 2'000);
  for (std::size_t i = 0; i < tasks.size(); i += 5) tasks[i].size = 20'000;  // irregular
  Progress quiet(tasks.size(), 0, stdout, false);
  const std::uint64_t expected = checksum(run_serial(tasks, std::nullopt, quiet).results);
  for (const tech::SelectMethod method : tech::select_methods()) {
    const std::string name = "auto:" + std::string(tech::to_string(method));
    for (int threads = 1; threads <= 4; ++threads) {
      for (const RunResult& step : run_row(name, tasks, threads, 3)) {
        ASSERT_TRUE(step.complete()) << name << " threads " << threads;
        EXPECT_EQ(checksum(step.results), expected) << name << " threads " << threads;
        ASSERT_EQ(step.decisions.size(), 1U);
        const StepDecision& d = step.decisions.front();
        EXPECT_NE(tech::find_technique(d.technique), nullptr) << d.technique;
        EXPECT_FALSE(d.reason.empty());
        EXPECT_GE(d.decision_seconds, 0.0);
        EXPECT_GE(step.wall_seconds, d.decision_seconds);
      }
    }
  }
}

TEST(AutoRow, LabelsAndAllFixed) {
  EXPECT_EQ(parse_schedule("auto:simulate").front().label(), "auto:simulate");
  EXPECT_EQ(parse_schedule("auto").front().label(), "auto");  // OpenMP's own schedule(auto)
  const std::vector<ScheduleSpec> all = parse_schedule("all-fixed");
  ASSERT_EQ(all.size(), tech::portfolio().size() + 4);
  EXPECT_EQ(all[all.size() - 4].label(), "auto:exhaustive");
  EXPECT_EQ(all.back().label(), "auto:random");
  for (std::size_t i = 0; i < tech::portfolio().size(); ++i)
    EXPECT_EQ(all[i].label(), tech::portfolio()[i].text());
}

TEST(AutoRow, SimulateLeavesStaticWhenAWorkerIsSlowed) {
  // Equal tasks, worker 1 eight times slower: an even split makes worker 0 wait about four
  // times as long as a balanced schedule would. The measured step times drive the choice, and
  // a loaded machine can preempt a thread for a whole step (it then reads as slow), so one
  // step may still choose static; most may not. The tasks are ~0.3 ms, steps ~10 ms.
  // 13 steps: where every decision costs more than 4% of a step (ASan on a loaded machine),
  // only steps 0, 5 and 10 simulate, and step 0 has no measured step to simulate with.
  const std::vector<Task> tasks = equal_tasks(48, 300'000);
  set_perturbations({parse_perturbation("worker=1,slow=8")});
  const std::vector<RunResult> steps = run_row("auto:simulate", tasks, 2, 13);
  set_perturbations({});
  ASSERT_EQ(steps.size(), 13U);
  EXPECT_TRUE(std::isnan(steps[0].decisions.front().predicted_seconds));
  int static_steps = 0;
  int simulated_steps = 0;
  for (std::size_t s = 1; s < steps.size(); ++s) {
    const StepDecision& d = steps[s].decisions.front();
    // The decision budget (where simulating costs more than 1% of a step: a slow build such
    // as ASan's, a loaded machine) or a settled decision: the next steps keep the technique
    // without simulating and say so; they predict nothing.
    if (d.reason.rfind("kept without simulating", 0) == 0) {
      EXPECT_TRUE(std::isnan(d.predicted_seconds)) << "step " << s;
      EXPECT_EQ(d.technique, steps[s - 1].decisions.front().technique) << "step " << s;
      continue;
    }
    ++simulated_steps;
    if (d.technique == "static") ++static_steps;
    EXPECT_GT(d.predicted_seconds, 0.0);
    ASSERT_FALSE(d.predicted.empty());
    // The predicted best, or within kSwitchGain of it: the last step's technique kept, a
    // near-tie tried for a step, or after a trial the measured best.
    if (d.predicted.front().technique != d.technique) {
      EXPECT_TRUE(d.reason.rfind("kept:", 0) == 0 || d.reason.rfind("trial ", 0) == 0 ||
                  d.reason.rfind("after a trial:", 0) == 0)
          << "step " << s << ": " << d.reason;
    }
  }
  // At most 4 kept steps follow a simulated one (kMaxUnsimulatedSteps): of the 12 steps after
  // the first, two at least were simulated from measured times, and not all of them chose
  // static. (With 8 steps, step 0's budget could keep steps 1-4 and step 5's keep 6 and 7.)
  EXPECT_GE(simulated_steps, 2);
  EXPECT_LT(static_steps, simulated_steps);
  EXPECT_LE(static_steps, 2) << "static chosen in " << static_steps << " of " << simulated_steps
                             << " simulated steps";
}

}  // namespace
