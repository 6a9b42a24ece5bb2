// The row-name grammar (schedlab/row_name.hpp): every spelling a runner writes reads back as
// the form that wrote it, and names no runner writes are refused with one line.
#include "schedlab/row_name.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace schedlab {
namespace {

// A spelling of each form as the runners write it into a record (docs/results-schema.md).
std::string sample(const RowGrammar& g) {
  switch (g.argument) {
    case RowArgument::kNone:
      return std::string(g.name);
    case RowArgument::kCount:
    case RowArgument::kOptionalCount:
      return std::string(g.name) + ",3";
    case RowArgument::kOptionalTechnique:
      return std::string(g.name) + ",gss,2";
    case RowArgument::kTechnique:
      return "fac2";
    case RowArgument::kMethod:
      return std::string(g.name) + ":simulate";
  }
  return {};
}

TEST(RowName, EveryFormOfEveryRunnerRoundTrips) {
  std::set<RowForm> seen;
  for (const RowGrammar& g : row_grammar()) {
    for (const Runner runner : {Runner::kSerial, Runner::kOmp, Runner::kMpi}) {
      if (g.runner && *g.runner != runner) continue;
      const std::string text = sample(g);
      const RowName row = parse_row_name(runner, text);
      EXPECT_EQ(row.form, g.form) << to_string(runner) << " " << text;
      EXPECT_EQ(row.text(), text);
      EXPECT_EQ(parse_row_name(runner, row.text()).form, g.form);
      seen.insert(row.form);
    }
  }
  EXPECT_EQ(seen.size(), row_grammar().size());  // no form is shadowed by another
}

TEST(RowName, ShortRunnerNameDropsThePrefixOnly) {
  EXPECT_EQ(short_runner_name("schedlab-omp"), "omp");
  EXPECT_EQ(short_runner_name("schedlab-mpi"), "mpi");
  EXPECT_EQ(short_runner_name("my-runner"), "my-runner");
  EXPECT_EQ(short_runner_name("schedlab"), "schedlab");
}

TEST(RowName, SpellingsFoundInRecords) {
  const std::vector<std::pair<std::string, RowForm>> omp = {
      {"serial", RowForm::kSerial},
      {"static", RowForm::kOmpStatic},
      {"static,4", RowForm::kOmpStaticChunked},
      {"dynamic,1", RowForm::kOmpDynamic},
      {"guided,1", RowForm::kOmpGuided},
      {"auto", RowForm::kOmpAuto},
      {"runtime", RowForm::kOmpRuntime},
      {"tasks", RowForm::kOmpTasks},
      {"taskloop", RowForm::kOmpTaskloop},
      {"taskloop,8", RowForm::kOmpTaskloopGrainsize},
      {"gss,4", RowForm::kTechnique},
      {"fsc,h=2e-06", RowForm::kTechnique}};
  for (const auto& [text, form] : omp) {
    const RowName row = parse_row_name(Runner::kOmp, text);
    EXPECT_EQ(row.form, form) << text;
    EXPECT_EQ(row.text(), text);
  }
  const std::vector<std::pair<std::string, RowForm>> mpi = {
      {"serial", RowForm::kSerial},
      {"static", RowForm::kMpiStatic},
      {"cyclic,1", RowForm::kMpiCyclic},
      {"master-worker,1", RowForm::kMpiMasterWorker},
      {"master-worker-dedicated,2", RowForm::kMpiMasterWorkerDedicated},
      {"rma,ss", RowForm::kMpiRma},
      {"hierarchical,gss,4", RowForm::kMpiHierarchical},
      {"fac2", RowForm::kTechnique},
      {"awf-b", RowForm::kTechnique}};
  for (const auto& [text, form] : mpi) {
    const RowName row = parse_row_name(Runner::kMpi, text);
    EXPECT_EQ(row.form, form) << text;
    EXPECT_EQ(row.text(), text);
  }
}

TEST(RowName, ArgumentsAreRead) {
  EXPECT_EQ(parse_row_name(Runner::kMpi, "cyclic,12").count, 12U);
  EXPECT_FALSE(parse_row_name(Runner::kMpi, "cyclic").count.has_value());
  EXPECT_EQ(parse_row_name(Runner::kMpi, "rma,gss,4").technique, "gss,4");
  EXPECT_EQ(parse_row_name(Runner::kMpi, "rma").technique, "");
  EXPECT_EQ(parse_row_name(Runner::kOmp, "dynamic").form, RowForm::kOmpDynamic);
  EXPECT_EQ(parse_row_name(Runner::kOmp, "taskloop,8").count, 8U);
}

TEST(RowName, TheRunnerDecidesWhatStaticMeans) {
  EXPECT_EQ(parse_row_name(Runner::kOmp, "static").form, RowForm::kOmpStatic);
  EXPECT_EQ(parse_row_name(Runner::kMpi, "static").form, RowForm::kMpiStatic);
  // schedlab-omp's literal clauses are techniques' texts to the other runners.
  EXPECT_EQ(parse_row_name(Runner::kMpi, "dynamic,4").form, RowForm::kTechnique);
  EXPECT_EQ(parse_row_name(Runner::kOmp, "cyclic,4").form, RowForm::kTechnique);
}

TEST(RowName, BadNamesAreRefusedWithOneLine) {
  const std::vector<std::pair<Runner, std::string>> bad = {
      {Runner::kOmp, ""},
      {Runner::kOmp, "dynamic,x"},
      {Runner::kOmp, "dynamic,0"},
      {Runner::kOmp, "guided,"},
      {Runner::kOmp, "auto,2"},
      {Runner::kOmp, "taskloop,-1"},
      {Runner::kOmp, "static,99999999999999999999"},
      {Runner::kMpi, "static,4"},
      {Runner::kMpi, "cyclic,0"},
      {Runner::kMpi, "master-worker,1x"},
      {Runner::kMpi, "rma,"},
      {Runner::kMpi, "hierarchical,,gss"},
      {Runner::kMpi, "gss,,4"},
      {Runner::kMpi, "gss 4"},
      {Runner::kMpi, "Gss"},
      {Runner::kSerial, "line\nbreak"},
      {Runner::kMpi, ",4"}};
  for (const auto& [runner, text] : bad) {
    try {
      const RowName row = parse_row_name(runner, text);
      ADD_FAILURE() << "accepted '" << text << "' as " << to_string(row.form);
    } catch (const std::invalid_argument& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      EXPECT_NE(message.find("allowed under"), std::string::npos) << message;
    }
  }
}

// The message starts with the part at fault, so an option can put its name in front.
TEST(RowName, TheMessageStartsWithThePartAtFault) {
  const auto message = [](Runner runner, const std::string& text) -> std::string {
    try {
      parse_row_name(runner, text);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_EQ(message(Runner::kMpi, "cyclic,0").rfind("cyclic,C '0': expected a count", 0), 0U);
  EXPECT_EQ(message(Runner::kMpi, "rma,").rfind("rma,: technique '' is unknown", 0), 0U);
  EXPECT_EQ(message(Runner::kOmp, "auto,2").rfind("'auto,2': auto takes no argument", 0), 0U);
  EXPECT_NE(message(Runner::kOmp, "a\nb").find("'a\\x0ab'"), std::string::npos);
}

TEST(RowName, RunnersAndTheirSpellings) {
  for (const Runner runner : {Runner::kSerial, Runner::kOmp, Runner::kMpi}) {
    EXPECT_EQ(parse_runner(to_string(runner)), runner);
  }
  EXPECT_FALSE(parse_runner("mpi").has_value());
  EXPECT_FALSE(parse_runner("schedlab-mpix").has_value());
}

TEST(RowName, EveryFormHasAModelAndASummaryEntry) {
  for (const RowGrammar& g : row_grammar()) {
    EXPECT_NE(to_string(g.model), "?");
    EXPECT_EQ(&grammar_of(g.form), &g);
    if (g.form == RowForm::kTechnique) continue;
    ASSERT_TRUE(g.runner.has_value() || g.form == RowForm::kSerial);
    const std::string summary = row_grammar_summary(g.runner.value_or(Runner::kSerial));
    EXPECT_NE(summary.find(std::string(g.name)), std::string::npos) << summary;
  }
}

TEST(RowName, SelectRowsAreKnownByTheirPrefixWhateverTheRunner) {
  EXPECT_TRUE(is_select_row_name("auto:simulate"));
  EXPECT_TRUE(is_select_row_name("auto:"));
  EXPECT_FALSE(is_select_row_name("auto"));
  EXPECT_FALSE(is_select_row_name("gss,auto:"));
  EXPECT_FALSE(is_select_row_name(""));
  // The spelling RowName::text() writes is one is_select_row_name() knows.
  EXPECT_TRUE(is_select_row_name(parse_row_name(Runner::kMpi, "auto:expert").text()));
}

}  // namespace
}  // namespace schedlab
