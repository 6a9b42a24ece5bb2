// The MPI strategies as one table (schedlab/mpi/mpi_options.hpp): each row's spelling and
// simulator model come from the row-name grammar (schedlab/row_name.hpp), its run function
// calls the executor in mpi/*.cpp with what the options settled.
#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "schedlab/mpi/mpi_options.hpp"

namespace schedlab {
namespace {

using Tasks = std::vector<Task>;

RunResult run_static_row(const Tasks& tasks, const RankContext& ctx, const MpiSettings& /*s*/,
                         Progress& p) {
  return run_static_block(tasks, ctx, p);
}

RunResult run_cyclic_row(const Tasks& tasks, const RankContext& ctx, const MpiSettings& s,
                         Progress& p) {
  return run_static_cyclic(tasks, ctx, s.cyclic_chunk, p);
}

MasterWorkerConfig master_worker_config(const MpiSettings& s, bool master_computes) {
  return MasterWorkerConfig{s.chunk, s.prefetch, master_computes, std::nullopt, nullptr};
}

RunResult run_master_worker_row(const Tasks& tasks, const RankContext& ctx, const MpiSettings& s,
                                Progress& p) {
  return run_master_worker(tasks, ctx, master_worker_config(s, true), p);
}

RunResult run_dedicated_row(const Tasks& tasks, const RankContext& ctx, const MpiSettings& s,
                            Progress& p) {
  return run_master_worker(tasks, ctx, master_worker_config(s, false), p);
}

// A registry technique: plans run per rank, the rest master-worker (docs/mpi.md).
RunResult run_technique_row(const Tasks& tasks, const RankContext& ctx, const MpiSettings& s,
                            Progress& p) {
  const techniques::TechniqueSpec& spec = s.technique.value();
  if (spec.info->dispatch == techniques::Dispatch::kPlan)
    return run_static_plan(tasks, ctx, spec, p);
  MasterWorkerConfig config = master_worker_config(s, true);
  config.technique = spec;
  return run_master_worker(tasks, ctx, config, p);
}

// auto:METHOD: the selector on rank 0 chooses the technique of each step (mpi/auto_row.cpp).
RunResult run_auto_row(const Tasks& tasks, const RankContext& ctx, const MpiSettings& s,
                       Progress& p) {
  return run_auto_step(tasks, ctx, s.select.value(), s.seed, *s.auto_state,
                       master_worker_config(s, true), p);
}

RunResult run_rma_row(const Tasks& tasks, const RankContext& ctx, const MpiSettings& s,
                      Progress& p) {
  return run_rma(tasks, ctx, s.table_technique, p);
}

RunResult run_hierarchical_row(const Tasks& tasks, const RankContext& ctx, const MpiSettings& s,
                               Progress& p) {
  return run_hierarchical(tasks, ctx, s.table_technique, p);
}

using MaybeSpec = std::optional<techniques::TechniqueSpec>;
MaybeSpec no_chunks(const MpiSettings& /*s*/) { return std::nullopt; }
MaybeSpec static_chunks(const MpiSettings& /*s*/) { return techniques::parse_technique("static"); }
MaybeSpec master_worker_chunks(const MpiSettings& s) {
  return master_worker_technique(master_worker_config(s, true));
}
MaybeSpec technique_chunks(const MpiSettings& s) { return s.technique; }
MaybeSpec table_chunks(const MpiSettings& s) { return s.table_technique; }

using enum MpiStrategy;
constexpr std::array<MpiStrategyRow, 8> kRows{{
    {kStaticBlock, RowForm::kMpiStatic, true, "one contiguous block per rank, no messages",
     run_static_row, static_chunks, false, nullptr},
    {kStaticCyclic, RowForm::kMpiCyclic, true,
     "chunks of C (default --chunk) dealt round robin, no messages", run_cyclic_row, no_chunks,
     false, &MpiSettings::cyclic_chunk},
    {kMasterWorker, RowForm::kMpiMasterWorker, true,
     "rank 0 hands out chunks of C (default --chunk) on request and computes too "
     "(--master dedicated: it only serves)",
     run_master_worker_row, master_worker_chunks, false, &MpiSettings::chunk},
    {kMasterWorkerDedicated, RowForm::kMpiMasterWorkerDedicated, false,
     "master-worker whose rank 0 only serves (--master dedicated)", run_dedicated_row, no_chunks,
     false, &MpiSettings::chunk},
    {kTechnique, RowForm::kTechnique, true,
     "a technique of the registry, run by master-worker or, for plans, per rank", run_technique_row,
     technique_chunks, false, nullptr},
    {kRma, RowForm::kMpiRma, true,
     "no master: every rank claims chunks of TECHNIQUE's table with MPI_Fetch_and_op", run_rma_row,
     table_chunks, true, nullptr},
    {kHierarchical, RowForm::kMpiHierarchical, true,
     "rank 0 hands batches of TECHNIQUE's chunks to one master per node", run_hierarchical_row,
     table_chunks, true, nullptr},
    {kAuto, RowForm::kMpiSelect, true,
     "schedlab's selector: before each step rank 0 chooses a portfolio technique (METHOD: "
     "exhaustive, expert, simulate, random), run as that technique's row",
     run_auto_row, no_chunks, false, nullptr},
}};

}  // namespace

std::span<const MpiStrategyRow> mpi_strategies() { return kRows; }

const MpiStrategyRow& mpi_strategy_row(MpiStrategy strategy) {
  for (const MpiStrategyRow& row : kRows) {
    if (row.strategy == strategy) return row;
  }
  throw std::logic_error("mpi_strategy_row: an MpiStrategy without a row");
}

std::string mpi_strategy_syntax() {
  std::string text;
  for (const MpiStrategyRow& row : kRows) {
    if (!row.selectable || row.form == RowForm::kTechnique) continue;
    text += fmt::format("{}{}, ", row.name(), to_string(row.grammar().argument));
  }
  return text + "all, all-fixed, or a technique of the registry";
}

std::string strategy_name(MpiStrategy strategy, const MpiSettings& s) {
  const MpiStrategyRow& row = mpi_strategy_row(strategy);
  RowName name{row.form, std::nullopt, {}};
  switch (row.grammar().argument) {
    case RowArgument::kCount:
    case RowArgument::kOptionalCount:
      name.count = s.*row.count;  // rows always carry the count they ran with
      break;
    case RowArgument::kOptionalTechnique:
      name.technique = s.table_technique.text();
      break;
    case RowArgument::kTechnique:
      name.technique = s.technique ? s.technique->text() : "technique";
      break;
    case RowArgument::kMethod:
      name.technique = s.select ? std::string(techniques::to_string(*s.select)) : "METHOD";
      break;
    case RowArgument::kNone:
      break;
  }
  return name.text();
}

std::vector<std::pair<MpiStrategy, MpiSettings>> fixed_and_auto_rows(const MpiSettings& s) {
  std::vector<std::pair<MpiStrategy, MpiSettings>> rows;
  for (const techniques::TechniqueSpec& t : techniques::portfolio()) {
    MpiSettings row = s;
    row.technique = t;
    rows.emplace_back(MpiStrategy::kTechnique, std::move(row));
  }
  for (const techniques::SelectMethod m : techniques::select_methods()) {
    MpiSettings row = s;
    row.select = m;
    row.auto_state = std::make_shared<MpiAutoState>();  // each auto row learns on its own
    rows.emplace_back(MpiStrategy::kAuto, std::move(row));
  }
  return rows;
}

}  // namespace schedlab
