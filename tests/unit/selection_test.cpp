// The auto rows' records (issue 22): regret against the fixed rows of the same run, the
// median and the per-step oracle, with hand-worked figures; the step lines and their cap;
// the table, CSV and JSON of a run with auto rows.
#include "schedlab/selection.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "schedlab/output.hpp"
#include "unit_test_helpers.hpp"

using namespace schedlab;
using schedlab_test::temp_path;

namespace {

// Three fixed techniques (1.0, 1.2, 1.5 s; fac2 the fastest of two repeats), a literal
// pragma, serial, and one auto row of 1.1 s, each over two steps.
std::vector<SelectionRow> hand_rows() {
  return {
      {"serial", {3.0}, {1.5, 1.5}, true},        {"fac2", {1.3, 1.0}, {0.5, 0.5}, true},
      {"gss", {1.2}, {0.3, 0.9}, true},           {"af", {1.5}, {0.7, 0.8}, true},
      {"static", {0.2}, {0.1, 0.1}, false},  // did not verify: never compared
      {"auto:simulate", {1.1}, {0.5, 0.6}, true},
  };
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(Selection, RolesComeFromTheRowGrammar) {
  EXPECT_EQ(selection_role(Runner::kOmp, "auto:simulate"), SelectionRole::kAuto);
  EXPECT_EQ(selection_role(Runner::kOmp, "fac2"), SelectionRole::kFixed);
  EXPECT_EQ(selection_role(Runner::kOmp, "gss,4"), SelectionRole::kFixed);
  // all-fixed's static row is named as schedule(static); pragmas are fixed choices too.
  EXPECT_EQ(selection_role(Runner::kOmp, "static"), SelectionRole::kFixed);
  EXPECT_EQ(selection_role(Runner::kOmp, "dynamic,1"), SelectionRole::kFixed);
  EXPECT_EQ(selection_role(Runner::kOmp, "auto"), SelectionRole::kFixed);  // schedule(auto)
  EXPECT_EQ(selection_role(Runner::kOmp, "auto:simulate"), SelectionRole::kAuto);
  EXPECT_EQ(selection_role(Runner::kMpi, "auto:expert"), SelectionRole::kAuto);
  EXPECT_EQ(selection_role(Runner::kMpi, "static"), SelectionRole::kFixed);
  EXPECT_EQ(selection_role(Runner::kOmp, "serial"), SelectionRole::kOther);
  EXPECT_EQ(selection_role(Runner::kMpi, "cyclic,2"), SelectionRole::kFixed);
  EXPECT_EQ(selection_role(Runner::kMpi, "fac2"), SelectionRole::kFixed);
  EXPECT_EQ(selection_role(Runner::kOmp, "dynamic,x"), SelectionRole::kOther);  // refused name
}

TEST(Selection, RegretMedianAndOracleFromHandWorkedRows) {
  const std::vector<SelectionSummary> all = summarize_selection(Runner::kOmp, hand_rows());
  ASSERT_EQ(all.size(), 1u);
  const SelectionSummary& s = all.front();
  EXPECT_EQ(s.row, "auto:simulate");
  EXPECT_TRUE(s.compared());
  EXPECT_EQ(s.fixed_rows, 3u);
  EXPECT_DOUBLE_EQ(s.seconds, 1.1);
  EXPECT_EQ(s.best_fixed, "fac2");  // its fastest repeat, 1.0 s
  EXPECT_DOUBLE_EQ(s.best_fixed_seconds, 1.0);
  EXPECT_NEAR(s.regret_pct, 10.0, 1e-9);
  EXPECT_EQ(s.median_fixed, "gss");
  EXPECT_DOUBLE_EQ(s.median_fixed_seconds, 1.2);
  // Step 0: gss 0.3; step 1: fac2 0.5 -> 0.8 s; auto is 37.5% above it.
  EXPECT_NEAR(s.oracle_seconds, 0.8, 1e-12);
  EXPECT_NEAR(s.oracle_gap_pct, 37.5, 1e-9);
}

TEST(Selection, EvenCountTakesTheLowerMedianAndSkipsUnverifiedRows) {
  std::vector<SelectionRow> rows = hand_rows();
  rows.push_back({"tss", {1.4}, {0.7, 0.7}, true});
  rows.push_back({"ss", {0.1}, {0.05, 0.05}, false});  // did not verify: never the best
  const SelectionSummary s = summarize_selection(Runner::kOmp, rows).front();
  EXPECT_EQ(s.fixed_rows, 4u);
  EXPECT_EQ(s.best_fixed, "fac2");
  EXPECT_EQ(s.median_fixed, "gss");  // 1.0, 1.2 | 1.4, 1.5: the lower of the middle two
  EXPECT_DOUBLE_EQ(s.median_fixed_seconds, 1.2);
}

TEST(Selection, FewerThanTwoFixedRowsComparesNothing) {
  const std::vector<SelectionRow> rows = {
      {"serial", {3.0}, {}, true}, {"fac2", {1.0}, {}, true}, {"auto:random", {1.4}, {}, true}};
  const SelectionSummary s = summarize_selection(Runner::kOmp, rows).front();
  EXPECT_FALSE(s.compared());
  EXPECT_EQ(s.fixed_rows, 1u);
  EXPECT_TRUE(std::isnan(s.regret_pct));
  EXPECT_EQ(selection_line(s),
            "auto:random 1.4 s: no fixed rows to compare (1 fixed technique in this run, 2 "
            "needed: run --schedule all-fixed / --strategy all-fixed)");
}

TEST(Selection, AnUnknownRunnerHasNoFixedRows) {
  const std::vector<SelectionSummary> all = summarize_selection("my-runner", hand_rows());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all.front().fixed_rows, 0u);
  EXPECT_FALSE(all.front().compared());
  EXPECT_EQ(summarize_selection("schedlab-omp", hand_rows()).front().best_fixed, "fac2");
}

TEST(Selection, OracleNeedsTheSameStepCountEverywhere) {
  std::vector<SelectionRow> rows = hand_rows();
  rows[2].step_seconds = {1.2};  // gss ran one step
  const SelectionSummary s = summarize_selection(Runner::kOmp, rows).front();
  EXPECT_NEAR(s.regret_pct, 10.0, 1e-9);
  EXPECT_TRUE(std::isnan(s.oracle_seconds));
  EXPECT_NE(selection_line(s).find("per-step oracle - (the fixed rows ran other step counts)"),
            std::string::npos);
}

// Step by step against the median row (gss: 0.3, 0.9): auto (0.5, 0.6) wins step 1 only.
TEST(Selection, StepsAreComparedWithTheMedianRowOneByOne) {
  std::vector<SelectionRow> rows = hand_rows();
  SelectionSummary s = summarize_selection(Runner::kOmp, rows).front();
  EXPECT_EQ(s.steps_paired, 2u);
  EXPECT_EQ(s.steps_faster_than_median, 1u);
  rows.back().step_seconds = {0.3, 0.9};  // equal at every step: a tie is not faster
  s = summarize_selection(Runner::kOmp, rows).front();
  EXPECT_EQ(s.steps_faster_than_median, 0u);
  rows.back().step_seconds = {0.29, 0.89};
  s = summarize_selection(Runner::kOmp, rows).front();
  EXPECT_EQ(s.steps_faster_than_median, 2u);
  EXPECT_NE(selection_line(s).find("median fixed (gss) 1.2 s (auto faster in 2 of 2 steps) · "),
            std::string::npos)
      << selection_line(s);
}

// One step, or steps that do not pair: nothing counted and nothing said.
TEST(Selection, StepsThatDoNotPairAreNotCounted) {
  std::vector<SelectionRow> rows = hand_rows();
  rows[2].step_seconds = {1.2};  // the median row, gss, ran one step
  SelectionSummary s = summarize_selection(Runner::kOmp, rows).front();
  EXPECT_EQ(s.steps_paired, 0u);
  EXPECT_EQ(s.steps_faster_than_median, 0u);
  EXPECT_EQ(selection_line(s).find("auto faster in"), std::string::npos) << selection_line(s);
  for (SelectionRow& r : rows) r.step_seconds.clear();  // one-step rows: their time is the step
  s = summarize_selection(Runner::kOmp, rows).front();
  EXPECT_EQ(s.steps_paired, 0u);
  EXPECT_EQ(selection_line(s).find("auto faster in"), std::string::npos) << selection_line(s);
}

TEST(Selection, AnAutoRowThatFailedIsNotCompared) {
  std::vector<SelectionRow> rows = hand_rows();
  rows.back().verified = false;
  const SelectionSummary s = summarize_selection(Runner::kOmp, rows).front();
  EXPECT_FALSE(s.compared());
  EXPECT_EQ(selection_line(s), "auto:simulate: did not verify, so it is not compared");
}

TEST(Selection, RegretLineSaysEveryFigure) {
  const SelectionSummary s = summarize_selection(Runner::kOmp, hand_rows()).front();
  EXPECT_EQ(selection_line(s),
            "auto:simulate 1.1 s · best fixed fac2 1 s (regret 10.0%) · median fixed (gss) 1.2 s "
            "(auto faster in 1 of 2 steps) · per-step oracle 0.8 s (+37.5%)");
}

TEST(StepLines, OneLineSaysChoiceReasonPredictionAndCost) {
  StepDecision d{
      "fac2", "predicted best of 14", {{"fac2", 0.12}, {"af", 0.122}, {"gss", 0.13}}, 0.12, 0.0004};
  EXPECT_EQ(decision_line(3, d, 0.125),
            "step 3: fac2 — predicted best of 14 (fac2 0.12 s, af 0.122 s, gss 0.13 s); measured "
            "0.125 s vs predicted 0.12 s; decision 0.4 ms (0.32% of the step)");
  StepDecision rule{"af", "LB 0.62 < 0.9: adaptive", {}, std::nan(""), 0.00002};
  EXPECT_EQ(decision_line(0, rule, 0.5),
            "step 0: af — LB 0.62 < 0.9: adaptive; measured 0.5 s; decision 0.02 ms (0.004% of the "
            "step)");
}

// A decision preempted on a loaded machine: whole numbers, never "1.4e+02 ms" or "1.6e+03%".
TEST(StepLines, ALongDecisionIsWrittenWhole) {
  StepDecision d{"ss", "kept without simulating (1 of 4)", {}, std::nan(""), 0.14};
  EXPECT_EQ(decision_line(0, d, 0.0085),
            "step 0: ss — kept without simulating (1 of 4); measured 0.0085 s; decision 140 ms "
            "(1647% of the step)");
  d.decision_seconds = 0.0996;
  const std::string line = decision_line(0, d, 0.1);
  EXPECT_NE(line.find("; decision 100 ms (100% of the step)"), std::string::npos) << line;
}

TEST(StepLines, HostileTextStaysOnOneLine) {
  StepDecision d{"fac2\n!rm", "why\x1b[31m\nnot", {{"gss\r", 1.0}}, 1.0, 0.0};
  const std::string line = decision_line(0, d, 1.0);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
  EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  EXPECT_NE(line.find("fac2\\n!rm"), std::string::npos) << line;
}

TEST(StepLines, MoreThanTwentyStepsShowTheFirstAndLastTen) {
  std::vector<StepDecision> decisions(25, StepDecision{"gss", "trial", {}, std::nan(""), 0.0});
  std::vector<double> steps(25, 0.5);
  const std::vector<std::string> lines = decision_lines(decisions, steps, 12.5);
  ASSERT_EQ(lines.size(), 21u);
  EXPECT_TRUE(lines[9].starts_with("step 9: ")) << lines[9];
  EXPECT_EQ(lines[10], "… 5 steps more (see --json)");
  EXPECT_TRUE(lines[11].starts_with("step 15: ")) << lines[11];
  EXPECT_TRUE(lines[20].starts_with("step 24: ")) << lines[20];
  EXPECT_EQ(decision_lines(std::vector<StepDecision>(20, decisions[0]), steps, 10).size(), 20u);
}

TEST(StepLines, OneStepRunMeasuresItsWallTime) {
  EXPECT_DOUBLE_EQ(measured_step_seconds({}, 2.5, 0), 2.5);
  EXPECT_TRUE(std::isnan(measured_step_seconds({}, 2.5, 1)));
  EXPECT_DOUBLE_EQ(measured_step_seconds({0.4, 0.6}, 1.0, 1), 0.6);
}

namespace {

// A run of one step per task list (4 tasks of 1 s on one worker), its wall time set.
RunResult timed_run(double wall, std::vector<double> steps = {},
                    std::vector<StepDecision> decisions = {}) {
  RunResult run = empty_result(4, 2);
  for (std::size_t i = 0; i < 4; ++i) {
    run.results[i] = 10 + i;
    run.trace[i] = {i, 0, 0, static_cast<double>(i), static_cast<double>(i + 1), -1};
    run.completion_order.push_back(i);
  }
  run.wall_seconds = wall;
  run.step_seconds = std::move(steps);
  run.decisions = std::move(decisions);
  return run;
}

Comparison run_with_auto_rows() {
  const std::vector<Task> tasks = {{0, 1}, {1, 1}, {2, 1}, {3, 1}};
  RunInfo info{"schedlab-omp", "test", {}, 1, 2, {}, {}, {}, {}};
  info.settings.steps = 2;
  Comparison c(info, tasks);
  c.set_baseline({timed_run(4.0, {2.0, 2.0})});
  c.add("fac2", 1, 2, {timed_run(1.3, {0.6, 0.7}), timed_run(1.0, {0.5, 0.5})});
  c.add("gss", 1, 2, {timed_run(1.2, {0.3, 0.9})});
  c.add("af", 1, 2, {timed_run(1.5, {0.7, 0.8})});
  c.add("auto:simulate", 1, 2,
        {timed_run(1.1, {0.5, 0.6},
                   {{"fac2", "first step, nothing measured", {}, std::nan(""), 0.001},
                    {"gss", "predicted best of 3", {{"gss", 0.55}, {"fac2", 0.6}}, 0.55, 0.002}})});
  return c;
}

}  // namespace

TEST(SelectionOutput, TableShowsStepsAndRegretAfterTheTable) {
  const Comparison c = run_with_auto_rows();
  std::FILE* out = std::tmpfile();
  print_comparison(out, c);
  std::rewind(out);
  std::string text(16384, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), out));
  std::fclose(out);
  EXPECT_NE(text.find("choices of auto:simulate:\n  step 0: fac2 — first step, nothing measured; "
                      "measured 0.5 s; decision 1 ms (0.2% of the step)\n  step 1: gss — "
                      "predicted best of 3 (gss 0.55 s, fac2 0.6 s); measured 0.6 s vs predicted "
                      "0.55 s; decision 2 ms (0.33% of the step)\nregret: how"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("auto:simulate 1.1 s · best fixed fac2 1 s (regret 10.0%) · median fixed "
                      "(gss) 1.2 s (auto faster in 1 of 2 steps) · per-step oracle 0.8 s "
                      "(+37.5%)\n"),
            std::string::npos)
      << text;
  EXPECT_LT(text.find("regret: how"), text.find("verification: PASSED"));
}

TEST(SelectionOutput, CsvHasTheAutoColumnsAndEmptyCellsElsewhere) {
  const std::string path = temp_path("selection.csv");
  std::filesystem::remove(path);
  write_csv(run_with_auto_rows(), path);
  const std::string text = read_text(path);
  std::filesystem::remove(path);
  EXPECT_NE(text.find(",perturb,choices,decision_s,fixed_rows,regret_pct,best_fixed,best_fixed_s,"
                      "median_fixed,median_fixed_s,oracle_s\n"),
            std::string::npos);
  EXPECT_NE(text.find(",fac2;gss,0.003000000,3,10.0000,fac2,1.000000000,gss,1.200000000,"
                      "0.800000000\n"),
            std::string::npos)
      << text;
  // A fixed row: nine empty cells after its perturb column.
  EXPECT_NE(text.find(",,,,,,,,,\n"), std::string::npos) << text;
}

TEST(SelectionOutput, JsonHasDecisionsAndTheSummaryOnAutoRowsOnly) {
  const std::string path = temp_path("selection.json");
  write_json(run_with_auto_rows(), path);
  const nlohmann::json record = nlohmann::json::parse(read_text(path));
  std::filesystem::remove(path);
  const nlohmann::json& fac2 = record["strategies"][1];
  EXPECT_FALSE(fac2.contains("decisions"));
  EXPECT_FALSE(fac2.contains("selection"));
  const nlohmann::json& automatic = record["strategies"][4];
  ASSERT_EQ(automatic["decisions"].size(), 2u);
  const nlohmann::json& first = automatic["decisions"][0];
  EXPECT_EQ(first["technique"], "fac2");
  EXPECT_TRUE(first["predicted_seconds"].is_null());
  EXPECT_DOUBLE_EQ(first["measured_seconds"].get<double>(), 0.5);
  const nlohmann::json& second = automatic["decisions"][1];
  EXPECT_EQ(second["predicted"][0]["technique"], "gss");
  EXPECT_DOUBLE_EQ(second["predicted_seconds"].get<double>(), 0.55);
  const nlohmann::json& s = automatic["selection"];
  EXPECT_EQ(s["best_fixed"], "fac2");
  EXPECT_EQ(s["median_fixed"], "gss");
  EXPECT_EQ(s["fixed_rows"], 3);
  EXPECT_NEAR(s["regret_pct"].get<double>(), 10.0, 1e-9);
  EXPECT_NEAR(s["oracle_seconds"].get<double>(), 0.8, 1e-12);
  EXPECT_EQ(s["steps_paired"], 2);
  EXPECT_EQ(s["steps_faster_than_median"], 1);
}
