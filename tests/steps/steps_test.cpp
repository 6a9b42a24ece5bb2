// --steps, --perturb and the adaptive techniques' memory between steps, without a runner:
// the grammar and its canonical text, joining steps, and awf-b..e / af starting step 2 from
// what step 1 measured.
#include "schedlab/steps.hpp"

#include <gtest/gtest.h>
#include <time.h>

#include <cmath>
#include <string>
#include <vector>

#include "schedlab/errors.hpp"
#include "schedlab/perturb.hpp"
#include "schedlab/techniques/learning_row.hpp"
#include "schedlab/techniques/registry.hpp"

namespace schedlab {
namespace {

TEST(Perturb, IssueSpellingParses) {
  const Perturbation p = parse_perturbation("worker=1,slow=3");
  EXPECT_EQ(p.kind, PerturbKind::kSlow);
  EXPECT_EQ(p.worker, 1);
  EXPECT_DOUBLE_EQ(p.slow, 3);
  EXPECT_EQ(to_string(p), "worker=1,slow=3");
}

TEST(Perturb, CanonicalTextParsesBackToTheSame) {
  for (const char* text : {"slow=1.5", "worker=0,pause=0.01,every=0.1,from=0.5",
                           "latency=0.0001,from_step=2", "worker=3,slow=2,from_step=1"}) {
    const std::string canonical = to_string(parse_perturbation(text));
    EXPECT_EQ(to_string(parse_perturbation(canonical)), canonical) << text;
  }
  // Keys in any order give one canonical text.
  EXPECT_EQ(to_string(parse_perturbation("every=0.1,pause=0.01,worker=2")),
            "worker=2,pause=0.01,every=0.1");
}

TEST(Perturb, BadSpecsNameTheKeyOrValue) {
  const auto message = [](const char* text) {
    try {
      parse_perturbation(text);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("worker=1,fast=3").find("unknown key 'fast'"), std::string::npos);
  EXPECT_NE(message("worker=1,slow=0.5").find("expected a factor from 1"), std::string::npos);
  EXPECT_NE(message("worker=x,slow=2").find("worker 'x'"), std::string::npos);
  EXPECT_NE(message("slow=2,latency=1e-4").find("exactly one of"), std::string::npos);
  EXPECT_NE(message("pause=0.01").find("every=E goes with pause=S"), std::string::npos);
  EXPECT_NE(message("pause=0.2,every=0.1").find("shorter than the period"), std::string::npos);
  EXPECT_NE(message("slow").find("not key=value"), std::string::npos);
  EXPECT_NE(message("slow=2,slow=3").find("given twice"), std::string::npos);
}

TEST(Perturb, ChecksWorkersStepsAndTheModel) {
  const std::vector<Perturbation> slow = {parse_perturbation("worker=2,slow=2")};
  EXPECT_THROW(check_perturbations(slow, 2, 1, true), UsageError);
  EXPECT_NO_THROW(check_perturbations(slow, 3, 1, false));
  const std::vector<Perturbation> latency = {parse_perturbation("latency=1e-4")};
  EXPECT_THROW(check_perturbations(latency, 4, 1, false), UsageError);  // OpenMP
  EXPECT_NO_THROW(check_perturbations(latency, 4, 1, true));
  const std::vector<Perturbation> later = {parse_perturbation("slow=2,from_step=3")};
  EXPECT_THROW(check_perturbations(later, 2, 3, false), UsageError);
  EXPECT_NO_THROW(check_perturbations(later, 2, 4, false));
}

TEST(Perturb, SlowedWorkerBusyWaitsItsFactor) {
  set_perturbations({parse_perturbation("worker=1,slow=3")});
  restart_perturbation_clock();
  // The CPU time this thread spends in slow_down() after 2 ms of its own work: CPU time, not
  // wall time, so that a loaded machine preempting the test cannot make an untouched worker
  // look slowed (a wall-clock bound failed here under load 7).
  const auto thread_cpu = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
  };
  const auto slowed = [&](int worker, double& wall) {
    const auto began = Clock::now();
    while (seconds_between(began, Clock::now()) < 0.002) {
    }
    const double cpu0 = thread_cpu();
    slow_down(worker, began);
    wall = seconds_between(began, Clock::now());
    return thread_cpu() - cpu0;
  };
  double wall0 = 0;
  double wall1 = 0;
  EXPECT_LT(slowed(0, wall0), 0.001);  // untouched: slow_down() waits for nothing
  slowed(1, wall1);
  EXPECT_GE(wall1, 0.006);  // 3 x 2 ms at least: the wait is never shorter
  set_perturbations({});
  EXPECT_FALSE(perturbations_set());
}

TEST(Steps, JoinKeepsStepsApartAndShiftsTimes) {
  RunResult a = empty_result(2, 2);
  RunResult b = empty_result(2, 2);
  for (RunResult* r : {&a, &b}) {
    for (std::size_t i = 0; i < 2; ++i) {
      r->results[i] = 10 + i;
      r->trace[i] = TaskRecord{i, static_cast<int>(i), 0, 0.0, 1.0, static_cast<int>(i)};
      r->completion_order.push_back(i);
    }
  }
  a.wall_seconds = 1.0;
  b.wall_seconds = 2.0;
  b.trace[1].end = 2.0;  // step 2: worker 1 is busy twice as long
  const RunResult joined = join_steps({a, b});
  ASSERT_EQ(joined.results.size(), 4u);
  EXPECT_DOUBLE_EQ(joined.wall_seconds, 3.0);
  EXPECT_EQ(joined.step_seconds, (std::vector<double>{1.0, 2.0}));
  EXPECT_DOUBLE_EQ(joined.trace[2].start, 1.0);  // step 2 starts where step 1 ended
  EXPECT_EQ(joined.trace[2].task, 0u);           // ids stay within the step
  EXPECT_EQ(chunk_count(joined), 4);             // 2 chunks a step, kept distinct
  EXPECT_TRUE(joined.complete());
  const std::vector<StepSummary> steps = step_summaries(joined, 2, true);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_DOUBLE_EQ(steps[0].load_balance, 1.0);
  EXPECT_DOUBLE_EQ(steps[1].load_balance, 0.75);  // busy 1 and 2: mean 1.5 / max 2
  EXPECT_EQ(steps[1].chunks, 2);
  EXPECT_EQ(steps[0].checksum, steps[1].checksum);
  EXPECT_EQ(steps[0].checksum, checksum(a.results));
}

TEST(Steps, LowerBoundSumsTheSteps) {
  // Two steps of {1, 1} on 2 workers: 1 s each, 2 s in all.
  EXPECT_DOUBLE_EQ(stepped_lower_bound({1, 1, 1, 1}, 2, 2), 2.0);
  // One step of {3, 1}: the longest task bounds it.
  EXPECT_DOUBLE_EQ(stepped_lower_bound({3, 1, 1, 1}, 2, 2), 4.0);
}

// One loop execution of an adaptive technique on 2 workers, worker 1 three times slower;
// returns the first chunk each worker is offered in the *next* execution of step `next`.
std::vector<std::size_t> first_chunks_after_a_step(const std::string& name, int next) {
  namespace tech = techniques;
  const tech::TechniqueSpec spec = tech::parse_technique(name);
  tech::LoopSetup loop{1000, 2, {}, {}, -1};
  {
    const auto step1 = tech::make_technique(spec, loop);
    std::size_t remaining = 1000;
    for (int round = 0; round < 6 && remaining > 0; ++round) {
      for (int w = 0; w < 2 && remaining > 0; ++w) {
        const std::size_t chunk = step1->next_chunk(remaining, w);
        remaining -= chunk;
        const double per_task = w == 0 ? 1e-3 : 3e-3;
        const double seconds = per_task * static_cast<double>(chunk);
        step1->chunk_finished({w, chunk, seconds, seconds, seconds * per_task});
      }
    }
  }  // the end of the loop: what it learned is kept
  loop.time_step = next;
  const auto step2 = tech::make_technique(spec, loop);
  const std::size_t w0 = step2->next_chunk(1000, 0);
  const std::size_t w1 = step2->next_chunk(1000 - w0, 1);
  return {w0, w1};
}

class CarriesAcrossSteps : public ::testing::TestWithParam<std::string> {};

TEST_P(CarriesAcrossSteps, StepTwoStartsFromStepOnesWeights) {
  // Step 2 of the same run: the fast worker gets the larger first chunk at once.
  const std::vector<std::size_t> carried = first_chunks_after_a_step(GetParam(), 1);
  EXPECT_GT(carried[0], carried[1]) << GetParam();
  EXPECT_GT(carried[0], 1u) << GetParam();
  // A new run (step 0) starts from nothing: chunks of k = 1 until measured.
  const std::vector<std::size_t> fresh = first_chunks_after_a_step(GetParam(), 0);
  EXPECT_EQ(fresh, (std::vector<std::size_t>{1, 1})) << GetParam();
  // Step 2 after a step 0: this technique did not run step 1 (an auto row chose another one,
  // or the step 0 was another row's), so it starts from nothing too, never from what
  // another row learned.
  const std::vector<std::size_t> skipped = first_chunks_after_a_step(GetParam(), 2);
  EXPECT_EQ(skipped, (std::vector<std::size_t>{1, 1})) << GetParam();
}

// The driver runs the rows' steps interleaved (docs/design.md, "Time steps"): what a
// technique learned is kept per row, so two rows running af each start step 1 from their
// own step 0, whichever ran last; the simulator's af (an auto row simulating) keeps its own.
TEST_P(CarriesAcrossSteps, EachRowStartsFromItsOwnStep) {
  namespace tech = techniques;
  const tech::TechniqueSpec spec = tech::parse_technique(GetParam());
  // One loop execution of step 0 on 2 workers, worker `slow` three times slower.
  const auto step_zero = [&](int slow) {
    tech::LoopSetup loop{1000, 2, {}, {}, -1};
    const auto technique = tech::make_technique(spec, loop);
    std::size_t remaining = 1000;
    for (int round = 0; round < 6 && remaining > 0; ++round) {
      for (int w = 0; w < 2 && remaining > 0; ++w) {
        const std::size_t chunk = technique->next_chunk(remaining, w);
        remaining -= chunk;
        const double per_task = w == slow ? 3e-3 : 1e-3;
        const double seconds = per_task * static_cast<double>(chunk);
        technique->chunk_finished({w, chunk, seconds, seconds, seconds * per_task});
      }
    }
  };
  const auto first_chunks_of_step_one = [&] {
    tech::LoopSetup loop{1000, 2, {}, {}, -1};
    loop.time_step = 1;
    const auto technique = tech::make_technique(spec, loop);
    const std::size_t w0 = technique->next_chunk(1000, 0);
    return std::vector<std::size_t>{w0, technique->next_chunk(1000 - w0, 1)};
  };
  tech::set_learning_row(0);
  step_zero(1);  // row 0: worker 1 is the slow one
  tech::set_learning_row(1);
  step_zero(0);  // row 1, after it: worker 0 is
  {
    const tech::LearningRowScope simulated(tech::kSimulatedRow);
    step_zero(0);  // what simulate() does inside, as an auto row decides
  }
  tech::set_learning_row(0);
  const std::vector<std::size_t> row0 = first_chunks_of_step_one();
  tech::set_learning_row(1);
  const std::vector<std::size_t> row1 = first_chunks_of_step_one();
  // What each would start from had it run alone (rows 2 and 3, one after the other).
  tech::set_learning_row(2);
  step_zero(1);
  const std::vector<std::size_t> alone0 = first_chunks_of_step_one();
  tech::set_learning_row(3);
  step_zero(0);
  const std::vector<std::size_t> alone1 = first_chunks_of_step_one();
  tech::set_learning_row(tech::kNoRow);
  EXPECT_GT(row0[0], row0[1]) << GetParam();  // its own: worker 0 fast
  EXPECT_EQ(row0, alone0) << GetParam();
  EXPECT_EQ(row1, alone1) << GetParam();
  EXPECT_NE(alone0, alone1) << GetParam();  // the two rows learned different things
}

INSTANTIATE_TEST_SUITE_P(Adaptive, CarriesAcrossSteps,
                         ::testing::Values("awf-b", "awf-c", "awf-d", "awf-e", "af", "maf"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace schedlab
