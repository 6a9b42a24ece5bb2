// rma and hierarchical without MPI: how --strategy names their technique, what it refuses,
// and how a claim of chunks maps to tasks.
#include <gtest/gtest.h>

#include "claimed_share.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/mpi/mpi_options.hpp"
#include "schedlab/techniques/registry.hpp"

using namespace schedlab;

namespace {
MpiSettings settings_for(std::string strategy) {
  MpiOptions o;
  o.strategy = std::move(strategy);
  return validate_mpi_options(o, 2);
}

std::string usage_error(std::string strategy) {
  try {
    settings_for(std::move(strategy));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(ClaimStrategies, WithoutATechniqueTheyRunSelfScheduling) {
  const MpiSettings rma = settings_for("rma");
  ASSERT_EQ(rma.strategies, std::vector<MpiStrategy>{MpiStrategy::kRma});
  EXPECT_EQ(strategy_name(MpiStrategy::kRma, rma), "rma,ss");
  const MpiSettings hierarchical = settings_for("hierarchical");
  ASSERT_EQ(hierarchical.strategies, std::vector<MpiStrategy>{MpiStrategy::kHierarchical});
  EXPECT_EQ(strategy_name(MpiStrategy::kHierarchical, hierarchical), "hierarchical,ss");
}

TEST(ClaimStrategies, TheTechniqueAfterTheCommaKeepsItsParameters) {
  EXPECT_EQ(strategy_name(MpiStrategy::kRma, settings_for("rma,gss,4")), "rma,gss,4");
  EXPECT_EQ(strategy_name(MpiStrategy::kHierarchical, settings_for("hierarchical,fac2")),
            "hierarchical,fac2");
  EXPECT_EQ(settings_for("rma,tss,8,2").table_technique.info->name, "tss");
}

TEST(ClaimStrategies, OnlyTechniquesWithAChunkTableAreAllowed) {
  // The allowed list is the registry's table rows, in registry order.
  std::string allowed;
  for (const schedlab::techniques::TechniqueInfo& row : schedlab::techniques::registry()) {
    if (row.dispatch != schedlab::techniques::Dispatch::kTable) continue;
    allowed += (allowed.empty() ? "" : ", ") + row.name;
  }
  EXPECT_TRUE(allowed.starts_with("ss, fsc, mfsc, gss, tss, fac2, tap")) << allowed;
  EXPECT_EQ(usage_error("rma,awf-b"),
            "--strategy rma,awf-b: rma needs chunks fixed by N and P alone; allowed: " + allowed);
  EXPECT_NE(usage_error("hierarchical,lpt").find("hierarchical needs chunks fixed by N and P"),
            std::string::npos);
  EXPECT_NE(usage_error("rma,guided").find("technique 'guided' is unknown"), std::string::npos);
  EXPECT_NE(usage_error("rma,").find("--strategy rma,: "), std::string::npos);
  EXPECT_NE(usage_error("rmax").find("--strategy 'rmax'"), std::string::npos);
}

TEST(ClaimStrategies, AClaimOfChunksIsOneContiguousRangeCutAtTheEnd) {
  techniques::ChunkTable table;
  table.first = {0, 25, 44, 58, 69, 77, 83, 88, 91, 94, 96, 97, 98, 99, 100};  // gss, N 100, P 4
  EXPECT_EQ(tasks_of_chunks(table, 0, 1).first, 0u);
  EXPECT_EQ(tasks_of_chunks(table, 0, 1).count, 25u);
  EXPECT_EQ(tasks_of_chunks(table, 1, 2).first, 25u);
  EXPECT_EQ(tasks_of_chunks(table, 1, 2).count, 33u);
  EXPECT_EQ(tasks_of_chunks(table, 12, 4).first, 98u);  // 2 chunks left of the 4 claimed
  EXPECT_EQ(tasks_of_chunks(table, 12, 4).count, 2u);
  EXPECT_EQ(tasks_of_chunks(table, 14, 1).count, 0u);  // past the end: nothing
  EXPECT_EQ(tasks_of_chunks(table, 99, 2).count, 0u);
}

TEST(ClaimStrategies, TheTableCountsEveryWorkerOfEveryRank) {
  RankContext ctx;
  ctx.ranks = 2;
  ctx.threads = 2;
  const techniques::ChunkTable table =
      claimed_chunk_table(techniques::parse_technique("gss"), 100, ctx);
  ASSERT_GE(table.count(), 1u);
  EXPECT_EQ(table.size(0), 25u);  // ceil(100 / (2 x 2))
  EXPECT_EQ(table.first.back(), 100u);
}
