// schedlab-mpi's own options: which strategies run, defaults, and one clear message for
// each bad value.
#include "schedlab/mpi/mpi_options.hpp"

#include <gtest/gtest.h>

#include "schedlab/errors.hpp"

using namespace schedlab;

namespace {
MpiOptions with(std::string strategy, std::string master = "") {
  MpiOptions o;
  o.strategy = std::move(strategy);
  o.master = std::move(master);
  return o;
}

std::string usage_error(const MpiOptions& o, int ranks) {
  try {
    validate_mpi_options(o, ranks);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(MpiOptions, AllShowsTheDedicatedMasterBesideTheComputingOneWhenThereAreWorkers) {
  using enum MpiStrategy;
  EXPECT_EQ(validate_mpi_options(with("all"), 2).strategies,
            (std::vector<MpiStrategy>{kStaticBlock, kStaticCyclic, kMasterWorker,
                                      kMasterWorkerDedicated}));
  EXPECT_EQ(validate_mpi_options(with("all"), 1).strategies,
            (std::vector<MpiStrategy>{kStaticBlock, kStaticCyclic, kMasterWorker}));
  EXPECT_EQ(validate_mpi_options(with("all", "computes"), 4).strategies,
            (std::vector<MpiStrategy>{kStaticBlock, kStaticCyclic, kMasterWorker}));
  EXPECT_EQ(validate_mpi_options(with("all", "dedicated"), 4).strategies,
            (std::vector<MpiStrategy>{kStaticBlock, kStaticCyclic, kMasterWorkerDedicated}));
}

TEST(MpiOptions, ChunkDefaultsToOneTaskPerThreadAndCyclicFollowsIt) {
  MpiOptions o = with("cyclic");
  o.threads = "4";
  const MpiSettings s = validate_mpi_options(o, 2);
  EXPECT_EQ(s.chunk, 4u);
  EXPECT_EQ(s.cyclic_chunk, 4u);
  EXPECT_EQ(strategy_name(MpiStrategy::kStaticCyclic, s), "cyclic,4");
  EXPECT_EQ(validate_mpi_options(with("cyclic,3"), 2).cyclic_chunk, 3u);
  EXPECT_EQ(validate_mpi_options(with("master-worker"), 2).prefetch, kDefaultPrefetch);
}

TEST(MpiOptions, RowNamesCarryTheChunk) {
  MpiOptions o = with("master-worker");
  o.chunk = "2";
  const MpiSettings s = validate_mpi_options(o, 2);
  EXPECT_EQ(strategy_name(MpiStrategy::kMasterWorker, s), "master-worker,2");
  EXPECT_EQ(strategy_name(MpiStrategy::kMasterWorkerDedicated, s), "master-worker-dedicated,2");
  EXPECT_EQ(strategy_name(MpiStrategy::kStaticBlock, s), "static");
}

TEST(MpiOptions, BadValuesAreNamedWithWhatIsAllowed) {
  MpiOptions o = with("master-worker");
  o.chunk = "0";
  EXPECT_NE(usage_error(o, 2).find("--chunk '0'"), std::string::npos);
  o = with("master-worker");
  o.prefetch = "0";
  EXPECT_NE(usage_error(o, 2).find("--prefetch '0'"), std::string::npos);
  o = with("all");
  o.threads = "x";
  EXPECT_NE(usage_error(o, 2).find("--threads 'x'"), std::string::npos);
  EXPECT_NE(usage_error(with("nope"), 2).find("expected one of static, cyclic"), std::string::npos);
  EXPECT_NE(usage_error(with("cyclic,0"), 2).find("cyclic,C '0'"), std::string::npos);
  EXPECT_NE(usage_error(with("all", "nope"), 2).find("expected computes or dedicated"),
            std::string::npos);
}

TEST(MpiOptions, DedicatedMasterAloneIsAUsageError) {
  EXPECT_NE(usage_error(with("master-worker", "dedicated"), 1).find("at least 2 ranks"),
            std::string::npos);
  EXPECT_EQ(usage_error(with("master-worker", "dedicated"), 2), "");
  EXPECT_EQ(usage_error(with("master-worker", "computes"), 1), "");
}

TEST(MpiOptions, AnyRegistryTechniqueIsAStrategyNamedByItsCanonicalText) {
  const MpiSettings gss = validate_mpi_options(with("gss,4"), 3);
  EXPECT_EQ(gss.strategies, std::vector<MpiStrategy>{MpiStrategy::kTechnique});
  EXPECT_EQ(strategy_name(MpiStrategy::kTechnique, gss), "gss,4");
  // Aliases name the row by the canonical name, as OpenMP and the simulator do.
  EXPECT_EQ(strategy_name(MpiStrategy::kTechnique, validate_mpi_options(with("factoring"), 2)),
            "fac2");
  EXPECT_EQ(strategy_name(MpiStrategy::kTechnique, validate_mpi_options(with("awf-b"), 2)),
            "awf-b");
}

TEST(MpiOptions, ABadTechniqueNamesTheValueAndTheAllowedNames) {
  const std::string message = usage_error(with("guided"), 2);
  EXPECT_NE(message.find("--strategy 'guided'"), std::string::npos) << message;
  EXPECT_NE(message.find("allowed: static, ss, fsc"), std::string::npos) << message;
  EXPECT_NE(usage_error(with("fac2", "dedicated"), 2).find("computing master"), std::string::npos);
}

// The table of MPI strategies: every row can be asked for, helped, run and modelled, and
// the row names it writes read back through the row-name grammar as its own form.
TEST(MpiStrategyTable, EveryRowHasHelpGrammarRunAndModel) {
  const auto rows = mpi_strategies();
  ASSERT_FALSE(rows.empty());
  for (const MpiStrategyRow& row : rows) {
    EXPECT_EQ(&mpi_strategy_row(row.strategy), &row);
    EXPECT_FALSE(row.help.empty()) << row.name();
    EXPECT_NE(row.run, nullptr) << row.name();
    EXPECT_NE(row.chunks, nullptr) << row.name();
    const RowGrammar& grammar = row.grammar();
    EXPECT_TRUE(!grammar.runner || *grammar.runner == Runner::kMpi) << row.name();
    // A model, or "none" said on purpose: to_string knows every enumerator.
    EXPECT_NE(to_string(row.model()), "?") << row.name();
    const bool counted =
        grammar.argument == RowArgument::kCount || grammar.argument == RowArgument::kOptionalCount;
    EXPECT_EQ(row.count != nullptr, counted) << row.name();
  }
  // Every MpiStrategy has its row, once.
  EXPECT_EQ(rows.size(), 8U);
}

TEST(MpiStrategyTable, RowNamesReadBackAsTheirForm) {
  MpiOptions o = with("master-worker");
  o.chunk = "3";
  MpiSettings s = validate_mpi_options(o, 2);
  s.cyclic_chunk = 5;
  s.technique = techniques::parse_technique("gss,2");
  s.table_technique = techniques::parse_technique("fac2");
  s.select = techniques::SelectMethod::kSimulate;
  for (const MpiStrategyRow& row : mpi_strategies()) {
    const std::string name = strategy_name(row.strategy, s);
    const RowName read = parse_row_name(Runner::kMpi, name);
    EXPECT_EQ(read.form, row.form) << name;
    EXPECT_EQ(read.text(), name);
  }
  EXPECT_EQ(strategy_name(MpiStrategy::kStaticCyclic, s), "cyclic,5");
  EXPECT_EQ(strategy_name(MpiStrategy::kRma, s), "rma,fac2");
  EXPECT_EQ(strategy_name(MpiStrategy::kAuto, s), "auto:simulate");
}

TEST(MpiStrategyTable, EverySelectableRowParsesFromItsOwnName) {
  for (const MpiStrategyRow& row : mpi_strategies()) {
    if (!row.selectable) continue;
    const std::string text = row.form == RowForm::kTechnique   ? "fac2"
                             : row.form == RowForm::kMpiSelect ? "auto:expert"
                                                               : std::string(row.name());
    EXPECT_EQ(validate_mpi_options(with(text), 2).strategies,
              std::vector<MpiStrategy>{row.strategy})
        << text;
  }
  // The row name a run wrote is a --strategy value again: master-worker,C sets --chunk.
  const MpiSettings s = validate_mpi_options(with("master-worker,4"), 2);
  EXPECT_EQ(s.chunk, 4U);
  EXPECT_NE(usage_error(with("master-worker-dedicated,2"), 2).find("expected one of"),
            std::string::npos);
  EXPECT_NE(usage_error(with("static,4"), 2).find("static takes no argument"), std::string::npos);
}

TEST(MpiOptions, MasterRolesRoundTripAndNothingElseIsOne) {
  for (const MasterRole role : {MasterRole::kComputes, MasterRole::kDedicated}) {
    EXPECT_EQ(parse_master_role(to_string(role)), role);
  }
  EXPECT_FALSE(parse_master_role("Dedicated").has_value());
  EXPECT_FALSE(parse_master_role("").has_value());
}

TEST(MpiOptions, StrategySetsParseBackFromTheirSpelling) {
  for (const StrategySet set : {StrategySet::kAll, StrategySet::kAllFixed})
    EXPECT_EQ(parse_strategy_set(to_string(set)), set);
  EXPECT_EQ(to_string(StrategySet::kAllFixed), "all-fixed");
  EXPECT_EQ(parse_strategy_set("static"), std::nullopt);
  EXPECT_EQ(parse_strategy_set("All"), std::nullopt);
  EXPECT_EQ(parse_strategy_set(""), std::nullopt);
}
