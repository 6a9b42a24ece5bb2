// Auto rows read back (issue 22): decisions and the selection summary survive a CSV and a
// JSON round trip, hostile text stays text on the terminal and in the page, and a record
// whose decisions do not fit its steps is refused with one line.
#include "schedlab/report/selection.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "report_test_helpers.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/output.hpp"
#include "schedlab/report/html.hpp"
#include "schedlab/report/reader.hpp"

using namespace schedlab;
using namespace schedlab::report;
using schedlab_test::data;
using schedlab_test::json_error;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + "." + std::to_string(::getpid())))
      .string();
}

// The fixture with every `from` replaced by `to`.
std::string fixture_with(const std::string& from, const std::string& to) {
  std::string text = read_text(data("auto-select.json"));
  EXPECT_NE(text.find(from), std::string::npos) << from;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Two tasks, one per worker (both on worker 0 for the serial baseline), its times set.
RunResult timed_run(double wall, std::vector<double> steps,
                    std::vector<StepDecision> decisions = {}, int workers = 2) {
  RunResult run = empty_result(2, workers);
  for (std::size_t i = 0; i < 2; ++i) {
    run.results[i] = 7 + i;
    run.trace[i] = {i, static_cast<int>(i) % workers, 0, 0.0, 0.1, -1};
    run.completion_order.push_back(i);
  }
  run.wall_seconds = wall;
  run.step_seconds = std::move(steps);
  run.decisions = std::move(decisions);
  return run;
}

// A two-step run: three fixed techniques and one auto row with one step of predictions.
Comparison run_with_auto_row() {
  const std::vector<Task> tasks = {{0, 1}, {1, 1}};
  RunInfo info{"schedlab-omp", "test", {}, 1, 2, {}, {}, {}, {}};
  info.settings.steps = 2;
  Comparison c(info, tasks);
  c.set_baseline({timed_run(4.0, {2.0, 2.0}, {}, 1)});
  c.add("fac2", 1, 2, {timed_run(1.0, {0.5, 0.5})});
  c.add("gss", 1, 2, {timed_run(1.2, {0.3, 0.9})});
  c.add("awf-b", 1, 2, {timed_run(1.5, {0.7, 0.8})});
  c.add("auto:simulate", 1, 2,
        {timed_run(
            1.1, {0.5, 0.6},
            {{"fac2", "first step", {}, std::nan(""), 0.001},
             {"gss,4", "predicted best of 3", {{"gss,4", 0.55}, {"fac2", 0.6}}, 0.55, 0.002}})});
  return c;
}

}  // namespace

TEST(AutoRecords, JsonRoundTripGivesDecisionsAndSummaryBack) {
  const Comparison c = run_with_auto_row();
  const std::string path = temp_path("auto") + ".json";
  write_json(c, path);
  const RunRecord record = read_json(path);
  std::filesystem::remove(path);
  const StrategyRecord& automatic = record.strategies.back();
  const std::vector<StepDecision>& written = c.rows().back().best.decisions;
  ASSERT_EQ(automatic.run.decisions.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    const StepDecision& a = automatic.run.decisions[i];
    EXPECT_EQ(a.technique, written[i].technique);
    EXPECT_EQ(a.reason, written[i].reason);
    ASSERT_EQ(a.predicted.size(), written[i].predicted.size());
    for (std::size_t k = 0; k < a.predicted.size(); ++k) {
      EXPECT_EQ(a.predicted[k].technique, written[i].predicted[k].technique);
      EXPECT_DOUBLE_EQ(a.predicted[k].seconds, written[i].predicted[k].seconds);
    }
    EXPECT_EQ(std::isnan(a.predicted_seconds), std::isnan(written[i].predicted_seconds));
    if (!std::isnan(a.predicted_seconds)) {
      EXPECT_DOUBLE_EQ(a.predicted_seconds, written[i].predicted_seconds);
    }
    EXPECT_DOUBLE_EQ(a.decision_seconds, written[i].decision_seconds);
  }
  EXPECT_EQ(automatic.run.step_seconds, (std::vector<double>{0.5, 0.6}));
  ASSERT_TRUE(automatic.selection.has_value());
  const SelectionSummary computed = selection_of(record).front();
  EXPECT_EQ(selection_disagreement(*automatic.selection, computed), "");
  EXPECT_EQ(computed.best_fixed, "fac2");
  EXPECT_NEAR(computed.regret_pct, 10.0, 1e-9);
  EXPECT_NEAR(computed.oracle_seconds, 0.8, 1e-12);
  // The rows of the record carry them too, as the CSV does.
  const ResultRow row = rows_of(record).back();
  EXPECT_EQ(row.choices, (std::vector<std::string>{"fac2", "gss,4"}));
  EXPECT_NEAR(*row.decision_seconds, 0.003, 1e-12);
}

TEST(AutoRecords, CsvRoundTripGivesChoicesAndSummaryBack) {
  const std::string path = temp_path("auto.csv");
  std::filesystem::remove(path);
  write_csv(run_with_auto_row(), path);
  const std::vector<ResultRow> rows = read_csv(path);
  std::filesystem::remove(path);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_TRUE(rows[1].choices.empty());
  EXPECT_FALSE(rows[1].decision_seconds.has_value());
  EXPECT_FALSE(rows[1].selection.has_value());
  const ResultRow& automatic = rows[4];
  EXPECT_EQ(automatic.choices, (std::vector<std::string>{"fac2", "gss,4"}));
  EXPECT_NEAR(*automatic.decision_seconds, 0.003, 1e-9);
  ASSERT_TRUE(automatic.selection.has_value());
  const SelectionSummary& s = *automatic.selection;
  EXPECT_EQ(s.fixed_rows, 3u);
  EXPECT_EQ(s.best_fixed, "fac2");
  EXPECT_DOUBLE_EQ(s.best_fixed_seconds, 1.0);
  EXPECT_NEAR(s.regret_pct, 10.0, 1e-4);
  EXPECT_EQ(s.median_fixed, "gss");
  EXPECT_DOUBLE_EQ(s.median_fixed_seconds, 1.2);
  EXPECT_NEAR(s.oracle_seconds, 0.8, 1e-9);
  EXPECT_NEAR(s.oracle_gap_pct, 37.5, 1e-6);
}

TEST(AutoRecords, FixtureIsRecomputedAndPrinted) {
  const RunRecord record = read_json(data("auto-select.json"));
  const std::string text = render_selection(record);
  EXPECT_NE(
      text.find("choices of auto:simulate:\n  step 0: fac2 — first step: nothing measured "
                "yet, start with fac2; measured 0.32 s; decision 0.1 ms (0.031% of the step)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("auto:simulate 1.1 s · best fixed fac2 1 s (regret 10.0%) · median fixed "
                      "(gss) 1.2 s (auto faster in 1 of 3 steps) · per-step oracle 0.95 s "
                      "(+15.8%)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("auto:expert 1.3 s · best fixed fac2 1 s (regret 30.0%)"), std::string::npos);
  EXPECT_EQ(text.find("differs"), std::string::npos) << text;  // the fixture is honest
}

TEST(AutoRecords, AnEditedSummaryIsFlaggedAndNotBelieved) {
  const RunRecord record = parse_json_text(
      fixture_with("\"regret_pct\": 10.000000000000009", "\"regret_pct\": -50"), "edited.json");
  const std::string text = render_selection(record);
  EXPECT_NE(text.find("(regret 10.0%)"), std::string::npos) << text;
  EXPECT_NE(text.find("the record's own summary of auto:simulate differs (best fixed fac2 1 s, "
                      "regret -50%"),
            std::string::npos)
      << text;
}

TEST(AutoRecords, HostileReasonAndTechniqueStayTextOnTerminalAndPage) {
  const std::string hostile = "<script>alert(1)</script>\\n!touch PWNED\\u001b[31m";
  std::string text = fixture_with("predicted best of 3", hostile);
  const std::string from = "\"technique\": \"gss\",\n     \"reason\"";
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "\"technique\": \"g<b>ss\\n\",\n     \"reason\"");
  const RunRecord record = parse_json_text(text, "hostile.json");
  const std::string shown = render_selection(record);
  for (std::size_t begin = 0, end = 0; end != std::string::npos; begin = end + 1) {
    end = shown.find('\n', begin);
    const std::string line = shown.substr(begin, end == std::string::npos ? end : end - begin);
    EXPECT_FALSE(line.starts_with("!touch")) << line;
  }
  EXPECT_EQ(shown.find('\x1b'), std::string::npos);
  EXPECT_NE(shown.find("<script>alert(1)</script>\\n!touch PWNED\\x1b[31m"), std::string::npos)
      << shown;
  // The page: built by the report's own --html, with no markup from the record.
  const std::string in = temp_path("hostile-auto") + ".json";
  {
    std::ofstream f(in);
    f << text;
  }
  const HtmlReport report = build_html_report({in}, 2, 0);
  const std::string& page = report.page;
  std::filesystem::remove(in);
  EXPECT_TRUE(report.verified);
  EXPECT_NE(page.find("<h2>Automatic selection</h2>"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("g&lt;b&gt;ss"), std::string::npos);
  EXPECT_EQ(page.find('\x1b'), std::string::npos);
}

// auto:simulate's step 0 ranks on predicted costs without a time: its predicted entries
// carry "seconds": null (NaN), which the record reads back as NaN, not as an error.
TEST(AutoRecords, APredictedTimeOfNullReadsAsNotMeasured) {
  const std::string text = fixture_with("\"seconds\": 0.36", "\"seconds\": null");
  EXPECT_EQ(json_error(text), "");
  const RunRecord record = parse_json_text(text, "step0.json");
  const StepDecision& d = record.strategies[5].run.decisions[1];
  ASSERT_FALSE(d.predicted.empty());
  EXPECT_TRUE(std::isnan(d.predicted[0].seconds));
  EXPECT_EQ(json_error(fixture_with("\"seconds\": 0.36", "\"seconds\": -1")),
            "hostile.json: field 'strategies[5].decisions[1].predicted[0].seconds' is -1: expected "
            "a number >= 0");
}

TEST(AutoRecords, ACsvWithSomeAutoColumnsIsRefusedByName) {
  // Found by fuzz.csv_record under ASan: a header with "choices" but a mangled "decision_s"
  // ended in std::out_of_range ("terminate called"); now one line naming the column.
  const std::string path = temp_path("partial.csv");
  std::filesystem::remove(path);
  write_csv(run_with_auto_row(), path);
  std::string text = read_text(path);
  std::filesystem::remove(path);
  const std::size_t at = text.find(",decision_s,");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 12, ",decision_8,");
  try {
    parse_csv_text(text, "partial.csv");
    ADD_FAILURE() << "a header without decision_s was read";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "partial.csv:2: the header has auto-row columns but not decision_s: expected all "
              "of choices … oracle_s or none");
  }
}

TEST(AutoRecords, MoreDecisionsThanStepsIsRefused) {
  EXPECT_EQ(json_error(read_text(data("auto-too-many-decisions.json"))),
            "hostile.json: field 'strategies[5].decisions' has 4 entries for 3 steps: one "
            "decision per step at most");
}

TEST(AutoRecords, WrongTypesInDecisionsAreRefused) {
  EXPECT_EQ(json_error(read_text(data("auto-bad-decision-type.json"))),
            "hostile.json: field 'strategies[5].decisions[1].technique' is not a string");
  EXPECT_EQ(json_error(fixture_with("\"decision_seconds\": 0.0012", "\"decision_seconds\": -1")),
            "hostile.json: field 'strategies[5].decisions[1].decision_seconds' is -1: expected a "
            "number >= 0");
  EXPECT_EQ(json_error(fixture_with("\"predicted_seconds\": 0.36", "\"predicted_seconds\": \"x\"")),
            "hostile.json: field 'strategies[5].decisions[1].predicted_seconds' is not a number");
  EXPECT_EQ(json_error(fixture_with("\"fixed_rows\": 4", "\"fixed_rows\": true")),
            "hostile.json: field 'strategies[5].selection.fixed_rows' is not a whole number");
  EXPECT_EQ(json_error(fixture_with("\"decisions\": [", "\"decisions\": {\"a\": 1}, \"x\": [")),
            "hostile.json: field 'strategies[5].decisions' is not an array");
}
