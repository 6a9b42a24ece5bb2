// rma and hierarchical without MPI: how --strategy names their technique, what it refuses,
// and how a claim of chunks maps to tasks.
#include <gtest/gtest.h>

#include <stdexcept>
#include <tuple>

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

namespace {
// A GatherLayout as plan_gather gives rank 0 for these per-rank counts.
GatherLayout layout_of(const std::vector<int>& counts) {
  GatherLayout layout;
  layout.counts = counts;
  layout.offsets.assign(counts.size(), 0);
  for (std::size_t r = 1; r < counts.size(); ++r) {
    layout.offsets[r] = layout.offsets[r - 1] + counts[r - 1];
  }
  layout.total =
      static_cast<std::size_t>(layout.offsets.back()) + static_cast<std::size_t>(counts.back());
  return layout;
}

// Restores the process's trace level when a test that changed it ends.
struct TraceLevelScope {
  explicit TraceLevelScope(TraceLevel level) : saved(trace_level()) { set_trace_level(level); }
  ~TraceLevelScope() { set_trace_level(saved); }
  TraceLevel saved;
};
}  // namespace

// The two ways rank 0 gets a claimed run's records (finish_claimed_run) must give the same
// RunResult: the whole records, or - with --trace off and one thread per rank - the claimed
// ranges and the results only. Three "ranks" claim gss chunks in an interleaved order (rank
// 0 twice in a row: its two claims merge into one range), really run them, and rank 0's
// view is built both ways from the same runs.
TEST(ClaimStrategies, ResultsOnlyGatherRebuildsTheWholeRecords) {
  const TraceLevelScope off(TraceLevel::kOff);
  std::vector<Task> tasks;
  for (std::size_t t = 0; t < 100; ++t) tasks.push_back(Task{t, 1 + (t * 37) % 11});
  std::vector<RankContext> ranks(3);
  for (int r = 0; r < 3; ++r) {
    ranks[static_cast<std::size_t>(r)].rank = r;
    ranks[static_cast<std::size_t>(r)].ranks = 3;
  }
  ASSERT_TRUE(results_suffice(ranks[0]));
  const techniques::ChunkTable table =
      claimed_chunk_table(techniques::parse_technique("gss"), tasks.size(), ranks[0]);
  std::vector<ClaimedShare> shares;
  shares.reserve(ranks.size());
  for (const RankContext& ctx : ranks) shares.emplace_back(tasks.size(), table.count(), ctx);
  const std::vector<int> claimer = {0, 0, 2, 1, 2, 0, 1, 1, 2, 0, 2};  // chunk k's rank
  ASSERT_EQ(claimer.size(), table.count());                            // gss, N 100, P 3
  for (std::size_t k = 0; k < table.count(); ++k) {
    const auto r = static_cast<std::size_t>(claimer[k]);
    ASSERT_TRUE(
        shares[r].run(tasks, tasks_of_chunks(table, k, 1), ranks[r], Clock::now(), nullptr));
  }
  EXPECT_EQ(shares[0].claims().front().first, 0u);  // chunks 0 and 1: one range
  EXPECT_EQ(shares[0].claims().front().count, table.size(0) + table.size(1));

  // Rank 0's receive buffers, filled as the gathers would: rank after rank.
  std::vector<TaskOutcome> records;
  std::vector<TaskRange> claims;
  std::vector<std::uint64_t> values;
  std::vector<int> record_counts;
  std::vector<int> claim_counts;
  for (const ClaimedShare& share : shares) {
    records.insert(records.end(), share.outcomes().begin(), share.outcomes().end());
    claims.insert(claims.end(), share.claims().begin(), share.claims().end());
    for (const TaskOutcome& o : share.outcomes()) values.push_back(o.result);
    record_counts.push_back(static_cast<int>(share.outcomes().size()));
    claim_counts.push_back(static_cast<int>(share.claims().size()));
  }
  ASSERT_EQ(records.size(), tasks.size());
  const std::vector<std::size_t> chunk_of = techniques::chunk_of_task(table);
  Progress quiet(tasks.size(), 0, stdout, false);
  RunResult whole = empty_result(tasks.size(), 3);
  assemble_outcomes(records, chunk_of, 1, whole, quiet);
  RunResult results_only = empty_result(tasks.size(), 3);
  assemble_claimed_results(claims, layout_of(claim_counts), values, layout_of(record_counts),
                           chunk_of, results_only, quiet);

  EXPECT_EQ(results_only.results, whole.results);
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const TaskRecord& a = whole.trace[t];
    const TaskRecord& b = results_only.trace[t];
    EXPECT_EQ(b.task, t);
    EXPECT_EQ(std::tie(a.task, a.worker, a.cpu, a.start, a.end, a.chunk),
              std::tie(b.task, b.worker, b.cpu, b.start, b.end, b.chunk))
        << "task " << t;
    EXPECT_EQ(b.worker, claimer[chunk_of[t]]) << "task " << t;
    EXPECT_EQ(b.chunk, static_cast<int>(chunk_of[t]));
    EXPECT_EQ(b.cpu, -1);
    EXPECT_NE(whole.results[t], 0u);
  }
  EXPECT_EQ(completion_order_by_end(results_only.trace), completion_order_by_end(whole.trace));
}

// Ranges that do not hold exactly a rank's results are a bug, not a record to guess at.
TEST(ClaimStrategies, ResultsOnlyGatherRefusesRangesThatDoNotMatchTheResults) {
  const techniques::ChunkTable table =
      claimed_chunk_table(techniques::parse_technique("ss"), 4, RankContext{});
  const std::vector<std::size_t> chunk_of = techniques::chunk_of_task(table);
  const std::vector<std::uint64_t> values = {7, 8, 9};
  Progress quiet(4, 0, stdout, false);
  RunResult run = empty_result(4, 1);
  const std::vector<TaskRange> four = {TaskRange{0, 4}};
  EXPECT_THROW(
      assemble_claimed_results(four, layout_of({1}), values, layout_of({3}), chunk_of, run, quiet),
      std::logic_error);
  const std::vector<TaskRange> two = {TaskRange{0, 2}};
  EXPECT_THROW(
      assemble_claimed_results(two, layout_of({1}), values, layout_of({3}), chunk_of, run, quiet),
      std::logic_error);
  EXPECT_FALSE(run.trace[0].ran());  // nothing half-written
  const std::vector<TaskRange> three = {TaskRange{1, 3}};
  assemble_claimed_results(three, layout_of({1}), values, layout_of({3}), chunk_of, run, quiet);
  EXPECT_EQ(run.results, (std::vector<std::uint64_t>{0, 7, 8, 9}));
  EXPECT_EQ(run.trace[3].worker, 0);
  EXPECT_FALSE(run.trace[0].ran());
}
